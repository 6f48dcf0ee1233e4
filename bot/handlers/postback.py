"""Postbacks: a tapped button goes to the flow its data names (codes in bot/flows/postbacks.py)."""
from __future__ import annotations

from bot.flows.context import EventContext
from bot.flows.menu import menu_chips, menu_item
from bot.flows.postbacks import MenuTap, TabTap, WatchTap, parse
from bot.flows.registry import FLOWS
from bot.handlers.common import active_flow, continue_flow, start_menu_item
from bot.handlers.watch import answer_check_in_tap
from bot.messaging.build import text
from bot.messaging.richmenu import tab_tapped


def handle(ctx: EventContext) -> None:
    tap = parse(ctx.event.postback.data, ctx.event.postback.params)
    if tap.scope == TabTap.SCOPE:
        tab_tapped(tap)  # LINE has switched the menu: nothing to say
        return
    if tap.scope == MenuTap.SCOPE:
        item = menu_item(tap.action)
        if item is not None:
            start_menu_item(ctx, item)
            return
    if tap.scope == WatchTap.SCOPE and answer_check_in_tap(ctx, tap):
        return
    flow = active_flow(ctx)
    if flow is not None and flow.name == tap.scope:
        continue_flow(flow, flow.on_postback(tap))
        return
    flow_class = FLOWS.get(tap.scope)
    if flow_class is not None and flow_class.enter(ctx, tap):
        return
    # A button from an old message whose conversation has ended.
    ctx.answer(
        text(ctx._("このボタンの受付は終了しています。もう一度、下のボタンから選んでください。"), menu_chips(ctx))
    )
