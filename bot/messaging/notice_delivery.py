"""Sending notices: one multicast per stored batch, each exactly once.

Rules (LINE Messaging API):
- a multicast takes at most 500 recipients (the batches were cut so);
- it carries the batch's ``X-Line-Retry-Key``, stored when the batch was
  queued: after a timeout or a killed worker the batch is sent again with
  the same key and LINE answers 409 instead of delivering twice;
- a 429 means nothing was sent: it and 5xx are retried with back-off;
- requests are paced to ``NOTICE_MULTICASTS_PER_SECOND`` (LINE allows 200
  multicasts a second per channel).

A claimed batch is leased; a worker killed while sending leaves a lease that
runs out, and the sweeper (bot/tasks/notices.py) sends the batch again.
"""
from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import or_, select, update

from bot.db import Database
from bot.messaging.line_api import LineApi, LineApiError
from bot.models import utcnow
from bot.models.notices import Notice, NoticeBatch
from bot.municipality import Municipality
from bot.services.notices import NoticeService

log = logging.getLogger(__name__)

LEASE_SECONDS = 60


@dataclass
class NoticeRun:
    sent: int = 0  # batches
    failed: int = 0
    retry_at: datetime | None = None  # when the next batch waiting on a back-off is due


class NoticeSender:
    """Sends a notice's due batches one multicast at a time, nothing held while LINE is called."""

    def __init__(self, db: Database, api: LineApi, profile: Municipality, *, per_second: float,
                 max_attempts: int, backoff_base: float, backoff_cap: float) -> None:
        self.db = db
        self.api = api
        self.profile = profile
        self.interval = 1.0 / per_second if per_second > 0 else 0.0
        self.max_attempts = max_attempts
        self.backoff_base = backoff_base
        self.backoff_cap = backoff_cap
        self._messages: dict[tuple[int, str], list[dict]] = {}
        self._last_request = 0.0

    def send(self, notice_id: int) -> NoticeRun:
        run = NoticeRun()
        while True:
            batch = self._claim(notice_id, run)
            if batch is None:
                break
            self._attempt(batch, run)
        with self.db.transaction() as session:
            NoticeService(session, self.profile).finish_if_done(notice_id)
        return run

    def _claim(self, notice_id: int, run: NoticeRun) -> NoticeBatch | None:
        now = utcnow()
        with self.db.transaction() as session:
            candidates = session.scalars(
                select(NoticeBatch).where(
                    NoticeBatch.notice_id == notice_id,
                    or_(NoticeBatch.status == NoticeBatch.PENDING,
                        (NoticeBatch.status == NoticeBatch.SENDING) & (NoticeBatch.claimed_until < now)),
                ).order_by(NoticeBatch.next_attempt_at, NoticeBatch.id).limit(20)
            ).all()
            for batch in candidates:
                if batch.next_attempt_at > now:
                    run.retry_at = min(filter(None, [run.retry_at, batch.next_attempt_at]))
                    continue
                claimed = session.execute(
                    update(NoticeBatch)
                    .where(NoticeBatch.id == batch.id, NoticeBatch.attempts == batch.attempts)
                    .values(status=NoticeBatch.SENDING, attempts=batch.attempts + 1,
                            claimed_until=now + timedelta(seconds=LEASE_SECONDS))
                    .execution_options(synchronize_session=False)
                ).rowcount
                if claimed == 1:
                    session.expunge(batch)
                    batch.attempts += 1
                    if (batch.notice_id, batch.locale) not in self._messages:
                        notice = session.get(Notice, batch.notice_id)
                        self._messages[(batch.notice_id, batch.locale)] = NoticeService(
                            session, self.profile).messages(notice, batch.locale)
                    return batch
        return None

    def _pace(self) -> None:
        wait = self._last_request + self.interval - time.monotonic()
        if wait > 0:
            time.sleep(wait)
        self._last_request = time.monotonic()

    def _attempt(self, batch: NoticeBatch, run: NoticeRun) -> None:
        self._pace()
        values: dict
        try:
            request_id = self.api.multicast(batch.recipients, self._messages[(batch.notice_id, batch.locale)],
                                            batch.retry_key)
            values = {"status": NoticeBatch.SENT, "sent_at": utcnow(), "line_request_id": request_id,
                      "last_error": None}
            run.sent += 1
        except LineApiError as error:
            if error.status == 409:  # an earlier attempt was accepted: delivered
                values = {"status": NoticeBatch.SENT, "sent_at": utcnow(), "last_error": "retry key already accepted"}
                run.sent += 1
            elif error.retryable and batch.attempts < self.max_attempts:
                delay = min(self.backoff_base * 2 ** (batch.attempts - 1), self.backoff_cap)
                due = utcnow() + timedelta(seconds=delay)
                values = {"status": NoticeBatch.PENDING, "next_attempt_at": due, "last_error": str(error)}
                run.retry_at = min(filter(None, [run.retry_at, due]))
            else:
                log.warning("notice batch %s failed for good: %s", batch.id, error.status)
                values = {"status": NoticeBatch.FAILED, "last_error": str(error)}
                run.failed += 1
        with self.db.transaction() as session:
            session.execute(update(NoticeBatch).where(NoticeBatch.id == batch.id)
                            .values(claimed_until=None, **values).execution_options(synchronize_session=False))
