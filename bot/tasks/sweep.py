"""The sweeper: work a lost task or a killed process left behind, queued again."""
from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from huey import crontab
from sqlalchemy import select

from bot.handlers.processing import EventProcessor
from bot.models import OutboundMessage, utcnow
from bot.tasks.delivery import deliver_to
from bot.tasks.inbox import process_source
from bot.tasks.queue import current, huey

if TYPE_CHECKING:
    from bot.container import Tsunagu

log = logging.getLogger(__name__)


@huey.periodic_task(crontab(minute="*"))
def sweep() -> None:
    """Pick up work a lost task or a killed process left behind."""
    sweep_now(current(), datetime_now=utcnow())


def sweep_now(tsunagu: Tsunagu, datetime_now: datetime) -> dict[str, int]:
    """Queue again the events and messages left pending longer than the grace period; return the counts."""
    sources = EventProcessor(tsunagu).stale_sources()
    for source in sources:
        process_source(source)
    grace = timedelta(seconds=tsunagu.config["SWEEP_GRACE_SECONDS"])
    with tsunagu.db.transaction() as session:
        recipients = list(
            session.scalars(
                select(OutboundMessage.to)
                .where(
                    (
                        (OutboundMessage.status == OutboundMessage.PENDING)
                        & (OutboundMessage.next_attempt_at < datetime_now - grace)
                    )
                    | (
                        (OutboundMessage.status == OutboundMessage.SENDING)
                        & (OutboundMessage.claimed_until < datetime_now)
                    )
                )
                .distinct()
            )
        )
    for recipient in recipients:
        deliver_to(recipient)
    if sources or recipients:
        log.info("sweeper re-queued %d sources and %d recipients", len(sources), len(recipients))
    return {"sources": len(sources), "recipients": len(recipients)}
