"""EventService: finding events, signing up, the waiting list, and what staff do."""
from __future__ import annotations

import csv
import io
from datetime import date, time, timedelta

import pytest
from sqlalchemy.exc import IntegrityError

from bot.demo.events import load
from bot.tasks.events import deliver_notices
from bot.models import Event, EventSeries, SignUp, utcnow
from bot.services.events import EventService
from bot.services.events.base import EventNotFound
from bot.services.events.search import EventQuery
from bot.services.events.series import series_dates
from bot.services.events.signups import (
    AlreadySignedUp,
    CancellationClosed,
    EventCancelled,
    PartyTooLarge,
    SignUpClosed,
    SignUpNotActive,
    SignUpNotFound,
    SignUpNotOpen,
)
from bot.services.events.staff import InvalidEvent
from tests.events_support import Clock, draft, resident, tokyo, tsunagu_of


@pytest.fixture
def db(app):  # noqa: ANN001
    return tsunagu_of(app).db


@pytest.fixture
def profile(app):  # noqa: ANN001
    return tsunagu_of(app).profile


@pytest.fixture
def clock():
    return Clock(tokyo(2030, 6, 3, 9, 0))  # a Monday


def service(session, profile, clock, **kwargs) -> EventService:  # noqa: ANN001, ANN003
    return EventService(session, profile, clock, **kwargs)


def make(db, profile, clock, **overrides) -> int:  # noqa: ANN001, ANN003
    overrides.setdefault("starts_at", tokyo(2030, 6, 6, 10))
    with db.transaction() as session:
        return service(session, profile, clock).create_event(draft(**overrides)).id


def sign(db, profile, clock, event_id, user, party=1, **kwargs) -> SignUp:  # noqa: ANN001, ANN003
    with db.transaction() as session:
        signup = service(session, profile, clock).sign_up(
            event_id, resident=resident(session, user), party_size=party, name=f"{user}さん", **kwargs
        )
        return signup


def statuses(db, event_id) -> list[tuple[str, str, int | None]]:  # noqa: ANN001
    with db.transaction() as session:
        rows = session.query(SignUp).filter_by(event_id=event_id).order_by(SignUp.id)
        return [(s.name, s.status, s.waiting_position) for s in rows]


# -- finding events ------------------------------------------------------------------------


def test_search_filters_by_area_kind_and_dates_and_leaves_out_past_and_cancelled(db, profile, clock):
    salon = make(db, profile, clock, title="平サロン")
    cafe = make(db, profile, clock, title="小名浜オレンジカフェ", kind="orange_cafe", area_code="onahama",
                starts_at=tokyo(2030, 6, 12, 14))
    make(db, profile, clock, title="終わったサロン", starts_at=tokyo(2030, 6, 1, 10))
    cancelled = make(db, profile, clock, title="中止のサロン")
    with db.transaction() as session:
        service(session, profile, clock).cancel_event(cancelled)

    with db.transaction() as session:
        events = service(session, profile, clock)

        def titles(**query) -> list[str]:  # noqa: ANN003
            return [item.event.title for item in events.search(EventQuery(**query)).listings]

        assert titles() == ["平サロン", "小名浜オレンジカフェ"]
        assert titles(area_code="onahama") == ["小名浜オレンジカフェ"]
        assert titles(kind="salon") == ["平サロン"]
        assert titles(date_from=date(2030, 6, 10), date_to=date(2030, 6, 16)) == ["小名浜オレンジカフェ"]
        assert titles(date_from=date(2030, 6, 6), date_to=date(2030, 6, 6)) == ["平サロン"]
        page = events.search(EventQuery())
        assert [item.availability.seats_left for item in page.listings] == [10, 10]
        assert {salon, cafe} == {item.event.id for item in page.listings}


def test_local_dates_are_tokyo_dates_even_early_in_the_morning(db, profile, clock):
    # 08:30 in Tokyo is still the previous day in UTC.
    make(db, profile, clock, title="朝の体操", kind="rehab_exercise", starts_at=tokyo(2030, 6, 7, 8, 30))
    with db.transaction() as session:
        page = service(session, profile, clock).search(EventQuery(date_from=date(2030, 6, 7), date_to=date(2030, 6, 7)))
        assert [item.event.title for item in page.listings] == ["朝の体操"]


def test_near_a_point_sorts_by_distance(db, profile, clock):
    make(db, profile, clock, title="川前のサロン", area_code="kawamae", venue_lat=37.218, venue_lon=140.792)
    make(db, profile, clock, title="小名浜のサロン", area_code="onahama", venue_lat=36.9455, venue_lon=140.9059)
    make(db, profile, clock, title="平のサロン", area_code="taira", venue_lat=37.0505, venue_lon=140.8877)
    make(db, profile, clock, title="座標のない四倉のサロン", area_code="yotsukura", venue_lat=None, venue_lon=None)
    with db.transaction() as session:
        page = service(session, profile, clock).search(EventQuery(near=(36.95, 140.90)))  # near 小名浜
        assert [item.event.title for item in page.listings] == [
            "小名浜のサロン", "平のサロン", "座標のない四倉のサロン", "川前のサロン"
        ]
        distances = [item.distance_km for item in page.listings]
        assert distances == sorted(distances) and distances[0] < 1


def test_results_come_in_pages_of_eleven(db, profile, clock):
    for day in range(25):
        make(db, profile, clock, title=f"サロン{day:02d}", starts_at=tokyo(2030, 6, 4, 10) + timedelta(days=day))
    with db.transaction() as session:
        events = service(session, profile, clock)
        first = events.search(EventQuery())
        second = events.search(EventQuery(), offset=first.next_offset)
        third = events.search(EventQuery(), offset=second.next_offset)
    assert (first.total, len(first.listings), first.next_offset) == (25, 11, 11)
    assert (len(second.listings), second.next_offset) == (11, 22)
    assert (len(third.listings), third.next_offset) == (3, None)
    titles = [item.event.title for page in (first, second, third) for item in page.listings]
    assert titles == [f"サロン{day:02d}" for day in range(25)]


# -- signing up, the waiting list, cancelling -----------------------------------------------


def test_sign_up_is_confirmed_while_seats_last_then_goes_on_the_waiting_list(db, profile, clock):
    event_id = make(db, profile, clock, capacity=5, max_party_size=3)
    assert sign(db, profile, clock, event_id, "U1", party=3).status == SignUp.CONFIRMED
    assert sign(db, profile, clock, event_id, "U2", party=2).status == SignUp.CONFIRMED
    waiting = sign(db, profile, clock, event_id, "U3", party=1)
    assert (waiting.status, waiting.waiting_position) == (SignUp.WAITING, 1)
    assert sign(db, profile, clock, event_id, "U4", party=2).waiting_position == 2
    with db.transaction() as session:
        seats = service(session, profile, clock).availability(session.get(Event, event_id))
    assert (seats.seats_left, seats.is_full, seats.waiting) == (0, True, 2)


def test_cancelling_promotes_the_waiting_list_in_order_skipping_parties_too_large(db, profile, clock, app, line, worker):
    event_id = make(db, profile, clock, capacity=4, max_party_size=3)
    first = sign(db, profile, clock, event_id, "U1", party=2)
    sign(db, profile, clock, event_id, "U2", party=2)
    sign(db, profile, clock, event_id, "U3", party=3)  # waiting 1: too large for 2 free seats
    sign(db, profile, clock, event_id, "U4", party=1)  # waiting 2
    sign(db, profile, clock, event_id, "U5", party=1)  # waiting 3
    sign(db, profile, clock, event_id, "U6", party=1)  # waiting 4

    with db.transaction() as session:
        events = service(session, profile, clock)
        owner = resident(session, "U1")
        cancellation = events.cancel_signup(first.id, resident=owner)
        promoted = [signup.name for signup in cancellation.promoted]
        recipients = events.notified_recipients
    deliver_notices(recipients)
    worker.drain()

    assert promoted == ["U4さん", "U5さん"]
    assert statuses(db, event_id) == [
        ("U1さん", "cancelled", None),
        ("U2さん", "confirmed", None),
        ("U3さん", "waiting", 1),
        ("U4さん", "confirmed", None),
        ("U5さん", "confirmed", None),
        ("U6さん", "waiting", 2),
    ]
    for user in ("U4", "U5"):
        [push] = line.texts_to(user)
        assert "参加が確定しました（1名）" in push and "ふれあいサロン" in push
    assert line.texts_to("U3") == [] and line.texts_to("U6") == []


def test_cancelling_from_the_waiting_list_moves_the_others_up(db, profile, clock):
    event_id = make(db, profile, clock, capacity=1)
    sign(db, profile, clock, event_id, "U1")
    second = sign(db, profile, clock, event_id, "U2")
    sign(db, profile, clock, event_id, "U3")
    with db.transaction() as session:
        cancellation = service(session, profile, clock).cancel_signup(second.id, resident=resident(session, "U2"))
        assert cancellation.promoted == []
    assert statuses(db, event_id)[1:] == [("U2さん", "cancelled", None), ("U3さん", "waiting", 1)]


def test_a_resident_cannot_hold_two_sign_ups_for_the_same_date_but_may_sign_up_again_after_cancelling(db, profile, clock):
    event_id = make(db, profile, clock)
    first = sign(db, profile, clock, event_id, "U1")
    with pytest.raises(AlreadySignedUp) as refused:
        sign(db, profile, clock, event_id, "U1", party=2)
    assert refused.value.signup_id == first.id
    with db.transaction() as session:
        service(session, profile, clock).cancel_signup(first.id, resident=resident(session, "U1"))
    assert sign(db, profile, clock, event_id, "U1").status == SignUp.CONFIRMED


def test_the_database_refuses_a_second_active_sign_up_even_without_the_service(db, profile, clock):
    event_id = make(db, profile, clock)
    sign(db, profile, clock, event_id, "U1")
    with pytest.raises(IntegrityError), db.transaction() as session:
        session.add(SignUp(event_id=event_id, resident_id=resident(session, "U1").id, party_size=1,
                           name="二重", status=SignUp.WAITING))
        session.flush()


def test_party_size_is_limited_per_event(db, profile, clock):
    event_id = make(db, profile, clock, capacity=10, max_party_size=2)
    with pytest.raises(PartyTooLarge) as refused:
        sign(db, profile, clock, event_id, "U1", party=3)
    assert refused.value.limit == 2
    with pytest.raises(PartyTooLarge):
        sign(db, profile, clock, event_id, "U1", party=0)


def test_sign_up_window_and_cancelled_events(db, profile, clock):
    later = make(db, profile, clock, signup_opens_at=tokyo(2030, 6, 4, 9))
    closed = make(db, profile, clock, signup_closes_at=tokyo(2030, 6, 3, 8))
    cancelled = make(db, profile, clock)
    with db.transaction() as session:
        service(session, profile, clock).cancel_event(cancelled, "雨天のため")
    with pytest.raises(SignUpNotOpen) as not_open:
        sign(db, profile, clock, later, "U1")
    assert not_open.value.opens_at == tokyo(2030, 6, 4, 9)
    with pytest.raises(SignUpClosed):
        sign(db, profile, clock, closed, "U1")
    with pytest.raises(EventCancelled):
        sign(db, profile, clock, cancelled, "U1")
    clock.advance(days=1)
    assert sign(db, profile, clock, later, "U1").status == SignUp.CONFIRMED
    # Staff take a phoned-in sign-up after the window closed.
    with db.transaction() as session:
        by_hand = service(session, profile, clock).add_signup_by_hand(closed, name="電話の田中様", party_size=2,
                                                                       phone="０２４６（２２）１１１１")
        assert (by_hand.status, by_hand.source, by_hand.resident_id, by_hand.phone) == (
            SignUp.CONFIRMED, SignUp.STAFF, None, "0246221111")


def test_residents_cancel_until_the_deadline_and_staff_after_it(db, profile, clock):
    event_id = make(db, profile, clock, cancel_deadline=tokyo(2030, 6, 5, 17))
    signup = sign(db, profile, clock, event_id, "U1")
    clock.now = tokyo(2030, 6, 5, 17, 1)
    with pytest.raises(CancellationClosed) as late, db.transaction() as session:
        service(session, profile, clock).cancel_signup(signup.id, resident=resident(session, "U1"))
    assert late.value.deadline == tokyo(2030, 6, 5, 17)
    with db.transaction() as session:
        assert service(session, profile, clock).cancel_signup(signup.id).signup.cancelled_by == "staff"
    with pytest.raises(SignUpNotActive), db.transaction() as session:
        service(session, profile, clock).cancel_signup(signup.id)


def test_a_resident_cannot_cancel_someone_elses_sign_up(db, profile, clock):
    event_id = make(db, profile, clock)
    signup = sign(db, profile, clock, event_id, "U1")
    with pytest.raises(SignUpNotFound), db.transaction() as session:
        service(session, profile, clock).cancel_signup(signup.id, resident=resident(session, "U2"))


# -- staff: events and series -----------------------------------------------------------


def test_staff_input_is_checked_and_the_centre_follows_the_area(db, profile, clock):
    with db.transaction() as session:
        events = service(session, profile, clock)
        event = events.create_event(draft(area_code="tabito", starts_at=tokyo(2030, 6, 6)))
        assert event.centre_code == "nakoso_tabito"
        for overrides, field_name in [
            ({"area_code": "nowhere"}, "area_code"),
            ({"kind": "party"}, "kind"),
            ({"capacity": 0}, "capacity"),
            ({"max_party_size": 11}, "max_party_size"),
            ({"title": "  "}, "title"),
            ({"ends_at": tokyo(2030, 6, 6, 9)}, "ends_at"),
            ({"venue_lat": 37.0, "venue_lon": None}, "venue_lat"),
        ]:
            with pytest.raises(InvalidEvent) as refused:
                events.create_event(draft(starts_at=tokyo(2030, 6, 6), **overrides))
            assert refused.value.field == field_name


def test_centre_staff_see_and_manage_only_their_centres_events(db, profile, clock):
    taira = make(db, profile, clock, area_code="taira")
    onahama = make(db, profile, clock, area_code="onahama")
    with db.transaction() as session:
        events = service(session, profile, clock, centre_scope={"taira"})
        assert [event.id for event in events.list_events()] == [taira]
        with pytest.raises(EventNotFound):
            events.cancel_event(onahama)
        with pytest.raises(EventNotFound):
            events.signups(onahama)
        with pytest.raises(InvalidEvent):
            events.create_event(draft(area_code="onahama", starts_at=tokyo(2030, 6, 6)))
        with pytest.raises(InvalidEvent):
            events.update_event(taira, area_code="onahama")
    with db.transaction() as session:
        assert len(service(session, profile, clock).list_events()) == 2  # a coordinator sees all


def test_a_new_time_or_place_is_pushed_to_everyone_signed_up(db, profile, clock, app, line, worker):
    event_id = make(db, profile, clock, capacity=1)
    sign(db, profile, clock, event_id, "U1")
    sign(db, profile, clock, event_id, "U2")  # waiting
    with db.transaction() as session:
        resident(session, "U3")
        service(session, profile, clock).add_signup_by_hand(event_id, name="電話の方", party_size=1)
    with db.transaction() as session:
        session.query(SignUp).filter_by(event_id=event_id).update({"reminded_at": clock.now})
        events = service(session, profile, clock)
        change = events.update_event(
            event_id, starts_at=tokyo(2030, 6, 7, 13, 30), ends_at=tokyo(2030, 6, 7, 15), venue_name="平 東公民館"
        )
        recipients = events.notified_recipients
    deliver_notices(recipients)
    worker.drain()
    assert set(change.changed) == {"starts_at", "ends_at", "venue_name"}
    assert sorted(s.name for s in change.notified) == ["U1さん", "U2さん"]
    [notice] = line.texts_to("U1")
    assert "【変更のお知らせ】" in notice
    assert "6月7日(金) 13:30〜15:00（変更前：6月6日(木) 10:00〜12:00）" in notice
    assert "平 東公民館" in notice and "平 中央公民館" in notice
    assert line.texts_to("U2") == [notice.replace("U1", "U2")]
    # A new date: the reminder is due again.
    with db.transaction() as session:
        assert {s.reminded_at for s in session.query(SignUp).filter_by(event_id=event_id)} == {None}


def test_changing_only_the_description_tells_nobody(db, profile, clock, line):
    event_id = make(db, profile, clock)
    sign(db, profile, clock, event_id, "U1")
    with db.transaction() as session:
        change = service(session, profile, clock).update_event(event_id, description="お茶とお菓子があります")
    assert (set(change.changed), change.notified) == ({"description"}, [])


def test_more_seats_promote_the_waiting_list(db, profile, clock):
    event_id = make(db, profile, clock, capacity=1)
    sign(db, profile, clock, event_id, "U1")
    sign(db, profile, clock, event_id, "U2")
    sign(db, profile, clock, event_id, "U3")
    with db.transaction() as session:
        change = service(session, profile, clock).update_event(event_id, capacity=2)
        assert [s.name for s in change.promoted] == ["U2さん"]
    assert statuses(db, event_id)[2] == ("U3さん", "waiting", 1)
    with db.transaction() as session:  # fewer seats never cancel anyone
        service(session, profile, clock).update_event(event_id, capacity=1)
    assert [s for _, s, _ in statuses(db, event_id)] == ["confirmed", "confirmed", "waiting"]


def test_cancelling_an_event_tells_everyone_signed_up(db, profile, clock, app, line, worker):
    event_id = make(db, profile, clock, capacity=1)
    sign(db, profile, clock, event_id, "U1")
    sign(db, profile, clock, event_id, "U2")
    with db.transaction() as session:
        events = service(session, profile, clock)
        told = events.cancel_event(event_id, "台風の接近のため")
        assert events.cancel_event(event_id) == []  # twice is harmless
        recipients = events.notified_recipients
    deliver_notices(recipients)
    worker.drain()
    assert len(told) == 2
    [notice] = line.texts_to("U2")
    assert "【中止のお知らせ】" in notice and "理由：台風の接近のため" in notice


def test_blocked_residents_are_not_pushed(db, profile, clock, line):
    event_id = make(db, profile, clock)
    sign(db, profile, clock, event_id, "U1")
    with db.transaction() as session:
        resident(session, "U1").blocked_at = utcnow()
    with db.transaction() as session:
        events = service(session, profile, clock)
        assert events.cancel_event(event_id) == []
        assert events.notified_recipients == set()


def test_copying_an_event_moves_its_windows_with_it(db, profile, clock):
    event_id = make(db, profile, clock, signup_opens_at=tokyo(2030, 6, 1, 9), cancel_deadline=tokyo(2030, 6, 5, 17))
    sign(db, profile, clock, event_id, "U1")
    with db.transaction() as session:
        copy = service(session, profile, clock).copy_event(event_id, starts_at=tokyo(2030, 7, 4, 10))
        assert (copy.title, copy.capacity, copy.venue_name) == ("ふれあいサロン", 10, "平 中央公民館")
        assert copy.ends_at == tokyo(2030, 7, 4, 12)
        assert copy.signup_opens_at == tokyo(2030, 6, 29, 9)
        assert copy.cancel_deadline == tokyo(2030, 7, 3, 17)
        assert service(session, profile, clock).figures(copy.id).confirmed_people == 0


def test_series_dates_weekly_and_monthly_on_the_same_weekday():
    assert series_dates(date(2030, 6, 4), date(2030, 6, 30), "weekly") == [
        date(2030, 6, 4), date(2030, 6, 11), date(2030, 6, 18), date(2030, 6, 25)
    ]
    assert series_dates(date(2030, 6, 4), date(2030, 7, 31), "weekly", interval=2) == [
        date(2030, 6, 4), date(2030, 6, 18), date(2030, 7, 2), date(2030, 7, 16), date(2030, 7, 30)
    ]
    # 第2火曜日 each month.
    assert series_dates(date(2030, 6, 11), date(2030, 9, 30), "monthly") == [
        date(2030, 6, 11), date(2030, 7, 9), date(2030, 8, 13), date(2030, 9, 10)
    ]
    # A 5th Friday: only the months that have one.
    assert series_dates(date(2030, 5, 31), date(2030, 9, 30), "monthly") == [date(2030, 5, 31), date(2030, 8, 30)]
    with pytest.raises(InvalidEvent):
        series_dates(date(2030, 6, 4), date(2030, 6, 30), "daily")


def test_a_weekly_series_has_its_own_seats_per_date_and_changes_together(db, profile, clock, app, line, worker):
    with db.transaction() as session:
        series = service(session, profile, clock).create_series(
            draft(title="シルバーリハビリ体操教室", kind="rehab_exercise", capacity=2,
                  starts_at=tokyo(2030, 6, 4, 10), ends_at=tokyo(2030, 6, 4, 11, 30)),
            frequency=EventSeries.WEEKLY, until=date(2030, 6, 25),
            signup_opens_days_before=14, cancel_hours_before=24,
        )
        series_id = series.id
        dates = service(session, profile, clock).list_events(series_id=series_id)
        assert [e.starts_at for e in dates] == [tokyo(2030, 6, d, 10) for d in (4, 11, 18, 25)]
        assert dates[1].signup_opens_at == tokyo(2030, 5, 28, 10)
        assert dates[1].cancel_deadline == tokyo(2030, 6, 10, 10)
        first, second = dates[0].id, dates[1].id
    sign(db, profile, clock, first, "U1", party=2)
    assert sign(db, profile, clock, second, "U1", party=2).status == SignUp.CONFIRMED  # another date

    clock.now = tokyo(2030, 6, 5, 9)  # the first date is over
    with db.transaction() as session:
        events = service(session, profile, clock)
        changes = events.update_series(series_id, start_time=time(13, 30), end_time=time(15), fee="無料")
        recipients = events.notified_recipients
        assert len(changes) == 3
    deliver_notices(recipients)
    worker.drain()
    with db.transaction() as session:
        dates = service(session, profile, clock).list_events(series_id=series_id)
        assert [e.starts_at for e in dates] == [tokyo(2030, 6, 4, 10)] + [tokyo(2030, 6, d, 13, 30) for d in (11, 18, 25)]
        assert [e.fee for e in dates] == ["100円（お茶代）", "無料", "無料", "無料"]
    [notice] = line.texts_to("U1")
    assert "6月11日(火) 13:30〜15:00" in notice

    with db.transaction() as session:
        events = service(session, profile, clock)
        copy = events.copy_series(series_id, first_start=tokyo(2030, 7, 2, 13, 30), until=date(2030, 7, 23))
        assert [e.starts_at for e in events.list_events(series_id=copy.id)] == [
            tokyo(2030, 7, d, 13, 30) for d in (2, 9, 16, 23)
        ]
        told = events.cancel_series(series_id, "会場改修のため")
        assert [s.name for s in told] == ["U1さん"]
        assert [e.status for e in events.list_events(series_id=series_id)] == ["scheduled"] + ["cancelled"] * 3


# -- staff: sign-ups, attendance, figures, CSV ---------------------------------------------


def test_attendance_and_figures(db, profile, clock):
    event_id = make(db, profile, clock, capacity=4)
    one = sign(db, profile, clock, event_id, "U1", party=2)
    sign(db, profile, clock, event_id, "U2", party=2)
    waiting = sign(db, profile, clock, event_id, "U3", party=1)
    with db.transaction() as session:
        events = service(session, profile, clock)
        events.add_signup_by_hand(event_id, name="電話の方", party_size=1)
    clock.now = tokyo(2030, 6, 6, 9, 45)  # the day of the event
    with db.transaction() as session:
        events = service(session, profile, clock)
        events.set_attended(one.id)
        with pytest.raises(SignUpNotActive):
            events.set_attended(waiting.id)
        figures = events.figures(event_id)
    assert (figures.capacity, figures.confirmed_people, figures.confirmed_signups) == (4, 4, 2)
    assert (figures.waiting_people, figures.waiting_signups) == (2, 2)
    assert (figures.attended_people, figures.attended_signups, figures.seats_left) == (2, 1, 0)
    with db.transaction() as session:
        service(session, profile, clock).set_attended(one.id, attended=False)
        assert service(session, profile, clock).figures(event_id).attended_people == 0


def test_the_sign_up_list_exports_as_csv_excel_reads(db, profile, clock):
    event_id = make(db, profile, clock, capacity=2)
    sign(db, profile, clock, event_id, "U1", party=2, phone="09012345678")
    sign(db, profile, clock, event_id, "U2", party=1)
    with db.transaction() as session:
        events = service(session, profile, clock)
        events.add_signup_by_hand(event_id, name="鈴木 和子", party_size=1, phone="0246221111")
        data = events.export_csv(event_id)
    assert data.startswith(b"\xef\xbb\xbf")  # the BOM: Excel then reads UTF-8
    assert b"\r\n" in data
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0][:6] == ["申込番号", "状態", "キャンセル待ち順", "お名前", "人数", "電話番号"]
    assert [row[1:7] for row in rows[1:]] == [
        ["参加確定", "", "U1さん", "2", "090-1234-5678", "LINE"],
        ["キャンセル待ち", "1", "U2さん", "1", "", "LINE"],
        ["キャンセル待ち", "2", "鈴木 和子", "1", "0246-22-1111", "電話・窓口"],
    ]
    assert rows[1][7] == "2030-06-03 09:00"  # local time


def test_names_in_the_csv_are_never_read_as_formulas(db, profile, clock):
    event_id = make(db, profile, clock)
    with db.transaction() as session:
        events = service(session, profile, clock)
        events.add_signup_by_hand(event_id, name='=HYPERLINK("http://example.com","X")', party_size=1)
        rows = list(csv.reader(io.StringIO(events.export_csv(event_id).decode("utf-8-sig"))))
    assert rows[1][3] == "'=HYPERLINK(\"http://example.com\",\"X\")"


def test_the_demo_month_covers_every_area_once_and_only_once(app):
    [created] = load(app)
    assert load(app)[0].endswith("upcoming events already present")  # a second run adds nothing
    tsunagu = tsunagu_of(app)
    with tsunagu.db.transaction() as session:
        events = EventService(session, tsunagu.profile)
        listed = events.list_events()
        assert created.startswith(f"events: {len(listed)} events in 13 areas")
        assert {event.area_code for event in listed} == {area.code for area in tsunagu.profile.areas}
        assert {"salon", "orange_cafe", "rehab_exercise", "kosodate", "kaigo_yobo", "intergenerational"} <= {
            event.kind for event in listed
        }
        assert session.query(EventSeries).count() == 1
        seats = events.availability_of(event.id for event in listed)
        assert any(s.is_full and s.waiting for s in seats.values())
        assert any(0 < s.seats_left <= 3 for s in seats.values())
        today = events.today()
        assert all(today < events.local(e.starts_at).date() <= today + timedelta(days=31) for e in listed)


def test_a_monthly_series_skips_a_national_holiday_unless_included(db, profile, clock):
    starts_at = tokyo(2030, 12, 9, 10)  # the 2nd Monday; in January that is 成人の日
    with db.transaction() as session:
        events = service(session, profile, clock)
        skipping = events.create_series(draft(starts_at=starts_at), frequency="monthly", until=date(2031, 2, 28))
        including = events.create_series(draft(starts_at=starts_at), frequency="monthly", until=date(2031, 2, 28),
                                         include_holidays=True)
        assert [e.starts_at for e in events.list_events(series_id=skipping.id)] == [
            tokyo(2030, 12, 9, 10), tokyo(2031, 2, 10, 10)]
        assert events.skipped_days(skipping.id) == [date(2031, 1, 13)]
        assert len(events.list_events(series_id=including.id)) == 3 and events.skipped_days(including.id) == []
        with pytest.raises(InvalidEvent):  # nothing left once the holidays are out
            events.create_series(draft(starts_at=tokyo(2031, 1, 13, 10)), frequency="weekly", until=date(2031, 1, 13))


def test_a_restored_event_keeps_its_sign_ups_and_tells_the_residents(db, profile, clock):
    event_id = make(db, profile, clock, capacity=1)
    sign(db, profile, clock, event_id, "U1")
    sign(db, profile, clock, event_id, "U2")  # waiting
    with db.transaction() as session:
        assert [s.name for s in service(session, profile, clock).cancel_event(event_id, "雨のため")] == ["U1さん", "U2さん"]
    with db.transaction() as session:
        events = service(session, profile, clock)
        told = events.restore_event(event_id)
        assert [s.name for s in told] == ["U1さん", "U2さん"]
        event = events.get(event_id)
        assert (event.status, event.cancelled_at, event.cancel_reason) == (Event.SCHEDULED, None, None)
        assert events.restore_event(event_id) == []  # not cancelled any more: nothing to do
    assert statuses(db, event_id) == [("U1さん", "confirmed", None), ("U2さん", "waiting", 1)]


def test_a_copied_series_includes_holidays_only_if_the_original_did(db, profile, clock):
    starts_at = tokyo(2030, 12, 9, 10)
    with db.transaction() as session:
        events = service(session, profile, clock)
        skipping = events.create_series(draft(starts_at=starts_at), frequency="monthly", until=date(2031, 1, 31))
        including = events.create_series(draft(starts_at=starts_at), frequency="monthly", until=date(2031, 1, 31),
                                          include_holidays=True)
        next_year = {"first_start": tokyo(2031, 12, 8, 10), "until": date(2032, 1, 31)}  # 2032-01-12 is 成人の日
        assert len(events.list_events(series_id=events.copy_series(skipping.id, **next_year).id)) == 1
        assert len(events.list_events(series_id=events.copy_series(including.id, **next_year).id)) == 2
