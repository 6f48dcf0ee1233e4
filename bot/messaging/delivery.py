"""Delivering the outbox to LINE: in order per resident, with retries.

Rules (LINE Messaging API):
- A reply token works once and for about a minute; we use it for 50 s.
- A push carries ``X-Line-Retry-Key``; LINE answers 409 to a key it has
  already accepted, so a retried push is never delivered twice.
- Timeouts, 5xx and 429 are retried with exponential back-off; any other
  4xx is final.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import or_, select, update

from bot.db import Database
from bot.messaging.line_api import LineApi, LineApiError
from bot.models import OutboundMessage, Resident, utcnow

log = logging.getLogger(__name__)

LEASE_SECONDS = 60
_SKIPPED = object()  # a message skipped because the resident blocked the account


@dataclass(frozen=True)
class Outcome:
    """How an attempt went: the values its outbox row gets."""

    message_id: int
    values: dict[str, Any]


@dataclass
class DeliveryRun:
    sent: int = 0
    failed: int = 0
    retry_at: datetime | None = None  # when the oldest unfinished message is due again


class Deliverer:
    """Sends one recipient's pending messages, oldest first.

    Each message costs two short transactions: one claims it, and the next
    one records how it went and claims the following message (or finds
    none). Nothing is held while LINE is being called.
    """

    def __init__(self, db: Database, api: LineApi, *, max_attempts: int, backoff_base: float, backoff_cap: float) -> None:
        self.db = db
        self.api = api
        self.max_attempts = max_attempts
        self.backoff_base = backoff_base
        self.backoff_cap = backoff_cap

    def deliver_to(self, recipient: str) -> DeliveryRun:
        run = DeliveryRun()
        outcome: Outcome | None = None
        while True:
            message = self._settle_and_claim(recipient, run, outcome)
            outcome = None
            if message is _SKIPPED:
                continue
            if message is None:
                return run
            outcome = self._attempt(message, run)

    def _settle_and_claim(self, recipient: str, run: DeliveryRun, outcome: Outcome | None):  # noqa: ANN202
        """Record the last message's outcome, then claim the recipient's next message, in one transaction."""
        with self.db.transaction() as session:
            if outcome is not None:
                session.execute(
                    update(OutboundMessage)
                    .where(OutboundMessage.id == outcome.message_id)
                    .values(**outcome.values)
                    .execution_options(synchronize_session=False)
                )
            return self._claim_next(session, recipient, run)

    def _claim_next(self, session, recipient: str, run: DeliveryRun):  # noqa: ANN001, ANN202
        now = utcnow()
        found = session.execute(
            select(OutboundMessage, Resident.blocked_at)
            .outerjoin(Resident, Resident.id == OutboundMessage.resident_id)
            .where(
                OutboundMessage.to == recipient,
                OutboundMessage.status.in_([OutboundMessage.PENDING, OutboundMessage.SENDING]),
            )
            .order_by(OutboundMessage.id)
            .limit(1)
        ).first()
        if found is None:
            return None
        oldest, blocked_at = found
        if oldest.status == OutboundMessage.SENDING and oldest.claimed_until and oldest.claimed_until > now:
            return None  # another worker is sending it; it will carry on after
        if oldest.next_attempt_at > now:
            # Later messages wait too, so a resident never reads them out of order.
            run.retry_at = oldest.next_attempt_at
            return None
        if blocked_at is not None:
            oldest.status = OutboundMessage.SKIPPED
            oldest.last_error = "resident has blocked the account"
            oldest.claimed_until = None
            return _SKIPPED
        claim = {
            "status": OutboundMessage.SENDING,
            "claimed_until": now + timedelta(seconds=LEASE_SECONDS),
            "attempts": oldest.attempts + 1,
            # A worker that died while sending may have used the reply token:
            # a refused token then means delivered, never "push it again".
            "reply_outcome_unknown": oldest.reply_outcome_unknown or oldest.status == OutboundMessage.SENDING,
        }
        claimed = session.execute(
            update(OutboundMessage)
            .where(
                OutboundMessage.id == oldest.id,
                # Unchanged since we read it: another worker has not claimed it meanwhile.
                OutboundMessage.attempts == oldest.attempts,
                or_(
                    OutboundMessage.status == OutboundMessage.PENDING,
                    OutboundMessage.claimed_until < now,
                ),
            )
            .values(**claim)
            .execution_options(synchronize_session=False)
        ).rowcount
        if claimed != 1:
            return None
        session.expunge(oldest)
        for field, value in claim.items():
            setattr(oldest, field, value)
        return oldest

    def _attempt(self, message: OutboundMessage, run: DeliveryRun) -> Outcome:
        now = utcnow()
        use_reply = bool(message.reply_token and message.reply_deadline and message.reply_deadline > now)
        try:
            if use_reply:
                request_id = self.api.reply(message.reply_token, message.messages)
                outcome = self._finish(message, OutboundMessage.SENT, delivered_by="reply", request_id=request_id)
            else:
                request_id = self.api.push(message.to, message.messages, message.retry_key)
                outcome = self._finish(message, OutboundMessage.SENT, delivered_by="push", request_id=request_id)
            run.sent += 1
            return outcome
        except LineApiError as error:
            return self._handle_error(message, error, use_reply, run)

    def _handle_error(self, message: OutboundMessage, error: LineApiError, used_reply: bool, run: DeliveryRun) -> Outcome:
        if used_reply and error.invalid_reply_token:
            if message.reply_outcome_unknown:
                # Our earlier attempt reached LINE and used the token.
                run.sent += 1
                return self._finish(message, OutboundMessage.SENT, delivered_by="reply",
                                    note="reply token used by an earlier attempt")
            # Token expired or unusable: push instead, straight away.
            return self._reschedule(message, utcnow(), error, drop_reply_token=True)
        if not used_reply and error.status == 409:
            run.sent += 1
            return self._finish(message, OutboundMessage.SENT, delivered_by="push", note="retry key already accepted")
        if error.retryable and message.attempts < self.max_attempts:
            delay = min(self.backoff_base * 2 ** (message.attempts - 1), self.backoff_cap)
            due = utcnow() + timedelta(seconds=delay)
            run.retry_at = due
            return self._reschedule(message, due, error, reply_outcome_unknown=used_reply and error.status != 429)
        log.warning("outbound message %s failed for good: %s", message.id, error.status)
        run.failed += 1
        return self._finish(message, OutboundMessage.FAILED, error=str(error))

    @staticmethod
    def _finish(message, status, *, delivered_by=None, request_id=None, note=None, error=None) -> Outcome:  # noqa: ANN001
        return Outcome(message.id, {
            "status": status,
            "claimed_until": None,
            "delivered_by": delivered_by,
            "line_request_id": request_id,
            "sent_at": utcnow() if status == OutboundMessage.SENT else None,
            "last_error": error or note,
        })

    @staticmethod
    def _reschedule(message, due, error, *, drop_reply_token=False, reply_outcome_unknown=False) -> Outcome:  # noqa: ANN001
        values = {
            "status": OutboundMessage.PENDING,
            "claimed_until": None,
            "next_attempt_at": due,
            "last_error": str(error),
        }
        if drop_reply_token:
            values["reply_token"] = None
        if reply_outcome_unknown:
            values["reply_outcome_unknown"] = True
        return Outcome(message.id, values)
