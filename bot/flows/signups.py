"""申込の確認: the resident's upcoming sign-ups, each with キャンセル until its deadline.

    listing ──キャンセル──> confirming_cancel ──はい──> done (cancelled; the waiting list moves up)
                                              └─いいえ─> done

The キャンセル buttons of earlier messages (the list, a promotion or a
reminder push) work after the conversation has ended: :meth:`enter`.

Diagram: signups.mmd, drawn from TRANSITIONS by ``make diagrams``.
"""
from __future__ import annotations

from bot.flows.context import EventContext
from bot.flows.base import Flow, Step
from bot.flows.event_cards import signups_carousel, with_chips
from bot.flows.events import resume
from bot.flows.menu import menu_chips
from bot.flows.postbacks import MenuTap, Postback, SignupsTap, encode
from bot.messaging.build import postback, text
from bot.services.events import EventService
from bot.services.events.notices import describe_moment, describe_when
from bot.services.events.signups import CancellationClosed, SignUpNotActive, SignUpNotFound
from bot.understanding.answers import is_no, is_yes, words

STATES = ["listing", "confirming_cancel", "done"]
TRANSITIONS = [
    # キャンセル of any sign-up, also while asked about another (an earlier message's button).
    {"trigger": "ask_to_cancel", "source": ["listing", "confirming_cancel"], "dest": "confirming_cancel"},
    # The list shown, a sign-up cancelled or kept, or nothing to cancel: nothing more is asked.
    {"trigger": "finish", "source": ["listing", "confirming_cancel"], "dest": "done"},
]
# What each state asks, and the taps and words it reads: SignupsFlow.steps, at the end of the class.
# Buttons of earlier messages that still work; the read-only ones (and the one-shot
# 取り消し after its question) answer without ending another flow the resident is in.
READ_ONLY = frozenset({SignupsTap.LIST, SignupsTap.CONFIRM, SignupsTap.KEEP})
RESUMABLE = READ_ONLY | {SignupsTap.CANCEL}
MAX_SHOWN = 12  # bubbles in one carousel
# Yes and no to 「…のお申し込みを取り消しますか？」 besides the shared words (bot/understanding/answers.py).
CANCEL_YES = words("はい、取り消します", "取り消す", "取り消します", "キャンセルする", "キャンセルします", "取消", "取消报名",
                   "hủy", "huỷ", "hủy đăng ký", "huy", "huy dang ky")
CANCEL_NO = words("取り消さない", "取り消しません", "キャンセルしない", "不取消", "không hủy", "khong huy")


class SignupsFlow(Flow):
    name = "signups"
    taps = SignupsTap
    states = STATES
    transitions = TRANSITIONS
    initial = "listing"

    @classmethod
    def enter(cls, ctx: EventContext, tap: Postback) -> bool:
        """Start again from a button of an earlier message (キャンセル, はい、取り消します)."""
        if tap.action == SignupsTap.START:
            cls.begin(ctx)
            return True
        return resume(cls, ctx, tap, resumable=RESUMABLE, read_only=READ_ONLY)

    @property
    def service(self) -> EventService:
        return EventService(self.ctx.session, self.ctx.profile, self.ctx.clock, outbox=self.ctx.outbox)

    def on_begin(self) -> None:
        self.show_signups()

    # -- what the resident sends (the buttons work on every step: see anywhere below) ----------

    def tap_list(self, tap: Postback) -> bool:
        self.show_signups()
        return True

    def tap_cancel(self, tap: Postback) -> bool:
        if not tap.arg.isdigit():
            return False
        self.ask_about_cancelling(int(tap.arg))
        return True

    def tap_confirm(self, tap: Postback) -> bool:
        if not tap.arg.isdigit():
            return False
        self.cancel_signup(int(tap.arg))
        return True

    def tap_keep(self, tap: Postback) -> bool:
        self.keep_signup()
        return True

    def type_confirming_cancel(self, typed: str) -> bool:
        if is_yes(typed, CANCEL_YES):
            self.cancel_signup(self.data["signup_id"])
            return True
        if is_no(typed, CANCEL_NO):
            self.keep_signup()
            return True
        return False

    def chips(self) -> list[dict]:
        return menu_chips(self.ctx)

    def show_signups(self) -> None:
        """Shows the upcoming sign-ups, each with キャンセル while it is allowed."""
        service = self.service
        signups = service.upcoming_signups(self.ctx.resident)
        self.finish()
        if not signups:
            self.ctx.answer(text(self._("いまお申し込み中のイベントはありません。"), self.chips()))
            return
        shown = signups[:MAX_SHOWN]
        heading = self._("お申し込み中のイベントは{count}件です。", count=len(signups))
        if len(signups) > MAX_SHOWN:
            heading += "\n" + self._("日付の近い{shown}件を表示しています。", shown=MAX_SHOWN)
        carousel = signups_carousel(self.ctx.t, shown, service.clock())
        self.ctx.answer(text(heading), with_chips(carousel, self.chips()))

    def own_signup(self, signup_id: int):  # noqa: ANN201
        try:
            return self.service.get_signup(signup_id, self.ctx.resident)
        except SignUpNotFound:
            return None

    def ask_about_cancelling(self, signup_id: int) -> None:
        """Asks whether to cancel this sign-up (after checking it can be)."""
        signup = self.own_signup(signup_id)
        if signup is None or signup.status not in (signup.CONFIRMED, signup.WAITING) or signup.event.is_cancelled:
            self.finish()
            self.ctx.answer(text(self._("このお申し込みは、すでに取り消されているか、見つかりませんでした。"), self.chips()))
            return
        event = signup.event
        if self.service.clock() >= event.cancellable_until:
            self.finish()
            self.ctx.answer(text(self.too_late(event), self.chips()))
            return
        self.data["signup_id"] = signup.id
        self.ask_to_cancel()
        self.ctx.answer(text(
            self._("「{title}」（{when}）のお申し込みを取り消しますか？",
                   title=event.title, when=describe_when(self.ctx.t, event.starts_at, event.ends_at)),
            [
                postback(self._("はい、取り消します"), encode(SignupsTap.CONFIRM, signup.id)),
                postback(self._("いいえ"), encode(SignupsTap.KEEP)),
            ],
        ))

    def ask_again_about_cancelling(self) -> None:
        self.ask_about_cancelling(self.data["signup_id"])

    def too_late(self, event) -> str:  # noqa: ANN001
        deadline = describe_moment(self.ctx.t, event.cancellable_until)
        contact = event.contact or event.organiser
        if contact:
            return self._("取り消しの期限（{deadline}）を過ぎています。お手数ですが{contact}へご連絡ください。",
                          deadline=deadline, contact=contact)
        return self._("取り消しの期限（{deadline}）を過ぎています。", deadline=deadline)

    def cancel_signup(self, signup_id: int) -> None:
        """Cancels the sign-up; the next people on the waiting list are told they have a place."""
        self.finish()
        signup = self.own_signup(signup_id)
        if signup is None:
            self.ctx.answer(text(self._("このお申し込みは、すでに取り消されているか、見つかりませんでした。"), self.chips()))
            return
        try:
            self.service.cancel_signup(signup.id, resident=self.ctx.resident)
        except SignUpNotActive:
            self.ctx.answer(text(self._("このお申し込みは、すでに取り消されています。"), self.chips()))
            return
        except CancellationClosed:
            self.ctx.answer(text(self.too_late(signup.event), self.chips()))
            return
        event = signup.event
        self.ctx.answer(text(
            self._("「{title}」（{when}）のお申し込みを取り消しました。\nご連絡ありがとうございました。",
                   title=event.title, when=describe_when(self.ctx.t, event.starts_at, event.ends_at)),
            [postback(self._("申込の確認"), encode(SignupsTap.LIST)), postback(self._("イベントを探す"), encode(MenuTap.EVENTS))],
        ))

    def keep_signup(self) -> None:
        """Keeps the sign-up as it is."""
        self.finish()
        self.ctx.answer(text(self._("お申し込みはそのままです。当日お待ちしています。"), self.chips()))

    # -- the steps, as a table ---------------------------------------------------------------------

    anywhere = {
        SignupsTap.LIST: tap_list,
        SignupsTap.CANCEL: tap_cancel,
        SignupsTap.CONFIRM: tap_confirm,
        SignupsTap.KEEP: tap_keep,
    }
    steps = {
        "listing": Step(ask=show_signups),
        "confirming_cancel": Step(ask=ask_again_about_cancelling, on_text=type_confirming_cancel),
    }
