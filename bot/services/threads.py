"""After a receipt: which open record a resident's later message belongs to, and when to acknowledge it.

The record the conversation is about is the open record the conversation
last turned to: the one staff last wrote on (:meth:`Workflow.send_message`
sets ``focused_at``) or the resident chose, within ``THREAD_FOCUS_HOURS``;
or a record made within the hour, while the resident is still at it. A
resident with several open records and no such turn is asked which
consultation they mean, so nothing is filed silently on another centre's
record.

Acknowledgements: a resident's message that joins a record gets a short
answer, but a burst of messages (several photos, a story in five bubbles)
gets one: at most one per ``THREAD_ACK_MINUTES`` while staff have not
answered. Once staff answered, or the bot said anything else in between
(「中止しました」 after やめる), the next message is acknowledged again.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from bot.models import Resident, utcnow
from bot.models.intake import IntakeMessage, IntakeRecord, RecordStatus
from bot.municipality import Municipality
from bot.text import fold

# The conversations (bot/flows/thread.py) that hold a resident's messages, under data["held"], until they
# say which consultation the messages are about.
CHOICE_FLOW = "thread"


@dataclass(frozen=True)
class Addressee:
    """Where a resident's message goes: ``record``; or, when that is unclear, the ``choices`` to ask about."""

    record: IntakeRecord | None
    choices: list[IntakeRecord] = field(default_factory=list)

    @property
    def unclear(self) -> bool:
        return self.record is None and bool(self.choices)


def record_named(records: list[IntakeRecord], typed: str) -> IntakeRecord | None:
    """The record whose receipt number the resident typed (all of it, or its last three digits or more)."""
    word = fold(typed).upper()
    digits = re.sub(r"\D", "", word)
    for record in records:
        number = record.receipt_number.upper()
        if word == number or (len(digits) >= 3 and number.replace("-", "").endswith(digits)):
            return record
    return None


# A record just made is what the resident is talking about for the rest of that sitting.
NEW_RECORD_TURN = timedelta(hours=1)


class ThreadService:
    """The rule for a resident's messages after a receipt (one place: the bot and the admin both use it)."""

    def __init__(self, session: Session, profile: Municipality, *, focus_hours: int = 72,
                 ack_minutes: int = 5) -> None:
        self.session = session
        self.profile = profile
        self.focus_window = timedelta(hours=focus_hours)
        self.ack_window = timedelta(minutes=ack_minutes)

    @classmethod
    def from_config(cls, session: Session, profile: Municipality, config: dict) -> ThreadService:
        return cls(session, profile, focus_hours=config["THREAD_FOCUS_HOURS"],
                   ack_minutes=config["THREAD_ACK_MINUTES"])

    def open_records(self, resident: Resident, now: datetime | None = None) -> list[IntakeRecord]:
        """The resident's open records, the one the conversation last turned to first, then the newest."""
        records = self.session.scalars(
            select(IntakeRecord).where(
                IntakeRecord.resident_id == resident.id,
                IntakeRecord.municipality == self.profile.code,
                IntakeRecord.status.in_(RecordStatus.OPEN),
            )
        ).all()
        now = now or utcnow()
        return sorted(records, key=lambda record: (self.last_turn(record, now) or record.created_at, record.id),
                      reverse=True)

    def addressee(self, resident: Resident, now: datetime | None = None) -> Addressee:
        """The record a message of the resident goes to, or the records to ask them about."""
        now = now or utcnow()
        records = self.open_records(resident, now)
        if not records:
            return Addressee(None)
        if len(records) == 1 or self.last_turn(records[0], now) is not None:
            return Addressee(records[0])
        return Addressee(None, records)

    def last_turn(self, record: IntakeRecord, now: datetime) -> datetime | None:
        """When the conversation last turned to the record, if recently enough to count; else None."""
        turns = []
        if record.focused_at is not None and record.focused_at >= now - self.focus_window:
            turns.append(record.focused_at)  # staff wrote on it, or the resident chose it
        if record.created_at >= now - NEW_RECORD_TURN:
            turns.append(record.created_at)
        return max(turns, default=None)

    def recently(self, moment: str | None, now: datetime | None = None) -> bool:
        """True when ``moment`` (ISO, as a flow stores it) is within ``THREAD_ACK_MINUTES``: one answer per burst."""
        if not moment:
            return False
        return (now or utcnow()) - datetime.fromisoformat(moment) < self.ack_window

    def focus(self, record: IntakeRecord, now: datetime | None = None) -> None:
        """The conversation now turns to this record: the resident's next messages go there."""
        record.focused_at = now or utcnow()

    def ack_due(self, record: IntakeRecord, now: datetime | None = None) -> bool:
        """True when a message joining the record should be answered with an acknowledgement.

        False within ``THREAD_ACK_MINUTES`` of the last one, unless staff have answered since.
        """
        last = record.acked_at
        if last is None or (now or utcnow()) - last >= self.ack_window:
            return True
        return self._staff_wrote_since(record, last)

    def acknowledged(self, record: IntakeRecord, now: datetime | None = None) -> None:
        """The resident has just been told a message reached the record."""
        record.acked_at = now or utcnow()

    def burst_ended(self, resident: Resident) -> None:
        """The bot answered the resident with something else: their next message to a record is acknowledged again."""
        self.session.execute(
            update(IntakeRecord)
            .where(IntakeRecord.resident_id == resident.id, IntakeRecord.acked_at.is_not(None))
            .values(acked_at=None)
        )

    def _staff_wrote_since(self, record: IntakeRecord, since: datetime) -> bool:
        latest = self.session.scalars(
            select(IntakeMessage.created_at)
            .where(IntakeMessage.record_id == record.id, IntakeMessage.direction == IntakeMessage.FROM_STAFF)
            .order_by(IntakeMessage.created_at.desc())
            .limit(1)
        ).first()
        return latest is not None and latest > since
