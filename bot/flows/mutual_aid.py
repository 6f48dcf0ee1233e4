"""住民支え合い on LINE: ask for small help, answer an open call, see one's points, the local services.

    tasks ──▶ area ──▶ when ──▶ often ──▶ whom ──▶ details ──▶ done

Typed 「ちょっと手伝ってほしい」「買い物を頼みたい」 (:func:`help_words`) starts the
request; 戻る goes one step back and やめる keeps nothing on every step. The
request goes to the 生活支援コーディネーター of the area (bot/services/mutual_aid.py);
details that read like a bigger trouble (not eating, money, forgetting) are
offered as a consultation too, carrying the words over, with the resident's
agreement. 「ポイント」 shows a supporter's points, 「生活支援サービス」「移動販売」
the services of the resident's area. The open call's 「引き受けます」/「今回は難しい」
and the reminder's 「終わりました」 are taps on pushed messages, read by
:meth:`HelpFlow.enter` whatever conversation is going on; 「終わりました」 then
asks how many hours (state ``hours``). The check two days after is answered
with 良かった/問題があった or in words (:func:`answer_help_check`).

Diagram: mutual_aid.mmd, drawn from TRANSITIONS by ``make diagrams``.
"""
from __future__ import annotations

import re
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

from bot.flows.base import Flow, Step
from bot.flows.context import EventContext
from bot.flows.menu import menu_chips
from bot.flows.postbacks import HelperTap, HelpTap, Postback, Tap, encode
from bot.messaging.build import pick_date, postback, text
from bot.models import HelpRequest, utcnow
from bot.services.mutual_aid import SERVICE_KINDS, TASK_LABELS, Answer, MutualAidError, MutualAidService, NotFound
from bot.services.phone import format_phone
from bot.tasks.mutual_aid import email_help_problem
from bot.text import fold
from bot.i18n import N_
from bot.understanding.answers import is_back, is_skip, is_yes
from bot.flows.mutual_aid_words import GOOD_WORDS, HALF_WORDS, NO_PROBLEM_WORDS, KANJI_DIGITS, MINUTES, NUMBER_WORDS, PROBLEM_WORDS
from bot.flows.mutual_aid_words import FOR_FAMILY_WORDS, NOT_WEEKLY_WORDS, ONCE_WORDS, SELF_WORDS, WEEKLY_WORDS
from bot.flows.mutual_aid_words import FAMILY_WORDS, LEAVE_WORDS, SERVICE_KIND_WORDS, ANYTIME_WORDS, ASK_WORDS, CONCERN_WORDS, OFFER_WORDS, POINT_WORDS, SERVICE_WORDS, TASK_WORDS
from bot.understanding.dates import date_in_text
from bot.understanding.intents import area_in_text

STATES = ["tasks", "area", "when", "often", "whom", "details", "done", "hours", "recorded"]
TRANSITIONS = [
    {"trigger": "to_area", "source": "tasks", "dest": "area"},
    {"trigger": "to_when", "source": "area", "dest": "when"},
    {"trigger": "to_often", "source": "when", "dest": "often"},
    {"trigger": "to_whom", "source": "often", "dest": "whom"},
    {"trigger": "to_details", "source": "whom", "dest": "details"},
    {"trigger": "submit", "source": "details", "dest": "done"},
    {"trigger": "back", "source": "area", "dest": "tasks"},
    {"trigger": "back", "source": "when", "dest": "area"},
    {"trigger": "back", "source": "often", "dest": "when"},
    {"trigger": "back", "source": "whom", "dest": "often"},
    {"trigger": "back", "source": "details", "dest": "whom"},
    {"trigger": "record", "source": "hours", "dest": "recorded"},  # 終わりました: how many hours
]
FIRST_STEPS = ("tasks", "hours")  # no 戻る there
HOUR_CHOICES = {1: N_("1時間"), 2: N_("2時間"), 3: N_("3時間")}  # 終わりました: the hours to tap

def _has(typed: str, words: tuple[str, ...]) -> bool:
    return any(word in fold(typed) for word in words)


def tasks_in(typed: str, allowed: list[str]) -> list[str]:
    form = fold(typed)
    return [task for task in allowed if any(fold(word) in form for word in TASK_WORDS[task])]


def hours_in(typed: str) -> float | None:
    """「2時間」「1時間半」「1時間30分」「90分」「２」「two hours」: the hours typed, or None."""
    form = fold(typed).translate(KANJI_DIGITS)
    for word, number in NUMBER_WORDS.items():
        form = form.replace(word, number)
    numbers = list(re.finditer(r"\d+(\.\d+)?", form))
    if not numbers:
        return None
    minutes = MINUTES.search(form)
    if minutes and minutes.start() == numbers[0].start():
        return int(minutes.group(1)) / 60
    hours = float(numbers[0].group())
    return hours + (int(minutes.group(1)) / 60 if minutes else 0.5 if _has(form, HALF_WORDS) else 0)


def help_words(ctx: EventContext, typed: str) -> bool:
    """「ちょっと手伝ってほしい」「ポイント」「移動販売」「手伝える」: the mutual-aid words, when no flow is going on."""
    if answer_help_check(ctx, typed):
        return True
    if len(typed) > 80:
        return False  # a story goes where stories go
    if _has(typed, LEAVE_WORDS):
        leave_mutual_aid(ctx)
    elif _has(typed, POINT_WORDS):
        show_points(ctx)
    elif _has(typed, SERVICE_WORDS):
        show_services(ctx, typed)
    elif _has(typed, OFFER_WORDS):
        offer_to_help(ctx)
    elif _has(typed, ASK_WORDS):
        tasks = tasks_in(typed, ctx.profile.mutual_aid.tasks)
        asked_by = HelpRequest.FAMILY if _has(typed, FAMILY_WORDS) else HelpRequest.SELF
        HelpFlow.begin(ctx, tasks=tasks, typed=[typed], asked_by=asked_by)
    else:
        return False
    return True


def answer_help_check(ctx: EventContext, typed: str) -> bool:
    """「よかったです」「来なかった」 after 「お手伝いはいかがでしたか？」, or the words after 「問題があった」."""
    if ctx.resident is None:
        return False
    service = service_for(ctx)
    request = service.check_waiting(ctx.resident)
    if request is None:
        return False
    worrying = _has(typed, CONCERN_WORDS)
    if request.check_result == HelpRequest.PROBLEM:
        result = HelpRequest.PROBLEM  # the words after tapping 問題があった
    elif len(typed) > 200:
        return False  # a story goes where stories go
    elif worrying or (_has(typed, PROBLEM_WORDS) and not _has(typed, NO_PROBLEM_WORDS)):
        result = HelpRequest.PROBLEM
    elif _has(typed, GOOD_WORDS) or _has(typed, NO_PROBLEM_WORDS):
        result = HelpRequest.GOOD
    else:
        return False
    note_check(ctx, service, request.id, result, typed)
    thanked(ctx, result, typed if worrying else "")
    return True


def note_check(ctx: EventContext, service: MutualAidService, request_id: int, result: str,
               words: str = "") -> HelpRequest:
    """Keep the resident's answer to the check; a problem newly told is emailed to the SCs after commit."""
    checked = service.answer_check(request_id, ctx.resident, result, words)
    if checked.newly_problem:
        ctx.enqueue_after_commit(email_help_problem, request_id)
    return checked.request


def thanked(ctx: EventContext, result: str, worry: str = "") -> None:
    """The answer to the check's answer; words telling of a bigger trouble are offered as a consultation."""
    if result == HelpRequest.GOOD:
        ctx.answer(text(ctx._("お知らせありがとうございます。よかったです。"), menu_chips(ctx)))
        return
    ctx.answer(text(ctx._("お知らせありがとうございます。生活支援コーディネーターが確認して、ご連絡します。"),
                    None if worry else menu_chips(ctx)))
    if worry:
        from bot.flows.intake import IntakeFlow

        IntakeFlow.offer(ctx, worry, str(getattr(getattr(ctx.event, "message", None), "id", "") or ""))


def service_for(ctx: EventContext) -> MutualAidService:
    return MutualAidService(ctx.session, ctx.profile, outbox=ctx.outbox)


def show_points(ctx: EventContext) -> None:
    supporter = service_for(ctx).supporter_of(ctx.resident)
    if supporter is None:
        ctx.answer(text(ctx._("まだ支え手の登録はありません。「手伝える」と送ると、登録の案内をします。"), menu_chips(ctx)))
        return
    hours, points = service_for(ctx).points_of(supporter)
    ctx.answer(text(ctx._("{scheme}：{points}ポイント（お手伝い {hours}時間）", scheme=ctx.profile.mutual_aid.scheme_name,
                          points=points, hours=format(hours, "g")), menu_chips(ctx)))


def show_services(ctx: EventContext, typed: str = "") -> None:
    """The services of the area named (「田人の移動販売」) or the resident's own; of the kind named, if any."""
    named = area_in_text(typed, ctx.profile)
    area = named.code if named else ctx.resident.area_code
    kind = next((code for code, words in SERVICE_KIND_WORDS.items() if _has(typed, words)), None)
    rows = service_for(ctx).services(area_code=area, kind=kind)
    if not rows:
        ctx.answer(text(ctx._("この地区の生活支援サービスは、まだ登録がありません。"), menu_chips(ctx)))
        return
    entries = {entry.name: entry for entry in ctx.profile.mutual_aid.services}
    lines = []
    for name, kind, description, phone in rows[:5]:
        entry = entries.get(name)
        shown = entry.text_in(ctx.t.locale) if entry else name
        about = entry.text_in(ctx.t.locale, "description") if entry else description
        kind_label = ctx._(SERVICE_KINDS[kind])
        lines.append("■" + shown + "（" + kind_label + "）\n" + about + ("\n☎ " + format_phone(phone) if phone else ""))
    ctx.answer(text("\n\n".join(lines)[:1900], menu_chips(ctx)))


def offer_to_help(ctx: EventContext) -> None:
    """「手伝える」: what they can do, where, and the consent; the SC meets every new supporter before any request."""
    HelperFlow.begin(ctx)


# The consent a supporter agrees to (its version: SUPPORTER_CONSENT_VERSION and CONTACT_CONSENT_VERSION).
SUPPORTER_CONSENT = N_("登録した内容は、生活支援コーディネーターがお手伝いの調整のためだけに使います。"
                       "お手伝いが決まったときだけ、お名前と電話番号をお相手に伝えます。「支え手をやめる」と送ると、いつでも削除できます。")


class _Steps(Flow):
    """What the help request and the supporter registration share: chips, 戻る/やめる, the task and area steps."""

    step_tap: Tap  # the action every step's chip sends, with the answer as its arg

    def chip(self, label: str, arg: str) -> dict:
        return postback(label[:20], encode(self.step_tap, arg), label)

    def chips(self, *extra: dict) -> list[dict]:
        chips = list(extra)
        if self.state not in FIRST_STEPS:
            chips.append(self.chip(self._("戻る"), "back"))
        return [*chips, self.chip(self._("やめる"), "cancel")][:13]

    def on_postback(self, tap: Postback) -> bool:
        if tap.action != self.step_tap:
            return type(self).enter(self.ctx, tap)
        if tap.arg == "cancel":
            self.cancel()
            self.ctx.answer(text(self._("中止しました。ほかにご用件があれば選んでください。"), menu_chips(self.ctx)))
            return True
        if tap.arg == "back" and self.state not in FIRST_STEPS:
            self.back()
            self.remind()
            return True
        return super().on_postback(tap)

    def on_text(self, typed: str) -> bool:
        if is_back(typed) and self.state not in FIRST_STEPS:
            self.back()
            self.remind()
            return True
        return super().on_text(typed)

    def area_chips(self) -> list[dict]:
        """The resident's saved area, as a chip."""
        if code := self.ctx.resident.area_code:
            return [self.chip(self.ctx.profile.area(code).place_in(self.ctx.t.locale, limit=20), f"area-{code}")]
        return []

    def tap_task(self, tap: Postback) -> bool:
        if tap.arg not in self.ctx.profile.mutual_aid.tasks:
            return False
        self.data["tasks"] = [tap.arg]
        self.to_area()
        return True

    def type_task(self, typed: str) -> bool:
        tasks = tasks_in(typed, self.ctx.profile.mutual_aid.tasks)
        if not tasks:
            return False
        self.data["tasks"] = tasks
        self.data.setdefault("typed", []).append(typed)
        self.to_area()
        return True

    def tap_area(self, tap: Postback) -> bool:
        code = tap.arg.removeprefix("area-")
        if not tap.arg.startswith("area-") or code not in {area.code for area in self.ctx.profile.areas}:
            return False
        self.data["area"] = code
        self.after_area()
        return True

    def type_area(self, typed: str) -> bool:
        area = self.ctx.profile.find_area(typed)
        if area is None:
            return False
        self.data["area"] = area.code
        self.after_area()
        return True

    def after_area(self) -> None:
        """The next step once the area is known: each flow built on these steps defines it."""
        raise NotImplementedError


class HelperFlow(_Steps):
    """Registering as a supporter (応募): tasks ──▶ area ──▶ consent ──▶ done."""

    name = "helper"
    taps = HelperTap
    states = ["tasks", "area", "consent", "done"]
    transitions = [
        {"trigger": "to_area", "source": "tasks", "dest": "area"},
        {"trigger": "to_consent", "source": "area", "dest": "consent"},
        {"trigger": "register", "source": "consent", "dest": "done"},
        {"trigger": "back", "source": "area", "dest": "tasks"},
        {"trigger": "back", "source": "consent", "dest": "area"},
    ]
    initial = "tasks"
    step_tap = HelperTap.STEP

    def on_begin(self) -> None:
        self.ask_tasks()

    def after_area(self) -> None:
        self.to_consent()

    def ask_tasks(self, *_: Any) -> None:
        self.ctx.answer(text(self._("ありがとうございます。できるお手伝いを選ぶか、ことばで送ってください（いくつでも）。"), self.chips(
            *[self.chip(self._(TASK_LABELS[task]), task) for task in self.ctx.profile.mutual_aid.tasks][:11])))

    def ask_area(self, *_: Any) -> None:
        self.ctx.answer(text(self._("どの地区でお手伝いできますか？ 地区の名前を送ってください（例：平）。"),
                             self.chips(*self.area_chips())))

    def ask_consent(self, *_: Any) -> None:
        self.ctx.answer(text(self._(SUPPORTER_CONSENT), self.chips(self.chip(self._("同意して登録する"), "agree"))))

    def tap_consent(self, tap: Postback) -> bool:
        if tap.arg != "agree":
            return False
        self.register()
        return True

    def type_consent(self, typed: str) -> bool:
        if not is_yes(typed):
            return False
        self.register()
        return True

    def on_enter_area(self, *_: Any) -> None:
        self.ask_area()

    def on_enter_consent(self, *_: Any) -> None:
        self.ask_consent()

    def on_enter_done(self, *_: Any) -> None:
        service_for(self.ctx).register_supporter(
            self.ctx.resident, name=self.ctx.resident.display_name or "", tasks=self.data["tasks"],
            area_codes=[self.data["area"]])
        self.ctx.answer(text(self._("ありがとうございます。支え手の登録は、生活支援コーディネーターとの短い面談のあとで始まります。"
                                    "お住まいの地区の地域包括支援センターか社会福祉協議会から、ご連絡します。"), menu_chips(self.ctx)))

    steps = {
        "tasks": Step(ask=ask_tasks, on_tap=_Steps.tap_task, on_text=_Steps.type_task),
        "area": Step(ask=ask_area, on_tap=_Steps.tap_area, on_text=_Steps.type_area),
        "consent": Step(ask=ask_consent, on_tap=tap_consent, on_text=type_consent),
    }


def leave_mutual_aid(ctx: EventContext) -> None:
    """「支え手をやめる」: the supporter's data and the resident's requests are removed."""
    service_for(ctx).leave(ctx.resident)
    ctx.answer(text(ctx._("支え合いの登録と依頼の内容を削除しました。これまでありがとうございました。"), menu_chips(ctx)))


class HelpFlow(_Steps):
    name = "help"
    taps = HelpTap
    states = STATES
    transitions = TRANSITIONS
    initial = "tasks"
    final_states = frozenset({"done", "recorded"})
    step_tap = HelpTap.START

    def after_area(self) -> None:
        self.to_when()

    @classmethod
    def enter(cls, ctx: EventContext, tap: Postback) -> bool:
        """Taps on pushed messages: an open call's answer, 終わりました, ポイント; START begins a request."""
        if tap.action == HelpTap.START:
            cls.begin(ctx, tasks=[], typed=[])
            return True
        if tap.action == HelpTap.POINTS:
            show_points(ctx)
            return True
        if not tap.arg.isdigit():
            return False
        service = service_for(ctx)
        try:
            if tap.action in (HelpTap.ACCEPT, HelpTap.DECLINE):
                answer = service.answer(int(tap.arg), ctx.resident, accept=tap.action == HelpTap.ACCEPT)
                said = {
                    Answer.TAKEN: ctx._("ありがとうございます。引き受けていただきました。コーディネーターが確認して、"
                                        "お相手のお名前と連絡先をお知らせします。"),
                    Answer.FILLED: ctx._("ありがとうございます。このお手伝いは、ほかの方が引き受けました。"),
                    Answer.DECLINED: ctx._("わかりました。またお願いします。"),
                }[answer.outcome]
            elif tap.action in (HelpTap.GOOD, HelpTap.PROBLEM):
                request = note_check(ctx, service, int(tap.arg), tap.action)
                if tap.action == HelpTap.PROBLEM and not request.check_words:
                    ctx.answer(text(ctx._("どんなことがありましたか？ このまま書いて送ってください。")))
                else:
                    thanked(ctx, tap.action)
                return True
            elif tap.action == HelpTap.DONE:
                request = service.to_be_done(int(tap.arg), ctx.resident)
                flow = cls(ctx, ctx.conversations.start(ctx.resident, cls.name, "hours", {"request": request.id}))
                flow.ask_hours()
                flow.save()
                return True
            else:
                return False
        except NotFound:
            return False
        except MutualAidError:
            said = ctx._("このお手伝いは、もう受付が終わっています。")
        ctx.answer(text(said, menu_chips(ctx)))
        return True

    def on_begin(self) -> None:
        if self.data.get("tasks"):
            self.to_area()
        else:
            self.ask_tasks()

    def ask_tasks(self, *_: Any) -> None:
        chips = [self.chip(self._(TASK_LABELS[task]), task) for task in self.ctx.profile.mutual_aid.tasks][:12]
        self.ctx.answer(text(self._("どんなお手伝いが必要ですか？ 選ぶか、ことばで送ってください。"), self.chips(*chips)))

    def ask_area(self, *_: Any) -> None:
        self.ctx.answer(text(self._("お手伝いの場所は、どの地区ですか？ 地区の名前を送ってください（例：平）。"),
                             self.chips(*self.area_chips())))

    def ask_when(self, *_: Any) -> None:
        self.ctx.answer(text(self._("いつがよいですか？ 日にちを送るか、選んでください。"), self.chips(
            self.chip(self._("いつでも"), "anytime"),
            pick_date(self._("日にちを選ぶ"), encode(HelpTap.START, "date"), min=self.today().isoformat()),
        )))

    def ask_often(self, *_: Any) -> None:
        self.ctx.answer(text(self._("お手伝いは一度だけですか？ 毎週ですか？"), self.chips(
            self.chip(self._("一度だけ"), HelpRequest.ONCE), self.chip(self._("毎週"), HelpRequest.WEEKLY))))

    def ask_whom(self, *_: Any) -> None:
        self.ctx.answer(text(self._("どなたのためのお手伝いですか？"), self.chips(
            self.chip(self._("自分"), HelpRequest.SELF), self.chip(self._("家族のため"), HelpRequest.FAMILY))))

    def ask_hours(self, *_: Any) -> None:
        self.ctx.answer(text(self._("おつかれさまでした。何時間お手伝いしましたか？ 選ぶか、数字で送ってください。"),
                             self.chips(*[self.chip(self._(label), str(n)) for n, label in HOUR_CHOICES.items()])))

    def ask_details(self, *_: Any) -> None:
        self.ctx.answer(text(self._("手伝う方に知っておいてほしいことがあれば書いてください。なければ「なし」と送ってください。"),
                             self.chips(self.chip(self._("なし"), "none"))))

    def today(self) -> date:
        return utcnow().astimezone(ZoneInfo(self.ctx.profile.timezone)).date()

    # -- reading answers -------------------------------------------------------------------------

    def tap_when(self, tap: Postback) -> bool:
        if tap.arg == "anytime":
            self.data["when"] = None
        elif tap.arg == "date":
            try:
                day = date.fromisoformat(str(tap.params.get("date", "")))
            except ValueError:
                return False
            if day < self.today():
                return False
            self.data["when"] = day.isoformat()
        else:
            return False
        self.to_often()
        return True

    def type_when(self, typed: str) -> bool:
        if _has(typed, ANYTIME_WORDS):
            self.data["when"] = None
        elif day := date_in_text(typed, self.today()):
            self.data["when"] = day.isoformat()
        else:
            return False
        self.to_often()
        return True

    def tap_often(self, tap: Postback) -> bool:
        if tap.arg not in (HelpRequest.ONCE, HelpRequest.WEEKLY):
            return False
        self.data["frequency"] = tap.arg
        self.to_whom()
        return True

    def type_often(self, typed: str) -> bool:
        if _has(typed, WEEKLY_WORDS) and not _has(typed, NOT_WEEKLY_WORDS):
            self.data["frequency"] = HelpRequest.WEEKLY
        elif _has(typed, ONCE_WORDS) or _has(typed, NOT_WEEKLY_WORDS):
            self.data["frequency"] = HelpRequest.ONCE
        else:
            return False
        self.to_whom()
        return True

    def tap_whom(self, tap: Postback) -> bool:
        if tap.arg not in (HelpRequest.SELF, HelpRequest.FAMILY):
            return False
        self.data["asked_by"] = tap.arg
        self.to_details()
        return True

    def type_whom(self, typed: str) -> bool:
        if _has(typed, FAMILY_WORDS) or _has(typed, FOR_FAMILY_WORDS):
            self.data["asked_by"] = HelpRequest.FAMILY
        elif _has(typed, SELF_WORDS):
            self.data["asked_by"] = HelpRequest.SELF
        else:
            return False
        self.to_details()
        return True

    def tap_hours(self, tap: Postback) -> bool:
        if not tap.arg.isdigit() or int(tap.arg) not in HOUR_CHOICES:
            return False
        self.record(hours=float(tap.arg))
        return True

    def type_hours(self, typed: str) -> bool:
        hours = hours_in(typed)
        if hours is None or not 0 < hours <= 12:
            return False
        self.record(hours=hours)
        return True

    def on_enter_recorded(self, hours: float) -> None:
        try:
            service_for(self.ctx).record_done(int(self.data["request"]), hours=hours, by="supporter",
                                              resident=self.ctx.resident)
        except MutualAidError:
            self.ctx.answer(text(self._("このお手伝いは、もう受付が終わっています。"), menu_chips(self.ctx)))
            return
        self.ctx.answer(text(self._("ありがとうございました。お手伝いを記録しました。"), menu_chips(self.ctx)))

    def tap_details(self, tap: Postback) -> bool:
        if tap.arg != "none":
            return False
        self.submit(details="")
        return True

    def type_details(self, typed: str) -> bool:
        self.submit(details="" if is_skip(typed) else typed)
        return True

    def on_enter_area(self, *_: Any) -> None:
        self.ask_area()

    def on_enter_when(self, *_: Any) -> None:
        self.ask_when()

    def on_enter_often(self, *_: Any) -> None:
        self.ask_often()

    def on_enter_whom(self, *_: Any) -> None:
        self.ask_whom()

    def on_enter_details(self, *_: Any) -> None:
        self.ask_details()

    def on_enter_done(self, details: str) -> None:
        """Records the request for the area's SC; a bigger trouble in the words is offered as a consultation."""
        words = [*self.data.get("typed", []), details]
        when = self.data.get("when")
        service = service_for(self.ctx)
        request = service.ask(tasks=self.data["tasks"], area_code=self.data["area"], resident=self.ctx.resident,
                              details="\n".join(filter(None, words)), wanted_on=date.fromisoformat(when) if when else None,
                              frequency=self.data.get("frequency", HelpRequest.ONCE),
                              asked_by=self.data.get("asked_by", HelpRequest.SELF))
        self.ctx.answer(text(self._(
            "受け付けました。{task}（{area}）\n生活支援コーディネーターが手伝う方を探して、決まったらお知らせします。",
            task=service.tasks_text(self.ctx.t, request), area=service.area_name(self.ctx.t, request.area_code))))
        concern = " ".join(words)
        if _has(concern, CONCERN_WORDS):
            self.ctx.conversations.end(self.conversation, "completed")
            from bot.flows.intake import IntakeFlow

            IntakeFlow.offer(self.ctx, concern, str(getattr(getattr(self.ctx.event, "message", None), "id", "") or ""))
            self.state = "tasks"  # the conversation now belongs to the consultation offer
            self._offered = True

    def save(self) -> None:
        if getattr(self, "_offered", False):
            return
        super().save()

    # -- the steps, as a table -------------------------------------------------------------------

    steps = {
        "tasks": Step(ask=ask_tasks, on_tap=_Steps.tap_task, on_text=_Steps.type_task),
        "area": Step(ask=ask_area, on_tap=_Steps.tap_area, on_text=_Steps.type_area),
        "when": Step(ask=ask_when, on_tap=tap_when, on_text=type_when),
        "often": Step(ask=ask_often, on_tap=tap_often, on_text=type_often),
        "whom": Step(ask=ask_whom, on_tap=tap_whom, on_text=type_whom),
        "details": Step(ask=ask_details, on_tap=tap_details, on_text=type_details),
        "hours": Step(ask=ask_hours, on_tap=tap_hours, on_text=type_hours),
    }
