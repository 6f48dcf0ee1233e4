"""The consultation's hooks into the shared handlers.

- ``keep_intake_words`` (text, before any flow): inside a consultation,
  「はじめまして」 or 「最初は母が…」 are the resident's words, not a wish for
  the menu (the text handler reads はじめ・最初 as one).
- ``show_status``, ``continue_draft``, ``attach_to_open_record``,
  ``offer_consultation`` (text, no flow): 「取り下げたい」 shows the records; an
  unfinished consultation is offered again; while a record is open, messages
  join the thread of the record the conversation is about, with a short
  answer (bot/flows/thread.py); words that read like a request for help are
  offered a consultation — never ignored.
- ``attach_media_to_open_record`` (images, no flow) and ``remove_unsent``
  (unsend) keep the thread complete and honest.
"""
from __future__ import annotations

from bot.flows.context import EventContext
from bot.flows.intake import IntakeFlow
from bot.flows.intake_words import FIELD_WORDS, asks_for_status, looks_like_story
from bot.flows.status import IntakeStatusFlow
from bot.flows.thread import decline_unkept_media, take_message
from bot.handlers.common import active_flow
from bot.flows.menu import asks_for_menu, menu_chips
from bot.flows.postbacks import IntakeTap, MenuTap, encode
from bot.messaging.build import postback, text
from bot.models import Resident
from bot.services.intake import held_answers, remove_unsent_message
from bot.text import fold
from bot.understanding.normalise import normalise

# Words that make a message read like a request for help (besides the support fields' words).
# Words that name the menu itself, unlike はじめ・最初 a story may contain.
MENU_NAMES = ("めにゅー", "menu", "とっぷ")
HELP_WORDS = (
    "困", "相談", "助けて", "たすけて", "悩", "心配", "不安", "大変", "つらい", "辛い", "しんどい", "苦し", "手伝",
    "どうしたら", "どうすれば", "払えない", "頼れ", "ひとりで", "一人で", "孤独", "寂し", "さみし", "限界",
    "help", "worried", "trouble", "problem", "support",
)


def keep_intake_words(ctx: EventContext, typed: str) -> bool:
    """Inside a consultation, words with はじめ・最初 are the resident's, unless they name the menu."""
    if not asks_for_menu(typed) or any(word in fold(typed) for word in MENU_NAMES):
        return False
    flow = active_flow(ctx)
    if not isinstance(flow, IntakeFlow):
        return False
    if not flow.on_text(typed):
        flow.remind()
    flow.save()
    return True


def show_status(ctx: EventContext, typed: str) -> bool:
    """「取り下げたい」: the resident's records (相談の状況), not a message for staff."""
    if not asks_for_status(typed) or len(fold(typed)) > 12:
        return False
    IntakeStatusFlow.begin(ctx)
    return True


def continue_draft(ctx: EventContext, typed: str) -> bool:
    """Offer to continue an unfinished consultation, or say that it expired."""
    service = IntakeFlow.service_for(ctx)
    draft = service.resumable_draft(ctx.resident)
    if draft is not None and held_answers(draft.data):
        IntakeFlow.resume(ctx, draft)
        return True
    expired = service.expired_draft(ctx.resident)
    if expired is None:
        return False
    service.forget_draft(expired, "purged")
    ctx.answer(text(
        ctx._("入力の途中だった相談は、24時間たったため削除しました。お手数ですが、もう一度はじめからお願いします。"),
        [postback(ctx._("相談をはじめる"), encode(IntakeTap.START), ctx._("相談する")),
         *(chip for chip in menu_chips(ctx) if chip.get("data") != encode(MenuTap.CONSULT))],
    ))
    return True


def attach_to_open_record(ctx: EventContext, typed: str) -> bool:
    """While a record is open, what the resident writes joins its thread for staff, with a short answer."""
    if asks_for_menu(typed):
        return False
    return take_message(ctx, message_id=str(ctx.event.message.id), typed=typed)


def attach_media_to_open_record(ctx: EventContext, kind: str, message_id: str) -> bool:
    """A photo sent while a record is open joins its thread (fetched by the worker), with a short answer."""
    if kind != "image":
        return decline_unkept_media(ctx)
    return take_message(ctx, message_id=message_id, image=True)


def offer_consultation(ctx: EventContext, typed: str) -> bool:
    """Words that read like a request for help are offered a consultation, never ignored."""
    if not reads_like_help(typed):
        return False
    IntakeFlow.offer(ctx, typed, str(ctx.event.message.id))
    return True


def reads_like_help(typed: str) -> bool:
    """A story, or words about a trouble: 「母の介護で困っています」「お金が足りない」."""
    word = normalise(typed)  # 「もの忘れ」 as 「物忘れ」
    if looks_like_story(typed):
        return True
    field_words = [w for field, words in FIELD_WORDS.items() if field != "unknown" for w in words]
    return any(normalise(w) in word for w in (*HELP_WORDS, *field_words) if len(normalise(w)) >= 2)


def remove_unsent(session, resident: Resident, message_id: str) -> None:  # noqa: ANN001
    """The resident took a message back: erase it from drafts, records and photos."""
    remove_unsent_message(session, resident, message_id)
