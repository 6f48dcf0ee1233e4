"""unsend: the resident took a message back; remove it wherever we kept it."""
from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import select

from bot.flows.context import EventContext
from bot.handlers.intake import remove_unsent
from bot.models import InboxEvent
from bot.inbox.store import redact

# Services that keep what residents write register a remover here:
# ``remove(session, resident, message_id)``.
REMOVERS: list[Callable] = [remove_unsent]


def handle(ctx: EventContext) -> None:
    message_id = ctx.event.unsend.message_id
    candidates = ctx.session.scalars(
        select(InboxEvent).where(
            InboxEvent.source_key == ctx.row.source_key, InboxEvent.event_type == "message"
        )
    )
    for row in candidates:
        if (row.payload.get("message") or {}).get("id") == message_id:
            payload = redact(row.payload)
            payload["message"]["unsent"] = True
            row.payload = payload
    for remove in REMOVERS:
        remove(ctx.session, ctx.resident, message_id)
