"""Flex messages for events and sign-ups, in the resident's language.

A carousel holds at most 12 bubbles (LINE's limit): the results pages use
11 events and a "もっと見る" bubble.
"""
from __future__ import annotations

from datetime import datetime

from linebot.v3.messaging import (
    FlexBox,
    FlexBubble,
    FlexButton,
    FlexCarousel,
    FlexMessage,
    FlexSeparator,
    FlexText,
    LocationMessage,
    PostbackAction,
    QuickReply,
    QuickReplyItem,
)

from bot.flows.postbacks import EventsTap, SignupsTap, encode
from bot.i18n import Translator
from bot.models import Event, SignUp
from bot.municipality import Municipality
from bot.services.events.base import KINDS
from bot.services.events.notices import describe_moment, describe_when
from bot.services.events.search import Availability, Listing

GREY = "#777777"
GREEN = "#1B7F3A"
RED = "#B3261E"
ACCENT = "#06C755"  # LINE green, for the main button


def with_chips(message: dict, chips: list[dict]) -> dict:
    """The message with quick-reply chips under it (any message type may carry them)."""
    items = [QuickReplyItem.from_dict({"type": "action", "action": action}) for action in chips]
    return {**message, "quickReply": QuickReply(items=items).to_dict()}


def kind_label(t: Translator, kind: str) -> str:
    return t._(KINDS[kind]) if kind in KINDS else kind


def place(event: Event, distance_km: float | None = None, t: Translator | None = None) -> str:
    if distance_km is None or t is None:
        return event.venue_name
    return t._("{venue}（約{km}km）", venue=event.venue_name, km=format(distance_km, ".1f"))


def seats_line(t: Translator, availability: Availability, signup_state: str, event: Event) -> tuple[str, str]:
    """What the resident most needs to know about taking part, and its colour."""
    if signup_state == "cancelled":
        return t._("中止になりました"), RED
    if signup_state == "closed":
        return t._("受付は終了しました"), GREY
    if signup_state == "not_open":
        return t._("受付開始：{when}", when=describe_moment(t, event.signup_opens_at)), GREY
    if availability.is_full:
        return t._("満席・キャンセル待ち{position}番目になります", position=availability.waiting + 1), RED
    return t._("残り{seats}席", seats=availability.seats_left), GREEN


def apply_button(t: Translator, event: Event, availability: Availability) -> FlexButton:
    """申し込む, or キャンセル待ちで申し込む when the event is full."""
    label, display = apply_words(t, event, availability)
    return _button(label, encode(EventsTap.APPLY, event.id), display, primary=True)


def apply_words(t: Translator, event: Event, availability: Availability) -> tuple[str, str]:
    """The apply button's label and the text it sends, saying キャンセル待ち when the event is full."""
    title = event.title[:80]
    if availability.is_full:
        return t._("キャンセル待ちで申し込む"), t._("「{title}」にキャンセル待ちで申し込む", title=title)
    return t._("申し込む"), t._("「{title}」に申し込む", title=title)


def _button(label: str, data: str, display: str | None = None, primary: bool = False) -> FlexButton:
    return FlexButton(
        action=PostbackAction(label=label, data=data, displayText=display or label),
        style="primary" if primary else "secondary",
        color=ACCENT if primary else None,
        height="sm",
    )


def _row(label: str, value: str) -> FlexBox:
    return FlexBox(
        layout="baseline",
        spacing="sm",
        contents=[
            FlexText(text=label, size="sm", color=GREY, flex=2),
            FlexText(text=value or "-", size="sm", wrap=True, flex=6),
        ],
    )


def own_signup_line(t: Translator, signup: SignUp) -> tuple[str, str]:
    """The resident's own sign-up, said as 申込の確認 says it, and its colour."""
    if signup.status == SignUp.WAITING:
        return waiting_status(t, signup), RED
    return t._("お申し込み済みです"), GREEN


def waiting_status(t: Translator, signup: SignUp) -> str:
    return t._("キャンセル待ち {position}番目（{party}名）", position=signup.waiting_position, party=signup.party_size)


def event_bubble(
    t: Translator,
    profile: Municipality,
    listing: Listing,
    signup_state: str,
    signup: SignUp | None,
) -> FlexBubble:
    """One event in the results: date and time, place, seats, 詳しく / 申し込む."""
    event = listing.event
    signed_up = signup is not None
    if signed_up:
        status, colour = own_signup_line(t, signup)
    else:
        status, colour = seats_line(t, listing.availability, signup_state, event)
    area = profile.area(event.area_code).place_in(t.locale)
    buttons = [_button(t._("詳しく"), encode(EventsTap.DETAIL, event.id), t._("「{title}」の詳細", title=event.title[:80]))]
    if signup_state == "open" and not signed_up:
        buttons.insert(0, apply_button(t, event, listing.availability))
    return FlexBubble(
        size="mega",
        body=FlexBox(
            layout="vertical",
            spacing="sm",
            contents=[
                FlexText(text=f"{kind_label(t, event.kind)} ・ {area}", size="xs", color=GREY, wrap=True),
                FlexText(text=event.title, size="lg", weight="bold", wrap=True),
                _row(t._("日時"), describe_when(t, event.starts_at, event.ends_at)),
                _row(t._("会場"), place(event, listing.distance_km, t)),
                FlexText(text=status, size="md", weight="bold", color=colour, wrap=True),
            ],
        ),
        footer=FlexBox(layout="vertical", spacing="sm", contents=buttons),
    )


def more_bubble(t: Translator, remaining: int, data: str) -> FlexBubble:
    return FlexBubble(
        size="mega",
        body=FlexBox(
            layout="vertical",
            justifyContent="center",
            contents=[FlexText(text=t._("ほかに{count}件あります", count=remaining), size="md", wrap=True, align="center")],
        ),
        footer=FlexBox(layout="vertical", contents=[_button(t._("もっと見る"), data, primary=True)]),
    )


def results_carousel(
    t: Translator,
    profile: Municipality,
    listings: list[Listing],
    states: dict[int, str],
    signups: dict[int, SignUp],
    more: tuple[int, str] | None,
) -> dict:
    """Up to 11 events, then "もっと見る" when ``more`` = (remaining, postback data).

    ``signups``: the resident's own active sign-up for each event that has one.
    """
    bubbles = [event_bubble(t, profile, item, states[item.event.id], signups.get(item.event.id)) for item in listings]
    if more is not None:
        bubbles.append(more_bubble(t, *more))
    return FlexMessage(
        altText=t._("イベント・サロンの一覧（{count}件）", count=len(listings)),
        contents=FlexCarousel(contents=bubbles),
    ).to_dict()


def detail_messages(
    t: Translator, profile: Municipality, event: Event, availability: Availability, signup_state: str,
    signup: SignUp | None,
) -> list[dict]:
    """Everything about one event, and its place on the map."""
    area = profile.area(event.area_code).place_in(t.locale)
    capacity = t._("{capacity}名", capacity=event.capacity)
    rows = [
        _row(t._("日時"), describe_when(t, event.starts_at, event.ends_at)),
        _row(t._("会場"), event.venue_name),
        _row(t._("住所"), event.venue_address or area),
        _row(t._("定員"), capacity),
        _row(t._("参加費"), event.fee or t._("無料")),
    ]
    if event.what_to_bring:
        rows.append(_row(t._("持ち物"), event.what_to_bring))
    if event.accessibility:
        rows.append(_row(t._("配慮"), event.accessibility))
    rows.append(_row(t._("受付"), t._("{when}まで", when=describe_moment(t, event.closes_at))))
    rows.append(_row(t._("取消"), t._("{when}まで", when=describe_moment(t, event.cancellable_until))))
    if event.organiser:
        rows.append(_row(t._("主催"), event.organiser))
    if event.contact:
        rows.append(_row(t._("連絡先"), event.contact))
    signed_up = signup is not None
    status, colour = own_signup_line(t, signup) if signed_up else seats_line(t, availability, signup_state, event)
    contents = [
        FlexText(text=f"{kind_label(t, event.kind)} ・ {area}", size="xs", color=GREY, wrap=True),
        FlexText(text=event.title, size="lg", weight="bold", wrap=True),
    ]
    if event.description:
        contents.append(FlexText(text=event.description, size="sm", wrap=True))
    contents += [FlexSeparator(margin="md"), FlexBox(layout="vertical", spacing="sm", margin="md", contents=rows),
                 FlexText(text=status, size="md", weight="bold", color=colour, wrap=True, margin="md")]
    bubble = FlexBubble(size="mega", body=FlexBox(layout="vertical", spacing="sm", contents=contents))
    if signup_state == "open" and not signed_up:
        bubble.footer = FlexBox(layout="vertical", contents=[apply_button(t, event, availability)])
    messages = [FlexMessage(altText=event.title[:400], contents=bubble).to_dict()]
    if event.venue_lat is not None and event.venue_lon is not None:
        messages.append(
            LocationMessage(
                title=event.venue_name[:100],
                address=(event.venue_address or f"{profile.name}{area}")[:100],
                latitude=event.venue_lat,
                longitude=event.venue_lon,
            ).to_dict()
        )
    return messages


def signup_bubble(t: Translator, signup: SignUp, now: datetime) -> FlexBubble:
    """One of the resident's sign-ups, with キャンセル until the deadline."""
    event = signup.event
    if signup.status == SignUp.WAITING:
        status, colour = waiting_status(t, signup), RED
    else:
        status, colour = t._("参加確定（{party}名）", party=signup.party_size), GREEN
    contents = [
        FlexText(text=event.title, size="lg", weight="bold", wrap=True),
        _row(t._("日時"), describe_when(t, event.starts_at, event.ends_at)),
        _row(t._("会場"), event.venue_name),
        _row(t._("お名前"), signup.name),
        FlexText(text=status, size="md", weight="bold", color=colour, wrap=True),
    ]
    buttons = [_button(t._("詳しく"), encode(EventsTap.DETAIL, event.id), t._("「{title}」の詳細", title=event.title[:80]))]
    if now < event.cancellable_until:
        contents.append(FlexText(text=t._("取り消しは{when}まで", when=describe_moment(t, event.cancellable_until)),
                                 size="xs", color=GREY, wrap=True))
        buttons.insert(0, _button(t._("キャンセル"), encode(SignupsTap.CANCEL, signup.id),
                                  t._("「{title}」の申し込みを取り消したい", title=event.title[:80])))
    else:
        contact = event.contact or event.organiser
        note = (t._("取り消しの期限を過ぎました。ご連絡は{contact}へお願いします。", contact=contact) if contact
                else t._("取り消しの期限を過ぎました。"))
        contents.append(FlexText(text=note, size="xs", color=GREY, wrap=True))
    return FlexBubble(
        size="mega",
        body=FlexBox(layout="vertical", spacing="sm", contents=contents),
        footer=FlexBox(layout="vertical", spacing="sm", contents=buttons),
    )


def signups_carousel(t: Translator, signups: list[SignUp], now: datetime) -> dict:
    return FlexMessage(
        altText=t._("お申し込み中のイベント（{count}件）", count=len(signups)),
        contents=FlexCarousel(contents=[signup_bubble(t, signup, now) for signup in signups]),
    ).to_dict()
