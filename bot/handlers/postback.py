"""Postbacks: buttons and quick replies carry ``<flow>:<action>[:<arg>]``."""
from __future__ import annotations

from bot.flows.context import EventContext
from bot.flows import FLOWS
from bot.handlers.common import active_flow, continue_flow, start_menu_item
from bot.flows.menu import menu_chips, menu_item
from bot.messaging.build import text


def parse(data: str) -> tuple[str, str, str]:
    scope, _, rest = (data or "").partition(":")
    action, _, arg = rest.partition(":")
    return scope, action, arg


def handle(ctx: EventContext) -> None:
    scope, action, arg = parse(ctx.event.postback.data)
    params = dict(ctx.event.postback.params or {})
    if scope == "menu":
        item = menu_item(action)
        if item is not None:
            start_menu_item(ctx, item)
            return
    flow = active_flow(ctx)
    if flow is not None and flow.name == scope:
        continue_flow(flow, flow.on_postback(action, arg, params))
        return
    flow_class = FLOWS.get(scope)
    if flow_class is not None and flow_class.enter(ctx, action, arg, params):
        return
    # A button from an old message whose conversation has ended.
    ctx.answer(
        text(ctx._("このボタンの受付は終了しています。もう一度、下のボタンから選んでください。"), menu_chips(ctx))
    )
