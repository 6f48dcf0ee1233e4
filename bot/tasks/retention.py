"""The daily retention task: consultations kept past the profile's period are anonymised or deleted."""
from __future__ import annotations

import logging
from datetime import datetime
from typing import TYPE_CHECKING

from huey import crontab

from bot.models import utcnow
from bot.services.retention import RetentionRun, RetentionService
from bot.tasks.queue import current, huey

if TYPE_CHECKING:
    from bot.container import Tsunagu

log = logging.getLogger(__name__)


# 03:30 in Japan (huey's crontab reads UTC): a quiet hour for the database.
@huey.periodic_task(crontab(hour="18", minute="30"))
def apply_retention() -> None:
    """Anonymise or delete the records whose retention period ended (bot/services/retention.py)."""
    apply_retention_now(current(), utcnow())


def apply_retention_now(tsunagu: Tsunagu, now: datetime, *, dry_run: bool = False, via: str = "worker") -> RetentionRun:
    """One run in one transaction, its audit entry included; returns what it did."""
    with tsunagu.db.transaction() as session:
        run = RetentionService(session, tsunagu.profile, now).run(dry_run=dry_run, via=via)
    if run.expired and not dry_run:
        # Counts only: receipt numbers stay in the audit log's hands.
        log.info("retention: %s %d records (%d messages, %d photos)", run.mode, len(run.expired), run.messages,
                 run.photos)
    return run
