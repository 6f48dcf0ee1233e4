"""Webhook events as the LINE platform builds and signs them.

Everything a resident does in the LINE app becomes one event here: typing,
sending a sticker, an image or a location, tapping a button (a postback, or
the words of a message action), adding and blocking the account, unsending.
The shapes follow the Messaging API reference; the bot parses them with the
SDK's webhook models, exactly as it parses LINE's.

Reply tokens are not made up here: the caller gets them from the platform
(:meth:`simulator.platform.LinePlatform.issue_reply_token`), so the platform
can hold the bot to LINE's rules for them.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import itertools
import json
import secrets
import time
from typing import Any

CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
PICKER_PARAMS = {"date": "date", "time": "time", "datetime": "datetime"}
# Actions whose tap sends nothing by itself: the app opens something first
# (a picker, the camera, a link, the location screen).
# A rich menu switch first switches the menu, then sends its postback (:func:`richmenu_switch`).
LOCAL_ACTIONS = ("uri", "camera", "cameraRoll", "location", "clipboard", "richmenuswitch")

_message_ids = itertools.count(int(time.time() * 1000) * 1000)


class UnknownAction(ValueError):
    """The tapped action is not one the LINE app sends as an event."""


def new_webhook_event_id(now_ms: int | None = None) -> str:
    """Return a ULID: 48 bits of milliseconds and 80 random bits, in Crockford base 32."""
    now_ms = int(time.time() * 1000) if now_ms is None else now_ms
    value = (now_ms << 80) | secrets.randbits(80)
    return "".join(CROCKFORD[(value >> shift) & 31] for shift in range(125, -1, -5))


def new_message_id() -> str:
    """Return a fresh numeric message id, as LINE gives each message a user sends."""
    return str(next(_message_ids))


def event(event_type: str, user_id: str, *, reply_token: str | None = None, **fields: Any) -> dict:
    """Wrap ``fields`` in what every webhook event of a one-to-one chat carries."""
    envelope: dict[str, Any] = {
        "type": event_type,
        "mode": "active",
        "timestamp": int(time.time() * 1000),
        "source": {"type": "user", "userId": user_id},
        "webhookEventId": new_webhook_event_id(),
        "deliveryContext": {"isRedelivery": False},
    }
    if reply_token is not None:
        envelope["replyToken"] = reply_token
    envelope.update(fields)
    return envelope


def _message(kind: str, **fields: Any) -> dict:
    return {"type": kind, "id": new_message_id(), **fields, "markAsReadToken": secrets.token_urlsafe(24)}


def text_message(user_id: str, words: str, reply_token: str) -> dict:
    """The resident typed ``words`` (or tapped a message action that says them)."""
    message = _message("text", text=words, quoteToken=secrets.token_urlsafe(32))
    return event("message", user_id, reply_token=reply_token, message=message)


def sticker_message(user_id: str, sticker: dict, reply_token: str) -> dict:
    """The resident sent a sticker: ``{"packageId", "stickerId", "keywords"}``."""
    message = _message(
        "sticker",
        packageId=sticker["packageId"],
        stickerId=sticker["stickerId"],
        stickerResourceType="STATIC",
        keywords=list(sticker.get("keywords", [])),
        quoteToken=secrets.token_urlsafe(32),
    )
    return event("message", user_id, reply_token=reply_token, message=message)


def image_message(user_id: str, message_id: str, reply_token: str) -> dict:
    """The resident sent a photo; the bot fetches it from the content API by ``message_id``."""
    message = {
        "type": "image",
        "id": message_id,
        "contentProvider": {"type": "line"},
        "quoteToken": secrets.token_urlsafe(32),
        "markAsReadToken": secrets.token_urlsafe(24),
    }
    return event("message", user_id, reply_token=reply_token, message=message)


def location_message(
    user_id: str, latitude: float, longitude: float, reply_token: str, *, title: str = "", address: str = ""
) -> dict:
    """The resident shared a place; LINE omits a title or address it does not know."""
    fields: dict[str, Any] = {"latitude": latitude, "longitude": longitude}
    if title:
        fields["title"] = title
    if address:
        fields["address"] = address
    return event("message", user_id, reply_token=reply_token, message=_message("location", **fields))


def postback(user_id: str, data: str, reply_token: str, params: dict[str, str] | None = None) -> dict:
    """The resident tapped a postback or date-time picker action."""
    content: dict[str, Any] = {"data": data}
    if params:
        content["params"] = params
    return event("postback", user_id, reply_token=reply_token, postback=content)


def richmenu_switch(user_id: str, action: dict, reply_token: str, status: str) -> dict:
    """The postback LINE sends after a rich menu switch action: its data, the alias and how the switch went."""
    params = {"newRichMenuAliasId": action.get("richMenuAliasId", ""), "status": status}
    return postback(user_id, action.get("data", ""), reply_token, params)


def follow(user_id: str, reply_token: str, *, unblocked: bool = False) -> dict:
    """The resident added the account as a friend, or unblocked it."""
    return event("follow", user_id, reply_token=reply_token, follow={"isUnblocked": unblocked})


def unfollow(user_id: str) -> dict:
    """The resident blocked the account: no reply token, nothing can be answered."""
    return event("unfollow", user_id)


def unsend(user_id: str, message_id: str) -> dict:
    """The resident took back a message they sent."""
    return event("unsend", user_id, unsend={"messageId": message_id})


def picker_params(action: dict, picked: str) -> dict[str, str]:
    """The ``params`` LINE adds to a date-time picker's postback: ``{"date": "2025-04-01"}``."""
    mode = action.get("mode")
    if mode not in PICKER_PARAMS:
        raise UnknownAction(f"unknown picker mode {mode!r}")
    return {PICKER_PARAMS[mode]: picked}


def event_for_action(action: dict, user_id: str, reply_token: str, *, picked: str | None = None) -> dict:
    """Return the event the LINE app sends when the resident taps ``action``.

    A message action sends its text as a text message; a postback action
    sends its data; a date-time picker sends its data with what was picked.
    Other actions send nothing by themselves (see :data:`LOCAL_ACTIONS`).
    """
    kind = action.get("type")
    if kind == "message":
        return text_message(user_id, action["text"], reply_token)
    if kind == "postback":
        return postback(user_id, action.get("data", ""), reply_token)
    if kind == "datetimepicker":
        if not picked:
            raise UnknownAction("a date-time picker needs the picked value")
        return postback(user_id, action.get("data", ""), reply_token, picker_params(action, picked))
    raise UnknownAction(f"the {kind!r} action sends no event")


def shown_words(action: dict) -> str | None:
    """What appears in the chat as the resident's own words when the action is tapped."""
    if action.get("type") == "message":
        return action.get("text")
    if action.get("type") == "postback":
        return action.get("displayText") or action.get("text")
    return None


def webhook_body(destination: str, events: list[dict]) -> bytes:
    """Serialise a delivery the way LINE does: compact UTF-8 JSON."""
    return json.dumps({"destination": destination, "events": events}, ensure_ascii=False, separators=(",", ":")).encode()


def signature(body: bytes, channel_secret: str) -> str:
    """The ``X-Line-Signature`` header: base64 of HMAC-SHA256 of the raw body."""
    digest = hmac.new(channel_secret.encode(), body, hashlib.sha256).digest()
    return base64.b64encode(digest).decode()
