"""見守り for staff over HTTP: a plan set from the resident page with agreement, the board, a call logged, a plan ended."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.models import Resident
from bot.models.intake import IntakeRecord
from bot.models.watch import WatchConsent, WatchContact, WatchPlan, WatchSlot, WatchStep
from bot.services.watch import WatchService
from tests.admin.records_support import submit_record
from tests.admin.support import page_text


def resident_with_record(app, area: str = "taira", name: str = "見守 花子") -> int:  # noqa: ANN001
    record_id, _ = submit_record(app, area=area, display_name=name)
    with app.extensions["tsunagu"].db.transaction() as session:
        return session.get(IntakeRecord, record_id).resident_id


def plans(app) -> list[WatchPlan]:  # noqa: ANN001
    with app.extensions["tsunagu"].db.transaction() as session:
        rows = session.scalars(select(WatchPlan).order_by(WatchPlan.id)).all()
        session.expunge_all()
        return rows


def test_centre_staff_set_a_plan_with_the_residents_agreement_and_see_its_history(app, browser, audit_entries):
    resident_id = resident_with_record(app)
    staff = browser("taira")
    page = staff.get(f"/admin/residents/{resident_id}")
    assert "見守りプランを設定する" in page_text(page)

    refused = staff.post(f"/admin/residents/{resident_id}/watch", {"interval_days": "14", "hour": "10",
                                                                   "channel": "line"})
    assert refused.status_code == 302 and plans(app) == []

    staff.post(f"/admin/residents/{resident_id}/watch", {"interval_days": "14", "hour": "10", "channel": "line",
                                                         "agreed": "y"})
    [plan] = plans(app)
    assert (plan.interval_days, plan.hour, plan.centre_code, plan.state) == (14, 10, "taira", WatchPlan.ACTIVE)
    with app.extensions["tsunagu"].db.transaction() as session:
        assert session.scalar(select(WatchConsent.via)) == "staff"
    [entry] = audit_entries("watch.start")
    assert entry["details"] == {"resident": resident_id, "interval": 14, "channel": "line", "weekdays_only": False}

    staff.post(f"/admin/watch/plans/{plan.id}/stop", {"reason": "moved"})
    [plan] = plans(app)
    assert (plan.state, plan.stop_reason) == (WatchPlan.ENDED, "moved")
    assert audit_entries("watch.stop")[-1]["details"] == {"reason": "moved"}
    assert "転出" in page_text(staff.get(f"/admin/residents/{resident_id}"))


@pytest.mark.parametrize("fields", [
    {"interval_days": "999", "hour": "10", "channel": "line", "agreed": "y"},
    {"interval_days": "7", "hour": "3", "channel": "line", "agreed": "y"},
    {"interval_days": "7", "hour": "10", "channel": "telepathy", "agreed": "y"},
    {"interval_days": "7", "hour": "10", "channel": "line", "agreed": "y", "ends_on": "0001-01-01"},
    {"interval_days": "<script>", "hour": "10", "channel": "line", "agreed": "y"},
])
def test_bad_plan_values_change_nothing(app, browser, fields):
    resident_id = resident_with_record(app)
    response = browser("taira").post(f"/admin/residents/{resident_id}/watch", fields)
    assert response.status_code == 302 and plans(app) == []


def test_another_centre_cannot_set_or_end_a_plan(app, browser):
    resident_id = resident_with_record(app)
    assert browser("onahama").post(f"/admin/residents/{resident_id}/watch", {
        "interval_days": "7", "hour": "10", "channel": "line", "agreed": "y"}).status_code == 404
    browser("taira").post(f"/admin/residents/{resident_id}/watch", {"interval_days": "7", "hour": "10",
                                                                    "channel": "line", "agreed": "y"})
    [plan] = plans(app)
    assert browser("onahama").post(f"/admin/watch/plans/{plan.id}/stop", {"reason": "died"}).status_code == 404
    assert plans(app)[0].state == WatchPlan.ACTIVE


def test_the_board_shows_unanswered_check_ins_in_red_and_a_call_is_logged(app, browser, clock, audit_entries):
    resident_id = resident_with_record(app)
    tsunagu = app.extensions["tsunagu"]
    with tsunagu.db.transaction() as session:
        service = WatchService(session, tsunagu.profile, lambda: clock.now - timedelta(days=1))
        resident = session.get(Resident, resident_id)
        plan = service.start_plan(resident, interval_days=1, hour=0, starts_on=service.today())
        service.schedule()
        service.send_due()
        slot = session.scalars(select(WatchSlot)).one()
        slot.stage = WatchSlot.STAFF_TASK
        session.add(WatchContact(plan_id=plan.id, kind=WatchContact.PHONE, name="山田次郎", phone="09012345678"))
        slot_id, plan_id = slot.id, plan.id

    staff = browser("taira")
    board = staff.get("/admin/watch")
    text = page_text(board)
    assert "見守 花子" in text and "職員の確認が必要" in text and "今月のLINE確認の見込み" in text
    assert "☎ 山田次郎 090-1234-5678" in text  # the phone-only contact, for the staff's call
    assert 'class="watch-unanswered overdue"' in board.get_data(as_text=True)
    assert audit_entries("watch.board")[-1]["details"]["unanswered"] == 1
    assert "見守 花子" not in page_text(browser("onahama").get("/admin/watch"))

    staff.post(f"/admin/watch/slots/{slot_id}/contact", {"kind": "call", "result": "safe", "note": "元気でした"})
    assert "見守 花子" not in page_text(staff.get("/admin/watch")).split("返事がないもの")[1].split("今日の確認")[0]
    with tsunagu.db.transaction() as session:
        step = session.scalars(select(WatchStep).where(WatchStep.kind == WatchStep.CALL)).one()
        assert (step.result, step.note) == ("safe", "元気でした")
    assert audit_entries("watch.contact")[-1]["details"] == {"slot": slot_id, "kind": "call", "result": "safe"}
    assert browser("onahama").post(f"/admin/watch/slots/{slot_id}/contact",
                                   {"kind": "call", "result": "safe"}).status_code == 404
    assert staff.post("/admin/watch/slots/99999999/contact", {"kind": "call", "result": "safe"}).status_code == 404
    assert staff.post(f"/admin/watch/slots/{slot_id}/contact", {"kind": "fax", "result": "safe"}).status_code == 303
    assert plan_id


def test_reopening_the_record_stops_the_plan_made_when_it_closed(app, browser):
    from bot.services.workflow import Actor, Workflow

    record_id, _ = submit_record(app, area="taira", display_name="見守 花子")
    tsunagu = app.extensions["tsunagu"]
    with tsunagu.db.transaction() as session:
        record = session.get(IntakeRecord, record_id)
        record.status = "closed"
        WatchService(session, tsunagu.profile).start_plan(record.resident, interval_days=30, hour=10, record=record)
    with tsunagu.db.transaction() as session:
        Workflow(session, tsunagu.profile).apply(session.get(IntakeRecord, record_id), "reopen",
                                                 Actor(None, "centre_staff", ("taira",)))
    [plan] = plans(app)
    assert (plan.state, plan.stop_reason, plan.record_id) == (WatchPlan.ENDED, "reopened", record_id)


def test_a_plan_set_from_the_record_page_is_linked_to_the_record(app, browser, audit_entries):
    record_id, _ = submit_record(app, area="taira", display_name="見守 花子")
    staff = browser("taira")
    assert "見守りプランを設定する" in page_text(staff.get(f"/admin/records/{record_id}"))
    staff.post(f"/admin/records/{record_id}/watch", {"interval_days": "30", "hour": "10", "channel": "line"})
    assert plans(app) == []  # no agreement, no plan
    staff.post(f"/admin/records/{record_id}/watch", {"interval_days": "30", "hour": "10", "channel": "visit",
                                                     "agreed": "y"})
    [plan] = plans(app)
    assert (plan.record_id, plan.channel, plan.centre_code) == (record_id, "visit", "taira")
    assert audit_entries("watch.start")[-1]["details"]["record"] == record_id
    assert browser("onahama").post(f"/admin/records/{record_id}/watch", {
        "interval_days": "30", "hour": "10", "channel": "line", "agreed": "y"}).status_code == 404
