"""LINE's limits on outgoing messages, checked before anything is sent.

LINE rejects the whole request when one field breaks a limit, and the resident
gets nothing. Checking here turns that into our own bug, naming the field
(``messages[1].quickReply.items``). Messages are the SDK's camelCase dicts.

Lengths are UTF-16 code units, as LINE counts text messages (an emoji outside
the Basic Multilingual Plane is 2); we count every limit that way, erring on
the strict side. Inside flex bubbles, the layout is LINE's to judge.
"""
from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

MAX_MESSAGES = 5
MAX_QUICK_REPLY_ITEMS = 13


class MessageLimitError(ValueError):
    """A message breaks one of LINE's limits; ``path`` names the field."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


def utf16_len(text: str) -> int:
    """Count characters the way LINE does, in UTF-16 code units."""
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def validate_messages(messages: list[dict]) -> None:
    """Raise :class:`MessageLimitError` for the first limit the messages break."""
    errors = find_errors(messages)
    if errors:
        raise errors[0]


def find_errors(messages: list[dict]) -> list[MessageLimitError]:
    """Return every limit the messages break."""
    if not isinstance(messages, list):
        return [MessageLimitError("messages", "must be a list")]
    return [*_list("messages", messages, 1, MAX_MESSAGES, "messages"), *_messages(messages)]


def find_action_errors(action: dict, path: str, *, label_required: bool = False) -> list[MessageLimitError]:
    """Return every limit an action object breaks (also used for rich menu areas)."""
    return list(_action(action, path, label_required=label_required))


# -- field specifications ------------------------------------------------------

Errors = Iterator[MessageLimitError]


@dataclass(frozen=True)
class Text:
    """A string of at most ``max`` characters."""

    max: int
    required: bool = True
    allow_empty: bool = False

    def errors(self, value: object, path: str) -> Errors:
        if not isinstance(value, str):
            yield MessageLimitError(path, "must be a string")
        elif not value and not self.allow_empty:
            yield MessageLimitError(path, "must not be empty")
        elif (length := utf16_len(value)) > self.max:
            yield MessageLimitError(path, f"{length} characters, at most {self.max}")


@dataclass(frozen=True)
class Url(Text):
    """A URL with one of ``schemes`` (LINE fetches media over https only)."""

    max: int = 2000
    schemes: tuple[str, ...] = ("https",)

    def errors(self, value: object, path: str) -> Errors:
        if isinstance(value, str) and not value.startswith(tuple(f"{s}:" for s in self.schemes)):
            yield MessageLimitError(path, f"must be a {' or '.join(self.schemes)} URL")
        else:
            yield from super().errors(value, path)


@dataclass(frozen=True)
class OneOf:
    choices: tuple[str, ...]
    required: bool = True

    def errors(self, value: object, path: str) -> Errors:
        if value not in self.choices:
            yield MessageLimitError(path, f"{value!r} is not one of {', '.join(self.choices)}")


@dataclass(frozen=True)
class Number:
    required: bool = True

    def errors(self, value: object, path: str) -> Errors:
        if isinstance(value, bool) or not isinstance(value, int | float):
            yield MessageLimitError(path, "must be a number")


POSTBACK_DATA = Text(300, allow_empty=True)
LINK = Url(1000, schemes=("http", "https", "line", "tel"))

MESSAGE_FIELDS = {
    "text": {"text": Text(5000)},
    "textV2": {"text": Text(5000)},
    "sticker": {"packageId": Text(100), "stickerId": Text(100)},
    "image": {"originalContentUrl": Url(), "previewImageUrl": Url()},
    "video": {"originalContentUrl": Url(), "previewImageUrl": Url(), "trackingId": Text(100, required=False)},
    "audio": {"originalContentUrl": Url(), "duration": Number()},
    "location": {"title": Text(100), "address": Text(100), "latitude": Number(), "longitude": Number()},
    "imagemap": {"baseUrl": Url(), "altText": Text(400)},
    "template": {"altText": Text(400)},
    "flex": {"altText": Text(1500)},
}

# Labels are added by _action: whether one is required depends on where the
# action sits (quick reply and template buttons need one).
ACTION_FIELDS = {
    "postback": {
        "data": POSTBACK_DATA,
        "displayText": Text(300, required=False),
        "text": Text(300, required=False),
        "inputOption": OneOf(("closeRichMenu", "openRichMenu", "openKeyboard", "openVoice"), required=False),
        "fillInText": Text(300, required=False),
    },
    "message": {"text": Text(300)},
    "uri": {"uri": LINK},
    "datetimepicker": {"data": POSTBACK_DATA, "mode": OneOf(("date", "time", "datetime"))},
    "camera": {},
    "cameraRoll": {},
    "location": {},
    "richmenuswitch": {"richMenuAliasId": Text(32), "data": POSTBACK_DATA},
    "clipboard": {"clipboardText": Text(1000)},
}

# The text of a buttons template or carousel column gets shorter when the
# card also shows an image or a title; see _card_text.
TEMPLATE_FIELDS = {
    "buttons": {"title": Text(40, required=False), "thumbnailImageUrl": Url(required=False)},
    "confirm": {"text": Text(240)},
    "carousel": {},
    "image_carousel": {},
}
CAROUSEL_COLUMN_FIELDS = {"title": Text(40, required=False), "thumbnailImageUrl": Url(required=False)}
SENDER_FIELDS = {"name": Text(20, required=False), "iconUrl": Url(required=False)}
QUICK_REPLY_ITEM_FIELDS = {"imageUrl": Url(required=False)}


# -- checks ----------------------------------------------------------------------

def _fields(obj: object, spec: dict, path: str) -> Errors:
    if not isinstance(obj, dict):
        yield MessageLimitError(path, "must be an object")
        return
    for name, field in spec.items():
        if obj.get(name) is not None:
            yield from field.errors(obj[name], f"{path}.{name}")
        elif field.required:
            yield MessageLimitError(f"{path}.{name}", "required")


def _list(path: str, items: object, low: int, high: int, noun: str) -> Errors:
    """Check the number of items, and that each one is an object."""
    if not isinstance(items, list):
        yield MessageLimitError(path, "must be a list")
        return
    if not low <= len(items) <= high:
        bound = f"exactly {low}" if low == high else f"at least {low}" if len(items) < low else f"at most {high}"
        yield MessageLimitError(path, f"{len(items)} {noun}, {bound}")
    for index, item in enumerate(items):
        if not isinstance(item, dict):
            yield MessageLimitError(f"{path}[{index}]", "must be an object")


def _each(items: object, path: str) -> Iterator[tuple[dict, str]]:
    """Yield the objects of a list with their paths (_list reports the rest)."""
    for index, item in enumerate(items if isinstance(items, list) else []):
        if isinstance(item, dict):
            yield item, f"{path}[{index}]"


def _typed(obj: object, path: str, known: dict[str, dict], what: str) -> Errors:
    """Check that ``obj`` is an object of a known type, then its fields."""
    if not isinstance(obj, dict):
        yield MessageLimitError(path, "must be an object")
    elif obj.get("type") not in known:
        yield MessageLimitError(f"{path}.type", f"unknown {what} type {obj.get('type')!r}")
    else:
        yield from _fields(obj, known[obj["type"]], path)


def _messages(messages: list) -> Errors:
    for message, path in _each(messages, "messages"):
        yield from _typed(message, path, MESSAGE_FIELDS, "message")
        if check := MESSAGE_CHECKS.get(message.get("type")):
            yield from check(message, path)
        if message.get("quickReply") is not None:
            yield from _quick_reply(message["quickReply"], f"{path}.quickReply")
        if message.get("sender") is not None:
            yield from _fields(message["sender"], SENDER_FIELDS, f"{path}.sender")


def _action(action: object, path: str, *, label_required: bool = False, max_label: int = 20) -> Errors:
    yield from _typed(action, path, ACTION_FIELDS, "action")
    if isinstance(action, dict):
        yield from _fields(action, {"label": Text(max_label, required=label_required)}, path)


def _quick_reply(quick_reply: object, path: str) -> Errors:
    items = quick_reply.get("items") if isinstance(quick_reply, dict) else None
    yield from _list(f"{path}.items", items, 1, MAX_QUICK_REPLY_ITEMS, "items")
    for item, item_path in _each(items, f"{path}.items"):
        yield from _fields(item, QUICK_REPLY_ITEM_FIELDS, item_path)
        yield from _action(item.get("action"), f"{item_path}.action", label_required=True)


def _template_message(message: dict, path: str) -> Errors:
    template, path = message.get("template"), f"{path}.template"
    yield from _typed(template, path, TEMPLATE_FIELDS, "template")
    if isinstance(template, dict) and (check := TEMPLATE_CHECKS.get(template.get("type"))):
        yield from check(template, path)


def _card_text(card: dict, path: str, plain_max: int) -> Errors:
    """Check a card's text: at most 60 characters once it has an image or title."""
    limit = 60 if card.get("thumbnailImageUrl") or card.get("title") else plain_max
    yield from _fields(card, {"text": Text(limit)}, path)


def _buttons(template: dict, path: str) -> Errors:
    yield from _card_text(template, path, 160)
    yield from _actions(template.get("actions"), f"{path}.actions", 1, 4)
    if template.get("defaultAction") is not None:
        yield from _action(template["defaultAction"], f"{path}.defaultAction")


def _confirm(template: dict, path: str) -> Errors:
    yield from _actions(template.get("actions"), f"{path}.actions", 2, 2)


def _carousel(template: dict, path: str) -> Errors:
    columns = template.get("columns")
    yield from _list(f"{path}.columns", columns, 1, 10, "columns")
    for column, column_path in _each(columns, f"{path}.columns"):
        yield from _fields(column, CAROUSEL_COLUMN_FIELDS, column_path)
        yield from _card_text(column, column_path, 120)
        yield from _actions(column.get("actions"), f"{column_path}.actions", 1, 3)


def _image_carousel(template: dict, path: str) -> Errors:
    columns = template.get("columns")
    yield from _list(f"{path}.columns", columns, 1, 10, "columns")
    for column, column_path in _each(columns, f"{path}.columns"):
        yield from _fields(column, {"imageUrl": Url()}, column_path)
        yield from _action(column.get("action"), f"{column_path}.action", max_label=12)


def _actions(actions: object, path: str, low: int, high: int) -> Errors:
    yield from _list(path, actions, low, high, "actions")
    for action, action_path in _each(actions, path):
        yield from _action(action, action_path, label_required=True)


def _flex_message(message: dict, path: str) -> Errors:
    contents, path = message.get("contents"), f"{path}.contents"
    kind = contents.get("type") if isinstance(contents, dict) else None
    if kind == "carousel":
        yield from _list(f"{path}.contents", contents.get("contents"), 1, 12, "bubbles")
    elif kind != "bubble":
        yield MessageLimitError(f"{path}.type", f"{kind!r} is not one of bubble, carousel")


MESSAGE_CHECKS: dict[str, Callable[[dict, str], Errors]] = {
    "template": _template_message,
    "flex": _flex_message,
}
TEMPLATE_CHECKS: dict[str, Callable[[dict, str], Errors]] = {
    "buttons": _buttons,
    "confirm": _confirm,
    "carousel": _carousel,
    "image_carousel": _image_carousel,
}
