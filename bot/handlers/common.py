"""What several handlers share: finding the active flow and starting menu items."""
from __future__ import annotations

from bot.flows.context import EventContext
from bot.flows.base import Flow
from bot.flows.registry import FLOWS, flow_for
from bot.flows.menu import MenuItem, contact_details, fallback


def active_flow(ctx: EventContext) -> Flow | None:
    conversation = ctx.conversations.active(ctx.resident)
    if conversation is None:
        return None
    flow = flow_for(ctx, conversation)
    if flow is None:
        ctx.conversations.end(conversation, "cancelled")
    return flow


def start_menu_item(ctx: EventContext, item: MenuItem) -> None:
    flow_class = FLOWS.get(item.flow)
    if flow_class is not None:
        flow_class.begin(ctx)
    elif item.code in {"consult", "phone"}:
        ctx.answer(*contact_details(ctx))
    else:
        ctx.answer(*fallback(ctx))


def continue_flow(flow: Flow, handled: bool) -> None:
    """Save what the flow did, or ask its question again when it did not understand."""
    if not handled:
        flow.remind()
    flow.save()
