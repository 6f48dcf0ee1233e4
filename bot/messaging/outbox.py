"""The outbox: every message to a resident is stored before it is sent.

Handlers and services add messages inside their own transaction; the worker
delivers them after commit (:mod:`bot.messaging.delivery`). A message that
breaks LINE's limits is refused here, while the bug is still ours.
"""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from bot.messaging.limits import validate_messages
from bot.models import OutboundMessage, Resident, utcnow

MAX_MESSAGES_PER_REQUEST = 5


class ResidentBlocked(Exception):
    """The resident has blocked the account; LINE must not be called."""


class Outbox:
    """Queues replies and pushes in the caller's transaction."""

    def __init__(self, session: Session, reply_fresh_seconds: int = 50) -> None:
        self.session = session
        self.reply_fresh_seconds = reply_fresh_seconds
        self.queued: list[OutboundMessage] = []

    def reply(
        self,
        recipient: str,
        resident: Resident | None,
        reply_token: str | None,
        event_at: datetime | None,
        messages: list[dict],
        *,
        source_event_id: int | None = None,
    ) -> list[OutboundMessage]:
        """Answer an event: by reply token while it is fresh, else by push."""
        deadline = None
        if reply_token:
            deadline = (event_at or utcnow()) + timedelta(seconds=self.reply_fresh_seconds)
        return self._queue(recipient, resident, messages, "reply", reply_token, deadline, source_event_id)

    def push(self, resident: Resident, messages: list[dict], purpose: str) -> list[OutboundMessage]:
        """Send later-initiated messages (staff replies, reminders) by push."""
        if resident.is_blocked:
            raise ResidentBlocked(resident.id)
        return self._queue(resident.line_user_id, resident, messages, purpose, None, None, None)

    def _queue(self, recipient, resident, messages, purpose, reply_token, deadline, source_event_id):  # noqa: ANN001
        if not messages:
            return []
        rows = []
        # LINE takes at most five messages a request; the first batch may use
        # the reply token, the rest are pushed.
        for start in range(0, len(messages), MAX_MESSAGES_PER_REQUEST):
            batch = messages[start : start + MAX_MESSAGES_PER_REQUEST]
            validate_messages(batch)
            row = OutboundMessage(
                resident_id=resident.id if resident is not None else None,
                to=recipient,
                reply_token=reply_token if start == 0 else None,
                reply_deadline=deadline if start == 0 else None,
                messages=batch,
                purpose=purpose,
                source_event_id=source_event_id,
                # Later batches must not overtake the first one.
                next_attempt_at=utcnow(),
            )
            self.session.add(row)
            rows.append(row)
        self.session.flush()
        self.queued.extend(rows)
        return rows
