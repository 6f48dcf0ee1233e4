"""Demo data: 見守り plans for residents of the demo consultations, so the board is alive after ``make run``.

One check-in answered today, one unanswered since yesterday with its family
already told, one 「話したい」, one plan paused for a hospital stay and one
phone plan due today. Idempotent: nothing is added while demo plans exist.
"""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from bot.models import IntakeRecord, Resident, utcnow
from bot.models.watch import WatchPlan, WatchSlot, WatchStep
from bot.services.watch import WatchService


def load(app) -> list[str]:  # noqa: ANN001
    """Create the demo plans unless plans exist already."""
    tsunagu = app.extensions["tsunagu"]
    with tsunagu.db.transaction() as session:
        if session.scalar(select(func.count()).select_from(WatchPlan)):
            return ["watch: demo plans already present"]
        residents = list(session.scalars(
            select(Resident).join(IntakeRecord, IntakeRecord.resident_id == Resident.id)
            .where(IntakeRecord.centre_code.is_not(None)).order_by(Resident.id).distinct().limit(5)))
        if len(residents) < 5:
            return ["watch: load the demo consultations first"]
        service = WatchService(session, tsunagu.profile)
        now, today = utcnow(), service.today()
        answered, silent, talk, paused, phoned = residents
        plans = [service.start_plan(resident, interval_days=interval, hour=9, starts_on=today - timedelta(days=7),
                                    channel=channel)
                 for resident, interval, channel in ((answered, 1, "line"), (silent, 1, "line"), (talk, 7, "line"),
                                                     (paused, 3, "line"), (phoned, 7, "phone"))]
        service.pause(plans[3], today + timedelta(days=10), "hospital")

        def slot(plan: WatchPlan, hours_ago: int, **fields) -> WatchSlot:  # noqa: ANN003
            row = WatchSlot(plan_id=plan.id, due_at=now - timedelta(hours=hours_ago),
                            sent_at=now - timedelta(hours=hours_ago), **{"state": WatchSlot.SENT, **fields})
            session.add(row)
            session.flush()
            return row

        slot(plans[0], 1, state=WatchSlot.ANSWERED, answer=WatchSlot.FINE, answered_at=now)
        silent_slot = slot(plans[1], 26, stage=WatchSlot.CONTACTS_ALERTED, next_step_at=now + timedelta(hours=2))
        session.add_all([WatchStep(slot_id=silent_slot.id, kind=WatchStep.REMINDER, at=now - timedelta(hours=20)),
                         WatchStep(slot_id=silent_slot.id, kind=WatchStep.CONTACTS, at=now - timedelta(hours=14))])
        slot(plans[2], 3, state=WatchSlot.ANSWERED, answer=WatchSlot.TALK, answered_at=now - timedelta(hours=2))
    return ["watch: 5 demo check-in plans (one unanswered with family told, one wish to talk, one paused)"]
