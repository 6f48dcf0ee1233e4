"""相談の状況: the status a resident reads follows what staff do in the admin view."""
from __future__ import annotations

from sqlalchemy import select

from bot.models.intake import IntakeRecord


def consult(resident) -> None:  # noqa: ANN001
    """A resident of 平 consults by the buttons (the same codes in every language)."""
    resident.follows()
    for tap in ("menu:consult", "intake:who:self", "intake:cat:elderly", "intake:catdone", "intake:area:taira"):
        resident.taps(tap)
    resident.says("母の物忘れがひどくなってきました。")
    for tap in ("intake:detailsdone", "intake:urgency:days", "intake:contact:line", "intake:consent:yes",
                "intake:submit"):
        resident.taps(tap)


def status_seen_by(resident) -> str:  # noqa: ANN001
    resident.taps("menu:status")
    return resident.last_text()


def record_id(app) -> int:  # noqa: ANN001
    with app.extensions["tsunagu"].db.transaction() as session:
        return session.scalars(select(IntakeRecord.id)).one()


def test_the_status_changes_as_staff_move_the_record(app, chat, browser) -> None:  # noqa: ANN001
    resident = chat()
    consult(resident)
    assert "状況：受付済み" in status_seen_by(resident)
    assert "担当：平地区保健福祉センター" in resident.last_text()
    staff = browser("taira")
    number = record_id(app)

    staff.post(f"/admin/records/{number}/triage", {})
    assert "状況：担当者が確認しています" in status_seen_by(resident)
    staff.post(f"/admin/records/{number}/start", {})
    assert "状況：対応中" in status_seen_by(resident)
    staff.post(f"/admin/records/{number}/close", {"close-outcome": "resolved"})
    assert "状況：完了" in status_seen_by(resident)


def test_a_new_record_staff_have_worked_on_reads_as_being_looked_at(app, chat, browser, staff) -> None:  # noqa: ANN001
    resident = chat(language="en")
    consult(resident)
    assert "Status: Received" in status_seen_by(resident)

    browser("taira").post(f"/admin/records/{record_id(app)}/assign", {"assign-assignee": str(staff["taira"].id)})

    assert "Status: Staff are looking at it" in status_seen_by(resident)
