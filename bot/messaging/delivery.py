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

from sqlalchemy import or_, select, update

from bot.db import Database
from bot.messaging.line_api import LineApi, LineApiError
from bot.models import OutboundMessage, Resident, utcnow

log = logging.getLogger(__name__)

LEASE_SECONDS = 60
_SKIPPED = object()  # a message skipped because the resident blocked the account


@dataclass
class DeliveryRun:
    sent: int = 0
    failed: int = 0
    retry_at: datetime | None = None  # when the oldest unfinished message is due again


class Deliverer:
    """Sends one recipient's pending messages, oldest first."""

    def __init__(self, db: Database, api: LineApi, *, max_attempts: int, backoff_base: float, backoff_cap: float) -> None:
        self.db = db
        self.api = api
        self.max_attempts = max_attempts
        self.backoff_base = backoff_base
        self.backoff_cap = backoff_cap

    def deliver_to(self, recipient: str) -> DeliveryRun:
        run = DeliveryRun()
        while True:
            message = self._claim_next(recipient, run)
            if message is _SKIPPED:
                continue
            if message is None:
                return run
            self._attempt(message, run)

    def _claim_next(self, recipient: str, run: DeliveryRun):  # noqa: ANN201
        now = utcnow()
        with self.db.transaction() as session:
            oldest = session.scalars(
                select(OutboundMessage)
                .where(
                    OutboundMessage.to == recipient,
                    OutboundMessage.status.in_([OutboundMessage.PENDING, OutboundMessage.SENDING]),
                )
                .order_by(OutboundMessage.id)
                .limit(1)
            ).first()
            if oldest is None:
                return None
            if oldest.status == OutboundMessage.SENDING and oldest.claimed_until and oldest.claimed_until > now:
                return None  # another worker is sending it; it will carry on after
            if oldest.next_attempt_at > now:
                # Later messages wait too, so a resident never reads them out of order.
                run.retry_at = oldest.next_attempt_at
                return None
            claimed = session.execute(
                update(OutboundMessage)
                .where(
                    OutboundMessage.id == oldest.id,
                    or_(
                        OutboundMessage.status == OutboundMessage.PENDING,
                        OutboundMessage.claimed_until < now,
                    ),
                )
                .values(
                    status=OutboundMessage.SENDING,
                    claimed_until=now + timedelta(seconds=LEASE_SECONDS),
                    attempts=OutboundMessage.attempts + 1,
                    # A worker that died while sending may have used the reply token:
                    # a refused token then means delivered, never "push it again".
                    reply_outcome_unknown=oldest.reply_outcome_unknown or oldest.status == OutboundMessage.SENDING,
                )
                .execution_options(synchronize_session=False)
            ).rowcount
            if claimed != 1:
                return None
            session.refresh(oldest)
            resident = session.get(Resident, oldest.resident_id) if oldest.resident_id else None
            if resident is not None and resident.is_blocked:
                oldest.status = OutboundMessage.SKIPPED
                oldest.last_error = "resident has blocked the account"
                oldest.claimed_until = None
                return _SKIPPED
            session.expunge(oldest)
            return oldest

    def _attempt(self, message: OutboundMessage, run: DeliveryRun) -> None:
        now = utcnow()
        use_reply = bool(message.reply_token and message.reply_deadline and message.reply_deadline > now)
        try:
            if use_reply:
                request_id = self.api.reply(message.reply_token, message.messages)
                self._finish(message, OutboundMessage.SENT, delivered_by="reply", request_id=request_id)
            else:
                request_id = self.api.push(message.to, message.messages, message.retry_key)
                self._finish(message, OutboundMessage.SENT, delivered_by="push", request_id=request_id)
            run.sent += 1
        except LineApiError as error:
            self._handle_error(message, error, use_reply, run)

    def _handle_error(self, message: OutboundMessage, error: LineApiError, used_reply: bool, run: DeliveryRun) -> None:
        if used_reply and error.invalid_reply_token:
            if message.reply_outcome_unknown:
                # Our earlier attempt reached LINE and used the token.
                self._finish(message, OutboundMessage.SENT, delivered_by="reply", note="reply token used by an earlier attempt")
                run.sent += 1
            else:
                # Token expired or unusable: push instead, straight away.
                self._reschedule(message, utcnow(), error, drop_reply_token=True)
            return
        if not used_reply and error.status == 409:
            self._finish(message, OutboundMessage.SENT, delivered_by="push", note="retry key already accepted")
            run.sent += 1
            return
        if error.retryable and message.attempts < self.max_attempts:
            delay = min(self.backoff_base * 2 ** (message.attempts - 1), self.backoff_cap)
            due = utcnow() + timedelta(seconds=delay)
            self._reschedule(message, due, error, reply_outcome_unknown=used_reply and error.status != 429)
            run.retry_at = due
            return
        log.warning("outbound message %s failed for good: %s", message.id, error.status)
        self._finish(message, OutboundMessage.FAILED, error=str(error))
        run.failed += 1

    def _finish(self, message, status, *, delivered_by=None, request_id=None, note=None, error=None):  # noqa: ANN001
        with self.db.transaction() as session:
            session.execute(
                update(OutboundMessage)
                .where(OutboundMessage.id == message.id)
                .values(
                    status=status,
                    claimed_until=None,
                    delivered_by=delivered_by,
                    line_request_id=request_id,
                    sent_at=utcnow() if status == OutboundMessage.SENT else None,
                    last_error=error or note,
                )
            )

    def _reschedule(self, message, due, error, *, drop_reply_token=False, reply_outcome_unknown=False):  # noqa: ANN001
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
        with self.db.transaction() as session:
            session.execute(update(OutboundMessage).where(OutboundMessage.id == message.id).values(**values))
