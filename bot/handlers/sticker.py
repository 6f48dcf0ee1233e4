"""Stickers: a friendly answer, or the current question again."""
from __future__ import annotations

from bot.flows.context import EventContext
from bot.handlers.common import active_flow
from bot.messaging.build import text
from bot.flows.menu import menu_chips


def handle(ctx: EventContext) -> None:
    flow = active_flow(ctx)
    if flow is not None:
        flow.remind()
        flow.save()
        return
    ctx.answer(text(ctx._("スタンプありがとうございます。ご用件があれば下のボタンから選んでください。"), menu_chips(ctx)))
