"""見守り's periodic work: create the due check-in slots, send them, and escalate silence.

Each batch of slots is claimed and marked sent in the same transaction that
queues its pushes (bot/services/watch.py): a worker killed mid-run leaves
the rest of the slots due for the next run, and none is sent twice.
"""
from __future__ import annotations

import logging
from datetime import datetime
from typing import TYPE_CHECKING

from huey import crontab

from bot.models import utcnow
from bot.services.watch import CLAIM_BATCH, WatchService
from bot.tasks.events import deliver_notices
from bot.tasks.queue import current, huey

if TYPE_CHECKING:
    from bot.container import Tsunagu

log = logging.getLogger(__name__)


def run_watch(tsunagu: Tsunagu, now: datetime | None = None, *, batch: int = CLAIM_BATCH) -> set[str]:
    """Schedule, send and escalate what is due at ``now``; return the LINE user ids with pushes queued."""
    clock = (lambda: now) if now is not None else (tsunagu.config.get("CLOCK") or utcnow)
    with tsunagu.db.transaction() as session:
        created = WatchService(session, tsunagu.profile, clock).schedule()
    recipients: set[str] = set()
    sent = escalated = 0
    for step in ("send_due", "escalate_due"):
        while True:  # one small transaction per batch: a crash loses nothing that committed
            with tsunagu.db.transaction() as session:
                service = WatchService(session, tsunagu.profile, clock)
                done = service.send_due(batch) if step == "send_due" else service.escalate_due(batch)
                recipients |= service.recipients
            if step == "send_due":
                sent += done
            else:
                escalated += done
            if done < batch:
                break
    if created or sent or escalated:
        log.info("watch: %d slots created, %d check-ins claimed, %d escalation steps", created, sent, escalated)
    return recipients


@huey.periodic_task(crontab(minute="*/5"))
def watch_check_ins() -> None:
    """Send the check-ins that are due and take the next step where nobody answered."""
    deliver_notices(run_watch(current()))
