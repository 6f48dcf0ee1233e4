"""LINE's own schema for the request bodies the bot sends: a judge the project does not write.

The fake LINE platform (:mod:`simulator.platform`) judges every JSON body it
receives here, in the tests and in the simulator alike. Nothing comes from
``bot/messaging/limits.py``: the bot checks its messages with that module when
it queues them, and a judge that shared its rules could not catch its bugs.

A body is judged in three steps, each taken only if the one before passed:

1. LINE's schema. The line-bot-sdk's request models (``linebot.v3.messaging``)
   are generated from LINE's OpenAPI description of the Messaging API
   (https://github.com/line/line-openapi, ``messaging-api.yml``). Parsing the
   body with them refuses a message, action or flex component type LINE does
   not know, a value outside an enum (a button's ``style``), a wrong JSON type,
   a missing required property and the limits the models encode themselves
   (at most 5 messages, 13 quick-reply items, 300 characters of postback data).
2. The round trip. ``Model.from_dict`` quietly drops properties the schema does
   not have, so the parsed model is turned back into a dict and compared with
   the body as sent: whatever did not come back is unknown to LINE. The only
   differences allowed are the SDK's own normalising: it adds defaults the body
   left out (``notificationDisabled: false``) and leaves out properties sent as
   ``null``.
3. The limits LINE documents but the models do not encode: :data:`MESSAGES`,
   :data:`ACTIONS` and the tables after them, each with the page of LINE's
   documentation that states it.

Lengths are counted as LINE counts them: in UTF-16 code units, except the
properties LINE counts in grapheme clusters (:data:`GRAPHEME_COUNTED`).
"""
from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import regex
from linebot.v3.messaging import (
    CreateRichMenuAliasRequest,
    Message,
    MulticastRequest,
    PushMessageRequest,
    ReplyMessageRequest,
    RichMenuRequest,
    ShowLoadingAnimationRequest,
    UpdateRichMenuAliasRequest,
)
from pydantic.v1 import BaseModel, ValidationError

REFERENCE = "https://developers.line.biz/en/reference/messaging-api/"
COUNTING = "https://developers.line.biz/en/docs/messaging-api/text-character-count/"
QUICK_REPLY = "https://developers.line.biz/en/docs/messaging-api/using-quick-reply/"

# The request model of each endpoint whose JSON body the fake platform judges.
REQUEST_MODELS: dict[str, type[BaseModel]] = {
    "/v2/bot/message/reply": ReplyMessageRequest,
    "/v2/bot/message/push": PushMessageRequest,
    "/v2/bot/message/multicast": MulticastRequest,
    "/v2/bot/chat/loading/start": ShowLoadingAnimationRequest,
    "/v2/bot/richmenu": RichMenuRequest,
    "/v2/bot/richmenu/alias": CreateRichMenuAliasRequest,
    "/v2/bot/richmenu/alias/<rich_menu_alias_id>": UpdateRichMenuAliasRequest,
}

# What the generated models raise for a body they cannot take: pydantic's
# ValidationError (a ValueError), a ValueError for an unknown discriminator,
# and KeyError or TypeError where ``from_dict`` meets a shape it does not expect.
SCHEMA_ERRORS = (ValidationError, ValueError, KeyError, TypeError, AttributeError)


@dataclass(frozen=True)
class Problem:
    """Why LINE would refuse a body: the property, in LINE's ``details[]`` form, and the reason."""

    property: str
    message: str

    def __str__(self) -> str:
        return f"{self.property}: {self.message}" if self.property else self.message


def _join(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name


def judge(path: str, body: object) -> list[Problem]:
    """Return why LINE would refuse ``body`` sent to ``path``; empty when LINE would take it."""
    model = REQUEST_MODELS[path]
    if not isinstance(body, dict):
        return [Problem("", "the request body must be a JSON object")]
    try:
        parsed = model.from_dict(body)
    except SCHEMA_ERRORS as exc:
        return _schema_problems(model, body, exc)
    unknown = list(_round_trip_differences(body, parsed.to_dict(), ""))
    if unknown:
        return unknown
    return list(BODY_CHECKS[model](body))


# -- 1. LINE's schema --------------------------------------------------------------


def _schema_problems(model: type[BaseModel], body: dict, exc: Exception) -> list[Problem]:
    """Name the properties the models refused, down to the message that holds them."""
    messages = body.get("messages")
    if isinstance(messages, list):
        located = []
        for index, message in enumerate(messages):
            try:
                Message.from_dict(message)
            except SCHEMA_ERRORS as inner:
                located += _problems_from(inner, f"messages[{index}]", Message)
        if located:
            return located
    return _problems_from(exc, "", model)


def _problems_from(exc: Exception, where: str, model: type[BaseModel]) -> list[Problem]:
    """Turn the models' exception into problems; ``where`` is the path of the object ``model`` parsed.

    Pydantic names the field within the innermost model that refused it; that
    is a path from ``where`` only when it is ``model`` itself.
    """
    if isinstance(exc, ValidationError):
        problems = []
        for error in exc.errors():
            fields = ".".join(str(part) for part in error["loc"] if part != "__root__")
            if exc.model is model:
                problems.append(Problem(_join(where, fields), error["msg"]))
            else:
                name = f"{exc.model.__name__}.{fields}" if fields else exc.model.__name__
                problems.append(Problem(where, f"{name}: {error['msg']}"))
        return problems
    reason = str(exc).split("Discriminator property name")[0].strip()
    return [Problem(where, f"refused by LINE's schema ({type(exc).__name__}: {reason})")]


# -- 2. the round trip ---------------------------------------------------------------


def _round_trip_differences(sent: object, back: object, path: str) -> Iterator[Problem]:
    """Yield what the body says that did not survive the models (unknown properties, changed values)."""
    if isinstance(sent, dict) and isinstance(back, dict):
        for key, value in sent.items():
            here = _join(path, key)
            if value is None:
                continue  # to_dict() leaves out None: the SDK's normalising, not a difference
            if key not in back:
                yield Problem(here, "not a property of LINE's schema for this object")
            else:
                yield from _round_trip_differences(value, back[key], here)
    elif isinstance(sent, list) and isinstance(back, list) and len(sent) == len(back):
        for index, (one, other) in enumerate(zip(sent, back)):
            yield from _round_trip_differences(one, other, f"{path}[{index}]")
    elif type(sent) is not type(back) or sent != back:
        yield Problem(path, f"sent {json.dumps(sent, ensure_ascii=False)}, "
                            f"LINE's schema reads {json.dumps(back, ensure_ascii=False)}")


# -- 3. the limits LINE documents --------------------------------------------------------


def utf16_units(text: str) -> int:
    """How LINE counts most texts: UTF-16 code units (an emoji outside the BMP is 2)."""
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def graphemes(text: str) -> int:
    """How LINE counts the properties in :data:`GRAPHEME_COUNTED`: user-perceived characters."""
    return len(regex.findall(r"\X", text))


# Properties LINE counts in grapheme clusters, not UTF-16 code units: (where, property).
# Source: COUNTING ("the following properties are counted in grapheme cluster units").
GRAPHEME_COUNTED = {
    ("action", "label"),
    ("postback", "displayText"), ("postback", "fillInText"), ("postback", "text"),
    ("message", "text"),
    ("buttons", "text"), ("buttons", "title"),
    ("confirm", "text"),
    ("carousel", "text"), ("carousel", "title"),
    ("richmenu", "chatBarText"), ("richmenu", "name"),
}


@dataclass(frozen=True)
class Present:
    """A property LINE requires although the generated model lets it out."""

    source: str

    def problems(self, obj: dict, name: str, where: str, path: str) -> Iterator[Problem]:
        if obj.get(name) is None:
            yield Problem(_join(path, name), f"required (see {self.source})")


@dataclass(frozen=True)
class Chars:
    """A string property of at most ``max`` characters; ``required`` ones must be there and not empty."""

    max: int
    source: str
    required: bool = False

    def problems(self, obj: dict, name: str, where: str, path: str) -> Iterator[Problem]:
        value = obj.get(name)
        if value is None or value == "":
            if self.required:
                yield Problem(_join(path, name), f"may not be empty (see {self.source})")
            return
        count = graphemes if (where, name) in GRAPHEME_COUNTED else utf16_units
        if count(value) > self.max:
            unit = "grapheme clusters" if count is graphemes else "UTF-16 code units"
            yield Problem(_join(path, name), f"{count(value)} {unit}, at most {self.max} (see {self.source})")


@dataclass(frozen=True)
class Url(Chars):
    """A URL of at most ``max`` characters with one of ``schemes``."""

    schemes: tuple[str, ...] = ("https",)

    def problems(self, obj: dict, name: str, where: str, path: str) -> Iterator[Problem]:
        value = obj.get(name)
        if isinstance(value, str) and value and not value.lower().startswith(tuple(f"{s}:" for s in self.schemes)):
            yield Problem(_join(path, name), f"must start with {' or '.join(self.schemes)}: (see {self.source})")
        yield from super().problems(obj, name, where, path)


Properties = dict[str, Present | Chars]

# Message objects, by type. Source: REFERENCE, each message type's section.
MESSAGES: dict[str, Properties] = {
    "text": {"text": Chars(5000, REFERENCE + "#text-message", required=True)},
    "textV2": {"text": Chars(5000, REFERENCE + "#text-message-v2", required=True)},
    "image": {"originalContentUrl": Url(2000, REFERENCE + "#image-message"),
              "previewImageUrl": Url(2000, REFERENCE + "#image-message")},
    "video": {"originalContentUrl": Url(2000, REFERENCE + "#video-message"),
              "previewImageUrl": Url(2000, REFERENCE + "#video-message"),
              "trackingId": Chars(100, REFERENCE + "#video-message")},
    "audio": {"originalContentUrl": Url(2000, REFERENCE + "#audio-message")},
    "location": {"title": Chars(100, REFERENCE + "#location-message", required=True),
                 "address": Chars(100, REFERENCE + "#location-message", required=True)},
    "imagemap": {"baseUrl": Url(2000, REFERENCE + "#imagemap-message"),
                 "altText": Chars(400, REFERENCE + "#imagemap-message", required=True)},
    "template": {"altText": Chars(400, REFERENCE + "#template-messages", required=True)},
    "flex": {"altText": Chars(1500, REFERENCE + "#flex-message", required=True)},
}
SENDER: Properties = {  # REFERENCE#icon-nickname-switch; messaging-api.yml: Sender maxLength 20 / 2000
    "name": Chars(20, REFERENCE + "#icon-nickname-switch"),
    "iconUrl": Url(2000, REFERENCE + "#icon-nickname-switch"),
}

# Action objects, by type; the label is checked by _action, as its limit depends on where the action is.
ACTIONS: dict[str, Properties] = {
    "postback": {"data": Present(REFERENCE + "#postback-action"),
                 "displayText": Chars(300, REFERENCE + "#postback-action"),
                 "text": Chars(300, REFERENCE + "#postback-action"),
                 "fillInText": Chars(300, REFERENCE + "#postback-action")},
    "message": {"text": Chars(300, REFERENCE + "#message-action", required=True)},
    "uri": {"uri": Url(1000, REFERENCE + "#uri-action", required=True, schemes=("http", "https", "line", "tel"))},
    "datetimepicker": {"data": Present(REFERENCE + "#datetime-picker-action"),
                       "mode": Present(REFERENCE + "#datetime-picker-action")},
    "richmenuswitch": {"richMenuAliasId": Chars(32, REFERENCE + "#richmenu-switch-action", required=True),
                       "data": Present(REFERENCE + "#richmenu-switch-action")},
}
QUICK_REPLY_OBJECT: Properties = {"items": Present(REFERENCE + "#quick-reply")}
QUICK_REPLY_ITEM: Properties = {"action": Present(REFERENCE + "#items-object")}
LABEL = REFERENCE + "#action-objects"
# Where an action sits -> (its label's limit, whether the label is required). Source: LABEL.
LABELS: dict[str, tuple[int, bool]] = {
    "quickReply": (20, True),
    "template": (20, True),
    "imageCarousel": (12, False),
    "richMenu": (20, False),
}
# Actions LINE takes only in quick replies, and those it takes anywhere but there. Source: QUICK_REPLY.
QUICK_REPLY_ONLY = {"camera", "cameraRoll", "location"}
NOT_IN_QUICK_REPLY = {"richmenuswitch"}
# The date picker's initial, max and min, by mode (RFC 3339 parts). Source: REFERENCE#datetime-picker-action.
PICKER_FORMATS = {
    "date": (re.compile(r"\d{4}-\d{2}-\d{2}"), "1900-01-01", "2100-12-31"),
    "time": (re.compile(r"\d{2}:\d{2}"), "00:00", "23:59"),
    "datetime": (re.compile(r"\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}"), "1900-01-01T00:00", "2100-12-31T23:59"),
}

# Templates. Source: REFERENCE#buttons, #confirm, #carousel, #column-object-for-carousel, #image-carousel.
BUTTONS: Properties = {"thumbnailImageUrl": Url(2000, REFERENCE + "#buttons"),
                       "title": Chars(40, REFERENCE + "#buttons")}
CAROUSEL_COLUMN: Properties = {"thumbnailImageUrl": Url(2000, REFERENCE + "#column-object-for-carousel"),
                               "title": Chars(40, REFERENCE + "#column-object-for-carousel")}
CONFIRM: Properties = {"text": Chars(240, REFERENCE + "#confirm", required=True)}
IMAGE_COLUMN: Properties = {"imageUrl": Url(2000, REFERENCE + "#column-object-for-image-carousel")}
# text: (the limit without an image or title, the limit with one), actions: (at least, at most).
BUTTONS_TEXT, BUTTONS_ACTIONS = (160, 60), (1, 4)
CAROUSEL_TEXT, CAROUSEL_ACTIONS, CAROUSEL_COLUMNS = (120, 60), (1, 3), 10
CONFIRM_ACTIONS = (2, 2)

# Flex Message containers. Source: REFERENCE#f-carousel (bubbles, and the JSON size of a
# carousel) and REFERENCE#bubble (the JSON size of a bubble).
FLEX_CAROUSEL_BUBBLES = 12
FLEX_BUBBLE_BYTES, FLEX_CAROUSEL_BYTES = 30 * 1024, 50 * 1024

# The rich menu object. Source: REFERENCE#rich-menu-object and #size-object.
RICH_MENU: Properties = {"size": Present(REFERENCE + "#rich-menu-object"),
                         "selected": Present(REFERENCE + "#rich-menu-object"),
                         "name": Chars(300, REFERENCE + "#rich-menu-object", required=True),
                         "chatBarText": Chars(14, REFERENCE + "#rich-menu-object", required=True),
                         "areas": Present(REFERENCE + "#rich-menu-object")}
RICH_MENU_SIZE: Properties = {"width": Present(REFERENCE + "#size-object"),
                              "height": Present(REFERENCE + "#size-object")}
RICH_MENU_AREA: Properties = {"bounds": Present(REFERENCE + "#area-object"),
                              "action": Present(REFERENCE + "#area-object")}
RICH_MENU_BOUNDS: Properties = {name: Present(REFERENCE + "#bounds-object") for name in ("x", "y", "width", "height")}
RICH_MENU_AREAS = 20
RICH_MENU_WIDTH, RICH_MENU_MIN_HEIGHT, RICH_MENU_MIN_RATIO = (800, 2500), 250, 1.45

# The loading animation: 5 to 60 seconds, in steps of 5. Source: REFERENCE#display-a-loading-indicator.
LOADING_SECONDS = range(5, 61, 5)


def _properties(obj: dict, spec: Properties, where: str, path: str) -> Iterator[Problem]:
    for name, limit in spec.items():
        yield from limit.problems(obj, name, where, path)


def _count(items: list, low: int, high: int, path: str, noun: str, source: str) -> Iterator[Problem]:
    if not low <= len(items) <= high:
        bound = f"exactly {low}" if low == high else f"{low} to {high}"
        yield Problem(path, f"{len(items)} {noun}, {bound} (see {source})")


def _messages(body: dict) -> Iterator[Problem]:
    """Judge a reply or push: the schema already checked the number of messages and their shape."""
    for index, message in enumerate(body["messages"]):
        path = f"messages[{index}]"
        kind = message["type"]
        yield from _properties(message, MESSAGES.get(kind, {}), kind, path)
        if message.get("sender"):
            yield from _properties(message["sender"], SENDER, "sender", f"{path}.sender")
        if message.get("quickReply"):
            yield from _quick_reply(message["quickReply"], f"{path}.quickReply")
        if kind == "template":
            yield from _template(message["template"], f"{path}.template")
        elif kind == "flex":
            yield from _flex(message["contents"], f"{path}.contents")


def _push(body: dict) -> Iterator[Problem]:
    if not body["to"]:
        yield Problem("to", f"may not be empty (see {REFERENCE}#send-push-message)")
    yield from _messages(body)


def _multicast(body: dict) -> Iterator[Problem]:
    yield from _count(body["to"], 1, 500, "to", "recipients", f"{REFERENCE}#send-multicast-message")
    if any(not recipient for recipient in body["to"]):
        yield Problem("to", f"may not hold an empty user id (see {REFERENCE}#send-multicast-message)")
    yield from _messages(body)


def _quick_reply(quick_reply: dict, path: str) -> Iterator[Problem]:
    yield from _properties(quick_reply, QUICK_REPLY_OBJECT, "quickReply", path)
    for index, item in enumerate(quick_reply.get("items") or []):
        yield from _properties(item, QUICK_REPLY_ITEM, "quickReply", f"{path}.items[{index}]")
        action, action_path = item.get("action"), f"{path}.items[{index}].action"
        if action is None:
            continue
        if action["type"] in NOT_IN_QUICK_REPLY:
            yield Problem(f"{action_path}.type", f"{action['type']!r} is not available in quick replies "
                                                 f"(see {QUICK_REPLY})")
        yield from _action(action, action_path, "quickReply")


def _action(action: dict, path: str, place: str | None) -> Iterator[Problem]:
    """Judge an action; ``place`` picks the label's limit (None: LINE documents none there)."""
    kind = action["type"]
    if kind in QUICK_REPLY_ONLY and place != "quickReply":
        yield Problem(f"{path}.type", f"{kind!r} is available in quick replies only (see {QUICK_REPLY})")
    yield from _properties(action, ACTIONS.get(kind, {}), kind, path)
    if kind == "postback" and action.get("text") and action.get("displayText"):
        yield Problem(path, f"displayText and text cannot both be used (see {REFERENCE}#postback-action)")
    if kind == "datetimepicker" and action.get("mode") in PICKER_FORMATS:
        yield from _picker(action, path)
    if place is not None:
        most, required = LABELS[place]
        yield from Chars(most, LABEL, required=required).problems(action, "label", "action", path)


def _picker(action: dict, path: str) -> Iterator[Problem]:
    pattern, earliest, latest = PICKER_FORMATS[action["mode"]]
    source = f"{REFERENCE}#datetime-picker-action"
    values = {}
    for name in ("initial", "min", "max"):
        value = action.get(name)
        if value is None:
            continue
        normal = value.replace("t", "T")
        if not pattern.fullmatch(value) or not earliest <= normal <= latest:
            yield Problem(f"{path}.{name}", f"{value!r} is not a {action['mode']} from {earliest} to {latest} "
                                            f"(see {source})")
        values[name] = normal
    if "min" in values and "max" in values and not values["min"] < values["max"]:
        yield Problem(f"{path}.max", f"must be greater than min (see {source})")


def _template(template: dict, path: str) -> Iterator[Problem]:
    kind = template["type"]
    if kind == "buttons":
        yield from _properties(template, BUTTONS, "buttons", path)
        yield from _card(template, path, "buttons", BUTTONS_TEXT, BUTTONS_ACTIONS, REFERENCE + "#buttons")
        if template.get("defaultAction"):
            yield from _action(template["defaultAction"], f"{path}.defaultAction", None)
    elif kind == "confirm":
        yield from _properties(template, CONFIRM, "confirm", path)
        yield from _count(template["actions"], *CONFIRM_ACTIONS, f"{path}.actions", "actions", REFERENCE + "#confirm")
        for index, action in enumerate(template["actions"]):
            yield from _action(action, f"{path}.actions[{index}]", "template")
    elif kind == "carousel":
        source = REFERENCE + "#carousel"
        columns = template["columns"]
        yield from _count(columns, 1, CAROUSEL_COLUMNS, f"{path}.columns", "columns", source)
        if len({len(column["actions"]) for column in columns}) > 1:
            yield Problem(f"{path}.columns", f"every column must have the same number of actions (see {source})")
        for index, column in enumerate(columns):
            column_path = f"{path}.columns[{index}]"
            yield from _properties(column, CAROUSEL_COLUMN, "carousel", column_path)
            yield from _card(column, column_path, "carousel", CAROUSEL_TEXT, CAROUSEL_ACTIONS, source)
            if column.get("defaultAction"):
                yield from _action(column["defaultAction"], f"{column_path}.defaultAction", None)
    elif kind == "image_carousel":
        source = REFERENCE + "#image-carousel"
        yield from _count(template["columns"], 1, CAROUSEL_COLUMNS, f"{path}.columns", "columns", source)
        for index, column in enumerate(template["columns"]):
            yield from _properties(column, IMAGE_COLUMN, "image_carousel", f"{path}.columns[{index}]")
            yield from _action(column["action"], f"{path}.columns[{index}].action", "imageCarousel")


def _card(card: dict, path: str, where: str, text: tuple[int, int], actions: tuple[int, int],
          source: str) -> Iterator[Problem]:
    """A buttons template or carousel column: its text is shorter once it shows an image or a title."""
    plain, with_image = text
    limit = with_image if card.get("thumbnailImageUrl") or card.get("title") else plain
    yield from Chars(limit, source, required=True).problems(card, "text", where, path)
    yield from _count(card["actions"], *actions, f"{path}.actions", "actions", source)
    for index, action in enumerate(card["actions"]):
        yield from _action(action, f"{path}.actions[{index}]", "template")


def _flex(container: dict, path: str) -> Iterator[Problem]:
    size = len(json.dumps(container, ensure_ascii=False, separators=(",", ":")).encode())
    if container["type"] == "carousel":
        source = REFERENCE + "#f-carousel"
        yield from _count(container["contents"], 1, FLEX_CAROUSEL_BUBBLES, f"{path}.contents", "bubbles", source)
        most = FLEX_CAROUSEL_BYTES
    else:
        source, most = REFERENCE + "#bubble", FLEX_BUBBLE_BYTES
    if size > most:
        yield Problem(path, f"{size} bytes of JSON, at most {most} (see {source})")
    yield from (problem for action, at in _flex_actions(container, path) for problem in _action(action, at, None))


def _flex_actions(node: object, path: str) -> Iterator[tuple[dict, str]]:
    """Every action inside a flex container, with its path."""
    if isinstance(node, dict):
        for key, value in node.items():
            here = f"{path}.{key}"
            if key == "action" and isinstance(value, dict):
                yield value, here
            else:
                yield from _flex_actions(value, here)
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _flex_actions(value, f"{path}[{index}]")


def _rich_menu(menu: dict) -> Iterator[Problem]:
    yield from _properties(menu, RICH_MENU, "richmenu", "")
    size = menu.get("size") or {}
    yield from _properties(size, RICH_MENU_SIZE, "size", "size")
    width, height = size.get("width"), size.get("height")
    low, high = RICH_MENU_WIDTH
    source = REFERENCE + "#size-object"
    if width is not None and height is not None:
        if not (low <= width <= high and height >= RICH_MENU_MIN_HEIGHT):
            yield Problem("size", f"width {low} to {high}, height at least {RICH_MENU_MIN_HEIGHT} (see {source})")
        elif width / height < RICH_MENU_MIN_RATIO:
            yield Problem("size", f"width / height must be at least {RICH_MENU_MIN_RATIO} (see {source})")
    areas = menu.get("areas") or []
    yield from _count(areas, 0, RICH_MENU_AREAS, "areas", "areas", REFERENCE + "#rich-menu-object")
    for index, area in enumerate(areas):
        yield from _properties(area, RICH_MENU_AREA, "area", f"areas[{index}]")
        if area.get("bounds") is not None:
            yield from _properties(area["bounds"], RICH_MENU_BOUNDS, "bounds", f"areas[{index}].bounds")
        if area.get("action"):
            yield from _action(area["action"], f"areas[{index}].action", "richMenu")


def _loading(body: dict) -> Iterator[Problem]:
    if not body["chatId"]:
        yield Problem("chatId", f"may not be empty (see {REFERENCE}#display-a-loading-indicator)")
    seconds = body.get("loadingSeconds")
    if seconds is not None and seconds not in LOADING_SECONDS:
        yield Problem("loadingSeconds", f"{seconds} is not a multiple of 5 from 5 to 60 "
                                        f"(see {REFERENCE}#display-a-loading-indicator)")


def _schema_only(body: dict) -> Iterator[Problem]:
    yield from ()


BODY_CHECKS: dict[type[BaseModel], Callable[[dict], Iterator[Problem]]] = {
    ReplyMessageRequest: _messages,
    PushMessageRequest: _push,
    MulticastRequest: _multicast,
    ShowLoadingAnimationRequest: _loading,
    RichMenuRequest: _rich_menu,
    CreateRichMenuAliasRequest: _schema_only,  # the model checks the alias id's pattern and length
    UpdateRichMenuAliasRequest: _schema_only,
}
