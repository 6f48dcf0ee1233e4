"""The events' periodic work: reminders the day before.

Exactly once, even with several workers or after a restart: each reminder
is claimed in the database (``SignUp.reminded_at``) in the same transaction
that queues its push in the outbox, and the outbox's retry key keeps LINE
from delivering one push twice.
"""
from __future__ import annotations

import logging
from datetime import datetime

from huey import crontab

from bot.models import utcnow
from bot.services.events import EventService

log = logging.getLogger(__name__)


def send_due_reminders(tsunagu, now: datetime | None = None) -> set[str]:  # noqa: ANN001
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


def register_event_tasks(huey, app, tsunagu, tasks) -> None:  # noqa: ANN001
    """Add the events' periodic tasks to the app's queue and to ``tasks``."""

    @huey.periodic_task(crontab(minute="*/5"), name="event_reminders")
    def event_reminders() -> None:
        """Push tomorrow's reminders once the configured time has come."""
        send_event_reminders_now()

    def send_event_reminders_now(now: datetime | None = None) -> set[str]:
        with app.app_context():
            recipients = send_due_reminders(tsunagu, now)
        for recipient in recipients:
            tasks.deliver_to(recipient)
        return recipients

    tasks.event_reminders = event_reminders
    tasks.send_event_reminders_now = send_event_reminders_now


def deliver_notices(tsunagu, recipients) -> None:  # noqa: ANN001
    """After staff changed events (and the transaction committed), deliver the pushes now."""
    for recipient in recipients:
        tsunagu.tasks.deliver_to(recipient)
