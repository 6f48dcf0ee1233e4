"""The consultation's hooks into the shared handlers.

- ``danger_signal`` (text, before any flow): a message that signals danger is
  answered first with the right numbers, and a record is marked urgent.
- ``keep_intake_words`` (text, before any flow): inside a consultation,
  「はじめまして」 or 「最初は母が…」 are the resident's words, not a wish for
  the menu (the text handler reads はじめ・最初 as one).
- ``show_status``, ``continue_draft``, ``attach_to_open_record``,
  ``offer_consultation`` (text, no flow): 「取り下げたい」 shows the records; an
  unfinished consultation is offered again; while a record is open, messages
  join its thread for staff; words that read like a request for help are
  offered a consultation — never ignored.
- ``attach_media_to_open_record`` (images, no flow) and ``remove_unsent``
  (unsend) keep the thread complete and honest.
"""
from __future__ import annotations

from bot.flows.context import EventContext
from bot.flows.intake import IntakeFlow, danger_notice
from bot.flows.intake_words import FIELD_WORDS, asks_for_status, looks_like_story
from bot.flows.status import IntakeStatusFlow
from bot.handlers.common import active_flow
from bot.i18n import N_
from bot.flows.menu import asks_for_menu, menu_chips
from bot.flows.postbacks import IntakeTap, MenuTap, encode
from bot.messaging.build import postback, text
from bot.models import Resident
from bot.services.intake import IntakeService, held_answers, remove_unsent_message
from bot.services.safety import detect_danger, hotlines_for_kinds, ordered
from bot.text import fold
from bot.tasks.intake import fetch_intake_photo
from bot.understanding.normalise import normalise

CRISIS_LEADS = {
    "medical": N_("人が倒れている、意識や呼吸がおかしいときは、すぐに119番に電話してください。"),
    "suicide": N_(
        "つらい気持ちを打ち明けてくださって、ありがとうございます。ひとりで抱え込まないでください。"
        "今すぐ話を聞いてくれる窓口があります。命の危険が迫っているときは119番へ。"
    ),
    "child_abuse": N_(
        "子どもの安全が心配なときは、189（児童相談所）に電話してください。匿名でも相談でき、知らせた人のことは守られます。"
        "今まさに危険なときは110番へ。"
    ),
    "dv": N_("暴力を受けているのは、あなたのせいではありません。身の危険を感じたら、すぐに110番に電話してください。DVの相談窓口もあります。"),
    "violence": N_("身の危険を感じたら、すぐに110番に電話してください。"),
}
# Words that make a message read like a request for help (besides the support fields' words).
# Words that name the menu itself, unlike はじめ・最初 a story may contain.
MENU_NAMES = ("めにゅー", "menu", "とっぷ")
HELP_WORDS = (
    "困", "相談", "助けて", "たすけて", "悩", "心配", "不安", "大変", "つらい", "辛い", "しんどい", "苦し", "手伝",
    "どうしたら", "どうすれば", "払えない", "頼れ", "ひとりで", "一人で", "孤独", "寂し", "さみし", "限界",
    "help", "worried", "trouble", "problem", "support",
)


def danger_signal(ctx: EventContext, typed: str) -> bool:
    """Answer a danger signal with the numbers first, then mark a record urgent."""
    kinds = detect_danger(typed)
    if not kinds:
        return False
    ctx.answer(text(crisis_text(ctx, kinds)))
    message_id = str(ctx.event.message.id)
    flow = active_flow(ctx)
    if isinstance(flow, IntakeFlow):
        flow.on_danger(typed, message_id, kinds)
        flow.save()
        return True
    service = IntakeFlow.service_for(ctx)
    record, created = service.raise_alarm(ctx.resident, typed, message_id, kinds)
    if created:
        service.first_thread_notice(record)  # the notice below says where messages go
    ctx.answer(text(danger_notice(ctx, service, record, created=created, in_consultation=False)))
    return True


def crisis_text(ctx: EventContext, kinds: frozenset[str]) -> str:
    """What to do now and whom to call, the most time-critical first."""
    leads = [ctx._(CRISIS_LEADS[kind]) for kind in ordered(kinds)]
    locale = ctx.t.locale
    numbers = [f"・{h.text_in(locale)} ☎ {h.number}（{h.text_in(locale, 'hours')}）"
               for h in hotlines_for_kinds(ctx.profile, kinds)]
    return "\n".join([*leads, "", ctx._("今すぐ電話できるところ："), *numbers])


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
    """While a record is open, what the resident writes joins its thread for staff."""
    if asks_for_menu(typed):
        return False
    service = IntakeFlow.service_for(ctx)
    record = service.open_record(ctx.resident)
    if record is None:
        return False
    service.add_message(record, text=typed, line_message_id=str(ctx.event.message.id))
    tell_once(ctx, service, record)
    return True


def attach_media_to_open_record(ctx: EventContext, kind: str, message_id: str) -> bool:
    """A photo sent while a record is open joins its thread (fetched by the worker)."""
    if kind != "image":
        return False
    service = IntakeFlow.service_for(ctx)
    record = service.open_record(ctx.resident)
    if record is None:
        return False
    photo = service.new_photo(ctx.resident, message_id, record=record)
    service.add_message(record, line_message_id=message_id, attachment=photo)
    ctx.enqueue_after_commit(fetch_intake_photo, photo.id)
    tell_once(ctx, service, record)
    return True


def tell_once(ctx: EventContext, service: IntakeService, record) -> None:  # noqa: ANN001
    """Tell the resident, the first time only, that their messages reach the desk."""
    if not service.first_thread_notice(record):
        return
    desk, phone, hours = service.desk_contact(record, ctx.t.locale)
    ctx.answer(text(
        ctx._(
            "メッセージは、受付番号 {receipt} のご相談として{desk}に届きました。"
            "このあとも、ここに送ったメッセージは担当者に届きます（お返事は受付時間内：{hours}）。"
            "急ぐときは ☎ {phone} へ。新しく別の相談をするときは「相談する」を押してください。",
            receipt=record.receipt_number, desk=desk, hours=hours, phone=phone,
        ),
        menu_chips(ctx),
    ))


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
