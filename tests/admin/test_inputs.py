"""Bad input to the admin view never becomes a 500.

Ids past the database's integer range, dates in year 1 or 9999, NUL and
other control characters, CR/LF in ``next``: each is answered with a page
that says so (400), a field error, 404, or is ignored. The fuzz test at the
end sends every admin route odd values in every parameter, as each role, and
asserts no 5xx (on SQLite and, with DATABASE_URL, on PostgreSQL). All tests
here share one app (``site``); the database is put back before each.
"""
from __future__ import annotations

import tempfile
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import quote, urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.configuration import set_hypothesis_home_dir
from sqlalchemy import select

from bot.models import RecordNote
from bot.models.intake import IntakeAttachment, IntakeRecord
from bot.services.events import EventService
from bot.services.response_templates import load_demo_templates
from tests.admin.conftest import create_staff
from tests.admin.records_support import submit_record
from tests.admin.support import page_text
from tests.events_support import create_event, days_ahead, draft, resident

set_hypothesis_home_dir(Path(tempfile.gettempdir()) / "tsunagu-hypothesis")

HUGE = "9999999999999999999999999"
PAST_INT4 = str(2**31)


@pytest.fixture(scope="module")
def things(shared_site) -> dict[str, int]:
    """One of everything a route can name, at 平: a record with a photo, an event with a sign-up, a series,
    a response template and an account nobody is logged in as."""
    app = shared_site.app
    tsunagu = app.extensions["tsunagu"]
    record_id, _ = submit_record(app, area="taira")
    event_id = create_event(app, starts_at=days_ahead(3))
    with tsunagu.db.transaction() as session:
        photo = IntakeAttachment(record=session.get(IntakeRecord, record_id), line_message_id="p-inputs",
                                 status=IntakeAttachment.STORED, content=b"\x89PNG", content_type="image/png", size=4)
        session.add(photo)
        events = EventService(session, tsunagu.profile)
        signup = events.sign_up(event_id, resident=resident(session, "U" + "1" * 32, "山田 花子"), party_size=1,
                                name="山田 花子")
        series = events.create_series(draft(starts_at=days_ahead(7)), frequency="weekly",
                                      until=days_ahead(28).date(), include_holidays=True)
        load_demo_templates(session, tsunagu.profile)
        session.flush()
        found = {"record": record_id, "resident": session.get(IntakeRecord, record_id).resident_id, "photo": photo.id,
                 "event": event_id, "signup": signup.id, "series": series.id, "template": 1, "plan": 1}
    found["staff"] = create_staff(app, "victim@city.example.jp", "対象 一郎", "centre_staff", ("taira",)).id
    shared_site.keep()
    return found


# -- ids ------------------------------------------------------------------------------------------

ID_ROUTES = [
    ("GET", "/admin/records/{n}"), ("GET", "/admin/residents/{n}"), ("POST", "/admin/residents/{n}/household"),
    ("GET", "/admin/records/{record}/photos/{n}"),
    ("GET", "/admin/records/{n}/photos/1"), ("POST", "/admin/records/{n}/notes"),
    ("POST", "/admin/records/{n}/accept"), ("POST", "/admin/records/{n}/assign"),
    ("GET", "/admin/events/{n}"), ("GET", "/admin/events/{n}/edit"), ("POST", "/admin/events/{n}/attendance"),
    ("GET", "/admin/events/{n}/signups.csv"), ("GET", "/admin/events/{n}/restore"), ("GET", "/admin/events/{event}/signups/{n}/cancel"),
    ("GET", "/admin/events/series/{n}"), ("GET", "/admin/events/series/{n}/cancel"),
    ("GET", "/admin/templates/{n}"), ("GET", "/admin/staff/{n}"), ("POST", "/admin/staff/{n}/deactivate"),
]


@pytest.mark.parametrize("number", [HUGE, PAST_INT4, str(2**63), "0"])
@pytest.mark.parametrize(("method", "url"), ID_ROUTES)
def test_an_id_no_row_can_have_is_not_found(site, things, method, url, number) -> None:  # noqa: ANN001
    who = "admin" if url.startswith(("/admin/templates", "/admin/staff")) else "coordinator"
    person = site.browser(who)
    url = url.format(n=number, **things)

    response = person.get(url) if method == "GET" else person.post(url, {})

    assert response.status_code == 404


def test_the_polls_after_and_the_assignee_filter_beyond_the_range_are_ignored(site, things) -> None:  # noqa: ANN001
    coordinator = site.browser("coordinator")

    poll = coordinator.get(f"/admin/records/poll?after={HUGE}&assignee={HUGE}")
    listed = coordinator.get(f"/admin/records/?assignee={PAST_INT4}")
    superscript = coordinator.get("/admin/records/?assignee=%C2%B2")  # "²".isdigit() is True, int("²") fails

    assert poll.status_code == 200 and poll.get_json()["rows"] == []
    assert listed.status_code == 200 and superscript.status_code == 200


def test_posted_ids_beyond_the_range_change_nothing(site, things) -> None:  # noqa: ANN001
    coordinator = site.browser("coordinator")
    event = things["event"]

    attendance = coordinator.post(f"/admin/events/{event}/attendance",
                                  {"shown": [HUGE, "²", str(things["signup"])], "attended": [HUGE, "²"]})
    assign = coordinator.post(f"/admin/records/{things['record']}/assign", {"assign-assignee": HUGE})

    assert attendance.status_code == 302  # the ids no sign-up can have are left out; nothing else was ticked
    assert assign.status_code == 400  # not one of the choices


# -- dates ----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("url", [
    "/admin/records/?date_from=0001-01-01&date_to=9999-12-31",
    "/admin/records/poll?date_from=0001-01-01&date_to=9999-12-31",
    "/admin/records/export.csv?date_from=0001-01-01&date_to=9999-12-31",
    "/admin/events/?date_from=0001-01-01&date_to=9999-12-31",
    "/admin/audit/?date_from=0001-01-01&date_to=9999-12-31",
])
def test_dates_in_year_1_or_9999_filter_nothing_out(site, things, url) -> None:  # noqa: ANN001
    person = site.browser("admin" if url.startswith("/admin/audit") else "coordinator")

    response = person.get(url)

    assert response.status_code == 200
    if response.mimetype == "text/html":
        assert "1900年から2199年までの日付を入力してください。" in page_text(response)


def test_cancelling_a_series_from_year_1_or_9999_is_answered(site, things) -> None:  # noqa: ANN001
    staff = site.browser("taira")
    url = f"/admin/events/series/{things['series']}/cancel"

    early = staff.get(f"{url}?from_date=0001-01-01")
    late = staff.post(url, {"from_date": "9999-12-31", "reason": ""})

    assert early.status_code == 200 and "次の4回を中止します" in page_text(early)  # from today on
    assert late.status_code == 302  # the date is ignored: every date still to come is cancelled


@pytest.mark.parametrize(("field", "value"), [("day", "0001-01-01"), ("day", "9999-12-31"),
                                              ("signup_closes_at", "9999-12-31T23:59"),
                                              ("signup_opens_at", "0001-01-01T00:00")])
def test_an_event_in_year_1_or_9999_is_refused_next_to_the_field(site, things, field, value) -> None:  # noqa: ANN001
    values = {"title": "サロン", "kind": "salon", "area_code": "taira", "centre_code": "", "venue_name": "公民館",
              "capacity": "10", "max_party_size": "2", "day": (date.today() + timedelta(days=5)).isoformat(),
              "start_time": "10:00", field: value}

    response = site.browser("taira").post("/admin/events/new", values)

    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "1900年から2199年までの日付を入力してください。" in html.split(f'id="{field}"', 1)[1]


# -- control characters ------------------------------------------------------------------------------

def test_a_nul_in_the_search_box_is_refused_with_a_page(site, things) -> None:  # noqa: ANN001
    response = site.browser("taira").get("/admin/records/?q=%E5%AE%B6%00%E8%B3%83")

    assert response.status_code == 400
    assert "ページのアドレスに使えない文字が含まれています。" in page_text(response)


def test_control_characters_are_dropped_from_a_note_and_line_breaks_kept(site, things) -> None:  # noqa: ANN001
    staff = site.browser("taira")

    response = staff.post(f"/admin/records/{things['record']}/notes",
                          {"note-body": "電話\x00で確認\x1b済み\r\n明日\t再訪"})

    assert response.status_code == 302
    with site.app.extensions["tsunagu"].db.transaction() as session:
        body = session.scalars(select(RecordNote.body)).one()
    assert body == "電話で確認済み\r\n明日\t再訪"


@pytest.mark.parametrize("logged_in", [False, True])
def test_a_line_break_in_next_is_refused_not_a_500(site, logged_in) -> None:  # noqa: ANN001
    person = site.browser("taira" if logged_in else None)

    response = person.get("/admin/login?next=/admin/%0d%0aSet-Cookie:%20x=1")

    assert response.status_code == 400
    assert "Set-Cookie" not in str(response.headers).replace("Set-Cookie: session", "")


# -- the fuzz ------------------------------------------------------------------------------------------

FUZZ = settings(max_examples=20, deadline=None, database=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                       HealthCheck.data_too_large])

odd_text = st.text(st.characters(categories=["Cc", "Cf", "Zs", "Lo", "Nd", "No", "Lu", "P"]), max_size=30)
text = st.text(max_size=60) | odd_text | st.sampled_from(["", " ", "\x00", "a\r\nb", "‮gnp.exe", "x" * 5000])


def number_text(real: int | None = None):  # noqa: ANN201
    """An id, a count or any other number as a browser could send it."""
    known = [real] if real is not None else []
    return (st.sampled_from([*known, 0, -1, 2**31 - 1, 2**31, 2**63, 2**64, 10**25]).map(str)
            | st.integers(min_value=-10**30, max_value=10**30).map(str)
            | st.sampled_from(["²", "٣", "1e9", "nan", "inf", "0x10", " 1", ""]) | odd_text)


days = (st.dates().map(date.isoformat) | st.sampled_from(["0001-01-01", "9999-12-31", "2030-02-30", "2030-6-4"])
        | odd_text)
moments = (st.datetimes().map(lambda moment: moment.isoformat(timespec="minutes"))
           | st.sampled_from(["0001-01-01T00:00", "9999-12-31T23:59"]) | odd_text)
times = st.times().map(lambda moment: moment.strftime("%H:%M")) | st.sampled_from(["24:00", "99:99"]) | odd_text
EVENT_FIELDS = {"title": text, "kind": text, "description": text, "organiser": text, "venue_name": text,
                "venue_address": text, "venue_lat": number_text(), "venue_lon": number_text(),
                "capacity": number_text(), "max_party_size": number_text(), "fee": text, "what_to_bring": text,
                "accessibility": text, "contact": text, "area_code": text | st.just("taira"), "centre_code": text,
                "start_time": times, "end_time": times}
FIGURES = {"period": text | st.sampled_from(["month", "quarter", "year", "range"]), "value": text, "start": text,
           "end": text, "mode": text | st.just("staff")}
FILTERS = {"status": text, "centre": text, "category": text, "urgency": text, "assignee": number_text(),
           "date_from": days, "date_to": days, "q": text, "triage": text, "page": number_text(),
           "next": text | st.just("/admin/%0d%0a"), "after": number_text(), "from_date": days,
           "due": text | st.just("overdue")}


def routes(ids: dict[str, int]) -> list[tuple[str, str, dict]]:
    """(method, URL with {placeholders}, {parameter: strategy}) for every admin route but logging out.

    Placeholders draw from real ids and odd ones; parameters go in the query
    string of a GET and the body of a POST.
    """
    record = {"record": number_text(ids["record"])}
    event = {"event": number_text(ids["event"])}
    series = {"series": number_text(ids["series"])}
    return [
        ("GET", "/admin/", {}),
        ("GET", "/admin/login", {"next": FILTERS["next"]}),
        ("POST", "/admin/login", {"email": text, "password": text}),
        ("GET", "/admin/login/code", {}),
        ("POST", "/admin/login/code", {"code": text}),
        ("GET", "/admin/settings/two-factor", {}),
        ("POST", "/admin/settings/two-factor", {"enrol-code": text}),
        ("POST", "/admin/settings/two-factor/recovery-codes", {"codes-code": text}),
        ("POST", "/admin/settings/two-factor/off", {"off-code": text}),
        ("POST", "/admin/staff/login-delays/clear", {"kind": text, "value": text}),
        ("POST", "/admin/staff/{staff}/two-factor/reset", {"staff": number_text(ids["staff"])}),
        ("GET", "/admin/records/", FILTERS),
        ("GET", "/admin/records/poll", FILTERS),
        ("GET", "/admin/alerts", {"m": number_text(), "r": number_text()}),
        ("GET", "/admin/records/export.csv", FILTERS),
        ("GET", "/admin/records/{record}", record),
        ("GET", "/admin/records/{record}/photos/{photo}", {**record, "photo": number_text(ids["photo"])}),
        *[("POST", f"/admin/records/{{record}}/{trigger}",
           {**record, "forward-centre": text, "forward-note": text, f"{trigger}-reason": text,
            "close-outcome": text, "close-tell": text, "close-quiet_reason": text, "reopen-tell": text})
          for trigger in ("triage", "forward", "accept", "start", "reject", "escalate", "take_on", "close", "reopen")],
        ("GET", "/admin/records/{record}/close", record),
        ("GET", "/admin/records/new", {}),
        ("POST", "/admin/records/new", {f"entry-{name}": text for name in (
            "channel", "centre", "subject", "person_name", "relation", "phone", "area", "categories", "urgency",
            "details", "consent")}),
        ("POST", "/admin/records/{record}/assign", {**record, "assign-assignee": number_text(ids["staff"])}),
        ("POST", "/admin/records/{record}/notes", {**record, "note-body": text}),
        ("POST", "/admin/records/{record}/follow-up", {**record, "follow_up-on": days}),
        ("POST", "/admin/records/{record}/plan", {**record, "plan-policy": text, "plan-services": text,
                                                  "plan-agencies": text, "plan-review_on": days}),
        ("GET", "/admin/records/{record}/plans/{plan}", {**record, "plan": number_text(1)}),
        ("GET", "/admin/records/{record}/print", record),
        ("POST", "/admin/records/{record}/messages", {**record, "message-body": text,
                                                      "message-template": number_text(ids["template"])}),
        ("GET", "/admin/residents/{resident}", {"resident": number_text(ids["resident"])}),
        ("POST", "/admin/residents/{resident}/household", {"resident": number_text(ids["resident"]),
                                                           "relationship": text | st.just("child"),
                                                           "receipt": text}),
        ("POST", "/admin/residents/{resident}/household/leave", {"resident": number_text(ids["resident"])}),
        ("GET", "/admin/events/", FILTERS),
        ("GET", "/admin/events/new", {}),
        ("POST", "/admin/events/new", {**EVENT_FIELDS, "day": days, "signup_opens_at": moments,
                                       "signup_closes_at": moments, "cancel_deadline": moments}),
        ("GET", "/admin/events/{event}", event),
        ("GET", "/admin/events/{event}/edit", event),
        ("POST", "/admin/events/{event}/edit", {**event, **EVENT_FIELDS, "day": days, "signup_closes_at": moments}),
        ("GET", "/admin/events/{event}/copy", event),
        ("POST", "/admin/events/{event}/copy", {**event, "day": days, "start_time": times, "end_time": times}),
        ("GET", "/admin/events/{event}/cancel", event),
        ("POST", "/admin/events/{event}/cancel", {**event, "reason": text}),
        ("GET", "/admin/events/{event}/restore", event),
        ("POST", "/admin/events/{event}/restore", event),
        ("POST", "/admin/events/{event}/signups", {**event, "name": text, "party_size": number_text(),
                                                   "phone": text}),
        ("GET", "/admin/events/{event}/signups/{signup}/cancel", {**event, "signup": number_text(ids["signup"])}),
        ("POST", "/admin/events/{event}/signups/{signup}/cancel", {**event, "signup": number_text(ids["signup"])}),
        ("POST", "/admin/events/{event}/attendance", {**event, "shown": number_text(ids["signup"]),
                                                      "was": number_text(), "attended": number_text(ids["signup"])}),
        ("GET", "/admin/events/{event}/signups.csv", event),
        ("GET", "/admin/events/series/new", {}),
        ("POST", "/admin/events/series/new", {**EVENT_FIELDS, "first_day": days, "until": days, "frequency": text,
                                              "interval": number_text(), "signup_opens_days_before": number_text(),
                                              "signup_closes_hours_before": number_text(),
                                              "cancel_hours_before": number_text(), "include_holidays": text}),
        ("GET", "/admin/events/series/{series}", series),
        ("POST", "/admin/events/series/{series}/edit", {**series, **EVENT_FIELDS, "from_date": days}),
        ("POST", "/admin/events/series/{series}/copy", {**series, "first_day": days, "start_time": times,
                                                        "until": days}),
        ("GET", "/admin/events/series/{series}/cancel", {**series, "from_date": days}),
        ("POST", "/admin/events/series/{series}/cancel", {**series, "from_date": days, "reason": text}),
        ("GET", "/admin/templates/", {}),
        ("GET", "/admin/templates/new", {}),
        ("POST", "/admin/templates/new", {"category": text, "language": text, "title": text, "body": text,
                                          "active": text}),
        ("GET", "/admin/templates/{template}", {"template": number_text(ids["template"])}),
        ("POST", "/admin/templates/{template}", {"template": number_text(ids["template"]), "title": text,
                                                 "body": text, "category": text, "language": text}),
        ("GET", "/admin/staff/", {}),
        ("GET", "/admin/staff/new", {}),
        ("POST", "/admin/staff/new", {"name": text, "email": text, "role": text, "centres": text,
                                      "password": text}),
        ("GET", "/admin/staff/{staff}", {"staff": number_text(ids["staff"])}),
        ("POST", "/admin/staff/{staff}", {"staff": number_text(ids["staff"]), "name": text, "email": text,
                                          "role": text, "centres": text}),
        *[("POST", f"/admin/staff/{{staff}}/{action}", {"staff": number_text(ids["staff"]),
                                                         "reset-password": text, "reset-confirm": text})
          for action in ("password", "deactivate", "reactivate", "unlock")],
        ("GET", "/admin/audit/", {"actor": number_text(), "action": text, "date_from": days, "date_to": days,
                                  "page": number_text()}),
        ("GET", "/admin/figures/", FIGURES),
        ("GET", "/admin/figures/print", FIGURES),
        ("GET", "/admin/figures/export.csv", {**FIGURES, "table": text}),
        ("GET", "/admin/settings", {}),
        ("POST", "/admin/settings", {"locale-locale": text}),
        ("POST", "/admin/settings/password", {"password-current": text, "password-password": text,
                                              "password-confirm": text}),
        ("GET", "/admin/notices/", {}),
        ("GET", "/admin/notices/new", {}),
        ("POST", "/admin/notices/new", {"title": text, "text_ja": text, "text_en": text, "topic": text,
                                        "areas": text, "languages": text, "essential": text,
                                        "event_id": number_text(), "image_url": text, "timing": text,
                                        "send_at": moments}),
        *[("GET" if action == "" else "POST", f"/admin/notices/{{notice}}{action}", {"notice": number_text()})
          for action in ("", "/send", "/approve", "/cancel")],
        ("GET", "/admin/watch", {}),
        ("POST", "/admin/watch/slots/{slot}/contact", {"slot": number_text(1), "kind": text, "result": text,
                                                       "note": text}),
        ("POST", "/admin/residents/{resident}/watch", {"resident": number_text(ids["resident"]),
                                                       "interval_days": text, "hour": text, "ends_on": days,
                                                       "channel": text, "agreed": text}),
        ("POST", "/admin/watch/plans/{watch_plan}/stop", {"watch_plan": number_text(1), "reason": text}),
        ("POST", "/admin/records/{record}/watch", {**record, "interval_days": text, "hour": text, "ends_on": days,
                                                   "channel": text, "agreed": text}),
        # 住民支え合い (admin/mutual_aid.py); ids drawn like a record's.
        ("GET", "/admin/mutual-aid", {"area": text}),
        ("GET", "/admin/mutual-aid/requests/{record}", record),
        *[("POST", f"/admin/mutual-aid/requests/{{record}}/{action}",
           {**record, "supporter": number_text(), "hours": text, "agreed": text, "result": text, "words": text})
          for action in ("call", "assign", "confirm", "done", "consultation", "hours", "check")],
        ("GET", "/admin/mutual-aid/requests/new", {}),
        ("POST", "/admin/mutual-aid/requests/new", {"name": text, "phone": text, "task": text, "area": text,
                                                    "wanted_on": days, "frequency": text, "asked_by": text,
                                                    "details": text}),
        ("GET", "/admin/mutual-aid/supporters", {}),
        ("POST", "/admin/mutual-aid/supporters/{record}/approve", {**record, "insurance": text, "group": text}),
        ("POST", "/admin/mutual-aid/supporters/{record}/status", {**record, "status": text}),
        ("GET", "/admin/mutual-aid/export.csv", {"month": text, "group": text}),
        ("POST", "/admin/mutual-aid/groups", {"name": text, "centre": text, "area": text, "contact": text}),
        ("POST", "/admin/mutual-aid/services", {"name": text, "kind": text, "area": text, "description": text,
                                                "phone": text}),
        ("POST", "/admin/mutual-aid/services/{record}/remove", record),
    ]


# The ids the route table draws from, as the things fixture makes them (sampled, not the only values).
SAMPLE_IDS = {"record": 1, "resident": 1, "photo": 1, "event": 1, "signup": 1, "series": 1, "template": 1, "staff": 5,
              "plan": 1, "slot": 1, "watch_plan": 1}
ROUTES = routes(SAMPLE_IDS)
PLACEHOLDERS = {"record_id": "record", "resident_id": "resident", "attachment_id": "photo", "event_id": "event",
                "signup_id": "signup", "series_id": "series", "template_id": "template", "account_id": "staff",
                "number": "plan", "slot_id": "slot", "plan_id": "watch_plan"}
PLACEHOLDERS["notice_id"] = "notice"
PLACEHOLDERS.update(request_id="record", supporter_id="record", service_id="record")  # 住民支え合い: numbers drawn like a record's


def test_the_fuzz_covers_every_admin_route(site) -> None:  # noqa: ANN001
    fuzzed = {(method, url.replace("{", "<").replace("}", ">")) for method, url, _ in ROUTES}
    for rule in site.app.url_map.iter_rules():
        if not rule.endpoint.startswith("admin.") or rule.endpoint in ("admin.static", "admin.logout"):
            continue
        path = rule.rule
        for name in rule.arguments:
            path = path.replace(f"<dbid:{name}>", f"<{PLACEHOLDERS.get(name, name)}>")
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            if "<any(" in path:
                continue  # the workflow triggers are listed one by one
            assert (method, path) in fuzzed, f"{method} {path} is not fuzzed"


@pytest.mark.parametrize(("method", "url"), [(method, url) for method, url, _ in ROUTES],
                         ids=[f"{method} {url}" for method, url, _ in ROUTES])
def test_odd_parameters_never_get_a_5xx(site, things, method, url) -> None:  # noqa: ANN001
    params = next(params for m, u, params in routes(things) if (m, u) == (method, url))
    browsers = {who: site.browser(who) for who in (None, "taira", "coordinator", "admin")}

    @FUZZ
    @given(who=st.sampled_from(list(browsers)), values=st.fixed_dictionaries({}, optional=params))
    def send(who, values: dict) -> None:  # noqa: ANN001
        path_values = {name: quote(values.pop(name, str(things.get(name, 1))), safe="")
                       for name in ("record", "resident", "photo", "event", "signup", "series", "template", "staff",
                                    "plan", "notice", "slot", "watch_plan")
                       if "{" + name + "}" in url}
        target = url.format(**path_values)
        person = browsers[who]
        if method == "GET":
            response = person.get(f"{target}?{urlencode(values)}" if values else target)
        else:
            response = person.post(target, values)
        response.close()
        assert response.status_code < 500, (who, target, values)

    send()
