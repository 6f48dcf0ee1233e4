"""見守り 平日のみ: no check-in on Saturdays, Sundays, national holidays or the city's closed days; the next working day gets it."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from bot.models import Resident
from bot.models.watch import WatchPlan, WatchSlot
from bot.services.watch import WatchService
from bot.tasks.events import deliver_notices
from bot.tasks.watch import run_watch
from tests.events_support import Clock, tokyo, tsunagu_of
from tests.test_watch_flow import plans

USER = "U" + "a" * 32
CHECK_IN = "「つなぐ」の見守りです。お元気ですか？下のボタンから選んでください。"


@pytest.fixture
def clock():
    return Clock(tokyo(2026, 11, 19, 8))  # Thursday 19 November 2026, 8:00


@pytest.fixture
def app(make_app, clock):  # noqa: ANN001
    return make_app(CLOCK=clock)


def slot_days(app) -> list[date]:  # noqa: ANN001
    tsunagu = tsunagu_of(app)
    with tsunagu.db.transaction() as session:
        service = WatchService(session, tsunagu.profile)
        return [due_at.astimezone(service.tz).date()
                for due_at in session.scalars(select(WatchSlot.due_at).order_by(WatchSlot.due_at))]


def register(app, chat, typed: str = "平日だけ", language: str = "ja"):  # noqa: ANN001, ANN201
    resident = chat(USER, "山田花子", language)
    resident.follows()
    resident.says("見守り")
    resident.says(typed)
    resident.says("9時")
    resident.says("同意します")
    resident.tap_chip(resident.chips()[-1])  # これで完了
    return resident


def run_each_hour(app, worker, clock, until) -> None:  # noqa: ANN001
    """The worker's periodic run, every hour up to ``until`` (Tokyo time)."""
    while clock.now < until:
        clock.advance(hours=1)
        deliver_notices(run_watch(tsunagu_of(app)))
        worker.drain()


@pytest.mark.parametrize("typed", ["平日だけ", "平日のみ", "土日はいらない", "へいじつだけでいいです", "土日は要りません"])
def test_typed_weekdays_only_registers_a_weekday_plan(app, chat, typed):
    resident = register(app, chat, typed)
    [plan] = plans(app)
    assert (plan.interval_days, plan.hour, plan.weekdays_only) == (1, 9, True)
    resident.says("見守り")
    assert resident.last_text().startswith("見守りを登録しています（平日のみ・9時ごろ）。")


def test_the_button_is_offered_in_every_resident_language(app, chat):
    for user, language, chip in [("U" + "1" * 32, "en", "Weekdays only"), ("U" + "2" * 32, "vi", "Chỉ ngày thường"),
                                 ("U" + "3" * 32, "zh-Hans", "仅工作日"), ("U" + "4" * 32, "ja", "平日のみ")]:
        resident = chat(user, "Someone", language)
        resident.follows()
        resident.says("見守り")
        assert resident.chips()[-1] == chip
    resident.tap_chip("平日のみ")
    assert "何時ごろ" in resident.last_text()


def test_no_check_in_on_the_weekend_or_勤労感謝の日_the_next_working_day_gets_one(app, chat, line, worker, clock):
    resident = register(app, chat, "平日のみ")
    run_each_hour(app, worker, clock, tokyo(2026, 11, 25, 12))  # Thursday to Wednesday noon
    # 19 Thu, 20 Fri; 21 Sat, 22 Sun and 23 Mon (勤労感謝の日) have none; 24 Tue and 25 Wed.
    assert slot_days(app) == [date(2026, 11, 19), date(2026, 11, 20), date(2026, 11, 24), date(2026, 11, 25)]
    assert [text for text in line.texts_to(USER) if text == CHECK_IN] == [CHECK_IN] * 4
    assert resident.chips() == ["元気です", "少し心配なことがある", "話したい"]


def test_the_year_end_closed_days_are_skipped_too(app, chat, line, worker, clock):
    clock.now = tokyo(2026, 12, 28, 8)  # Monday
    register(app, chat, "平日のみ")
    run_each_hour(app, worker, clock, tokyo(2027, 1, 5, 12))
    # 12/29–1/3: the profile's closed days (and 1/1 元日, 1/2–1/3 a weekend); 1/4 Monday is the next working day.
    assert slot_days(app) == [date(2026, 12, 28), date(2027, 1, 4), date(2027, 1, 5)]


def test_a_plan_that_is_not_weekdays_only_still_checks_in_every_day(app, chat, worker, clock):
    register(app, chat, "毎日")
    run_each_hour(app, worker, clock, tokyo(2026, 11, 23, 12))
    assert slot_days(app) == [date(2026, 11, 19) + timedelta(days=n) for n in range(5)]


def test_a_weekly_weekdays_plan_keeps_its_rhythm_after_a_holiday(app, chat, clock):
    clock.now = tokyo(2026, 11, 16, 8)  # Monday
    chat(USER).follows()
    tsunagu = tsunagu_of(app)
    with tsunagu.db.transaction() as session:
        resident = session.scalar(select(Resident).where(Resident.line_user_id == USER))
        WatchService(session, tsunagu.profile, clock).start_plan(resident, interval_days=7, hour=9, weekdays_only=True)
    while clock.now < tokyo(2026, 12, 1, 12):
        clock.advance(hours=1)
        run_watch(tsunagu)
    # Mondays; 11/23 勤労感謝の日 moves to Tuesday 11/24, and the next is Monday 11/30 again.
    assert slot_days(app) == [date(2026, 11, 16), date(2026, 11, 24), date(2026, 11, 30)]
    with tsunagu.db.transaction() as session:
        service = WatchService(session, tsunagu.profile, clock)
        [plan] = session.scalars(select(WatchPlan)).all()
        assert [service._due_on(plan, date(2026, 11, day)) for day in (23, 24, 30)] == [False, True, True]
        # The month's forecast counts the moved check-in on its working day: 16, 24 and 30 November.
        assert service.forecast(None, date(2026, 11, 1), date(2026, 11, 30)) == 3


def test_a_weekday_plan_is_due_on_the_board_only_on_working_days(app, chat, clock):
    register(app, chat, "平日のみ")
    tsunagu = tsunagu_of(app)
    with tsunagu.db.transaction() as session:
        service = WatchService(session, tsunagu.profile, clock)
        [plan] = session.scalars(select(WatchPlan)).all()
        due = [day for day in (19, 20, 21, 22, 23, 24) if service._due_on(plan, date(2026, 11, day))]
        assert due == [19, 20, 24]


def test_土日は休みにしたい_changes_a_plan_to_weekdays_only_instead_of_pausing_it(app, chat):
    resident = register(app, chat, "毎日")
    resident.says("見守り")
    resident.says("土日は休みにしたい")
    assert "何時ごろ" in resident.last_text()
    resident.says("10時")
    resident.says("同意します")
    assert [(plan.weekdays_only, plan.hour, plan.state) for plan in plans(app)] == [
        (False, 9, WatchPlan.ENDED), (True, 10, WatchPlan.ACTIVE)]
