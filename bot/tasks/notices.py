"""The notices' tasks: send a notice's batches, and each minute queue due notices and resume stopped sends."""
from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from huey import crontab
from sqlalchemy import or_, select

from bot.messaging.notice_delivery import NoticeSender
from bot.models import utcnow
from bot.models.notices import NoticeBatch
from bot.services.notices import NoticeService
from bot.tasks.queue import current, huey

if TYPE_CHECKING:
    from bot.container import Tsunagu


@huey.task()
def send_notice(notice_id: int) -> None:
    """Send a notice's due batches; come back when a retry is due."""
    tsunagu = current()
    config = tsunagu.config
    run = NoticeSender(
        tsunagu.db, tsunagu.line, tsunagu.profile,
        per_second=config["NOTICE_MULTICASTS_PER_SECOND"],
        max_attempts=config["OUTBOX_MAX_ATTEMPTS"],
        backoff_base=config["OUTBOX_BACKOFF_BASE"],
        backoff_cap=config["OUTBOX_BACKOFF_CAP"],
    ).send(notice_id)
    if run.retry_at is not None:
        send_notice.schedule((notice_id,), delay=max((run.retry_at - utcnow()).total_seconds(), 0.0))


@huey.periodic_task(crontab(minute="*"))
def notices_due() -> None:
    """Queue the scheduled notices whose time has come; resume sends a lost task or a killed worker left."""
    sweep_notices(current(), utcnow())


def sweep_notices(tsunagu: Tsunagu, now: datetime) -> list[int]:
    """Queue due notices and return the notices with batches to send (each gets a ``send_notice`` task)."""
    grace = timedelta(seconds=tsunagu.config["SWEEP_GRACE_SECONDS"])
    with tsunagu.db.transaction() as session:
        service = NoticeService(session, tsunagu.profile)
        started = [notice.id for notice in service.due(now) if service.queue(notice, now) >= 0]
        stalled = set(session.scalars(
            select(NoticeBatch.notice_id).where(or_(
                (NoticeBatch.status == NoticeBatch.PENDING) & (NoticeBatch.next_attempt_at < now - grace),
                (NoticeBatch.status == NoticeBatch.SENDING) & (NoticeBatch.claimed_until < now),
            )).distinct()
        ))
    notice_ids = sorted(set(started) | stalled)
    for notice_id in notice_ids:
        send_notice(notice_id)
    return notice_ids
