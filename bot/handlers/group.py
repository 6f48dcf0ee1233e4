"""join: the account was added to a group or room; it only talks one to one."""
from __future__ import annotations

from bot.flows.context import EventContext
from bot.messaging.build import text


def handle_join(ctx: EventContext) -> None:
    # Groups have no resident; the notice is in the city's default language.
    ctx.answer(text(ctx._("このアカウントは1対1のトークでご利用ください。グループでは相談をお受けできません。")))
