"""unfollow: the resident blocked the account. Nothing may be pushed to them."""
from __future__ import annotations

from bot.flows.context import EventContext
from bot.services.watch import WatchService


def handle(ctx: EventContext) -> None:
    ctx.residents.blocked(ctx.resident)
    WatchService(ctx.session, ctx.profile).stop_for_resident(ctx.resident, "blocked")
    conversation = ctx.conversations.active(ctx.resident)
    if conversation is not None:
        ctx.conversations.end(conversation, "cancelled")
