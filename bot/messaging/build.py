"""Building LINE messages as the SDK's camelCase dicts, ready for the outbox."""
from __future__ import annotations

from typing import Any

from linebot.v3.messaging import (
    DatetimePickerAction,
    LocationAction,
    MessageAction,
    PostbackAction,
    QuickReply,
    QuickReplyItem,
    TextMessage,
)


def postback(label: str, data: str, display_text: str | None = None) -> dict[str, Any]:
    """A quick-reply or button action that sends ``data`` and shows ``display_text`` as the resident's words."""
    return PostbackAction(label=label, data=data, displayText=display_text or label).to_dict()


def say(label: str, text: str | None = None) -> dict[str, Any]:
    """An action that sends text as if the resident typed it."""
    return MessageAction(label=label, text=text or label).to_dict()


def share_location(label: str) -> dict[str, Any]:
    return LocationAction(label=label).to_dict()


def pick_date(label: str, data: str, mode: str = "date", **bounds: str) -> dict[str, Any]:
    return DatetimePickerAction(label=label, data=data, mode=mode, **bounds).to_dict()


def text(body: str, quick_replies: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """A text message, with quick-reply chips when given actions."""
    message = TextMessage(text=body).to_dict()
    if quick_replies:
        message["quickReply"] = QuickReply(
            items=[QuickReplyItem.from_dict({"type": "action", "action": action}) for action in quick_replies]
        ).to_dict()
    return message
