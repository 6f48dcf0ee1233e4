"""Building LINE messages as the Messaging API's camelCase dicts, ready for the outbox.

Plain dicts in the API's own shape: the outbox stores them as they are, and
``bot.messaging.limits`` checks every one against LINE's limits when it is
queued, so building them through the SDK's models (a validation pass per
field, then back to a dict) would only cost time on every answer.
"""
from __future__ import annotations

from typing import Any
from urllib.parse import quote


def postback(label: str, data: str, display_text: str | None = None) -> dict[str, Any]:
    """A quick-reply or button action that sends ``data`` and shows ``display_text`` as the resident's words."""
    return {"type": "postback", "label": label, "data": data, "displayText": display_text or label}


def say(label: str, text: str | None = None) -> dict[str, Any]:
    """An action that sends text as if the resident typed it."""
    return {"type": "message", "label": label, "text": text or label}


def open_link(label: str, uri: str) -> dict[str, Any]:
    """An action that opens a link (https, or LINE's own line.me URL scheme)."""
    return {"type": "uri", "label": label, "uri": uri}


def chat_link(basic_id: str, typed: str) -> str:
    """LINE's link that opens the chat with the official account ``basic_id`` (@123abcde) with ``typed`` in
    the message box, for the person to send."""
    return f"https://line.me/R/oaMessage/{quote(basic_id)}/?{quote(typed)}"


def share_link(message: str) -> str:
    """LINE's link that opens the share screen to send ``message`` to a friend or group the person picks."""
    return f"https://line.me/R/share?text={quote(message)}"


def share_location(label: str) -> dict[str, Any]:
    return {"type": "location", "label": label}


def pick_date(label: str, data: str, mode: str = "date", **bounds: str) -> dict[str, Any]:
    """A date (or time, or datetime) picker; ``bounds`` are ``initial``, ``max`` and ``min``."""
    unknown = set(bounds) - {"initial", "max", "min"}
    if unknown:
        raise TypeError(f"unknown date picker fields: {sorted(unknown)}")
    return {"type": "datetimepicker", "label": label, "data": data, "mode": mode,
            **{key: value for key, value in bounds.items() if value is not None}}


def text(body: str, quick_replies: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """A text message, with quick-reply chips when given actions."""
    message: dict[str, Any] = {"type": "text", "text": body}
    if quick_replies:
        message["quickReply"] = {"items": [{"type": "action", "action": action} for action in quick_replies]}
    return message
