"""命の危険のサインのあと: the conversation after a message that signals danger.

    asking ─confirm [in_consultation]─▶ done     はい inside a consultation: it goes on, urgent
    asking ─confirm─▶ listening ─retract [made_without_consent]─▶ done
    asking ─dismiss─▶ done                       いいえ: the interrupted flow goes on

- listening: a danger signal won over whatever flow was open (events,
  sign-ups, language, status); the answer gave the numbers and the urgent
  record's receipt number, and said in one line that the open flow ended.
  What the resident writes or photographs next joins that record's thread
  for staff, each acknowledged in one short line, until they start
  something else (a menu item, a consultation, やめる). 「まちがいでした」
  withdraws a record made without consent (``IntakeService.retract_alarm``).
- asking: the words may or may not be a signal (「死にたいとは思っていません」,
  ``read_danger`` in bot/services/safety.py), so instead of an alarm:
  「今、身の危険を感じていますか？」. はい gives the full answer and the urgent
  record; いいえ a kind line, and the flow the question interrupted goes on.

Inside a consultation (bot/flows/intake.py) a signal makes the consultation
urgent and it goes on (``IntakeFlow.on_danger``). The hook that reads every
text for danger first is bot/handlers/crisis.py. Diagram: crisis.mmd, drawn
from TRANSITIONS by ``make diagrams``.
"""
from __future__ import annotations

import re
from typing import Any

from bot.flows.base import Flow, Step
from bot.flows.context import EventContext
from bot.flows.intake import IntakeFlow, danger_notice
from bot.flows.intake_questions import japanese_only_note
from bot.flows.menu import fallback, item_for_text, menu_chips
from bot.flows.postbacks import CrisisTap, Postback, encode
from bot.flows.thread import acknowledge
from bot.understanding.answers import is_no, is_yes, words
from bot.i18n import N_
from bot.messaging.build import postback, text
from bot.models.intake import IntakeRecord
from bot.services.intake import IntakeService
from bot.services.safety import hotlines_for_kinds, ordered
from bot.services.threads import ThreadService
from bot.tasks.intake import fetch_intake_photo
from bot.tasks.workflow import email_urgent_record
from bot.text import fold

STATES = ["asking", "listening", "done"]
TRANSITIONS = [
    {"trigger": "confirm", "source": "asking", "dest": "done", "conditions": "in_consultation"},
    {"trigger": "confirm", "source": "asking", "dest": "listening"},
    {"trigger": "dismiss", "source": "asking", "dest": "done"},
    {"trigger": "retract", "source": "listening", "dest": "done", "conditions": "made_without_consent"},
]
# What each state asks, and the taps and words it reads: CrisisFlow.steps, at the end of the class.

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
# Answers to 「今、身の危険を感じていますか？」 besides the shared yes and no (bot/understanding/answers.py).
DANGER_YES = words("感じています", "感じます", "感じる", "危ない", "あぶない", "こわい", "怖い", "助けて", "たすけて",
                   "help", "i am", "i do", "有", "有的", "危险", "có ạ", "co a")
DANGER_NO = words("感じていません", "感じてない", "感じません", "大丈夫", "だいじょうぶ", "ないです", "ありません",
                  "i'm fine", "im fine", "i'm ok", "im ok", "fine", "没有", "没事", "không sao", "khong sao")
# A message that only says the urgent record was a misunderstanding (「まちがいです」「大丈夫です、違います」),
# read whole: 「生まれてきたのが間違いでした」 or 「間違いなくつらい」 are words for staff, not a retraction.
MISTAKE_PHRASES = [
    r"(?:いいえ|大丈夫です?|だいじょうぶです?|すみません|ごめんなさい|さっきのは|先ほどのは|さきほどのは|今のは|いまのは)*"
    r"(?:(?:まちがい|間違い|かんちがい|勘違い|誤解|ごかい)(?:です|でした|だった|だよ)?|(?:まちがえ|間違え)(?:ました|た)|"
    r"(?:ちがい|違い)ます|送り間違い(?:です|でした)?|おくりまちがい(?:です|でした)?)(?:すみません|ごめんなさい)?",
    r"(?:sorry)?(?:no)?(?:it was|that was|it's|its)?(?:a)?(?:mistake|misunderstanding)",
    r"(?:不好意思|对不起)?我?(?:搞错了|弄错了|是误会|误会了|发错了)",
    r"(?:xin lỗi|xin loi)?(?:tôi|toi)?(?:nhầm|nham)(?:rồi|roi)?",
]
_MISTAKE = re.compile("|".join(f"(?:{fold(phrase)})" for phrase in MISTAKE_PHRASES))
_EDGES = re.compile(r"[\s、。，,.!！?？…‥「」]+")


def crisis_text(ctx: EventContext, kinds: frozenset[str]) -> str:
    """What to do now and whom to call, the most time-critical first."""
    leads = [ctx._(CRISIS_LEADS[kind]) for kind in ordered(kinds)]
    locale = ctx.t.locale
    hotlines = hotlines_for_kinds(ctx.profile, kinds)
    numbers = [f"・{h.text_in(locale)} ☎ {h.number}（{h.text_in(locale, 'hours')}）" for h in hotlines]
    return "\n".join([*leads, "", ctx._("今すぐ電話できるところ："), *numbers,
                      *filter(None, [japanese_only_note(ctx, hotlines)])])


def says_mistake(typed: str) -> bool:
    """「まちがいです」「大丈夫です、違います」: the resident says the alarm was a misunderstanding."""
    return bool(_MISTAKE.fullmatch(_EDGES.sub("", fold(typed))))


def sound_alarm(ctx: EventContext, typed: str, message_id: str, kinds: frozenset[str], *,
                ended_flow: bool, record_id: int | None = None) -> tuple[IntakeRecord, bool]:
    """Answers a danger signal outside a consultation: the numbers, then the urgent record's notice.

    ``ended_flow``: another flow was open and has ended; the notice says so in
    one line. Returns (record, created) like ``IntakeService.raise_alarm``.
    """
    service = IntakeService(ctx.session, ctx.profile)
    if record_id is None:
        # The open record the conversation is about, if that is clear; else a new one (never a guess).
        record_id = getattr(ThreadService.from_config(ctx.session, ctx.profile, ctx.config).addressee(ctx.resident).record,
                            "id", None)
    record, created = service.raise_alarm(ctx.resident, typed, message_id, kinds, record_id=record_id)
    ctx.enqueue_after_commit(email_urgent_record, record.id)  # the desk hears of it even with no page open
    if created:
        service.first_thread_notice(record)  # the notice below says where messages go
    notice = danger_notice(ctx, service, record, created=created, in_consultation=False)
    if ended_flow:
        notice += "\n" + ctx._("途中だった操作は、いったん終わりにしました。")
    chips = [postback(ctx._("まちがいでした"), encode(CrisisTap.MISTAKE))] if created else None
    ctx.answer(text(crisis_text(ctx, kinds)), text(notice, chips))
    return record, created


class CrisisFlow(Flow):
    name = "crisis"
    taps = CrisisTap
    states = STATES
    transitions = TRANSITIONS
    initial = "listening"

    @property
    def service(self) -> IntakeService:
        return IntakeService(self.ctx.session, self.ctx.profile)

    @classmethod
    def enter(cls, ctx, tap: Postback) -> bool:  # noqa: ANN001
        """Its buttons belong to one message; once the resident moved on they are stale."""
        return False

    @classmethod
    def listen(cls, ctx: EventContext, record: IntakeRecord, created: bool) -> None:
        """After the alarm: what the resident sends next joins ``record``."""
        ctx.conversations.start(ctx.resident, cls.name, "listening", {"record_id": record.id, "created": created})

    @classmethod
    def ask_first(cls, ctx: EventContext, typed: str, message_id: str, *, interrupted: Flow | None) -> None:
        """Words that may signal danger: ask before any alarm, keeping the flow they interrupted."""
        data = {"text": typed, "message_id": message_id,
                "resume_id": interrupted.conversation.id if interrupted is not None else None,
                "in_consultation": isinstance(interrupted, IntakeFlow)}
        conversation = ctx.conversations.start(ctx.resident, cls.name, "asking", data)
        flow = cls(ctx, conversation)
        flow.ask_asking()

    def on_begin(self) -> None:
        self.remind()

    # -- asking ---------------------------------------------------------------------------------

    def ask_asking(self) -> None:
        """Asks gently whether the resident is in danger now."""
        self.ctx.answer(text(self._("今、身の危険を感じていますか？"), [
            postback(self._("はい、感じています"), encode(CrisisTap.YES)),
            postback(self._("いいえ、大丈夫です"), encode(CrisisTap.NO)),
        ]))

    def tap_asking(self, tap: Postback) -> bool:
        if tap.action == CrisisTap.YES:
            return self.in_danger()
        if tap.action == CrisisTap.NO:
            return self.not_in_danger()
        return False

    def type_asking(self, typed: str) -> bool:
        """はい or いいえ in words; other words (e.g. the area the event search asked for) go back to that flow."""
        if is_no(typed, DANGER_NO):
            return self.not_in_danger()
        if is_yes(typed, DANGER_YES):
            return self.in_danger()
        if self.data.get("resume_id") is None:
            return False
        self.dismiss()
        interrupted = self.take_up_interrupted()
        if interrupted is None:
            return True
        if not interrupted.on_text(typed):
            interrupted.remind()
        interrupted.save()
        return True

    def in_consultation(self, *_: Any) -> bool:
        return bool(self.data.get("in_consultation"))

    def in_danger(self) -> bool:
        """はい: the full answer and the urgent record; a consultation goes on, now urgent."""
        kinds = frozenset({"suicide"})
        if self.in_consultation():
            consultation = self.take_up_interrupted()
            if isinstance(consultation, IntakeFlow):
                self.confirm()
                self.ctx.answer(text(crisis_text(self.ctx, kinds)))
                consultation.on_danger(self.data["text"], self.data["message_id"], kinds, read_again=False)
                consultation.save()
                return True
            self.data["in_consultation"] = False  # the draft expired meanwhile: listen, as outside one
        self.confirm()
        record, created = sound_alarm(self.ctx, self.data["text"], self.data["message_id"], kinds,
                                      ended_flow=self.data.get("resume_id") is not None)
        self.data = {"record_id": record.id, "created": created}
        return True

    def not_in_danger(self) -> bool:
        """いいえ: a kind line, and the interrupted flow asks its question again."""
        self.dismiss()
        interrupted = self.take_up_interrupted()
        if interrupted is None:
            record = self.service.open_record(self.ctx.resident)
            if record is not None:  # the words still reach the consultation staff are working on
                self.service.add_message(record, text=self.data["text"], line_message_id=self.data["message_id"])
            self.ctx.answer(text(
                self._("わかりました。お答えくださって、ありがとうございます。つらいときは、いつでもご相談ください。"),
                menu_chips(self.ctx),
            ))
            return True
        self.ctx.answer(text(self._("わかりました。お答えくださって、ありがとうございます。")))
        interrupted.remind()
        interrupted.save()
        return True

    def take_up_interrupted(self) -> Flow | None:
        """The flow the question interrupted, active again; None when there was none or it expired."""
        from bot.flows.registry import flow_for  # the registry lists this flow too

        conversation = self.ctx.conversations.resume(self.ctx.resident, self.data.get("resume_id"))
        return flow_for(self.ctx, conversation) if conversation is not None else None

    # -- listening ------------------------------------------------------------------------------

    def ask_listening(self) -> None:
        """Says where messages go now."""
        self.ctx.answer(text(self._("ここに送ったメッセージは、担当者に届きます。"), menu_chips(self.ctx)))

    def tap_listening(self, tap: Postback) -> bool:
        return tap.action == CrisisTap.MISTAKE and self.take_back()

    def type_listening(self, typed: str) -> bool:
        """Keeps what the resident writes for staff, unless they start something else or take the alarm back."""
        item = item_for_text(typed)
        if item is not None:
            from bot.handlers.common import start_menu_item  # handlers import the flows, not the other way

            start_menu_item(self.ctx, item)
            return True
        if says_mistake(typed) and self.made_without_consent() and self.take_back():
            return True
        record = self.record()
        if record is None:  # staff closed it meanwhile: nothing to join any more
            self.ctx.conversations.end(self.conversation, "completed")
            self.ctx.answer(*fallback(self.ctx))
            return True
        self.service.add_message(record, text=typed, line_message_id=self.message_id)
        self.acknowledge(record)
        return True

    def on_media(self, kind: str, message_id: str) -> bool:
        """A photo joins the urgent record; anything else is asked for in words."""
        record = self.record()
        if self.state != "listening" or record is None:
            return False
        if kind != "image":
            self.ctx.answer(text(self._("写真のほかは受け取れません。動画や音声の内容は、文章で送るか、お電話でお伝えください。")))
            return True
        photo = self.service.new_photo(self.ctx.resident, message_id, record=record)
        self.service.add_message(record, line_message_id=message_id, attachment=photo)
        self.ctx.enqueue_after_commit(fetch_intake_photo, photo.id)
        self.acknowledge(record)
        return True

    def acknowledge(self, record: IntakeRecord) -> None:
        """One short answer per burst, as for any message that joins a record (bot/flows/thread.py)."""
        acknowledge(self.ctx, record)

    def made_without_consent(self, *_: Any) -> bool:
        return bool(self.data.get("created"))

    def take_back(self) -> bool:
        """まちがいでした: withdraws the urgent record made without consent, and says so."""
        if not self.made_without_consent():
            return False
        record = self.service.retract_alarm(self.ctx.resident, self.data["record_id"])
        if record is None:
            return False
        self.retract()
        self.ctx.answer(text(
            self._("わかりました。受付番号 {receipt} の緊急のご相談は取り消しました。困ったときは、いつでもご相談ください。",
                   receipt=record.receipt_number),
            menu_chips(self.ctx),
        ))
        return True

    def record(self) -> IntakeRecord | None:
        record = self.service.record_of(self.ctx.resident, self.data.get("record_id") or 0)
        return record if record is not None and record.is_open else None

    @property
    def message_id(self) -> str:
        message = getattr(self.ctx.event, "message", None)
        return str(getattr(message, "id", "") or "")

    # -- the steps, as a table ------------------------------------------------------------------

    steps = {
        "asking": Step(ask=ask_asking, on_tap=tap_asking, on_text=type_asking),
        "listening": Step(ask=ask_listening, on_tap=tap_listening, on_text=type_listening),
    }
