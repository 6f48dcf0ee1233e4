"""The worker's tasks, on huey (Redis in production, SQLite embedded).

``build_queue`` makes a queue per application, so nothing here reads the
environment at import time. The consumer loads ``bot.worker.huey``.
"""
from __future__ import annotations

import logging
from datetime import datetime, timedelta
from types import SimpleNamespace

from huey import RedisHuey, SqliteHuey, crontab
from sqlalchemy import select

from bot.tasks.events import register_event_tasks
from bot.tasks.intake import register_intake_tasks
from bot.tasks.richmenu import register_rich_menu_tasks
from bot.tasks.workflow import register_workflow_tasks
from bot.messaging.delivery import Deliverer
from bot.models import OutboundMessage, utcnow
from bot.handlers.processing import EventProcessor

log = logging.getLogger(__name__)


def make_huey(config: dict) -> object:
    name = f"tsunagu-{config['MUNICIPALITY']}"
    if config["REDIS_URL"]:
        return RedisHuey(name, url=config["REDIS_URL"], immediate=config["HUEY_IMMEDIATE"])
    # The embedded queue only wakes the worker: the events and messages it names
    # are durable in the database, and the sweeper re-queues any that a lost
    # task leaves behind. So no fsync per enqueue (WAL keeps it crash-safe for
    # the process; only a power cut can drop the newest entries, as with Redis).
    return SqliteHuey(name, filename=config["HUEY_FILE"], immediate=config["HUEY_IMMEDIATE"], fsync=False)


def build_queue(app, tsunagu):  # noqa: ANN001, ANN201
    """Create the queue and register the tasks bound to this app."""
    huey = make_huey(tsunagu.config)
    config = tsunagu.config

    def deliverer() -> Deliverer:
        return Deliverer(
            tsunagu.db,
            tsunagu.line,
            max_attempts=config["OUTBOX_MAX_ATTEMPTS"],
            backoff_base=config["OUTBOX_BACKOFF_BASE"],
            backoff_cap=config["OUTBOX_BACKOFF_CAP"],
        )

    @huey.task(name="process_source")
    def process_source(source: str) -> None:
        """Handle one resident's pending events in order, then send the answers."""
        with app.app_context():
            recipients = EventProcessor(tsunagu).process_source(source)
        for recipient in recipients:
            # In this task, not a new one: the reply token is only good for a minute.
            deliver_to.call_local(recipient)

    @huey.task(name="process_sources")
    def process_sources(sources: list[str]) -> None:
        """Handle a webhook delivery: one resident at once here, several in parallel tasks."""
        if len(sources) == 1:
            process_source.call_local(sources[0])
            return
        for source in sources:
            process_source(source)

    @huey.task(name="deliver_to")
    def deliver_to(recipient: str) -> None:
        """Send a recipient's queued messages in order; come back when a retry is due."""
        with app.app_context():
            run = deliverer().deliver_to(recipient)
        if run.retry_at is not None:
            delay = max((run.retry_at - utcnow()).total_seconds(), 0.0)
            deliver_to.schedule((recipient,), delay=delay)

    @huey.periodic_task(crontab(minute="*"), name="sweep")
    def sweep() -> None:
        """Pick up work a lost task or a killed process left behind."""
        sweep_now(datetime_now=utcnow())

    def sweep_now(datetime_now: datetime) -> dict[str, int]:
        processor = EventProcessor(tsunagu)
        sources = processor.stale_sources()
        for source in sources:
            process_source(source)
        grace = timedelta(seconds=config["SWEEP_GRACE_SECONDS"])
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

    tasks = SimpleNamespace(
        process_source=process_source,
        process_sources=process_sources,
        deliver_to=deliver_to,
        sweep=sweep,
        sweep_now=sweep_now,
    )
    register_event_tasks(huey, app, tsunagu, tasks)
    register_intake_tasks(huey, app, tsunagu, tasks)
    register_workflow_tasks(huey, app, tsunagu, tasks)
    register_rich_menu_tasks(huey, app, tsunagu, tasks)
    return huey, tasks
