"""What a tapped button says: the postback data of every flow, defined here and parsed here.

A button or quick reply carries ``<scope>:<action>[:<arg>]``: the scope is a
flow's name (or ``menu``), the action one of that scope's codes below, the arg
what the action needs (an event id, a page, a search). Residents keep old
messages, so this format never changes: an old button must still work, or be
answered as stale.

The sending side builds data with :func:`encode` (``encode(EventsTap.APPLY,
event.id)``); bot/handlers/postback.py reads it with :func:`parse`, and the flow
compares ``tap.action`` with the same member (``tap.action == EventsTap.APPLY``),
so a grep for the member finds both sides. An action this version does not
know parses to ``None``: the flow then answers as for any button it does not
expect. This module imports nothing of the bot, so services and the rich menu
can use it too.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum, nonmember
from typing import Any


class Tap(StrEnum):
    """The actions of one scope's buttons; each subclass names its scope in ``SCOPE``."""


class MenuTap(Tap):
    """``menu:<item>``: the menu's chips and the rich menu's tiles (bot/flows/menu.py, bot/messaging/richmenu.py)."""

    SCOPE = nonmember("menu")
    CONSULT = "consult"
    EVENTS = "events"
    MINE = "mine"
    LANGUAGE = "language"
    STATUS = "status"
    PHONE = "phone"


class IntakeTap(Tap):
    """``intake:<action>[:<arg>]``: 相談する (bot/flows/intake.py, bot/flows/intake_questions.py)."""

    SCOPE = nonmember("intake")
    START = "start"  # any other action of an ended consultation starts one too
    # The same on every step.
    BACK = "back"
    CANCEL = "cancel"
    RESUME = "resume"
    RESTART = "restart"
    STATUS = "status"
    # One step each.
    ACCEPT = "accept"
    REFUSE = "refuse"
    WHO = "who"  # :<subject>
    RELATION = "relation"  # :<relation code>
    PERSON_UNKNOWN = "personunknown"
    CATEGORY = "cat"  # :<category code>, chosen or taken off
    CATEGORY_PAGE = "catpage"  # :<page>
    CATEGORIES_DONE = "catdone"
    AREA = "area"  # :<area code> or :unknown
    AREA_PAGE = "areapage"  # :<page>
    DETAILS_DONE = "detailsdone"
    DETAILS_SKIP = "detailsskip"
    DETAILS_CLEAR = "detailsclear"
    URGENCY = "urgency"  # :<urgency>
    SAFE_CONTACT = "safecontact"  # :<SafeContact>
    CONTACT = "contact"  # :<contact method>
    INTERPRETER = "interpreter"  # :<locale>, :other or :none
    KEEP_PHONE = "keepphone"
    TIMES = "times"  # :<time slot>
    CONSENT = "consent"  # :yes or :no
    SUBMIT = "submit"
    CHANGE = "change"  # :<step>


class StatusTap(Tap):
    """``status:<action>[:<arg>]``: 相談の状況 and withdrawing (bot/flows/status.py)."""

    SCOPE = nonmember("status")
    START = "start"
    WITHDRAW = "withdraw"
    PICK = "pick"  # :<record id>
    CONFIRM = "confirm"
    BACK = "back"
    KEEP = "keep"


class ThreadTap(Tap):
    """``thread:<action>[:<arg>]``: which consultation a message after the receipt is about (bot/flows/thread.py)."""

    SCOPE = nonmember("thread")
    START = "start"  # not offered: a choice starts only with a message to file
    PICK = "pick"  # :<record id>


class EventsTap(Tap):
    """``events:<action>[:<arg>]``: イベント・サロン (bot/flows/events.py, bot/flows/event_cards.py)."""

    SCOPE = nonmember("events")
    START = "start"
    # Looking: these work on every step, and on messages of ended conversations.
    WAYS = "ways"
    AREA = "area"  # [:<area code>]; without one, asks which
    KIND = "kind"  # [:<kind>]; without one, asks which
    DATE = "date"  # [:this or :next]; without one, asks which days
    PICK_DATE = "pick_date"  # the date picker (LINE's params) or [:<ISO date>]
    MORE = "more"  # :<offset>|<the search, bot/flows/event_words.py>
    DETAIL = "detail"  # :<event id>
    APPLY = "apply"  # :<event id>
    # Signing up, one step each.
    PARTY = "party"  # :<party size>
    NAME = "name"  # the resident's LINE name
    NO_PHONE = "no_phone"
    SUBMIT = "submit"
    QUIT = "quit"


class SignupsTap(Tap):
    """``signups:<action>[:<arg>]``: 申込の確認 (bot/flows/signups.py; reminders in bot/services/events/notices.py)."""

    SCOPE = nonmember("signups")
    START = "start"
    LIST = "list"
    CANCEL = "cancel"  # :<sign-up id>
    CONFIRM = "confirm"  # :<sign-up id>
    KEEP = "keep"


class LanguageTap(Tap):
    """``language:<action>[:<arg>]``: 言語/Language (bot/flows/language.py)."""

    SCOPE = nonmember("language")
    START = "start"
    SET = "set"  # :<locale>


class CrisisTap(Tap):
    """``crisis:<action>``: after a danger signal (bot/flows/crisis.py)."""

    SCOPE = nonmember("crisis")
    START = "start"  # not shown: the flow starts from a message, never from a button
    YES = "yes"  # 今、身の危険を感じていますか？ → はい
    NO = "no"
    MISTAKE = "mistake"  # まちがいでした: the urgent record was a misunderstanding



class CallbackTap(Tap):
    """``callback:<action>``: 電話してほしい, a call back (bot/flows/callback.py)."""

    SCOPE = nonmember("callback")
    START = "start"
    KEEP_PHONE = "keepphone"
    CANCEL = "cancel"


class TabTap(Tap):
    """``tab:<page>``: a rich menu tab (bot/messaging/richmenu.py); LINE switches the menu, the bot answers nothing."""

    SCOPE = nonmember("tab")
    CONSULT = "consult"
    LIVING = "living"


class WatchTap(Tap):
    """``watch:<action>[:<arg>]``: 見守り, the check-in's answers and the plan (bot/flows/watch.py)."""

    SCOPE = nonmember("watch")
    START = "start"
    ANSWER = "answer"  # :fine, :worried or :talk (WatchSlot.ANSWERS)
    OFTEN = "often"  # :<days between check-ins>
    HOUR = "hour"  # :<local hour>
    CONSENT = "consent"  # :yes or :no
    PAUSE = "pause"
    RESUME = "resume"
    STOP = "stop"  # [:done] ends the registration instead
    REMOVE = "remove"  # :<contact id>


class HelpTap(Tap):
    """``help:<action>[:<arg>]``: 住民支え合い (bot/flows/mutual_aid.py; open calls in bot/services/mutual_aid.py)."""

    SCOPE = nonmember("help")
    START = "start"
    ACCEPT = "accept"  # :<offer id> 引き受けます
    DECLINE = "decline"  # :<offer id> 今回は難しい
    DONE = "done"  # :<request id> 終わりました
    POINTS = "points"
    GOOD = "good"  # :<request id> the check after: 良かった
    PROBLEM = "problem"  # :<request id> the check after: 問題があった


class HelperTap(Tap):
    """``helper:<action>[:<arg>]``: registering as a supporter, 「手伝える」 (bot/flows/mutual_aid.py)."""

    SCOPE = nonmember("helper")
    START = "start"
    STEP = "step"  # :<answer of the current step>


SCOPES: dict[str, type[Tap]] = {taps.SCOPE: taps for taps in (MenuTap, IntakeTap, StatusTap, ThreadTap, EventsTap,
                                                                SignupsTap, LanguageTap, CrisisTap, CallbackTap)}
SCOPES[TabTap.SCOPE] = TabTap
SCOPES[WatchTap.SCOPE] = WatchTap
SCOPES[HelpTap.SCOPE] = HelpTap
SCOPES[HelperTap.SCOPE] = HelperTap


@dataclass(frozen=True)
class Postback:
    """A tapped button: its scope, its action (None when unknown), its arg, and LINE's params (a picked date)."""

    scope: str
    action: Tap | None
    arg: str = ""
    params: dict[str, Any] = field(default_factory=dict)


def encode(action: Tap, arg: object = "") -> str:
    """The postback data of a button: ``<scope>:<action>``, then ``:<arg>`` when there is one."""
    data = f"{action.SCOPE}:{action.value}"
    arg = str(arg)
    return f"{data}:{arg}" if arg else data


def parse(data: str | None, params: dict[str, Any] | None = None) -> Postback:
    """The tap that ``data`` describes; never fails, whatever a client sends."""
    scope, _, rest = (data or "").partition(":")
    action, _, arg = rest.partition(":")
    taps = SCOPES.get(scope)
    try:
        known = taps(action) if taps is not None else None
    except ValueError:
        known = None
    return Postback(scope, known, arg, dict(params or {}))


class NoticesTap(Tap):
    """``notices:<action>[:<arg>]``: お知らせ設定 and the buttons of notices (bot/flows/notices.py)."""

    SCOPE = nonmember("notices")
    START = "start"
    TOPIC = "topic"  # :<topic code>, chosen or taken off
    AREA = "area"  # :<area code>, chosen or taken off
    AREA_PAGE = "areapage"  # :<page>
    STOP = "stop"
    RESUME = "resume"
    DONE = "done"
    EVENT = "event"  # :<notice id>.<event id>: a notice's sign-up button


SCOPES[NoticesTap.SCOPE] = NoticesTap
