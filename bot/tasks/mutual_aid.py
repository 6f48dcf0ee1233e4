"""住民支え合い's periodic work: reminders the day before, and the check two days after.

Each is claimed in the database (``reminded_at``, ``checked_at``) in the
transaction that queues its push, so it is sent once whatever the workers do.
"""
from __future__ import annotations

import logging
from datetime import datetime
from typing import TYPE_CHECKING

from huey import crontab

from bot.messaging.outbox import Outbox
from bot.models import utcnow
from bot.services.mutual_aid import MutualAidService
from bot.tasks.events import deliver_notices
from bot.tasks.queue import current, huey

if TYPE_CHECKING:
    from bot.container import Tsunagu

log = logging.getLogger(__name__)


def send_help_notices_now(tsunagu: Tsunagu, now: datetime | None = None) -> set[str]:
    """Queue the reminders and checks that are due, then deliver them; return the LINE user ids told."""
    clock = (lambda: now) if now is not None else utcnow
    with tsunagu.db.transaction() as session:
        outbox = Outbox(session)
        service = MutualAidService(session, tsunagu.profile, clock, outbox=outbox)
        reminded, checked = service.send_reminders(), service.send_checks()
        recipients = {row.to for row in outbox.queued}
    if reminded or checked:
        log.info("queued %d help reminders and %d checks", reminded, checked)
    deliver_notices(recipients)
    return recipients


@huey.periodic_task(crontab(minute="*/5"))
def help_notices() -> None:
    send_help_notices_now(current())
