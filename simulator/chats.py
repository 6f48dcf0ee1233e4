"""The LINE app's side: simulated residents, their chats, and the webhooks they cause.

A :class:`Simulator` plays several residents at once. What a resident does
becomes a signed webhook delivery (:mod:`simulator.events`) handed to the
bot's ``POST /callback``; what the bot sends reaches the
:class:`~simulator.platform.LinePlatform`, which tells the simulator
(``platform.subscribe``). Both sides go into one numbered timeline, so the
page asks "what happened after entry 41?" and draws it.

Everything is kept in the web process's memory: the bot's worker calls the
platform over HTTP (``LINE_API_ENDPOINT``), so every request that touches
the chats lands in the one process that serves the page. That is why
``make run`` runs a single gunicorn worker (with threads); restarting it
starts the chats afresh, while the bot's database keeps what the bot knows.
"""
from __future__ import annotations

import copy
import hashlib
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from simulator import events
from simulator.platform import LinePlatform, LoadingAnimation, SentRequest

# Default residents, with stable ids so the bot recognises them after a restart.
DEFAULT_RESIDENTS = (
    ("山田 花子", "ja"),
    ("佐藤 健一", "ja"),
    ("Maria Santos", "en"),
)
LANGUAGES = ("ja", "en", "zh-Hans", "zh-Hant", "ko", "vi", "th", "id", "es", "pt-BR", "fr", "de")
IMAGE_TYPES = ("image/jpeg", "image/png", "image/gif", "image/webp")
MAX_IMAGE_BYTES = 10 * 1024 * 1024
MAX_TEXT = 5000  # what the LINE app lets a user type in one message

# Where a resident stands with the account.
NEW, FRIEND, BLOCKED = "new", "friend", "blocked"

# (body, signature) -> (HTTP status, response text)
PostWebhook = Callable[[bytes, str], tuple[int, str]]


class SimulatorError(ValueError):
    """The resident cannot do that (unknown resident, empty text, not an image...)."""


@dataclass
class SimulatedResident:
    user_id: str
    display_name: str
    language: str
    status: str = NEW

    def as_dict(self) -> dict[str, str]:
        return {"userId": self.user_id, "displayName": self.display_name, "language": self.language,
                "status": self.status}


@dataclass(frozen=True)
class Entry:
    """One thing in the timeline.

    ``kind`` is ``"sent"`` (by the resident), ``"shown"`` (a button's display
    text), ``"received"`` (from the bot), ``"loading"``, ``"unsent"``,
    ``"note"`` (follow, block, undelivered...), ``"webhook"`` (the delivery,
    for the developer panel) or ``"violation"``.
    """

    seq: int
    kind: str
    user_id: str | None
    at: float
    message: dict | None = None
    text: str = ""
    data: dict = field(default_factory=dict)


def stable_user_id(display_name: str) -> str:
    return "U" + hashlib.sha256(f"simulator:{display_name}".encode()).hexdigest()[:32]


class Simulator:
    """Residents using the LINE app, talking to the bot through webhooks."""

    def __init__(
        self,
        platform: LinePlatform,
        channel_secret: str,
        post_webhook: PostWebhook,
        *,
        residents: tuple[tuple[str, str], ...] = DEFAULT_RESIDENTS,
    ) -> None:
        self.platform = platform
        self.channel_secret = channel_secret
        self.post_webhook = post_webhook
        self.bot_user_id = "U" + hashlib.sha256(f"bot:{channel_secret}".encode()).hexdigest()[:32]
        self.residents: dict[str, SimulatedResident] = {}
        self._entries: list[Entry] = []
        self._lock = threading.Lock()
        self._changed = threading.Condition(self._lock)
        # Lock order: the platform's lock, then ours. Never call the platform while holding ours.
        platform.subscribe(self._on_platform)
        for display_name, language in residents:
            self.add_resident(display_name, language, user_id=stable_user_id(display_name))

    # -- the timeline -----------------------------------------------------------------

    def _record(self, kind: str, user_id: str | None, **fields: Any) -> Entry:
        with self._lock:
            entry = Entry(len(self._entries) + 1, kind, user_id, time.time(), **fields)
            self._entries.append(entry)
            self._changed.notify_all()
            return entry

    def entries_after(self, seq: int, wait: float = 0.0) -> list[Entry]:
        """Return the entries after ``seq``, waiting up to ``wait`` seconds for one."""
        with self._lock:
            if wait and len(self._entries) <= seq:
                self._changed.wait(wait)
            return self._entries[max(seq, 0):]

    def _on_platform(self, kind: str, item: object) -> None:
        if isinstance(item, SentRequest):
            for message in item.messages:
                self._record("received" if kind == "sent" else "note", item.to, message=message,
                             text="" if kind == "sent" else f"Not delivered: the resident has blocked the account "
                             f"({item.kind}) / ブロック中のため届きませんでした",
                             data={"via": item.kind})
        elif isinstance(item, LoadingAnimation):
            self._record("loading", item.chat_id, data={"seconds": item.seconds})
        else:
            self._record("violation", None, text=str(item))

    # -- residents --------------------------------------------------------------------

    def add_resident(self, display_name: str, language: str = "ja", user_id: str | None = None) -> SimulatedResident:
        """Create a LINE user with a display name and a phone language."""
        display_name = display_name.strip()
        if not display_name or len(display_name) > 20:
            raise SimulatorError("A display name is 1 to 20 characters / 表示名は1〜20文字です")
        if language not in LANGUAGES:
            raise SimulatorError(f"Unknown language {language!r}")
        resident = SimulatedResident(user_id or "U" + secrets.token_hex(16), display_name, language)
        self.platform.set_profile(resident.user_id, display_name, language)
        with self._lock:
            self.residents[resident.user_id] = resident
        return resident

    def all_residents(self) -> list[SimulatedResident]:
        with self._lock:
            return list(self.residents.values())

    def resident(self, user_id: str) -> SimulatedResident:
        try:
            return self.residents[user_id]
        except KeyError:
            raise SimulatorError(f"No simulated resident {user_id}") from None

    def follow(self, user_id: str) -> Entry:
        """Add the account as a friend (or unblock it)."""
        resident = self.resident(user_id)
        unblocked = resident.status == BLOCKED
        self.platform.unblock(user_id)
        resident.status = FRIEND
        self._record("note", user_id, text="Unblocked the account / ブロックを解除しました" if unblocked
                     else "Added the account as a friend / 友だち追加しました")
        return self._deliver(user_id, events.follow(user_id, self._token(user_id), unblocked=unblocked))

    def block(self, user_id: str) -> Entry:
        """Block the account: LINE sends ``unfollow`` and delivers nothing more."""
        resident = self.resident(user_id)
        self.platform.block(user_id)
        resident.status = BLOCKED
        self._record("note", user_id, text="Blocked the account / ブロックしました")
        return self._deliver(user_id, events.unfollow(user_id))

    # -- what a resident sends --------------------------------------------------------

    def say(self, user_id: str, words: str) -> Entry:
        words = words.strip("\r\n")
        if not words.strip():
            raise SimulatorError("Type something first / メッセージを入力してください")
        if len(words) > MAX_TEXT:
            raise SimulatorError(f"At most {MAX_TEXT} characters / {MAX_TEXT}文字までです")
        return self._send(user_id, events.text_message(user_id, words, self._token(user_id)))

    def send_sticker(self, user_id: str, sticker: dict) -> Entry:
        return self._send(user_id, events.sticker_message(user_id, sticker, self._token(user_id)))

    def send_image(self, user_id: str, data: bytes, content_type: str) -> Entry:
        """Send a photo; the platform keeps it for the bot's content API call."""
        self.resident(user_id)
        if content_type not in IMAGE_TYPES:
            raise SimulatorError("Choose a JPEG, PNG, GIF or WebP image / 画像を選んでください")
        if not data or len(data) > MAX_IMAGE_BYTES:
            raise SimulatorError("The image must be under 10 MB / 10MB以下の画像を選んでください")
        message_id = events.new_message_id()
        self.platform.set_content(message_id, data, content_type)
        return self._send(user_id, events.image_message(user_id, message_id, self._token(user_id)))

    def share_location(self, user_id: str, latitude: float, longitude: float, title: str = "", address: str = "") -> Entry:
        if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
            raise SimulatorError("Latitude -90..90, longitude -180..180 / 緯度・経度が正しくありません")
        event = events.location_message(user_id, latitude, longitude, self._token(user_id), title=title, address=address)
        return self._send(user_id, event)

    def tap(self, user_id: str, action: dict, picked: str | None = None) -> Entry:
        """Tap a chip or button, as the LINE app does.

        The action's display text appears as the resident's words; then the
        event goes out (a text message for a message action).
        """
        if action.get("type") == "richmenuswitch":  # the menu switches, then its postback goes out
            status = self.platform.switch_rich_menu(user_id, action.get("richMenuAliasId", ""))
            return self._deliver(user_id, events.richmenu_switch(user_id, action, self._token(user_id), status))
        try:
            event = events.event_for_action(action, user_id, self._token(user_id), picked=picked)
        except (events.UnknownAction, KeyError) as error:
            raise SimulatorError(str(error)) from None
        if event["type"] == "message":
            return self._send(user_id, event)
        shown = events.shown_words(action)
        if shown:
            self._record("shown", user_id, text=shown)
        return self._deliver(user_id, event)

    def unsend(self, user_id: str, message_id: str) -> Entry:
        """Take back a message the resident sent."""
        self.resident(user_id)
        with self._lock:
            mine = any(e.kind == "sent" and e.user_id == user_id and (e.message or {}).get("id") == message_id
                       for e in self._entries)
        if not mine:
            raise SimulatorError("Only your own messages can be unsent / 自分のメッセージだけ取り消せます")
        self._record("unsent", user_id, data={"messageId": message_id})
        return self._deliver(user_id, events.unsend(user_id, message_id))

    # -- delivery ---------------------------------------------------------------------

    def _token(self, user_id: str) -> str:
        self.resident(user_id)
        return self.platform.issue_reply_token(user_id)

    def _send(self, user_id: str, event: dict) -> Entry:
        self._record("sent", user_id, message=event["message"])
        return self._deliver(user_id, event)

    def _deliver(self, user_id: str, event: dict) -> Entry:
        """Sign the event as LINE does and hand it to the bot's webhook."""
        body = events.webhook_body(self.bot_user_id, [event])
        status, answer = self.post_webhook(body, events.signature(body, self.channel_secret))
        entry = self._record("webhook", user_id, data={"event": event, "status": status})
        if status != 200:
            self._record("violation", None,
                         text=f"The webhook answered {status} to a {event['type']} event: {answer[:200]}")
        return entry

    # -- for the page -----------------------------------------------------------------

    def content(self, message_id: str) -> tuple[bytes, str] | None:
        return self.platform.content(message_id)

    def rich_menu(self, user_id: str | None = None) -> dict | None:
        """The rich menu a resident sees (every resident's default without ``user_id``), when the bot set one."""
        menu_id = self.platform.rich_menu_of(user_id) if user_id else self.platform.default_rich_menu_id
        menu = self.platform.rich_menus.get(menu_id) if menu_id else None
        if menu is None or menu.image is None:
            return None
        return {"richMenuId": menu.rich_menu_id, **copy.deepcopy(menu.definition)}
