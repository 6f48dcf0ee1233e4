"""見守り for staff: 平日のみ chosen on the record and resident pages; a resident's pause (入院) shown on the board."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from bot.models import IntakeRecord, Resident
from bot.models.watch import WatchPlan
from bot.services.watch import WatchService
from tests.admin.records_support import submit_record
from tests.admin.support import page_text
from tests.admin.test_watch_board import plans, resident_with_record


def test_staff_choose_weekdays_only_on_the_resident_page_and_see_it_in_the_history(app, browser, audit_entries):
    resident_id = resident_with_record(app)
    staff = browser("taira")
    assert "平日のみ（土日・祝日・閉庁日は送らず、次の平日に）" in page_text(staff.get(f"/admin/residents/{resident_id}"))
    staff.post(f"/admin/residents/{resident_id}/watch", {"interval_days": "1", "hour": "10", "channel": "line",
                                                         "weekdays_only": "y", "agreed": "y"})
    [plan] = plans(app)
    assert (plan.interval_days, plan.weekdays_only) == (1, True)
    assert audit_entries("watch.start")[-1]["details"]["weekdays_only"] is True
    assert "毎日・平日のみ・10:00" in page_text(staff.get(f"/admin/residents/{resident_id}"))


def test_staff_choose_weekdays_only_on_the_record_page(app, browser):
    record_id, _ = submit_record(app, area="taira", display_name="見守 花子")
    staff = browser("taira")
    assert "平日のみ（土日・祝日・閉庁日は送らず、次の平日に）" in page_text(staff.get(f"/admin/records/{record_id}"))
    staff.post(f"/admin/records/{record_id}/watch", {"interval_days": "7", "hour": "10", "channel": "line",
                                                     "weekdays_only": "y", "agreed": "y"})
    staff.post(f"/admin/records/{record_id}/watch", {"interval_days": "30", "hour": "10", "channel": "line",
                                                     "agreed": "y"})  # changed: no longer weekdays only
    assert [(plan.interval_days, plan.weekdays_only, plan.state) for plan in plans(app)] == [
        (7, True, WatchPlan.ENDED), (30, False, WatchPlan.ACTIVE)]


def test_a_pause_for_hospital_is_on_the_board_with_its_reason_and_until_date(app, browser, clock):
    resident_id = resident_with_record(app)
    tsunagu = app.extensions["tsunagu"]
    with tsunagu.db.transaction() as session:
        service = WatchService(session, tsunagu.profile, clock)
        plan = service.start_plan(session.get(Resident, resident_id), interval_days=1, hour=10)
        until = service.today() + timedelta(days=10)
        service.pause(plan, until, "hospital")
    board = page_text(browser("taira").get("/admin/watch"))
    paused = board.split("お休み中")[1]
    assert "見守 花子" in paused and "入院" in paused and f"{until:%Y/%m/%d}まで" in paused
    assert "見守 花子" not in page_text(browser("onahama").get("/admin/watch")).split("お休み中")[1]
    with tsunagu.db.transaction() as session:
        assert session.scalar(select(WatchPlan.pause_reason)) == "hospital"


def test_少し心配_on_a_plan_the_resident_asked_for_opens_a_record_the_centre_sees(app, browser, chat, clock):
    resident_chat = chat("U" + "c" * 32, "見守 一郎")
    resident_chat.follows()
    tsunagu = app.extensions["tsunagu"]
    with tsunagu.db.transaction() as session:
        resident = session.scalar(select(Resident).where(Resident.line_user_id == "U" + "c" * 32))
        resident.area_code = "taira"
        service = WatchService(session, tsunagu.profile)  # no record: the plan's centre is the resident's area's
        plan = service.start_plan(resident, interval_days=1, hour=0)
        service.schedule()
        service.send_due()
        assert (plan.record_id, plan.centre_code) == (None, "taira")
    resident_chat.says("ちょっと心配なことがあります")
    with tsunagu.db.transaction() as session:
        [record] = session.scalars(select(IntakeRecord)).all()
        record_id = record.id
        assert (record.source, record.centre_code) == ("watch", "taira")
    staff = browser("taira")
    assert "見守 一郎" in page_text(staff.get("/admin/watch")).split("「話したい」「心配」の返事")[1].split("返事がないもの")[0]
    assert "ちょっと心配なことがあります" in page_text(staff.get(f"/admin/records/{record_id}"))
    assert browser("onahama").get(f"/admin/records/{record_id}").status_code == 404
