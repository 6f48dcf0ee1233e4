"""お知らせ設定: the resident chooses which notices they receive, for which areas, or stops them.

    choosing --areas--> areas --topics--> choosing
    choosing/areas --finish--> done

Every tap changes the setting at once (one tap to choose, change or stop) and
shows the settings again; 完了 ends. Diagram: notices.mmd, drawn from
TRANSITIONS by ``make diagrams``.
"""
from __future__ import annotations

from bot.flows.base import Flow, Step
from bot.flows.context import EventContext
from bot.flows.postbacks import EventsTap, NoticesTap, Postback, encode
from bot.messaging.build import postback, text
from bot.services.notices import NoticeService, NoticeSettings
from bot.understanding.answers import answer_of
from bot.understanding.negation import denied_after
from bot.understanding.normalise import normalise

STATES = ["choosing", "areas", "done"]
TRANSITIONS = [
    {"trigger": "show_areas", "source": "choosing", "dest": "areas"},
    {"trigger": "show_topics", "source": "areas", "dest": "choosing"},
    {"trigger": "finish", "source": ["choosing", "areas"], "dest": "done"},
]
AREAS_PER_PAGE = 9  # with 前へ, 次へ, 戻る and 完了: within LINE's 13 quick replies

# What residents type to open the settings (compared normalised). Alone (a short message) these open them;
# in a longer sentence only with a word of SETTINGS_WORDS or STOP_WORDS (「市からのお知らせが読めない」 is a consultation).
OPEN_WORDS = ("お知らせ設定", "おしらせ設定", "おしらせせってい", "お知らせ", "おしらせ", "通知の設定", "通知設定", "通知",
              "つうち", "notice settings", "notices", "notifications", "notification", "通知设置", "消息设置",
              "cài đặt thông báo", "thông báo", "cai dat thong bao", "thong bao")
SETTINGS_WORDS = ("設定", "せってい", "変えたい", "かえたい", "変更", "settings", "change", "设置", "更改", "cài đặt",
                  "thay đổi", "cai dat")
STOP_WORDS = ("止めたい", "止めて", "とめたい", "とめて", "止める", "とめる", "停止", "いらない", "要らない", "不要", "stop",
              "unsubscribe", "取消", "dừng", "dung", "tắt", "tat")
SHORT = 12  # characters: 「お知らせ」「通知」 alone


def _found(typed: str, words: tuple[str, ...]) -> int | None:
    """Where the first of ``words`` ends in the normalised text, or None."""
    folded = normalise(typed, spaces=True)
    for word in words:
        at = folded.find(normalise(word, spaces=True))
        if at >= 0:
            return at + len(normalise(word, spaces=True))
    return None


def _mentions(typed: str, words: tuple[str, ...]) -> bool:
    return _found(typed, words) is not None


def asks_to_stop(typed: str) -> bool:
    """「お知らせを止めたい」「通知いらない」; not 「止めないでください」 nor 「いらないことはない」."""
    end = _found(typed, STOP_WORDS)
    return end is not None and not denied_after(normalise(typed, spaces=True), end)


def open_notice_settings(ctx: EventContext, typed: str) -> bool:
    """「お知らせ設定」「通知の設定」 open the settings; 「お知らせを止めたい」 stops them at once."""
    length = len(normalise(typed, spaces=True))
    if length > 25 or not _mentions(typed, OPEN_WORDS):
        return False
    stop = asks_to_stop(typed)
    if length > SHORT and not (stop or _mentions(typed, SETTINGS_WORDS)):
        return False
    NoticeSettingsFlow.begin(ctx, stop=stop)
    return True


class NoticeSettingsFlow(Flow):
    name = "notices"
    taps = NoticesTap
    states = STATES
    transitions = TRANSITIONS
    initial = "choosing"

    @classmethod
    def enter(cls, ctx: EventContext, tap: Postback) -> bool:
        """From a notice: its settings button, or its sign-up button (counted, then the events flow's sign-up)."""
        if tap.action == NoticesTap.EVENT:
            return cls.open_event(ctx, tap.arg)
        if tap.action in (NoticesTap.START, NoticesTap.STOP, NoticesTap.TOPIC):
            flow = cls.begin(ctx)
            if tap.action != NoticesTap.START:
                flow.on_postback(tap)
                flow.save()
            return True
        return False

    @classmethod
    def open_event(cls, ctx: EventContext, arg: str) -> bool:
        from bot.flows.events import EventsFlow

        notice_id, _, event_id = arg.partition(".")
        if not (notice_id.isdigit() and event_id.isdigit() and len(arg) < 30):
            return False
        NoticeService(ctx.session, ctx.profile).opened(int(notice_id), ctx.resident)
        return EventsFlow.enter(ctx, Postback(EventsTap.SCOPE, EventsTap.APPLY, event_id))

    @property
    def settings(self) -> NoticeSettings:
        return NoticeSettings(self.ctx.session, self.ctx.profile)

    def on_begin(self) -> None:
        if self.data.pop("stop", False):
            self.settings.stop(self.ctx.resident)
            self.ctx.answer(text(self._("お知らせを止めました。大切なお知らせ（災害など）だけは届きます。"),
                                 [postback(self._("再開する"), encode(NoticesTap.RESUME)),
                                  postback(self._("完了"), encode(NoticesTap.DONE))]))
            return
        self.ask_topics()

    # -- what each step shows --------------------------------------------------------------

    def _summary(self) -> str:
        setting = self.settings.of(self.ctx.resident)
        locale = self.ctx.t.locale
        if setting is None or not setting.topics:
            chosen = self._("まだ選んでいません。")
        elif setting.stopped:
            chosen = self._("いまは止めています。")
        else:
            names = {t.code: t.text_in(locale) for t in self.ctx.profile.notices.topics}
            chosen = "、".join(names[code] for code in setting.topics if code in names)
        areas = (setting.areas if setting else None) or []
        where = "、".join(self.ctx.profile.area(code).place_in(locale) for code in areas) if areas \
            else self._("お住まいの地区")
        return self._("受け取るお知らせ：{topics}\n地区：{areas}", topics=chosen, areas=where)

    def ask_topics(self) -> None:
        """Shows the settings and asks which topics to receive."""
        setting = self.settings.of(self.ctx.resident)
        topics = set(setting.topics or []) if setting and not setting.stopped else set()
        locale = self.ctx.t.locale
        chips = [postback(("✓" if topic.code in topics else "") + topic.text_in(locale)[:19],
                          encode(NoticesTap.TOPIC, topic.code)) for topic in self.ctx.profile.notices.topics]
        chips.append(postback(self._("地区を選ぶ"), encode(NoticesTap.AREA_PAGE, 0)))
        if setting and setting.stopped:
            chips.append(postback(self._("再開する"), encode(NoticesTap.RESUME)))
        else:
            chips.append(postback(self._("すべて止める"), encode(NoticesTap.STOP)))
        chips.append(postback(self._("完了"), encode(NoticesTap.DONE)))
        self.ctx.answer(text(self._summary() + "\n\n" + self._(
            "受け取りたいお知らせを押してください。もう一度押すと外れます。"), chips))

    def ask_areas(self) -> None:
        """Asks for which areas (the resident's own, or a parent's) notices come."""
        page = int(self.data.get("page", 0))
        setting = self.settings.of(self.ctx.resident)
        chosen = set((setting.areas if setting else None) or [])
        areas = self.ctx.profile.areas
        shown = areas[page * AREAS_PER_PAGE:(page + 1) * AREAS_PER_PAGE]
        locale = self.ctx.t.locale
        chips = [postback(("✓" if area.code in chosen else "") + area.place_in(locale, limit=19),
                          encode(NoticesTap.AREA, area.code)) for area in shown]
        if (page + 1) * AREAS_PER_PAGE < len(areas):
            chips.append(postback(self._("次へ"), encode(NoticesTap.AREA_PAGE, page + 1)))
        if page > 0:
            chips.append(postback(self._("前へ"), encode(NoticesTap.AREA_PAGE, page - 1)))
        chips.append(postback(self._("戻る"), encode(NoticesTap.START)))
        chips.append(postback(self._("完了"), encode(NoticesTap.DONE)))
        self.ctx.answer(text(self._summary() + "\n\n" + self._(
            "お知らせを受け取る地区を押してください。離れて暮らすご家族の地区も選べます。"), chips))

    # -- taps and words ------------------------------------------------------------------------

    def tap_anywhere(self, tap: Postback) -> bool:
        resident = self.ctx.resident
        if tap.action == NoticesTap.TOPIC:
            if not self.settings.toggle_topic(resident, tap.arg):
                return False
        elif tap.action == NoticesTap.STOP:
            self.settings.stop(resident)
            self.ctx.answer(text(self._("お知らせを止めました。大切なお知らせ（災害など）だけは届きます。")))
        elif tap.action == NoticesTap.RESUME:
            self.settings.resume(resident)
        elif tap.action == NoticesTap.DONE:
            self.finish()
            return True
        elif tap.action == NoticesTap.START:
            if self.state == "areas":
                self.show_topics()
        elif tap.action == NoticesTap.AREA_PAGE:
            if not tap.arg.isdigit() or int(tap.arg) * AREAS_PER_PAGE >= len(self.ctx.profile.areas):
                return False
            self.data["page"] = int(tap.arg)
            if self.state == "choosing":
                self.show_areas()
        elif tap.action == NoticesTap.AREA:
            if not self.settings.toggle_area(resident, tap.arg):
                return False
        else:
            return False
        self.ctx.session.flush()
        self.remind()
        return True

    def type_words(self, typed: str) -> bool:
        """A topic or area typed by name, 「止めたい」, or 「完了」."""
        if answer_of(typed) == "next":
            return self.tap_anywhere(Postback(self.name, NoticesTap.DONE))
        if asks_to_stop(typed):
            return self.tap_anywhere(Postback(self.name, NoticesTap.STOP))
        folded = normalise(typed, spaces=True)
        for topic in self.ctx.profile.notices.topics:
            names = {topic.name, *(fields.get("name", "") for fields in topic.translations.values())}
            if any(name and normalise(name, spaces=True) in folded for name in names):
                return self.tap_anywhere(Postback(self.name, NoticesTap.TOPIC, topic.code))
        area = self.ctx.profile.find_area(typed)
        if area is not None:
            return self.tap_anywhere(Postback(self.name, NoticesTap.AREA, area.code))
        return False

    def on_enter_done(self) -> None:
        from bot.flows.menu import menu_chips

        self.ctx.answer(text(self._summary() + "\n" + self._(
            "お知らせの設定を保存しました。変えるときは「お知らせ設定」と送ってください。"), menu_chips(self.ctx)))

    steps = {
        "choosing": Step(ask=ask_topics, on_tap=tap_anywhere, on_text=type_words),
        "areas": Step(ask=ask_areas, on_tap=tap_anywhere, on_text=type_words),
    }
