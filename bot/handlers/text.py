"""Text messages: checks that come before any flow, the active flow, then the menu."""
from __future__ import annotations

from collections.abc import Callable

from bot.flows.callback import ask_for_callback
from bot.flows.context import EventContext
from bot.handlers.common import active_flow, continue_flow, start_menu_item
from bot.handlers.intake import (
    attach_to_open_record,
    continue_draft,
    danger_signal,
    keep_intake_words,
    offer_consultation,
    show_status,
)
from bot.flows.menu import asks_for_menu, fallback, item_for_text, menu_chips, show_menu
from bot.messaging.build import text
from bot.text import fold

CANCEL_WORDS = frozenset(fold(word) for word in ("やめる", "やめます", "中止", "キャンセル", "取り消し", "cancel", "stop", "quit"))

# Checks run before the active flow on every text (e.g. danger signals). Each
# returns True when it has answered and nothing else should.
BEFORE_FLOW: list[Callable[[EventContext, str], bool]] = [danger_signal, keep_intake_words, ask_for_callback]
# Interpretations of free text when no flow is active, tried in order.
WITHOUT_FLOW: list[Callable[[EventContext, str], bool]] = [
    show_status, continue_draft, attach_to_open_record, offer_consultation,
]


def is_cancel(typed: str) -> bool:
    return fold(typed) in CANCEL_WORDS


def handle(ctx: EventContext) -> None:
    typed = ctx.event.message.text or ""
    for check in BEFORE_FLOW:
        if check(ctx, typed):
            return
    flow = active_flow(ctx)
    if flow is not None:
        if is_cancel(typed):
            note = flow.cancel()  # one bubble: what the flow did with the answers, then 中止しました
            ctx.answer(text("\n".join(filter(None, [note, ctx._("中止しました。ほかにご用件があれば選んでください。")])),
                            menu_chips(ctx)))
            return
        if asks_for_menu(typed):
            ctx.answer(*show_menu(ctx, lead=flow.cancel()))
            return
        continue_flow(flow, flow.on_text(typed))
        return
    item = item_for_text(typed)
    if item is not None:
        start_menu_item(ctx, item)
        return
    for interpret in WITHOUT_FLOW:
        if interpret(ctx, typed):
            return
    ctx.answer(*(show_menu(ctx) if asks_for_menu(typed) else fallback(ctx)))
