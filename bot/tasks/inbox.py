"""The webhook's work: each resident's pending events, handled in order, then the answers sent."""
from __future__ import annotations

from bot.handlers.processing import EventProcessor
from bot.tasks.delivery import deliver_to
from bot.tasks.queue import current, huey


@huey.task()
def process_source(source: str) -> None:
    """Handle one resident's pending events in order, then send the answers."""
    recipients = EventProcessor(current()).process_source(source)
    for recipient in recipients:
        # In this task, not a new one: the reply token is only good for a minute.
        deliver_to.call_local(recipient)


@huey.task()
def process_sources(sources: list[str]) -> None:
    """Handle a webhook delivery: one resident at once here, several in parallel tasks."""
    if len(sources) == 1:
        process_source.call_local(sources[0])
        return
    for source in sources:
        process_source(source)
