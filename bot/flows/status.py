"""相談の状況: a resident's consultations with a plain status, and withdrawing one.

    listing ─withdraw─▶ [choosing] ─pick─▶ confirming ─confirm─▶ done
       ▲                    │                  │
       └──────── 戻る / いいえ ─────────────────┘

The list itself is only a view: the conversation ends once it is shown, so
whatever the resident writes next is read as usual; its 「取り下げたい」
button starts the withdrawal through :meth:`IntakeStatusFlow.enter`.
Diagram: status.mmd, drawn from TRANSITIONS by ``make diagrams``.
"""
from __future__ import annotations

from typing import Any

from bot.flows.base import Flow, Step
from bot.flows.menu import menu_chips
from bot.flows.postbacks import IntakeTap, MenuTap, Postback, StatusTap, encode
from bot.messaging.build import postback, text
from bot.models.intake import IntakeRecord
from bot.services.intake import IntakeService, NotWithdrawable
from bot.services.threads import record_named
from bot.understanding.answers import is_back, is_no, is_yes, words
from bot.understanding.normalise import contains_any

STATES = ["listing", "choosing", "confirming", "done"]
TRANSITIONS = [
    {"trigger": "withdraw", "source": "listing", "dest": "confirming", "conditions": "one_open", "before": "pick_only"},
    {"trigger": "withdraw", "source": "listing", "dest": "choosing"},
    {"trigger": "pick", "source": "choosing", "dest": "confirming"},
    {"trigger": "confirm", "source": "confirming", "dest": "done"},
    {"trigger": "back", "source": ["choosing", "confirming"], "dest": "listing"},
]
# What each state asks, and the taps and words it reads: IntakeStatusFlow.steps, at the end of the class.

MAX_LISTED = 10
# What residents type to withdraw a consultation (取り下げ).
WITHDRAW_WORDS = ("取り下げ",)
# Yes and no to 「…のご相談を取り下げますか？」 besides the shared words (bot/understanding/answers.py).
WITHDRAW_YES = words("はい、取り下げる", "取り下げる", "取り下げます", "撤回", "rút lại", "rut lai")
WITHDRAW_NO = words("取り下げない", "取り下げません", "不撤回", "không rút lại", "khong rut lai")
MAX_PICK_CHIPS = 11  # plus 戻る and やめる: LINE's 13 quick replies


class IntakeStatusFlow(Flow):
    name = "status"  # the rich menu's 相談の状況 (menu:status)
    taps = StatusTap
    states = STATES
    transitions = TRANSITIONS
    initial = "listing"

    @property
    def service(self) -> IntakeService:
        return IntakeService(self.ctx.session, self.ctx.profile)

    @classmethod
    def enter(cls, ctx, tap: Postback) -> bool:  # noqa: ANN001
        """「取り下げたい」 or a receipt number under the list: start withdrawing."""
        if tap.action in (StatusTap.WITHDRAW, StatusTap.PICK):
            conversation = ctx.conversations.start(ctx.resident, cls.name, "listing", {})
            flow = cls(ctx, conversation)
            if flow.open_records():
                flow.withdraw()
                if tap.action == StatusTap.PICK and flow.state == "choosing":
                    flow.choose(tap.arg)
                flow.save()
                return True
            ctx.conversations.end(conversation, "completed")
        cls.begin(ctx)
        return True

    def on_begin(self) -> None:
        """Shows the resident's consultations, or says there are none yet; the list needs no answer."""
        if not self.service.records_of(self.ctx.resident, limit=1):
            self.ctx.answer(text(
                self._("まだご相談の記録はありません。ご相談は「相談する」からどうぞ。"), menu_chips(self.ctx)
            ))
            self.ctx.conversations.end(self.conversation, "completed")
        else:
            self.on_enter_listing()

    # -- listing -------------------------------------------------------------------------

    def on_enter_listing(self) -> None:
        """Lists each record with its receipt number, date, desk and plain status; nothing more is asked."""
        records = self.service.records_of(self.ctx.resident, limit=MAX_LISTED)
        blocks = [self._("あなたのご相談（新しい順）")]
        for record in records:
            desk, _phone, _hours = self.service.desk_contact(record, self.ctx.t.locale)
            blocks.append("\n".join([
                self._("受付番号：{receipt}", receipt=record.receipt_number),
                self._("受付日：{date}", date=self.ctx.t.format_date(record.created_at)),
                self._("担当：{desk}", desk=desk),
                self._("状況：{status}", status=self._(self.service.status_words(record))),
            ]))
        chips = []
        if self.open_records():
            chips.append(self.chip(self._("取り下げたい"), StatusTap.WITHDRAW))
        chips.append(postback(self._("新しく相談する"), encode(IntakeTap.START), self._("相談する")))
        chips += [chip for chip in menu_chips(self.ctx) if chip.get("data") != encode(MenuTap.CONSULT)]
        self.ctx.answer(text("\n\n".join(blocks), chips))
        self.ctx.conversations.end(self.conversation, "completed")

    def tap_listing(self, tap: Postback) -> bool:
        if tap.action != StatusTap.WITHDRAW or not self.open_records():
            return False
        self.withdraw()
        return True

    def type_listing(self, typed: str) -> bool:
        if not contains_any(typed, WITHDRAW_WORDS) or not self.open_records():
            return False
        self.withdraw()
        return True

    # -- withdrawing --------------------------------------------------------------------------

    def one_open(self, *_: Any) -> bool:
        return len(self.open_records()) == 1

    def pick_only(self, *_: Any) -> None:
        self.data["record_id"] = self.open_records()[0].id

    def on_enter_choosing(self) -> None:
        """Asks which consultation to withdraw."""
        records = self.open_records()[:MAX_PICK_CHIPS]
        chips = [self.chip(record.receipt_number, StatusTap.PICK, record.id) for record in records]
        self.ctx.answer(text(
            self._("どのご相談を取り下げますか？受付番号を選んでください。"),
            [*chips, self.chip(self._("戻る"), StatusTap.BACK)],
        ))

    def tap_choosing(self, tap: Postback) -> bool:
        if tap.action == StatusTap.PICK:
            return self.choose(tap.arg)
        return tap.action in (StatusTap.BACK, StatusTap.KEEP) and self.go_back()

    def type_choosing(self, typed: str) -> bool:
        if is_back(typed):
            return self.go_back()
        record = self.record_named(typed)
        return record is not None and self.choose(str(record.id))

    def choose(self, record_id: str) -> bool:
        """Stores which record to withdraw and asks to confirm."""
        if not any(str(record.id) == record_id for record in self.open_records()):
            return False
        self.data["record_id"] = int(record_id)
        self.pick()
        return True

    def on_enter_confirming(self) -> None:
        """Asks to confirm the withdrawal, saying what it means."""
        record = self.service.record_of(self.ctx.resident, self.data["record_id"])
        desk, _phone, _hours = self.service.desk_contact(record, self.ctx.t.locale)
        body = self._(
            "受付番号 {receipt}（{desk}）のご相談を取り下げますか？\n取り下げると、このご相談について担当者からのご連絡はなくなります。",
            receipt=record.receipt_number, desk=desk,
        )
        if record.urgent:
            body += "\n" + self._("ただし、命や安全に関わる内容のときは、職員からご連絡することがあります。")
        self.ctx.answer(text(body, [
            self.chip(self._("はい、取り下げる"), StatusTap.CONFIRM), self.chip(self._("いいえ"), StatusTap.KEEP),
        ]))

    def tap_confirming(self, tap: Postback) -> bool:
        if tap.action == StatusTap.CONFIRM:
            self.confirm()
            return True
        return tap.action in (StatusTap.BACK, StatusTap.KEEP) and self.go_back()

    def type_confirming(self, typed: str) -> bool:
        if is_back(typed) or is_no(typed, WITHDRAW_NO):
            return self.go_back()
        if is_yes(typed, WITHDRAW_YES):
            self.confirm()
            return True
        return False

    def go_back(self) -> bool:
        """戻る / いいえ: back to the list."""
        self.back()
        return True

    def on_enter_done(self) -> None:
        """Withdraws the record and confirms it."""
        try:
            record = self.service.withdraw(self.ctx.resident, self.data["record_id"])
        except NotWithdrawable:
            self.ctx.answer(text(self._("このご相談はすでに終了しているため、取り下げできませんでした。"), menu_chips(self.ctx)))
            return
        self.ctx.answer(text(
            self._("受付番号 {receipt} のご相談を取り下げました。またいつでもご相談ください。", receipt=record.receipt_number),
            menu_chips(self.ctx),
        ))

    # -- helpers --------------------------------------------------------------------------------

    def open_records(self) -> list[IntakeRecord]:
        return [record for record in self.service.records_of(self.ctx.resident, limit=50) if record.is_open]

    def record_named(self, typed: str) -> IntakeRecord | None:
        return record_named(self.open_records(), typed)

    def chip(self, label: str, action: StatusTap, arg: object = "") -> dict:
        return postback(label, encode(action, arg), label)

    # -- the steps, as a table ---------------------------------------------------------------------

    steps = {
        "listing": Step(ask=on_enter_listing, on_tap=tap_listing, on_text=type_listing),
        "choosing": Step(ask=on_enter_choosing, on_tap=tap_choosing, on_text=type_choosing),
        "confirming": Step(ask=on_enter_confirming, on_tap=tap_confirming, on_text=type_confirming),
    }
