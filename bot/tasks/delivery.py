"""The outbox's task: send a recipient's queued messages to LINE."""
from __future__ import annotations

from bot.messaging.delivery import Deliverer
from bot.models import utcnow
from bot.tasks.queue import current, huey


@huey.task()
def deliver_to(recipient: str) -> None:
    """Send a recipient's queued messages in order; come back when a retry is due."""
    tsunagu = current()
    config = tsunagu.config
    run = Deliverer(
        tsunagu.db,
        tsunagu.line,
        max_attempts=config["OUTBOX_MAX_ATTEMPTS"],
        backoff_base=config["OUTBOX_BACKOFF_BASE"],
        backoff_cap=config["OUTBOX_BACKOFF_CAP"],
    ).deliver_to(recipient)
    if run.retry_at is not None:
        delay = max((run.retry_at - utcnow()).total_seconds(), 0.0)
        deliver_to.schedule((recipient,), delay=delay)
