"""Consultation records for the admin tests, made the way residents make them (IntakeService)."""
from __future__ import annotations

import itertools

from bot.models import utcnow
from bot.models.intake import IntakeRecord
from bot.services.intake import Answers, IntakeService
from bot.services.residents import ResidentService
from bot.services.workflow import Actor, Workflow

_numbers = itertools.count(1)


def user_id(n: int) -> str:
    return "U" + f"{n:032x}"


def submit_record(app, *, area: str | None = "taira", categories=("elderly",), details=("母の介護のことで相談です。",),  # noqa: ANN001
                  urgency: str = "days", contact: str = "line", phone: str | None = None, line_user: str | None = None,
                  display_name: str = "相談 花子") -> tuple[int, str]:
    """A resident submits a consultation with consent; returns (record id, receipt number)."""
    tsunagu = app.extensions["tsunagu"]
    with tsunagu.db.transaction() as session:
        resident = ResidentService(session).get_or_create(line_user or user_id(next(_numbers)))
        resident.display_name = display_name
        answers = Answers(
            subject="self", categories=list(categories), area_code=area, area_source="chosen" if area else "unknown",
            urgency=urgency, contact_method=contact, phone=phone,
            details=[{"kind": "text", "id": f"m{next(_numbers)}", "text": text} for text in details],
        )
        record = IntakeService(session, tsunagu.profile).submit(resident, answers, consent_at=utcnow())
        return record.id, record.receipt_number


def danger_record(app, *, area: str | None = "taira", text: str = "夫に殴られて逃げています", line_user: str | None = None):  # noqa: ANN001, ANN201
    """A message that signalled danger made a minimal record without consent (vital interest)."""
    tsunagu = app.extensions["tsunagu"]
    with tsunagu.db.transaction() as session:
        resident = ResidentService(session).get_or_create(line_user or user_id(next(_numbers)))
        resident.area_code = area
        record, _ = IntakeService(session, tsunagu.profile).raise_alarm(resident, text, f"d{next(_numbers)}", ["dv"])
        return record.id, record.receipt_number


def move(app, record_id: int, *steps: tuple[str, str, dict]) -> None:  # noqa: ANN001
    """Apply workflow steps ``(trigger, role, params)`` as a coordinator or a member of the record's centre."""
    tsunagu = app.extensions["tsunagu"]
    with tsunagu.db.transaction() as session:
        record = session.get(IntakeRecord, record_id)
        workflow = Workflow(session, tsunagu.profile)
        for trigger, role, params in steps:
            actor = Actor(None, role, (record.centre_code,) if record.centre_code else ())
            workflow.apply(record, trigger, actor, **params)


def status_of(app, record_id: int) -> tuple[str, str | None]:  # noqa: ANN001
    with app.extensions["tsunagu"].db.transaction() as session:
        record = session.get(IntakeRecord, record_id)
        return record.status, record.centre_code
