"""Who may open what, for records: every record route x every role x a record in and out of scope.

A record outside the scope answers 404 as if it did not exist, in every
route (pages, actions, photos); lists and exports never include it; roles
without records (administrators) get 403; nobody logged in goes to the login page.
All tests here share one app (``site``); the database is put back before each.
"""
from __future__ import annotations

import pytest

from bot.models.intake import IntakeAttachment, IntakeRecord
from bot.models.workflow import ResponseTemplate, SupportPlan
from bot.services.workflow import TRIGGERS
from tests.admin.records_support import move, status_of, submit_record
from tests.admin.support import page_text

ANONYMOUS = None
OK = "ok"
NOT_FOUND = 404
FORBIDDEN = 403
LOGIN = "login"

RECORD_ROUTES = [
    ("GET", "/admin/records/{record}", None),
    ("GET", "/admin/records/{record}/photos/{photo}", None),
    *[("POST", f"/admin/records/{{record}}/{trigger}", form) for trigger, form in [
        ("triage", {}), ("forward", {"forward-centre": "ogawa_kawamae"}), ("accept", {}), ("start", {}),
        ("reject", {"reject-reason": "担当外"}), ("escalate", {"escalate-reason": "複合的"}), ("take_on", {}),
        ("close", {"close-outcome": "duplicate"}), ("reopen", {})]],
    ("GET", "/admin/records/{record}/close", None),
    ("POST", "/admin/records/{record}/assign", {"assign-assignee": ""}),
    ("POST", "/admin/records/{record}/notes", {"note-body": "メモ"}),
    ("POST", "/admin/records/{record}/follow-up", {"follow_up-on": "2030-01-10"}),
    ("POST", "/admin/records/{record}/plan", {"plan-policy": "方針"}),
    ("POST", "/admin/records/{record}/messages", {"message-body": "ご連絡です"}),
    # The resident page (本人ページ) of the record's resident, and their household.
    ("GET", "/admin/residents/{resident}", None),
    ("POST", "/admin/residents/{resident}/household", {"relationship": "head"}),
    ("POST", "/admin/residents/{resident}/household/leave", {}),
    ("GET", "/admin/records/{record}/plans/1", None),
    ("GET", "/admin/records/{record}/print", None),
]
# (who, which record) -> expected
EXPECTED = {
    (ANONYMOUS, "taira"): LOGIN, (ANONYMOUS, "onahama"): LOGIN,
    ("taira", "taira"): OK, ("taira", "onahama"): NOT_FOUND,
    ("onahama", "taira"): NOT_FOUND, ("onahama", "onahama"): OK,
    ("coordinator", "taira"): OK, ("coordinator", "onahama"): OK,
    ("admin", "taira"): FORBIDDEN, ("admin", "onahama"): FORBIDDEN,
}
CASES = [(method, url, form, who, where, expected)
         for method, url, form in RECORD_ROUTES for (who, where), expected in EXPECTED.items()]
# A record 平 forwarded to 小川: 平 still reads it but changes nothing; 小名浜 never held it.
READ_ONLY = "read only"
FORWARDED = {ANONYMOUS: LOGIN, "taira": READ_ONLY, "onahama": NOT_FOUND, "coordinator": OK, "admin": FORBIDDEN}
# The record's own routes (the resident page follows the centres' current records: the main matrix covers it).
FORWARDED_CASES = [(method, url, form, who, expected)
                   for method, url, form in RECORD_ROUTES if "{resident}" not in url for who, expected in FORWARDED.items()]


def test_every_workflow_trigger_has_a_route_in_the_matrix() -> None:
    routed = {url.rsplit("/", 1)[1] for _, url, _ in RECORD_ROUTES}
    assert {t for t in TRIGGERS if t != "withdraw"} <= routed


@pytest.fixture(scope="module")
def records(shared_site) -> dict[str, tuple[int, int]]:  # noqa: ANN001
    """A record with a stored photo and a support plan at 平, one at 小名浜, and one 平 forwarded to 小川, in every
    test's database: {centre or "forwarded": (record id, photo id)}."""
    app = shared_site.app
    found = {}
    for centre in ("taira", "onahama", "forwarded"):
        record_id, _ = submit_record(app, area="taira" if centre == "forwarded" else centre)
        with app.extensions["tsunagu"].db.transaction() as session:
            photo = IntakeAttachment(record=session.get(IntakeRecord, record_id), line_message_id=f"p-{centre}",
                                     status=IntakeAttachment.STORED, content=b"\xff\xd8\xff\xe0jpeg",
                                     content_type="image/jpeg", size=8)
            session.add(photo)
            session.add(SupportPlan(record_id=record_id, author_id=shared_site.staff["coordinator"].id, policy="方針"))
            session.flush()
            found[centre] = (record_id, photo.id)
        if centre == "forwarded":
            move(app, record_id, ("forward", "centre_staff", {"centre_code": "ogawa_kawamae"}))
    shared_site.keep()
    return found


def check(response, expected) -> None:  # noqa: ANN001
    if expected == LOGIN:
        assert response.status_code == 302 and response.location.startswith("/admin/login")
    elif expected in (NOT_FOUND, FORBIDDEN):
        assert response.status_code == expected, response.get_data(as_text=True)[:300]
    else:
        assert response.status_code in (200, 302, 400), response.status_code
        if response.status_code == 302:
            assert not response.location.startswith("/admin/login")


@pytest.mark.parametrize(("method", "url", "form", "who", "where", "expected"), CASES,
                         ids=[f"{m} {u} as {w or 'anonymous'} on {r}" for m, u, _, w, r, _ in CASES])
def test_each_record_route_for_each_role_and_scope(records, site, method, url, form, who, where, expected) -> None:  # noqa: ANN001, PLR0913
    record_id, photo_id = records[where]
    person = site.browser(who)
    url = url.format(record=record_id, photo=photo_id, resident=resident_of(site, record_id))

    response = person.get(url) if method == "GET" else person.post(url, form)

    check(response, expected)


def resident_of(site, record_id: int) -> int:  # noqa: ANN001
    with site.app.extensions["tsunagu"].db.transaction() as session:
        return session.get(IntakeRecord, record_id).resident_id


@pytest.mark.parametrize(("method", "url", "form", "who", "expected"), FORWARDED_CASES,
                         ids=[f"{m} {u} as {w or 'anonymous'}" for m, u, _, w, _ in FORWARDED_CASES])
def test_each_record_route_on_a_record_forwarded_on(records, site, method, url, form, who, expected) -> None:  # noqa: ANN001, PLR0913
    record_id, photo_id = records["forwarded"]
    person = site.browser(who)
    url = url.format(record=record_id, photo=photo_id)

    response = person.get(url) if method == "GET" else person.post(url, form)

    if expected != READ_ONLY:
        check(response, expected)
    elif method == "GET" and not url.endswith("/close"):
        assert response.status_code == 200
    else:  # refused: back to the record (or the form shown again), nothing changed
        assert response.status_code in (302, 400), response.status_code
        assert response.status_code == 400 or response.location.endswith(f"/admin/records/{record_id}")
        assert status_of(site.app, record_id) == ("forwarded", "ogawa_kawamae")


def test_a_refused_action_changes_nothing(records, site) -> None:  # noqa: ANN001
    record_id, _ = records["onahama"]
    taira = site.browser("taira")
    for trigger in ("triage", "start", "close"):
        taira.post(f"/admin/records/{record_id}/{trigger}", {})
    taira.post(f"/admin/records/{record_id}/notes", {"note-body": "x"})
    with site.app.extensions["tsunagu"].db.transaction() as session:
        record = session.get(IntakeRecord, record_id)
        assert record.status == "new" and record.workflow is None


@pytest.mark.parametrize("route", ["/admin/records/", "/admin/records/export.csv", "/admin/records/poll?after=0",
                                   "/admin/records/?centre=onahama", "/admin/records/export.csv?centre=onahama"])
@pytest.mark.parametrize(("who", "sees"), [("taira", {"taira"}), ("onahama", {"onahama"}),
                                           ("coordinator", {"taira", "onahama"})])
def test_lists_exports_and_polls_hold_only_records_in_scope(site, route, who, sees) -> None:  # noqa: ANN001
    receipts = {centre: submit_record(site.app, area=centre)[1] for centre in ("taira", "onahama")}
    response = site.browser(who).get(route)
    body = response.get_data(as_text=True)

    assert response.status_code == 200
    for centre, receipt in receipts.items():
        expected_here = centre in sees and ("centre=onahama" not in route or centre == "onahama")
        assert (receipt in body) == expected_here, (centre, receipt)


@pytest.mark.parametrize("route", ["/admin/records/", "/admin/records/export.csv", "/admin/records/poll"])
@pytest.mark.parametrize(("who", "expected"), [(ANONYMOUS, LOGIN), ("admin", FORBIDDEN)])
def test_lists_are_closed_to_roles_without_records(site, route, who, expected) -> None:  # noqa: ANN001
    check(site.browser(who).get(route), expected)


TEMPLATE_ROUTES = [("GET", "/admin/templates/", None), ("GET", "/admin/templates/new", None),
                   ("POST", "/admin/templates/new", {"category": "", "title": "t", "body": "b"}),
                   ("GET", "/admin/templates/{template}", None),
                   ("POST", "/admin/templates/{template}", {"category": "", "title": "t", "body": "b"})]


@pytest.mark.parametrize(("method", "url", "form"), TEMPLATE_ROUTES)
@pytest.mark.parametrize(("who", "expected"), [(ANONYMOUS, LOGIN), ("taira", FORBIDDEN), ("coordinator", FORBIDDEN),
                                               ("admin", OK)])
def test_only_administrators_manage_templates(site, method, url, form, who, expected) -> None:  # noqa: ANN001
    with site.app.extensions["tsunagu"].db.transaction() as session:
        template = ResponseTemplate(municipality="iwaki", title="t", body="b")
        session.add(template)
        session.flush()
        template_id = template.id
    person = site.browser(who)
    url = url.format(template=template_id)
    check(person.get(url) if method == "GET" else person.post(url, form), expected)


def test_the_audit_log_names_every_record_action(records, site) -> None:  # noqa: ANN001
    record_id, photo_id = records["taira"]
    taira = site.browser("taira")
    taira.get("/admin/records/")
    taira.get(f"/admin/records/{record_id}")
    taira.get(f"/admin/records/{record_id}/photos/{photo_id}")
    taira.post(f"/admin/records/{record_id}/start", {})
    taira.get("/admin/records/export.csv")
    taira.get(f"/admin/records/{record_id}/plans/1")
    taira.get(f"/admin/records/{record_id}/print")

    text = page_text(site.browser("admin").get("/admin/audit/"))

    for label in ("受付一覧の閲覧", "相談記録の閲覧", "写真の閲覧", "対応開始", "受付一覧のCSV出力", "支援プランの版の閲覧",
                  "相談記録の印刷"):
        assert label in text
