"""The events' periodic work: reminders the day before.

Exactly once, even with several workers or after a restart: each reminder
is claimed in the database (``SignUp.reminded_at``) in the same transaction
that queues its push in the outbox, and the outbox's retry key keeps LINE
from delivering one push twice.
"""
from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING

from huey import crontab

from bot.models import utcnow
from bot.services.events import EventService
from bot.tasks.delivery import deliver_to
from bot.tasks.queue import current, huey

if TYPE_CHECKING:
    from bot.container import Tsunagu

log = logging.getLogger(__name__)


def send_due_reminders(tsunagu: Tsunagu, now: datetime | None = None) -> set[str]:
    """Queue every reminder that is due; return the LINE user ids to deliver to."""
    config = tsunagu.config
    clock = (lambda: now) if now is not None else utcnow
    hour, minute = config["EVENT_REMINDER_HOUR"], config["EVENT_REMINDER_MINUTE"]
    with tsunagu.db.transaction() as session:
        due = EventService(session, tsunagu.profile, clock).due_reminders(hour, minute)
    recipients: set[str] = set()
    sent = 0
    for signup_id in due:
        # One small transaction per sign-up: a crash leaves the rest for the next run.
        with tsunagu.db.transaction() as session:
            service = EventService(session, tsunagu.profile, clock)
            if service.send_reminder(signup_id):
                sent += 1
                recipients |= service.notified_recipients
    if sent:
        log.info("queued %d event reminders", sent)
    return recipients


@huey.periodic_task(crontab(minute="*/5"))
def event_reminders() -> None:
    """Push tomorrow's reminders once the configured time has come."""
    send_event_reminders_now(current())


def send_event_reminders_now(tsunagu: Tsunagu, now: datetime | None = None) -> set[str]:
    """Queue the reminders that are due, then deliver them; return the LINE user ids told."""
    recipients = send_due_reminders(tsunagu, now)
    deliver_notices(recipients)
    return recipients


def deliver_notices(recipients: Iterable[str]) -> None:
    """After staff changed events (and the transaction committed), deliver the pushes now."""
    for recipient in recipients:
        deliver_to(recipient)
