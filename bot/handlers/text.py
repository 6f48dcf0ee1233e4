"""Text messages: checks that come before any flow, the active flow, then what the words ask for."""
from __future__ import annotations

from collections.abc import Callable

from bot.flows.callback import ask_for_callback
from bot.flows.context import EventContext
from bot.flows.event_words import query_of
from bot.flows.events import EventsFlow
from bot.flows.mutual_aid import help_words
from bot.flows.status import IntakeStatusFlow
from bot.handlers.common import active_flow, continue_flow, start_menu_item
from bot.handlers.crisis import danger_signal
from bot.flows.watch import accept_invite, pause_in_words, start_watch
from bot.handlers.watch import answer_check_in
from bot.handlers.intake import (
    attach_to_open_record,
    continue_draft,
    keep_intake_words,
    offer_consultation,
    show_status,
)
from bot.flows.notices import open_notice_settings
from bot.flows.menu import asks_for_menu, fallback, hello, item_for_text, menu_chips, show_menu, welcome
from bot.messaging.build import text
from bot.understanding.answers import is_cancel
from bot.services.events import EventService
from bot.understanding.intents import Intent, intent_of


def read_intent(ctx: EventContext, typed: str) -> Intent | None:
    """The wish the words state (bot/understanding/intents.py), days counted from the city's today."""
    return intent_of(typed, ctx.profile, EventService(ctx.session, ctx.profile, ctx.clock).today())


def ask_about_consultation(ctx: EventContext, typed: str) -> bool:
    """「さっきの相談はどうなってますか」: the resident's records, not a new consultation."""
    intent = read_intent(ctx, typed)
    if intent is None or intent.what != "status":
        return False
    IntakeStatusFlow.begin(ctx)
    return True


def search_events(ctx: EventContext, typed: str) -> bool:
    """「平のあたりでオレンジカフェはありますか」「リハビリ体操」: the events found, not a consultation."""
    intent = read_intent(ctx, typed)
    if intent is None or intent.what != "event_search":
        return False
    item = item_for_text(typed)
    if item is not None and not (intent.area_code or intent.date_from):
        return False  # 「サロン」 alone names the menu's イベント・サロン: it asks how to look
    EventsFlow.search(ctx, query_of(intent))
    return True


def open_menu_item(ctx: EventContext, typed: str) -> bool:
    """「相談」「イベント」: the menu item the words name."""
    item = item_for_text(typed)
    if item is None:
        return False
    start_menu_item(ctx, item)
    return True


def greet_or_thank(ctx: EventContext, typed: str) -> bool:
    """「こんにちは」「ありがとう」 get a friendly word and the menu, not "not understood"."""
    intent = read_intent(ctx, typed)
    if intent is None or intent.what not in ("greeting", "thanks"):
        return False
    ctx.answer(*(hello(ctx) if intent.what == "greeting" else welcome(ctx)))
    return True


# Checks run before the active flow on every text (e.g. danger signals). Each
# returns True when it has answered and nothing else should.
BEFORE_FLOW: list[Callable[[EventContext, str], bool]] = [danger_signal, keep_intake_words, ask_for_callback]
# Interpretations of free text when no flow is active, tried in order: wishes stated in a sentence before
# the menu's words (「さっきの相談は…」 names 相談), thanks to staff join an open record before a friendly reply.
WITHOUT_FLOW: list[Callable[[EventContext, str], bool]] = [
    answer_check_in, accept_invite, pause_in_words, start_watch,  # 見守り: answers, invites, 入院します, 見守り
    help_words,  # 住民支え合い (bot/flows/mutual_aid.py)
    show_status, ask_about_consultation, search_events, open_menu_item, continue_draft, attach_to_open_record,
    greet_or_thank, offer_consultation,
]
WITHOUT_FLOW.insert(0, open_notice_settings)  # 「お知らせ設定」「お知らせを止めたい」: before 相談 and the status words


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
    for interpret in WITHOUT_FLOW:
        if interpret(ctx, typed):
            return
    ctx.answer(*(show_menu(ctx) if asks_for_menu(typed) else fallback(ctx)))
