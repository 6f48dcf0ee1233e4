"""イベント・サロン: find a gathering place and sign up for it.

    choosing ──area / kind / date──> picking_* ──choice──> browsing
    choosing / browsing ──location, typed area, kind or day──> browsing
    any step ──申し込む──> party_size ──> name ──> phone ──> confirming ──submit──> done

The search buttons and 申し込む work on every step, those of earlier messages
too, so the machine lets a search or an application start from every state but
done: a resident who taps 地区で探す on an older message while signing up is
looking again, and the unfinished application is left. Buttons of earlier
carousels (詳しく, 申し込む, もっと見る) also work after the conversation has
ended: :meth:`EventsFlow.enter` starts it again there.

Diagram: events.mmd, drawn from TRANSITIONS by ``make diagrams``.
"""
from __future__ import annotations

from datetime import date, timedelta

from bot.flows.context import EventContext
from bot.flows.base import Flow, Step
from bot.flows.event_cards import apply_words, detail_messages, kind_label, results_carousel, with_chips
from bot.flows.event_words import (
    MORE,
    NO_PHONE,
    SIGN_UP_YES,
    decode_query,
    encode_query,
    name_from_message,
    query_of,
)
from bot.flows.menu import menu_chips
from bot.flows.postbacks import EventsTap, MenuTap, Postback, Tap, encode
from bot.messaging.build import pick_date, postback, share_location, text
from bot.models import Conversation
from bot.services.events import EventService
from bot.services.events.base import KINDS, EventNotFound
from bot.services.events.notices import describe_day, describe_moment, describe_when
from bot.services.events.search import EventQuery
from bot.services.events.signups import (
    AlreadySignedUp,
    EventCancelled,
    InvalidName,
    PartyTooLarge,
    SignUpClosed,
    SignUpNotOpen,
    clean_name,
)
from bot.services.phone import InvalidPhone, format_phone, normalise_phone
from bot.understanding.answers import answer_word, is_no, is_yes
from bot.understanding.intents import event_search
from bot.understanding.numbers import number_of_people
from bot.understanding.normalise import normalise

LOOKING = ["choosing", "picking_area", "picking_kind", "picking_date", "browsing"]
APPLYING = ["party_size", "name", "phone", "confirming"]
STATES = [*LOOKING, *APPLYING, "done"]
TRANSITIONS = [
    # Looking, and 申し込む: from every step (see above).
    {"trigger": "ask_area", "source": [*LOOKING, *APPLYING], "dest": "picking_area"},
    {"trigger": "ask_kind", "source": [*LOOKING, *APPLYING], "dest": "picking_kind"},
    {"trigger": "ask_date", "source": [*LOOKING, *APPLYING], "dest": "picking_date"},
    {"trigger": "browse", "source": [*LOOKING, *APPLYING], "dest": "browsing"},
    {"trigger": "apply", "source": [*LOOKING, *APPLYING], "dest": "party_size"},
    # Signing up, one answer after the other.
    {"trigger": "set_party_size", "source": "party_size", "dest": "name"},
    {"trigger": "set_name", "source": "name", "dest": "phone"},
    {"trigger": "set_phone", "source": "phone", "dest": "confirming"},
    {"trigger": "submit", "source": "confirming", "dest": "done"},
]
# What each state asks, and the taps and words it reads: EventsFlow.steps, at the end of the class.

# Buttons of earlier messages that may start the flow again; the read-only
# ones answer without ending another flow the resident is in (a consultation).
READ_ONLY = frozenset({EventsTap.DETAIL, EventsTap.MORE, EventsTap.AREA, EventsTap.KIND, EventsTap.DATE,
                       EventsTap.PICK_DATE, EventsTap.WAYS})
RESUMABLE = READ_ONLY | {EventsTap.APPLY}
DATE_PICKER_DAYS = 180


def resume(flow_class: type[Flow], ctx: EventContext, tap: Postback, *,
           resumable: frozenset[Tap], read_only: frozenset[Tap]) -> bool:
    """Answer a button of an earlier message of ``flow_class``; False when the button is stale.

    A read-only button (詳しく, もっと見る) tapped while another flow is active
    is answered by a flow that is never stored, so that flow goes on; any
    other button starts ``flow_class`` in place of whatever was active.
    """
    if tap.action not in resumable:
        return False
    if tap.action in read_only and ctx.conversations.active(ctx.resident) is not None:
        passing = Conversation(resident_id=ctx.resident.id, flow=flow_class.name, state=flow_class.initial, data={})
        return flow_class(ctx, passing).on_postback(tap)
    conversation = ctx.conversations.start(ctx.resident, flow_class.name, flow_class.initial, {})
    flow = flow_class(ctx, conversation)
    if not flow.on_postback(tap):
        flow.cancel()
        return False
    flow.save()
    return True


class EventsFlow(Flow):
    name = "events"
    taps = EventsTap
    states = STATES
    transitions = TRANSITIONS
    initial = "choosing"

    @classmethod
    def enter(cls, ctx: EventContext, tap: Postback) -> bool:
        """Start again from a button of an earlier carousel (詳しく, 申し込む, もっと見る...)."""
        if tap.action == EventsTap.START:
            cls.begin(ctx)
            return True
        return resume(cls, ctx, tap, resumable=RESUMABLE, read_only=READ_ONLY)

    @classmethod
    def search(cls, ctx: EventContext, query: EventQuery) -> None:
        """Start looking with what the resident typed outside the flow (「平のあたりでオレンジカフェはありますか」)."""
        conversation = ctx.conversations.start(ctx.resident, cls.name, cls.initial, {})
        flow = cls(ctx, conversation)
        flow.show_results(query, 0)
        flow.save()

    @property
    def service(self) -> EventService:
        return EventService(self.ctx.session, self.ctx.profile, self.ctx.clock, outbox=self.ctx.outbox)

    def on_begin(self) -> None:
        self.ask_how_to_look()

    # -- what the resident sends while looking (on every step: see anywhere and steps below) ----

    def tap_ways(self, tap: Postback) -> bool:
        self.browse()
        self.ask_how_to_look()
        return True

    def tap_area(self, tap: Postback) -> bool:
        return self.show_area(tap.arg) if tap.arg else self.ask_for_area()

    def tap_kind(self, tap: Postback) -> bool:
        return self.show_kind(tap.arg) if tap.arg else self.ask_for_kind()

    def tap_date(self, tap: Postback) -> bool:
        return self.show_week(tap.arg) if tap.arg else self.ask_for_date()

    def tap_picked_date(self, tap: Postback) -> bool:
        """A day from the date picker (in LINE's params), or 今日 (in the data)."""
        return self.show_picked_date(tap.params.get("date") or tap.arg)

    def tap_more(self, tap: Postback) -> bool:
        offset, _, encoded = tap.arg.partition("|")
        if not offset.isdigit():
            return False
        self.show_results(decode_query(encoded), int(offset))
        return True

    def tap_detail(self, tap: Postback) -> bool:
        if not tap.arg.isdigit():
            return False
        self.show_detail(int(tap.arg))
        return True

    def tap_apply(self, tap: Postback) -> bool:
        if not tap.arg.isdigit():
            return False
        self.start_application(int(tap.arg))
        return True

    def tap_quit(self, tap: Postback) -> bool:
        self.quit_application()
        return True

    def on_location(self, latitude: float, longitude: float, title: str | None, address: str | None) -> bool:
        self.show_results(EventQuery(near=(latitude, longitude)), 0)
        return True

    def interpret_search(self, typed: str) -> bool:
        """Understands a typed area, kind of event or day, or all in one (平, オレンジカフェ, 日曜日, 平の体操は来週?)."""
        if answer_word(typed) in MORE and self.data.get("next"):
            offset, _, encoded = self.data["next"].partition("|")
            self.show_results(decode_query(encoded), int(offset))
            return True
        search = event_search(typed, self.ctx.profile, self.service.today())
        if search is not None:
            self.show_results(query_of(search), 0)
            return True
        word = normalise(typed)
        for code, label in KINDS.items():  # a kind's name in the resident's language, as its chip shows it
            if word in {normalise(label), normalise(self._(label))}:
                return self.show_kind(code)
        return False

    # -- looking for events ------------------------------------------------------------------

    def search_chips(self) -> list[dict]:
        chips = []
        own = self.own_area()
        if own is not None:
            label = self._("{area}で探す", area=own.place_in(self.ctx.t.locale))
            if len(label) > 20:
                label = self._("{area}で探す", area=own.text_in(self.ctx.t.locale))
            chips.append(postback(label[:20], encode(EventsTap.AREA, own.code)))
        chips += [
            postback(self._("地区で探す"), encode(EventsTap.AREA)),
            share_location(self._("近くで探す")),
            postback(self._("日付で探す"), encode(EventsTap.DATE)),
            postback(self._("種類で探す"), encode(EventsTap.KIND)),
            postback(self._("申込の確認"), encode(MenuTap.MINE)),
        ]
        return chips

    def own_area(self):  # noqa: ANN201
        code = self.ctx.resident.area_code
        if not code:
            return None
        try:
            return self.ctx.profile.area(code)
        except KeyError:
            return None

    def ask_how_to_look(self) -> None:
        """Asks how the resident would like to look: own area, area, nearby, date or kind."""
        self.ctx.answer(text(
            self._("地域のサロンやイベントを探します。どのように探しますか？\n"
                   "「近くで探す」では、位置情報を送るとお近くの会場から順に表示します。"),
            self.search_chips(),
        ))

    def ask_for_area(self) -> bool:
        """Asks which area, the resident's own first."""
        self.ask_area()
        areas = list(self.ctx.profile.areas)
        own = self.own_area()
        if own is not None:
            areas.sort(key=lambda area: area.code != own.code)
        chips = [postback(area.place_in(self.ctx.t.locale, limit=20), encode(EventsTap.AREA, area.code))
                 for area in areas][:13]
        self.ctx.answer(text(self._("どの地区のイベントを探しますか？地区名を送っていただいても探せます。"), chips))
        return True

    def ask_for_kind(self) -> bool:
        """Asks which kind of gathering."""
        self.ask_kind()
        chips = [postback(kind_label(self.ctx.t, code)[:20], encode(EventsTap.KIND, code)) for code in KINDS]
        self.ctx.answer(text(self._("どの種類のイベントを探しますか？"), chips))
        return True

    def ask_for_date(self) -> bool:
        """Asks which days: this week, next week, or a date from the calendar."""
        self.ask_date()
        today = self.service.today()
        chips = [
            postback(self._("今日"), encode(EventsTap.PICK_DATE, today.isoformat())),
            postback(self._("今週"), encode(EventsTap.DATE, "this")),
            postback(self._("来週"), encode(EventsTap.DATE, "next")),
            pick_date(self._("日付を選ぶ"), encode(EventsTap.PICK_DATE), mode="date", initial=today.isoformat(),
                      min=today.isoformat(), max=(today + timedelta(days=DATE_PICKER_DAYS)).isoformat()),
        ]
        self.ctx.answer(text(self._("いつのイベントを探しますか？"), chips))
        return True

    def show_area(self, code: str) -> bool:
        try:
            self.ctx.profile.area(code)
        except KeyError:
            return False
        self.show_results(EventQuery(area_code=code), 0)
        return True

    def show_kind(self, code: str) -> bool:
        if code not in KINDS:
            return False
        self.show_results(EventQuery(kind=code), 0)
        return True

    def show_week(self, which: str) -> bool:
        """This week: today to Sunday; next week: Monday to Sunday."""
        today = self.service.today()
        monday = today - timedelta(days=today.weekday())
        if which == "this":
            self.show_results(EventQuery(date_from=today, date_to=monday + timedelta(days=6)), 0)
        elif which == "next":
            self.show_results(EventQuery(date_from=monday + timedelta(days=7), date_to=monday + timedelta(days=13)), 0)
        else:
            return False
        return True

    def show_picked_date(self, value: str) -> bool:
        try:
            day = date.fromisoformat(value)
        except ValueError:
            return False
        self.show_results(EventQuery(date_from=day, date_to=day), 0)
        return True

    def describe_query(self, query: EventQuery) -> str:
        parts = []
        if query.near:
            parts.append(self._("お近くの会場"))
        if query.area_code:
            parts.append(self._("{area}地区", area=self.ctx.profile.area(query.area_code).place_in(self.ctx.t.locale)))
        if query.kind:
            parts.append(kind_label(self.ctx.t, query.kind))
        if query.date_from and query.date_to and query.date_from == query.date_to:
            parts.append(describe_day(self.ctx.t, self.service.local_midnight(query.date_from)))
        elif query.date_from or query.date_to:
            start = describe_day(self.ctx.t, self.service.local_midnight(query.date_from)) if query.date_from else ""
            end = describe_day(self.ctx.t, self.service.local_midnight(query.date_to)) if query.date_to else ""
            parts.append(self._("{start}〜{end}", start=start, end=end))
        return self._("、").join(parts) or self._("すべてのイベント")

    def show_results(self, query: EventQuery, offset: int) -> None:
        """Shows a page of events as a carousel (11 and もっと見る), soonest or nearest first."""
        service = self.service
        if query.area_code:
            try:
                self.ctx.profile.area(query.area_code)
            except KeyError:
                query = EventQuery()
        page = service.search(query, offset=offset)
        self.browse()
        encoded = encode_query(query)
        self.data["query"] = encoded
        condition = self.describe_query(query)
        if not page.listings:
            self.data.pop("next", None)
            self.ctx.answer(text(
                self._("{condition}のイベントは見つかりませんでした。ほかの探し方もお試しください。", condition=condition),
                self.search_chips(),
            ))
            return
        events = [listing.event for listing in page.listings]
        states = {event.id: service.signup_state(event) for event in events}
        signups = service.signups_among(self.ctx.resident, (event.id for event in events))
        more = None
        chips = []
        if page.next_offset is not None:
            data = encode(EventsTap.MORE, f"{page.next_offset}|{encoded}")
            self.data["next"] = f"{page.next_offset}|{encoded}"
            more = (page.total - page.next_offset, data)
            chips.append(postback(self._("もっと見る"), data))
        else:
            self.data.pop("next", None)
        chips += [c for c in self.search_chips() if c.get("data") != encode(MenuTap.MINE)]
        first, last = page.offset + 1, page.offset + len(page.listings)
        heading = (
            self._("{condition}：{total}件見つかりました。", condition=condition, total=page.total)
            if page.offset == 0
            else self._("{condition}：{total}件中 {first}〜{last}件目です。", condition=condition, total=page.total,
                        first=first, last=last)
        )
        carousel = results_carousel(self.ctx.t, self.ctx.profile, page.listings, states, signups, more)
        self.ctx.answer(text(heading), with_chips(carousel, chips))

    def show_detail(self, event_id: int) -> None:
        """Shows everything about one event, and its place on the map."""
        service = self.service
        try:
            event = service.get(event_id)
        except EventNotFound:
            self.ctx.answer(text(self._("このイベントは見つかりませんでした。"), self.search_chips()))
            return
        state = service.signup_state(event)
        signup = service.active_signup(event.id, self.ctx.resident)
        signed_up = signup is not None
        availability = service.availability(event)
        messages = detail_messages(self.ctx.t, self.ctx.profile, event, availability, state, signup)
        chips = []
        if state == "open" and not signed_up:
            label, _ = apply_words(self.ctx.t, event, availability)
            chips.append(postback(label, encode(EventsTap.APPLY, event.id)))
        if self.data.get("query") is not None:
            chips.append(postback(self._("一覧に戻る"), encode(EventsTap.MORE, f"0|{self.data['query']}")))
        chips.append(postback(self._("ほかの探し方"), encode(EventsTap.WAYS)))
        messages[-1] = with_chips(messages[-1], chips)
        self.ctx.answer(*messages)

    # -- signing up -----------------------------------------------------------------------------

    def start_application(self, event_id: int) -> None:
        """Checks that the event takes sign-ups from this resident, then asks how many people."""
        service = self.service
        try:
            event = service.get(event_id)
        except EventNotFound:
            self.ctx.answer(text(self._("このイベントは見つかりませんでした。"), self.search_chips()))
            return
        refusal = self.refusal(service, event)
        if refusal is not None:
            self.ctx.answer(refusal)
            return
        self.data.update(event_id=event.id, party_size=None, name=None, phone=None)
        self.apply()
        lead = self._("「{title}」（{when}）に申し込みます。", title=event.title,
                      when=describe_when(self.ctx.t, event.starts_at, event.ends_at))
        if min(event.max_party_size, event.capacity) == 1:
            self.data["party_size"] = 1
            self.set_party_size()
            self.ask_name(lead)
        else:
            self.ask_party_size(lead)

    def refusal(self, service: EventService, event) -> dict | None:  # noqa: ANN001
        """Why this resident cannot sign up for the event now, kindly, or None."""
        existing = service.active_signup(event.id, self.ctx.resident)
        if existing is not None:
            return text(
                self._("「{title}」（{when}）には、すでにお申し込みいただいています。"
                       "内容は「申込の確認」からご覧いただけます。",
                       title=event.title, when=describe_when(self.ctx.t, event.starts_at, event.ends_at)),
                [postback(self._("申込の確認"), encode(MenuTap.MINE)),
                 postback(self._("ほかのイベントを探す"), encode(EventsTap.WAYS))],
            )
        state = service.signup_state(event)
        if state == "open":
            return None
        if state == "cancelled":
            body = self._("「{title}」は中止になりました。", title=event.title)
        elif state == "not_open":
            body = self._("「{title}」の受付は{when}からです。", title=event.title,
                          when=describe_moment(self.ctx.t, event.signup_opens_at))
        else:
            body = self._("「{title}」の受付は終了しました。", title=event.title)
        return text(body, self.search_chips())

    def current_event(self):  # noqa: ANN201
        return self.service.get(self.data["event_id"])

    def ask_party_size(self, lead: str | None = None) -> None:
        """Asks how many people will come (1 to the event's maximum)."""
        event = self.current_event()
        limit = min(event.max_party_size, event.capacity, 12)
        chips = [postback(self._("{n}名", n=n), encode(EventsTap.PARTY, n)) for n in range(1, limit + 1)]
        chips.append(postback(self._("やめる"), encode(EventsTap.QUIT)))
        question = self._("何名で参加されますか？（{limit}名まで）", limit=limit)
        self.ctx.answer(text(f"{lead}\n{question}" if lead else question, chips))

    def tap_party_size(self, tap: Postback) -> bool:
        return tap.action == EventsTap.PARTY and tap.arg.isdigit() and self.store_party_size(int(tap.arg))

    def type_party_size(self, typed: str) -> bool:
        size = number_of_people(typed)
        return size is not None and self.store_party_size(size)

    def store_party_size(self, size: int) -> bool:
        """Stores the party size and asks for the name."""
        event = self.current_event()
        limit = min(event.max_party_size, event.capacity)
        if not 1 <= size <= limit:
            self.ctx.answer(text(self._("1回のお申し込みは{limit}名までです。", limit=limit)))
            self.ask_party_size()
            return True
        self.data["party_size"] = size
        self.set_party_size()
        self.ask_name()
        return True

    def ask_name(self, lead: str | None = None) -> None:
        """Asks for the name, offering the LINE name as it is."""
        display_name = self.ctx.resident.display_name
        chips = []
        if display_name:
            label = display_name if len(display_name) <= 20 else display_name[:19] + "…"
            chips.append(postback(label, encode(EventsTap.NAME), display_name[:300]))
            body = self._("お名前を教えてください。\n「{name}」でよろしければ下のボタンを、違う場合はお名前を送ってください。",
                          name=display_name)
        else:
            body = self._("お名前を送ってください。")
        chips.append(postback(self._("やめる"), encode(EventsTap.QUIT)))
        self.ctx.answer(text(f"{lead}\n{body}" if lead else body, chips))

    def tap_name(self, tap: Postback) -> bool:
        """The LINE name, as the button offered it."""
        name = self.ctx.resident.display_name
        return tap.action == EventsTap.NAME and bool(name) and self.store_name(name)

    def type_name(self, typed: str) -> bool:
        """A typed name, taken out of a sentence (「吉田和子です」); several people as a list."""
        return self.store_name(name_from_message(typed, self.data["party_size"]))

    def store_name(self, typed: str) -> bool:
        """Stores the name and asks for a phone number."""
        try:
            self.data["name"] = clean_name(typed)
        except InvalidName:
            self.ctx.answer(text(self._("お名前は50文字以内で送ってください。")))
            self.ask_name()
            return True
        self.set_name()
        self.ask_phone()
        return True

    def ask_phone(self) -> None:
        """Asks for a phone number, which is optional."""
        self.ctx.answer(text(
            self._("当日の連絡用に、電話番号を送ってください。\nなくてもお申し込みいただけます。"),
            [postback(self._("電話番号なし"), encode(EventsTap.NO_PHONE)), postback(self._("やめる"), encode(EventsTap.QUIT))],
        ))

    def tap_phone(self, tap: Postback) -> bool:
        return tap.action == EventsTap.NO_PHONE and self.store_phone(None)

    def type_phone(self, typed: str) -> bool:
        return self.store_phone(None if answer_word(typed) in NO_PHONE else typed)

    def store_phone(self, typed: str | None) -> bool:
        """Stores the phone number (or none) and asks to confirm."""
        try:
            self.data["phone"] = normalise_phone(typed) if typed else None
        except InvalidPhone:
            self.ctx.answer(text(self._("電話番号として読み取れませんでした。090-1234-5678 のように送ってください。")))
            self.ask_phone()
            return True
        self.set_phone()
        self.ask_to_confirm()
        return True

    def ask_to_confirm(self) -> None:
        """Shows what will be sent and asks to confirm."""
        service = self.service
        event = self.current_event()
        lines = [
            self._("こちらの内容で申し込みますか？"),
            self._("「{title}」", title=event.title),
            self._("日時：{when}", when=describe_when(self.ctx.t, event.starts_at, event.ends_at)),
            self._("会場：{venue}", venue=event.venue_name),
            self._("人数：{party}名", party=self.data["party_size"]),
            self._("お名前：{name}", name=self.data["name"]),
            self._("電話番号：{phone}", phone=format_phone(self.data["phone"]) or self._("なし")),
        ]
        if self.data["party_size"] > service.availability(event).seats_left:
            lines.append(self._("※ただいま満席のため、キャンセル待ちでのお申し込みになります。"))
        self.ctx.answer(text(
            "\n".join(lines),
            [postback(self._("申し込む"), encode(EventsTap.SUBMIT)), postback(self._("やめる"), encode(EventsTap.QUIT))],
        ))

    def tap_confirming(self, tap: Postback) -> bool:
        if tap.action != EventsTap.SUBMIT:
            return False
        self.submit_application()
        return True

    def type_confirming(self, typed: str) -> bool:
        if is_yes(typed, SIGN_UP_YES):
            self.submit_application()
            return True
        if is_no(typed):
            self.quit_application()
            return True
        return False

    def hint_how_to_look(self) -> None:
        """Says what can be typed to look for events, with the ways to look."""
        soon = self.service.today() + timedelta(days=7)  # an example date still to come
        example = f"{soon.month}/{soon.day}"
        self.ctx.answer(text(
            self._("すみません、読み取れませんでした。地区名（例：平）、種類（例：サロン）、"
                   "日付（例：{example}）を送るか、下のボタンから選んでください。", example=example),
            self.search_chips(),
        ))

    def submit_application(self) -> None:
        """Signs the resident up and says whether the place is confirmed or on the waiting list."""
        service = self.service
        event_id = self.data["event_id"]
        try:
            signup = service.sign_up(
                event_id,
                resident=self.ctx.resident,
                party_size=self.data["party_size"],
                name=self.data["name"],
                phone=self.data["phone"],
            )
        except PartyTooLarge as error:
            self.ctx.answer(text(self._("1回のお申し込みは{limit}名までです。", limit=error.limit)))
            self.apply()
            self.ask_party_size()
            return
        except (AlreadySignedUp, EventCancelled, SignUpClosed, SignUpNotOpen, EventNotFound) as error:
            self.submit()
            event = service.get(event_id) if not isinstance(error, EventNotFound) else None
            refusal = self.refusal(service, event) if event is not None else None
            self.ctx.answer(refusal or text(self._("このイベントは見つかりませんでした。"), menu_chips(self.ctx)))
            return
        self.submit()
        event = signup.event
        when = describe_when(self.ctx.t, event.starts_at, event.ends_at)
        chips = [postback(self._("申込の確認"), encode(MenuTap.MINE)),
                 postback(self._("ほかのイベントを探す"), encode(EventsTap.WAYS))]
        if signup.status == signup.CONFIRMED:
            body = self._(
                "お申し込みを受け付けました。\n「{title}」\n日時：{when}\n会場：{venue}\n人数：{party}名\n"
                "前日にもご案内をお送りします。お気をつけてお越しください。",
                title=event.title, when=when, venue=event.venue_name, party=signup.party_size,
            )
        else:
            body = self._(
                "満席のため、キャンセル待ち{position}番目で受け付けました。\n「{title}」\n日時：{when}\n"
                "お席が空いたら、すぐにこのLINEでお知らせします。",
                position=signup.waiting_position, title=event.title, when=when,
            )
        self.ctx.answer(text(body, chips))

    def quit_application(self) -> None:
        """Stops without signing up."""
        self.cancel()
        self.ctx.answer(text(self._("お申し込みをやめました。ほかにご用件があれば選んでください。"), menu_chips(self.ctx)))

    def save(self) -> None:
        if self.conversation.ended_at is None:  # quit_application has already ended it
            super().save()

    # -- the steps, as a table ---------------------------------------------------------------------

    # Looking works on every step, and on buttons of earlier messages (resume() starts the flow for them).
    anywhere = {
        EventsTap.WAYS: tap_ways,
        EventsTap.AREA: tap_area,
        EventsTap.KIND: tap_kind,
        EventsTap.DATE: tap_date,
        EventsTap.PICK_DATE: tap_picked_date,
        EventsTap.MORE: tap_more,
        EventsTap.DETAIL: tap_detail,
        EventsTap.APPLY: tap_apply,
        EventsTap.QUIT: tap_quit,
    }
    steps = {
        "choosing": Step(ask=hint_how_to_look, on_text=interpret_search),
        "picking_area": Step(ask=ask_for_area, on_text=interpret_search),
        "picking_kind": Step(ask=ask_for_kind, on_text=interpret_search),
        "picking_date": Step(ask=ask_for_date, on_text=interpret_search),
        "browsing": Step(ask=hint_how_to_look, on_text=interpret_search),
        "party_size": Step(ask=ask_party_size, on_tap=tap_party_size, on_text=type_party_size),
        "name": Step(ask=ask_name, on_tap=tap_name, on_text=type_name),
        "phone": Step(ask=ask_phone, on_tap=tap_phone, on_text=type_phone),
        "confirming": Step(ask=ask_to_confirm, on_tap=tap_confirming, on_text=type_confirming),
    }
