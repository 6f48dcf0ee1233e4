"""電話してほしい: a resident who would rather talk asks to be called back, in one step.

    phone ──number (or the known one)──▶ done

Typed 「電話してほしい」「電話ください」「call me」… (:func:`wants_a_call`, checked
before any flow but a consultation) or the 「電話してほしい」 chip under 電話で相談
(bot/flows/menu.py ``callback_chip``) asks for the number to call, with the
consent in one short line under it: sending the number is agreeing to it. Then a minimal record is made through
IntakeService (contact by phone; the resident's known area goes to its centre,
else to the coordinator) and a short receipt is sent. やめる keeps nothing.

Diagram: callback.mmd, drawn from TRANSITIONS by ``make diagrams``.
"""
from __future__ import annotations

from typing import Any

from bot.flows.base import Flow, Step
from bot.flows.context import EventContext
from bot.flows.menu import menu_chips
from bot.flows.postbacks import CallbackTap, Postback, encode
from bot.understanding.answers import is_yes
from bot.i18n import N_
from bot.messaging.build import postback, text
from bot.models import utcnow
from bot.services.intake import IntakeService
from bot.services.phone import InvalidPhone, format_phone, normalise_phone
from bot.text import fold

STATES = ["phone", "done"]
TRANSITIONS = [
    {"trigger": "call_back", "source": "phone", "dest": "done"},
]
# What the one state asks, and the taps and words it reads: CallbackFlow.steps, at the end of the class.

# What residents type to ask for a call, in every resident language (compared folded, within a short message).
CALL_ME_WORDS = tuple(fold(word) for word in (
    "電話してほしい", "電話して欲しい", "電話してください", "電話して下さい", "電話ください", "電話下さい", "電話をください",
    "電話を下さい", "電話がほしい", "電話が欲しい", "電話をほしい", "電話で話したい", "電話で相談したい", "電話で話がしたい",
    "電話もらえますか", "電話をもらえますか", "電話をお願い", "電話でお願い", "折り返し電話", "折り返しの電話",
    "でんわしてほしい", "でんわしてください", "でんわください", "でんわをください", "でんわがほしい", "でんわではなしたい",
    "でんわでそうだんしたい", "おりかえしでんわ",
    "call me", "call back", "callback", "phone me", "give me a call", "talk on the phone", "talk by phone",
    "speak on the phone", "speak by phone", "a phone call",
    "给我打电话", "打电话给我", "请打电话", "回电话", "电话联系我", "想打电话", "电话里谈", "电话谈",
    "gọi cho tôi", "gọi điện cho tôi", "gọi lại cho tôi", "gọi điện thoại cho tôi", "nói chuyện qua điện thoại",
    "goi cho toi", "goi dien cho toi", "goi lai cho toi",
))
# Longer messages are stories that mention a call, and go where stories go.
MAX_REQUEST_LENGTH = 30

# The consent, in one line under the question; its version is CALLBACK_CONSENT_VERSION (bot/services/intake.py).
CALLBACK_CONSENT = N_("番号とご相談の内容は、ご相談のためだけに市の相談窓口が使います。")
HINT = N_("電話番号を確かめられませんでした。市外局番から、数字で送ってください。")


def wants_a_call(typed: str) -> bool:
    """「電話してほしい」「電話ください」「call me back」: a short message asking to be called."""
    word = fold(typed)
    return len(word) <= MAX_REQUEST_LENGTH and any(phrase in word for phrase in CALL_ME_WORDS)


def ask_for_callback(ctx: EventContext, typed: str) -> bool:
    """A typed request for a call starts the call back, in place of any flow but a consultation."""
    from bot.flows.intake import IntakeFlow  # the consultation asks how to contact itself
    from bot.handlers.common import active_flow

    if not wants_a_call(typed):
        return False
    if isinstance(active_flow(ctx), (IntakeFlow, CallbackFlow)):
        return False
    message_id = str(getattr(ctx.event.message, "id", "") or "")
    CallbackFlow.begin(ctx, details=[{"kind": "text", "id": message_id, "text": typed}])
    return True


class CallbackFlow(Flow):
    name = "callback"
    taps = CallbackTap
    states = STATES
    transitions = TRANSITIONS
    initial = "phone"

    @property
    def service(self) -> IntakeService:
        return IntakeService(self.ctx.session, self.ctx.profile)

    def on_begin(self) -> None:
        if known := self.service.known_phone(self.ctx.resident):
            self.data["known_phone"] = known
        self.ask_phone()

    def ask_phone(self, *_: Any, hint: str | None = None) -> None:
        """Asks for the number to call (or whether the known one is right), with the consent in one line."""
        known = self.data.get("known_phone")
        if hint:
            lines = [self._(hint)]
        elif known:
            lines = [self._("お電話でお話をうかがいます。{phone} におかけしてよいですか？ほかの番号なら送ってください。",
                            phone=format_phone(known))]
        else:
            lines = [self._("お電話でお話をうかがいます。おかけする電話番号を送ってください（例：090-1234-5678）。")]
        if not hint:
            lines.append(self._(CALLBACK_CONSENT))
        chips = []
        if known:
            label = self._("{phone}でよい", phone=format_phone(known))
            chips.append(postback(label, encode(CallbackTap.KEEP_PHONE), label))
        chips.append(postback(self._("やめる"), encode(CallbackTap.CANCEL), self._("やめる")))
        self.ctx.answer(text("\n".join(lines), chips))

    def remind(self) -> None:
        """Says briefly what was not understood: the question with the consent is just above."""
        self.ask_phone(hint=HINT)

    def tap_phone(self, tap: Postback) -> bool:
        if tap.action == CallbackTap.KEEP_PHONE and self.data.get("known_phone"):
            self.call_back(phone=self.data["known_phone"])
            return True
        return False

    def type_phone(self, typed: str) -> bool:
        if self.data.get("known_phone") and is_yes(typed):
            self.call_back(phone=self.data["known_phone"])
            return True
        try:
            phone = normalise_phone(typed)
        except InvalidPhone:
            return False
        self.call_back(phone=phone)
        return True

    def tap_cancel(self, tap: Postback) -> bool:
        self.cancel()
        self.ctx.answer(text(self._("中止しました。ほかにご用件があれば選んでください。"), menu_chips(self.ctx)))
        return True

    def on_enter_done(self, phone: str) -> None:
        """Creates the record (the number is the consent) and gives the receipt: who will call, and when."""
        record = self.service.request_callback(self.ctx.resident, phone, consent_at=utcnow(),
                                               details=self.data.get("details", []))
        # Not marked as told about the thread: the first message after this says where messages go.
        desk, _phone, hours = self.service.desk_contact(record, self.ctx.t.locale)
        self.data = {"record_id": record.id}
        self.ctx.answer(text(
            self._("受け付けました（受付番号 {receipt}）。{desk}の担当者から {phone} にお電話します（{hours}）。",
                   receipt=record.receipt_number, desk=desk, phone=format_phone(phone), hours=hours),
            menu_chips(self.ctx),
        ))

    # -- the steps, as a table ---------------------------------------------------------------------

    anywhere = {CallbackTap.CANCEL: tap_cancel}
    steps = {"phone": Step(ask=ask_phone, on_tap=tap_phone, on_text=type_phone)}
