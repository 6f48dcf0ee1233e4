"""Who may open which events page: every route x every role x an event of one's own centre or another's.

Centre staff (平) manage 平's events; 小名浜's are "not found" to them.
Coordinators manage every centre's; administrators none (403). Every form
posted without its CSRF token is refused and changes nothing. All tests here
share one app (``site``); the database is put back before each.
"""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from bot.models import AuditLog, Event, EventSeries, SignUp
from bot.services.events import EventService
from tests.admin.support import page_text
from tests.events_support import days_ahead, draft, resident

ANONYMOUS = None
OK, FORBIDDEN, NOT_FOUND, LOGIN = "ok", 403, 404, "login"
MINE, THEIRS = "taira", "onahama"  # whose centre the event belongs to


@pytest.fixture(scope="module")
def world(shared_site):  # noqa: ANN001
    """An event (with a sign-up) and a weekly series in 平 and in 小名浜, in every test's database."""
    tsunagu = shared_site.app.extensions["tsunagu"]
    ids = {}
    with tsunagu.db.transaction() as session:
        events = EventService(session, tsunagu.profile)
        for area in (MINE, THEIRS):
            event = events.create_event(draft(title=f"{area}のサロン", area_code=area, capacity=5))
            signup = events.sign_up(event.id, resident=resident(session, f"U{area}"), party_size=1, name="住民")
            starts_at = days_ahead(2, 13)
            series = events.create_series(
                draft(title=f"{area}の体操教室", area_code=area, starts_at=starts_at, ends_at=starts_at + timedelta(hours=1)),
                frequency=EventSeries.WEEKLY, until=starts_at.date() + timedelta(weeks=3), include_holidays=True)
            ids[area] = {"event": event.id, "signup": signup.id, "series": series.id}
    shared_site.keep()
    return ids


def _event_form(area: str = MINE) -> dict:
    day = days_ahead(10).date().isoformat()
    return {"title": "新しいサロン", "kind": "salon", "area_code": area, "centre_code": "", "venue_name": "平 公民館",
            "capacity": "10", "max_party_size": "2", "day": day, "start_time": "10:00", "end_time": "11:30"}


def _series_form(area: str = MINE) -> dict:
    first = days_ahead(10).date()
    return {**_event_form(area), "first_day": first.isoformat(), "until": (first + timedelta(weeks=2)).isoformat(),
            "frequency": "weekly", "interval": "1"}


def _series_change() -> dict:
    return {"from_date": days_ahead(0).date().isoformat(), "start_time": "13:00", "end_time": "14:00",
            "title": "体操教室", "kind": "rehab_exercise", "venue_name": "平 中央公民館", "capacity": "10",
            "max_party_size": "3"}


# (method, URL, form, needs an event): {event}, {signup} and {series} are filled in for MINE or THEIRS.
ROUTES = [
    ("GET", "/admin/events/", None, False),
    ("GET", "/admin/events/?centre=onahama&kind=salon&status=upcoming", None, False),
    ("GET", "/admin/events/new", None, False),
    ("POST", "/admin/events/new", _event_form(), False),
    ("GET", "/admin/events/series/new", None, False),
    ("POST", "/admin/events/series/new", _series_form(), False),
    ("GET", "/admin/events/{event}", None, True),
    ("GET", "/admin/events/{event}/edit", None, True),
    ("POST", "/admin/events/{event}/edit", _event_form(), True),
    ("GET", "/admin/events/{event}/copy", None, True),
    ("POST", "/admin/events/{event}/copy", {"day": days_ahead(20).date().isoformat(), "start_time": "10:00"}, True),
    ("GET", "/admin/events/{event}/cancel", None, True),
    ("POST", "/admin/events/{event}/cancel", {"reason": "台風のため"}, True),
    ("GET", "/admin/events/{event}/restore", None, True),
    ("POST", "/admin/events/{event}/restore", {}, True),
    ("POST", "/admin/events/{event}/signups", {"name": "電話の方", "party_size": "1"}, True),
    ("GET", "/admin/events/{event}/signups/{signup}/cancel", None, True),
    ("POST", "/admin/events/{event}/signups/{signup}/cancel", {}, True),
    ("POST", "/admin/events/{event}/attendance", {"shown": "{signup}", "attended": "{signup}"}, True),
    ("GET", "/admin/events/{event}/signups.csv", None, True),
    ("GET", "/admin/events/series/{series}", None, True),
    ("POST", "/admin/events/series/{series}/edit", _series_change(), True),
    ("POST", "/admin/events/series/{series}/copy",
     {"first_day": days_ahead(60).date().isoformat(), "start_time": "13:00",
      "until": days_ahead(80).date().isoformat()}, True),
    ("GET", "/admin/events/series/{series}/cancel", None, True),
    ("POST", "/admin/events/series/{series}/cancel", {"reason": "会場の工事のため"}, True),
]


def _expected(who: str | None, owner: str | None) -> object:
    if who is ANONYMOUS:
        return LOGIN
    if who == "admin":
        return FORBIDDEN  # least privilege: administering accounts is no reason to read residents' names
    if who == "taira" and owner == THEIRS:
        return NOT_FOUND
    return OK


CASES = [
    (method, url, form, who, owner, _expected(who, owner))
    for method, url, form, needs_event in ROUTES
    for owner in ((MINE, THEIRS) if needs_event else (None,))
    for who in (ANONYMOUS, "taira", "coordinator", "admin")
]


def _fill(value: str, ids: dict) -> str:
    return value.format(**ids)


@pytest.mark.parametrize(("method", "url", "form", "who", "owner", "expected"), CASES,
                         ids=[f"{m} {u} of {o or '-'} as {w or 'anonymous'}" for m, u, _, w, o, _ in CASES])
def test_each_role_reaches_only_the_events_it_manages(world, site, method, url, form, who, owner,  # noqa: ANN001
                                                       expected) -> None:
    ids = world[owner] if owner else world[MINE]
    person = site.browser(who)
    url = _fill(url, ids)
    data = {key: _fill(value, ids) for key, value in (form or {}).items()}

    response = person.get(url) if method == "GET" else person.post(url, data)

    if expected == LOGIN:
        assert response.status_code == 302 and response.location.startswith("/admin/login")
    elif expected == FORBIDDEN:
        assert response.status_code == 403
    elif expected == NOT_FOUND:
        assert response.status_code == 404
        assert "ページが見つかりません" in page_text(response)
        assert f"{THEIRS}のサロン" not in response.get_data(as_text=True)
    else:
        assert response.status_code in (200, 302), page_text(response)[:600]
        if response.status_code == 302:
            assert response.location.startswith("/admin/events/")
        if method == "POST" and response.status_code == 200:
            # A form re-shown with errors would mean the case did not test the change.
            assert "field-error" not in response.get_data(as_text=True), page_text(response)[:600]


def _state(app) -> tuple:  # noqa: ANN001
    """Everything a refused form must leave as it was."""
    with app.extensions["tsunagu"].db.transaction() as session:
        return (
            sorted((e.id, e.title, e.status, e.starts_at) for e in session.scalars(select(Event))),
            sorted((s.id, s.status, s.waiting_position) for s in session.scalars(select(SignUp))),
            session.scalar(select(func.count()).select_from(EventSeries)),
            session.scalar(select(func.count()).select_from(AuditLog)),
        )


POSTS = [(url, form) for method, url, form, _ in ROUTES if method == "POST"]


@pytest.mark.parametrize(("url", "form"), POSTS, ids=[url for url, _ in POSTS])
@pytest.mark.parametrize("token", ["missing", "forged", "from another session"])
def test_every_events_form_without_its_csrf_token_is_refused(world, site, url, form, token) -> None:  # noqa: ANN001
    coordinator = site.browser("coordinator")
    ids = world[MINE]
    data = {key: _fill(value, ids) for key, value in form.items()}
    if token == "forged":
        data["csrf_token"] = "IjAwMDAi.forged.token"
    elif token == "from another session":
        data["csrf_token"] = site.browser("taira").csrf_token()
    before = _state(site.app)

    response = coordinator.post(_fill(url, ids), data, csrf=False)

    assert response.status_code == 400
    assert "もう一度お試しください" in page_text(response)
    assert _state(site.app) == before


def test_the_menu_shows_events_to_those_who_run_them(site) -> None:  # noqa: ANN001
    for who, sees in (("taira", True), ("coordinator", True), ("admin", False)):
        home = site.browser(who).get("/admin/").get_data(as_text=True)
        assert ('href="/admin/events/"' in home) is sees, who


def test_an_unknown_event_series_or_sign_up_is_not_found(world, site) -> None:  # noqa: ANN001
    coordinator = site.browser("coordinator")
    mine, theirs = world[MINE], world[THEIRS]

    assert coordinator.get("/admin/events/99999").status_code == 404
    assert coordinator.get("/admin/events/series/99999").status_code == 404
    assert coordinator.get(f"/admin/events/{mine['event']}/signups/99999/cancel").status_code == 404
    # A sign-up of another event is not reachable through this one.
    assert coordinator.get(f"/admin/events/{mine['event']}/signups/{theirs['signup']}/cancel").status_code == 404
    response = coordinator.post(f"/admin/events/{mine['event']}/attendance",
                                {"shown": str(theirs["signup"]), "attended": str(theirs["signup"])})
    assert response.status_code == 404


def test_centre_staff_cannot_move_an_event_to_another_centre(world, site) -> None:  # noqa: ANN001
    taira = site.browser("taira")
    mine = world[MINE]

    response = taira.post(f"/admin/events/{mine['event']}/edit", {**_event_form(), "area_code": THEIRS})
    assert response.status_code == 200
    assert "一覧から選んでください。" in page_text(response)  # 小名浜 is not among their areas

    response = taira.post(f"/admin/events/{mine['event']}/edit", {**_event_form(), "centre_code": THEIRS})
    assert "一覧から選んでください。" in page_text(response)
    assert f"{MINE}のサロン" in page_text(taira.get(f"/admin/events/{mine['event']}"))  # unchanged
