"""見守り: a resident registers, pauses, resumes, changes or stops staying in touch; contacts join by code.

    often ─interval─▶ hour ─hour─▶ consent ─agree─▶ contacts ─finish─▶ done
                                      └─refuse─▶ done     ▲ │
                                                 phone ◀──┘ (a phone-only contact)
    manage ─pause─▶ pausing ─until─▶ done;  manage ─resume / stop / change─▶ done / often

``often`` also offers 平日のみ (typed 「平日だけ」「土日はいらない」): every working day.
Typed 「見守り」「見守ってほしい」「安否確認」 open it (bot/flows/watch_words.py);
with a plan it opens on ``manage``. 「入院します」「旅行に行きます」 ask until
when to pause. A family member accepts on their own LINE by sending
「見守り 123456」, the code the resident was given.
Diagram: watch.mmd, drawn from TRANSITIONS by ``make diagrams``.
"""
from __future__ import annotations

import re
import secrets
from datetime import datetime, time, timedelta
from typing import Any

from sqlalchemy import select

from bot.flows.base import Flow, Step
from bot.flows.context import EventContext
from bot.flows.menu import menu_chips
from bot.flows.postbacks import Postback, WatchTap, encode
from bot.flows.watch_words import (
    AFTERNOON_WORDS, CHANGE_WORDS, CONSENT_NO, CONSENT_YES, HOSPITAL_WORDS, HOUR_WORDS, INVITE, INVITE_TYPED, NAME_EDGES,
    PAUSE_WORDS, PHONE_IN_TEXT, REST_WORDS, RESUME_WORDS, STOP_WORDS, WEEKDAY_WORDS, asks_for_watch,
)
from bot.i18n import N_
from bot.messaging.build import chat_link, open_link, postback, share_link, text
from bot.models import utcnow
from bot.models.watch import WatchContact, WatchPlan
from bot.services.phone import InvalidPhone, format_phone, normalise_phone
from bot.services.watch import WatchService
from bot.text import fold
from bot.understanding.answers import is_no, is_yes
from bot.understanding.dates import date_in_text

BASIC_ID = re.compile(r"@[0-9A-Za-z._-]{1,40}")  # a LINE Official Account's basic or premium ID

STATES = ["often", "hour", "consent", "contacts", "phone", "manage", "pausing", "done"]
TRANSITIONS = [
    {"trigger": "set_often", "source": "often", "dest": "hour"},
    {"trigger": "set_hour", "source": "hour", "dest": "consent"},
    {"trigger": "agree", "source": "consent", "dest": "contacts"},
    {"trigger": "refuse", "source": "consent", "dest": "done"},
    {"trigger": "phone_contact", "source": "contacts", "dest": "phone"},
    {"trigger": "contact_added", "source": ["contacts", "phone"], "dest": "contacts"},
    {"trigger": "finish", "source": ["contacts", "phone", "manage", "pausing"], "dest": "done"},
    {"trigger": "change", "source": "manage", "dest": "often"},
    {"trigger": "pause", "source": "manage", "dest": "pausing"},
    {"trigger": "add_contacts", "source": "manage", "dest": "contacts"},
]

# How often: the days between check-ins, their chip, and the words that name them (folded).
OFTEN = {1: (N_("毎日"), ("毎日", "まいにち", "everyday", "daily", "每天", "hằng ngày", "hang ngay")),
         2: (N_("2〜3日ごと"), ("2日", "3日", "2〜3", "2～3", "ふつか", "みっか", "every2", "every3", "两三天", "2-3")),
         7: (N_("週1回"), ("週", "しゅう", "weekly", "week", "每周", "tuần", "tuan"))}
# 平日のみ: every day but Saturdays, Sundays, national holidays and the city's closed days (its chip's postback arg).
WEEKDAYS, WEEKDAYS_LABEL = "weekdays", N_("平日のみ")
HOURS = {9: (N_("朝（9時）"), ("朝", "あさ", "morning", "早上", "sáng", "sang")),
         12: (N_("昼（12時）"), ("昼", "ひる", "noon", "中午", "trưa", "trua")),
         17: (N_("夕方（17時）"), ("夕", "ゆう", "evening", "傍晚", "chiều", "chieu"))}
EARLIEST, LATEST = 8, 20  # an hour typed outside these falls in the quiet hours
CONSENT_TEXT = N_("見守りのため、返事の有無と、返事がないときにご家族や担当の職員へ連絡することに同意しますか？"
                  "いつでもやめられます。")
MAX_CONTACTS = 3


def _days_of(typed: str, table: dict[int, tuple[str, tuple[str, ...]]]) -> int | None:
    word = fold(typed)
    return next((key for key, (_label, words) in table.items() if any(fold(w) in word for w in words)), None)


def start_watch(ctx: EventContext, typed: str) -> bool:
    """「見守り」「見守ってほしい」「安否確認」: register, or manage the plan there is."""
    if not asks_for_watch(typed) or INVITE.search(typed):
        return False
    WatchFlow.begin(ctx)
    return True


def pause_in_words(ctx: EventContext, typed: str) -> bool:
    """「入院します」「旅行に行きます（12月20日まで）」 from a resident with a plan: pause it until a date."""
    if len(typed) > 40 or not PAUSE_WORDS.search(fold(typed)):
        return False
    plan = WatchService(ctx.session, ctx.profile, ctx.config.get("CLOCK")).active_plan(ctx.resident)
    if plan is None:
        return False
    reason = "hospital" if HOSPITAL_WORDS.search(fold(typed)) else "travel"
    flow = WatchFlow.begin(ctx, start="manage", reason=reason)
    flow.pause()
    if not flow.type_pausing(typed):
        flow.ask_pausing()
    flow.save()
    return True


def accept_invite(ctx: EventContext, typed: str) -> bool:
    """「見守り 123456」 sent by a family member on their own LINE: they become a contact."""
    match = INVITE.search(typed)
    if match is None or ctx.resident is None:
        return False
    contact = ctx.session.scalar(select(WatchContact).where(
        WatchContact.invite_code == match[1], WatchContact.accepted_at.is_(None), WatchContact.removed_at.is_(None)))
    if contact is None:
        ctx.answer(text(ctx._("この番号の招待は見つかりませんでした。番号を確かめてください。"), menu_chips(ctx)))
        return True
    contact.contact_resident_id, contact.accepted_at, contact.invite_code = ctx.resident.id, utcnow(), None
    ctx.answer(text(ctx._("見守りの連絡先に登録しました。返事がないときに、このLINEでお知らせします。"), menu_chips(ctx)))
    return True


class WatchFlow(Flow):
    name = "watch"
    taps = WatchTap
    states = STATES
    transitions = TRANSITIONS
    initial = "often"

    @classmethod
    def begin(cls, ctx: EventContext, **data: Any) -> Flow:
        start = data.pop("start", None)
        plan = WatchService(ctx.session, ctx.profile, ctx.config.get("CLOCK")).active_plan(ctx.resident)
        conversation = ctx.conversations.start(ctx.resident, cls.name, start or ("manage" if plan else "often"), data)
        flow = cls(ctx, conversation)
        if start is None:
            flow.remind()
            flow.save()
        return flow

    @property
    def service(self) -> WatchService:
        return WatchService(self.ctx.session, self.ctx.profile, self.ctx.config.get("CLOCK"), self.ctx.outbox)

    def plan(self) -> WatchPlan | None:
        return self.service.active_plan(self.ctx.resident)

    def _day(self, day) -> str:  # noqa: ANN001
        """A date as the resident reads it: 6月20日(木)."""
        return self.ctx.t.format_day(datetime.combine(day, time(12), tzinfo=self.service.tz))

    def _chip(self, label: str, action: WatchTap, arg: object = "") -> dict:
        return postback(self._(label), encode(action, arg), self._(label))

    # -- registering ---------------------------------------------------------------------------

    def ask_often(self) -> None:
        """Asks how often to check in."""
        self.ctx.answer(text(self._("見守りの確認をLINEで送ります。どのくらいの間隔がよいですか？"),
                             [*(self._chip(label, WatchTap.OFTEN, days) for days, (label, _w) in OFTEN.items()),
                              self._chip(WEEKDAYS_LABEL, WatchTap.OFTEN, WEEKDAYS)]))

    def store_often(self, days: int | None, weekdays_only: bool = False) -> bool:
        if days not in OFTEN:
            return False
        self.data["interval_days"], self.data["weekdays_only"] = days, weekdays_only
        self.set_often()
        self.ask_hour()
        return True

    def ask_hour(self) -> None:
        """Asks at what time of day."""
        self.ctx.answer(text(self._("何時ごろに送りましょうか？（8時〜20時の間で、「10時」のように送ることもできます）"),
                             [self._chip(label, WatchTap.HOUR, hour) for hour, (label, _w) in HOURS.items()]))

    def store_hour(self, hour: int | None) -> bool:
        if hour is None or not EARLIEST <= hour <= LATEST:
            return False
        self.data["hour"] = hour
        self.set_hour()
        self.ask_consent()
        return True

    def type_hour(self, typed: str) -> bool:
        match = HOUR_WORDS.search(fold(typed))
        hour = int(match[1]) if match else _days_of(typed, HOURS)
        if hour is not None and hour < EARLIEST and AFTERNOON_WORDS.search(fold(typed)):
            hour += 12
        return self.store_hour(hour)

    def ask_consent(self) -> None:
        """Asks for the 見守り consent (its own, not the consultation's)."""
        self.ctx.answer(text(self._(CONSENT_TEXT), [self._chip(N_("同意する"), WatchTap.CONSENT, "yes"),
                                                    self._chip(N_("同意しない"), WatchTap.CONSENT, "no")]))

    def consent_given(self, yes: bool) -> bool:
        if not yes:
            self.refuse()
            self.ctx.answer(text(self._("見守りは登録しませんでした。"), menu_chips(self.ctx)))
            return True
        service = self.service
        plan = service.start_plan(self.ctx.resident, interval_days=self.data["interval_days"], hour=self.data["hour"],
                                  weekdays_only=self.data.get("weekdays_only", False))
        first = service.first_check_in(plan)
        self.agree()
        if first.date() == service.today():
            said = self._("見守りを登録しました。今日の{time}に最初の確認を送ります。", time=self.ctx.t.format_time(first))
        elif first.date() == service.today() + timedelta(days=1):
            said = self._("見守りを登録しました。明日の{time}から確認を送ります。", time=self.ctx.t.format_time(first))
        else:
            said = self._("見守りを登録しました。{day}の{time}から確認を送ります。", day=self.ctx.t.format_day(first),
                          time=self.ctx.t.format_time(first))
        self.ctx.answer(text(said))
        self.ask_contacts()
        return True

    # -- contacts ------------------------------------------------------------------------------

    def contacts(self) -> list[WatchContact]:
        plan = self.plan()
        if plan is None:
            return []
        return list(self.ctx.session.scalars(select(WatchContact).where(
            WatchContact.plan_id == plan.id, WatchContact.removed_at.is_(None)).order_by(WatchContact.id)))

    def ask_contacts(self) -> None:
        """Asks whom to tell when there is no answer (up to three), or to finish."""
        chips = [self._chip(N_("これで完了"), WatchTap.STOP, "done")]
        if len(self.contacts()) < MAX_CONTACTS:
            chips = [self._chip(N_("家族を招待する"), WatchTap.START, "invite"),
                     self._chip(N_("電話だけの連絡先"), WatchTap.START, "phone"), *chips]
        self.ctx.answer(text(self._("返事がないときに知らせる方を登録できます（3人まで）。"), chips))

    def invite(self) -> None:
        plan = self.plan()
        code = f"{secrets.randbelow(900000) + 100000}"
        self.ctx.session.add(WatchContact(plan_id=plan.id, kind=WatchContact.LINE, invite_code=code))
        self.contact_added()
        self.ctx.answer(text(self._("ご家族に、この番号を伝えてください：{code}\nご家族が「つなぐ」を友だち追加して"
                                    "「見守り {code}」と送ると登録されます。", code=code), self._invite_link(code)))
        self.ask_contacts()

    def _invite_link(self, code: str) -> list[dict]:
        """「家族にLINEで送る」: LINE's share screen with a message holding a link that opens our chat with
        「見守り 123456」 already typed (LINE's URL scheme); only when the account's basic ID is configured."""
        basic_id = (self.ctx.config.get("LINE_BOT_BASIC_ID") or "").strip()
        if not BASIC_ID.fullmatch(basic_id):
            return []
        # The family member's own language is not known yet: the words they send stay Japanese, as typed.
        chat = chat_link(basic_id, INVITE_TYPED.format(code=code))
        message = self._("見守りの連絡先になってください。このリンクを開いて、そのまま送信してください。\n{link}", link=chat)
        return [open_link(self._("家族にLINEで送る"), share_link(message))]

    def ask_phone(self) -> None:
        """Asks for a phone-only contact (staff call it)."""
        self.ctx.answer(text(self._("連絡先のお名前と電話番号を送ってください（例：山田太郎 090-1234-5678）。")))

    def type_phone(self, typed: str) -> bool:
        digits = PHONE_IN_TEXT.search(typed)
        if digits is None:
            return False
        try:
            phone = normalise_phone(digits[0])
        except InvalidPhone:
            return False
        name = (typed[: digits.start()] + typed[digits.end():]).strip(NAME_EDGES)[:100] or None
        self.ctx.session.add(WatchContact(plan_id=self.plan().id, kind=WatchContact.PHONE, name=name, phone=phone))
        self.contact_added()
        self.ctx.answer(text(self._("{phone} を登録しました。返事がないときは、職員がこの番号に電話することがあります。",
                                    phone=format_phone(phone))))
        self.ask_contacts()
        return True

    def tap_contacts(self, tap: Postback) -> bool:
        if tap.action == WatchTap.STOP:
            return self.tap_done(tap)
        if tap.action == WatchTap.START and tap.arg == "invite" and len(self.contacts()) < MAX_CONTACTS:
            self.invite()
            return True
        if tap.action == WatchTap.START and tap.arg == "phone" and len(self.contacts()) < MAX_CONTACTS:
            self.phone_contact()
            self.ask_phone()
            return True
        return False

    def type_contacts(self, typed: str) -> bool:
        return self.type_phone(typed) if len(self.contacts()) < MAX_CONTACTS else False

    def tap_done(self, tap: Postback) -> bool:
        if tap.action == WatchTap.STOP and tap.arg == "done":
            self.finish()
            self.ctx.answer(text(self._("登録が終わりました。「見守り」と送ると、お休みや変更ができます。"), menu_chips(self.ctx)))
            return True
        if tap.action == WatchTap.REMOVE and tap.arg.isdigit():
            contact = next((c for c in self.contacts() if c.id == int(tap.arg)), None)
            if contact is None:
                return False
            contact.removed_at = utcnow()
            self.finish()
            self.ctx.answer(text(self._("連絡先を外しました。"), menu_chips(self.ctx)))
            return True
        return False

    # -- an existing plan ----------------------------------------------------------------------

    def ask_manage(self) -> None:
        """Shows the plan and what can be done with it."""
        plan = self.plan()
        if plan is None:
            self.finish()
            self.ctx.answer(text(self._("見守りは終了しています。"), menu_chips(self.ctx)))
            return
        label = self._(WEEKDAYS_LABEL if plan.weekdays_only else OFTEN.get(plan.interval_days, OFTEN[1])[0])
        lines = [self._("見守りを登録しています（{often}・{hour}時ごろ）。", often=label, hour=plan.hour)]
        if plan.state == WatchPlan.PAUSED and plan.paused_until:
            lines.append(self._("{day}までお休み中です。", day=self._day(plan.paused_until)))
        chips = [self._chip(N_("再開する"), WatchTap.RESUME) if plan.state == WatchPlan.PAUSED
                 else self._chip(N_("お休みする"), WatchTap.PAUSE),
                 self._chip(N_("変更する"), WatchTap.START, "change"),
                 self._chip(N_("連絡先を追加"), WatchTap.START, "contacts"),
                 self._chip(N_("見守りをやめる"), WatchTap.STOP)]
        for contact in self.contacts():
            who = contact.name or (contact.contact_resident.display_name if contact.contact_resident else None)
            if who:
                chips.append(postback("✕ " + who[:18], encode(WatchTap.REMOVE, contact.id)))  # removes this contact
        self.ctx.answer(text("\n".join(lines), chips))

    def tap_manage(self, tap: Postback) -> bool:
        plan = self.plan()
        if plan is None:
            return False
        if tap.action == WatchTap.PAUSE:
            self.pause()
            self.ask_pausing()
        elif tap.action == WatchTap.RESUME:
            self.service.resume(plan)
            self.finish()
            self.ctx.answer(text(self._("見守りを再開しました。"), menu_chips(self.ctx)))
        elif tap.action == WatchTap.STOP and not tap.arg:
            self.service.stop(plan, "resident")
            self.finish()
            self.ctx.answer(text(self._("見守りを終了しました。またいつでも「見守り」と送ってください。"), menu_chips(self.ctx)))
        elif tap.action == WatchTap.START and tap.arg == "change":
            self.change()
            self.ask_often()
        elif tap.action == WatchTap.START and tap.arg == "contacts":
            self.add_contacts()
            self.ask_contacts()
        else:
            return self.tap_done(tap)
        return True

    def type_manage(self, typed: str) -> bool:
        word = fold(typed)
        if WEEKDAY_WORDS.search(word):  # 「土日はいらない」: a change to 平日のみ (before 休み, which would pause)
            self.change()
            return self.type_often(typed)
        if PAUSE_WORDS.search(word) or REST_WORDS.search(word):
            self.pause()
            if not self.type_pausing(typed):
                self.ask_pausing()
            return True
        if STOP_WORDS.search(word):
            return self.tap_manage(Postback(WatchTap.SCOPE, WatchTap.STOP))
        if RESUME_WORDS.search(word):
            return self.tap_manage(Postback(WatchTap.SCOPE, WatchTap.RESUME))
        if CHANGE_WORDS.search(word):
            return self.tap_manage(Postback(WatchTap.SCOPE, WatchTap.START, "change"))
        return False

    def ask_pausing(self) -> None:
        """Asks until when to pause (入院・旅行)."""
        chips = [self._chip(label, WatchTap.PAUSE, days) for days, label in
                 ((7, N_("1週間")), (14, N_("2週間")), (30, N_("1か月")))]
        self.ctx.answer(text(self._("いつまでお休みしますか？「12月20日まで」のように送ってください。"), chips))

    def pause_until(self, days: int | None = None, until=None) -> bool:  # noqa: ANN001
        service, plan = self.service, self.plan()
        if plan is None:
            return False
        until = until or service.today() + timedelta(days=days)
        if until < service.today() or until > service.today() + timedelta(days=365):
            return False
        service.pause(plan, until, self.data.get("reason", "other"))
        self.finish()
        self.ctx.answer(text(self._("{day}まで見守りの確認をお休みします。お大事にお過ごしください。",
                                    day=self._day(until)), menu_chips(self.ctx)))
        return True

    def tap_pausing(self, tap: Postback) -> bool:
        return tap.action == WatchTap.PAUSE and tap.arg in ("7", "14", "30") and self.pause_until(int(tap.arg))

    def type_pausing(self, typed: str) -> bool:
        day = date_in_text(typed, self.service.today())
        return day is not None and self.pause_until(until=day)

    # -- taps and words of the registration --------------------------------------------------

    def tap_often(self, tap: Postback) -> bool:
        if tap.action == WatchTap.OFTEN and tap.arg == WEEKDAYS:
            return self.store_often(1, weekdays_only=True)
        return tap.action == WatchTap.OFTEN and tap.arg.isdigit() and self.store_often(int(tap.arg))

    def type_often(self, typed: str) -> bool:
        folded = fold(typed)
        if WEEKDAY_WORDS.search(folded):  # 「週1回、平日だけ」: the interval said beside it, else every day
            return self.store_often(_days_of(WEEKDAY_WORDS.sub("", folded), OFTEN) or 1, weekdays_only=True)
        return self.store_often(_days_of(typed, OFTEN))

    def tap_hour(self, tap: Postback) -> bool:
        return tap.action == WatchTap.HOUR and tap.arg.isdigit() and self.store_hour(int(tap.arg))

    def tap_consent(self, tap: Postback) -> bool:
        return tap.action == WatchTap.CONSENT and tap.arg in ("yes", "no") and self.consent_given(tap.arg == "yes")

    def type_consent(self, typed: str) -> bool:
        if is_yes(typed, CONSENT_YES):
            return self.consent_given(True)
        if is_no(typed, CONSENT_NO):
            return self.consent_given(False)
        return False

    def tap_phone(self, tap: Postback) -> bool:
        return self.tap_done(tap)

    # -- the steps, as a table ---------------------------------------------------------------------

    steps = {
        "often": Step(ask=ask_often, on_tap=tap_often, on_text=type_often),
        "hour": Step(ask=ask_hour, on_tap=tap_hour, on_text=type_hour),
        "consent": Step(ask=ask_consent, on_tap=tap_consent, on_text=type_consent),
        "contacts": Step(ask=ask_contacts, on_tap=tap_contacts, on_text=type_contacts),
        "phone": Step(ask=ask_phone, on_tap=tap_phone, on_text=type_phone),
        "manage": Step(ask=ask_manage, on_tap=tap_manage, on_text=type_manage),
        "pausing": Step(ask=ask_pausing, on_tap=tap_pausing, on_text=type_pausing),
    }
