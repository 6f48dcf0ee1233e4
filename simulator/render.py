"""What a resident sees on the phone: LINE messages as HTML.

Every message the bot sends (text, quick-reply chips, templates, Flex
bubbles and carousels, stickers, images, locations) becomes an HTML fragment
the simulator page inserts as it is. Everything from a message is escaped;
colours and sizes are only used when they look like LINE's values, so a
message cannot smuggle markup or styles into the page.

A tappable action is a ``<button data-action="{json}">`` (or a plain link
for ``uri`` actions); the page's script sends it back to the server, which
turns it into the event the LINE app would send
(:func:`simulator.events.event_for_action`).
"""
from __future__ import annotations

import json
import re
from collections.abc import Iterable
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

from markupsafe import Markup, escape

COLOR = re.compile(r"#(?:[0-9a-fA-F]{6}|[0-9a-fA-F]{8})")
LENGTH = re.compile(r"\d{1,4}(?:\.\d{1,2})?(?:px|%)")
RATIO = re.compile(r"(\d{1,4}(?:\.\d{1,2})?):(\d{1,4}(?:\.\d{1,2})?)")
LINK_SCHEMES = ("https:", "http:", "tel:", "mailto:")

VOID_ELEMENTS = {"img", "hr", "input", "br"}
SPACING = {"none": "0", "xs": "2px", "sm": "4px", "md": "8px", "lg": "12px", "xl": "16px", "xxl": "20px"}
TEXT_SIZE = {
    "xxs": "11px", "xs": "13px", "sm": "14px", "md": "16px", "lg": "19px", "xl": "22px",
    "xxl": "29px", "3xl": "35px", "4xl": "48px", "5xl": "74px",
}
IMAGE_SIZE = {
    "xxs": "40px", "xs": "60px", "sm": "80px", "md": "100px", "lg": "120px", "xl": "140px",
    "xxl": "160px", "3xl": "180px", "4xl": "200px", "5xl": "240px", "full": "100%",
}
ICON_SIZE = {key: TEXT_SIZE[key] for key in TEXT_SIZE}
BORDER_WIDTH = {"none": "0", "light": "0.5px", "normal": "1px", "medium": "2px", "semi-bold": "3px", "bold": "4px"}
BUBBLE_WIDTH = {
    "nano": "120px", "micro": "160px", "deca": "220px", "hecto": "241px",
    "kilo": "260px", "mega": "300px", "giga": "500px",
}
JUSTIFY = {"flex-start", "center", "flex-end", "space-between", "space-around", "space-evenly"}
ALIGN = {"flex-start", "center", "flex-end"}

# Stickers the resident can send from the simulator, and how stickers look
# here (the real images are LINE's and are not fetched).
STICKERS = (
    {"packageId": "11537", "stickerId": "52002734", "emoji": "😊", "label": "にこにこ / Smile",
     "keywords": ["Smile", "Happy"]},
    {"packageId": "11537", "stickerId": "52002735", "emoji": "🙏", "label": "ありがとう / Thanks",
     "keywords": ["Thanks", "Thank you"]},
    {"packageId": "11537", "stickerId": "52002736", "emoji": "👍", "label": "OK",
     "keywords": ["OK", "Good"]},
    {"packageId": "11537", "stickerId": "52002739", "emoji": "🙇", "label": "よろしく / Please",
     "keywords": ["Please", "Bow"]},
    {"packageId": "11537", "stickerId": "52002750", "emoji": "😢", "label": "かなしい / Sad",
     "keywords": ["Sad", "Cry"]},
    {"packageId": "11538", "stickerId": "51626501", "emoji": "❓", "label": "はてな / Question",
     "keywords": ["Question", "What"]},
)
STICKER_EMOJI = {(s["packageId"], s["stickerId"]): s["emoji"] for s in STICKERS}


# -- markup helpers ------------------------------------------------------------------


def tag(name: str, attrs: dict | None = None, *children: object) -> Markup:
    """Build one element; strings are escaped, ``Markup`` is kept, ``None`` is skipped."""
    parts = [name]
    for key, value in (attrs or {}).items():
        if value is None or value is False:
            continue
        parts.append(escape(key) if value is True else Markup('{}="{}"').format(Markup(key), value))
    if name in VOID_ELEMENTS:
        return Markup("<{}>").format(Markup(" ".join(parts)))
    inner = Markup("").join(escape(child) for child in _flat(children) if child is not None)
    return Markup("<{}>{}</{}>").format(Markup(" ".join(parts)), inner, Markup(name))


def _flat(children: Iterable) -> Iterable:
    for child in children:
        if isinstance(child, list | tuple):
            yield from _flat(child)
        else:
            yield child


def style(**declarations: str | None) -> str | None:
    """Join CSS declarations, leaving out the ones without a (safe) value."""
    css = "; ".join(f"{name.replace('_', '-')}: {value}" for name, value in declarations.items() if value)
    return css or None


def color(value: object) -> str | None:
    return value if isinstance(value, str) and COLOR.fullmatch(value) else None


def length(value: object, keywords: dict[str, str] | None = None) -> str | None:
    """A LINE size: a keyword of ``keywords``, or pixels or percent."""
    if not isinstance(value, str):
        return None
    if keywords and value in keywords:
        return keywords[value]
    return value if LENGTH.fullmatch(value) else None


def image_url(value: object) -> str | None:
    return value if isinstance(value, str) and value.startswith(("https:", "http:", "/simulator/")) else None


def clock(at: float, tz: str = "Asia/Tokyo") -> Markup:
    moment = datetime.fromtimestamp(at, timezone.utc).astimezone(ZoneInfo(tz))
    return tag("time", {"datetime": moment.isoformat(timespec="seconds")}, moment.strftime("%H:%M"))


# -- actions ---------------------------------------------------------------------------


def action_label(action: dict, fallback: str = "") -> str:
    return str(action.get("label") or fallback or action.get("type", ""))


def action_control(
    action: object, content: object = None, *, css: str = "action", attrs: dict | None = None
) -> Markup:
    """A tappable control for a LINE action: a link for ``uri``, otherwise a button the script handles.

    ``content`` is what the control shows; the action's label by default.
    """
    attrs = {"class": css, **(attrs or {})}
    if not isinstance(action, dict):
        return tag("span", attrs, content)
    content = action_label(action) if content is None else content
    if action.get("type") == "uri":
        uri = str(action.get("uri") or "")
        if uri.startswith(LINK_SCHEMES):
            return tag("a", {**attrs, "href": uri, "target": "_blank", "rel": "noopener noreferrer"}, content)
        # line:// and LIFF links only open inside the LINE app.
        return tag("button", {**attrs, "type": "button", "disabled": True,
                              "title": f"Opens in the LINE app: {uri}"}, content)
    attrs.update({"type": "button", "data-action": json.dumps(action, ensure_ascii=False)})
    if action.get("type") in ("datetimepicker", "location"):
        attrs["aria-haspopup"] = "dialog"
    return tag("button", attrs, content)


def area_control(action: object, css: str, *children: object, label: str | None = None) -> Markup:
    """Make a whole card or component tappable when it has an ``action``."""
    if not isinstance(action, dict):
        return tag("div", {"class": css}, *children)
    label = label or action_label(action)
    if action.get("type") == "uri" and str(action.get("uri", "")).startswith(LINK_SCHEMES):
        return tag("a", {"class": f"{css} tappable", "href": action["uri"], "target": "_blank",
                         "rel": "noopener noreferrer", "aria-label": label}, *children)
    return tag("div", {"class": f"{css} tappable", "role": "button", "tabindex": "0", "aria-label": label,
                       "data-action": json.dumps(action, ensure_ascii=False)}, *children)


def quick_reply(message: dict) -> Markup:
    """The chips LINE shows under a message while it is the newest in the chat."""
    items = ((message.get("quickReply") or {}).get("items")) or []
    chips = []
    for item in items:
        action = item.get("action") if isinstance(item, dict) else None
        if not isinstance(action, dict):
            continue
        icon = image_url(item.get("imageUrl"))
        children = [tag("img", {"src": icon, "alt": "", "class": "chip-icon"}) if icon else None,
                    tag("span", None, action_label(action))]
        chips.append(action_control(action, children, css=f"chip chip-{action.get('type', '')}"))
    if not chips:
        return Markup("")
    return tag("div", {"class": "quick-replies", "role": "group", "aria-label": "Quick replies / クイックリプライ"}, chips)


# -- messages ------------------------------------------------------------------------------


def render_message(message: dict) -> Markup:
    """Render one message object the bot sent (its quick reply is rendered apart)."""
    kind = message.get("type")
    renderer = MESSAGE_RENDERERS.get(kind)
    if renderer is None:
        return tag("div", {"class": "bubble bubble-unknown"}, f"[{kind}] ", message.get("altText", ""))
    return renderer(message)


def _text(message: dict) -> Markup:
    words = str(message.get("text", ""))
    if message.get("type") == "textV2":
        words = _substitute(words, message.get("substitution") or {})
    return tag("div", {"class": "bubble bubble-text"}, words)


def _substitute(words: str, substitution: dict) -> str:
    def replace(match: re.Match) -> str:
        item = substitution.get(match.group(1)) or {}
        mentionee = item.get("mentionee") or {}
        if item.get("type") == "mention":
            return "@" + str(mentionee.get("userId", "all") if mentionee.get("type") == "user" else "All")
        return "😀" if item.get("type") == "emoji" else match.group(0)

    return re.sub(r"\{([A-Za-z0-9_]+)\}", replace, words)


def _sticker(message: dict) -> Markup:
    key = (str(message.get("packageId")), str(message.get("stickerId")))
    emoji = STICKER_EMOJI.get(key, "🧸")
    return tag("div", {"class": "sticker", "role": "img", "aria-label": f"Sticker {key[0]}/{key[1]}"}, emoji)


def _image(message: dict) -> Markup:
    src = image_url(message.get("previewImageUrl") or message.get("originalContentUrl"))
    return tag("div", {"class": "bubble bubble-media"},
               tag("img", {"src": src, "alt": "Image / 画像", "loading": "lazy", "referrerpolicy": "no-referrer"}))


def _media(message: dict) -> Markup:
    kind = "Video / 動画" if message.get("type") == "video" else "Audio / 音声"
    url = message.get("originalContentUrl", "")
    return tag("div", {"class": "bubble bubble-media-link"}, "▶ ", kind, " ",
               tag("a", {"href": url, "target": "_blank", "rel": "noopener noreferrer"}, "open") if url else None)


def _location(message: dict) -> Markup:
    latitude, longitude = message.get("latitude"), message.get("longitude")
    return tag(
        "div", {"class": "bubble bubble-location"},
        tag("div", {"class": "location-pin", "aria-hidden": "true"}, "📍"),
        tag("div", {"class": "location-title"}, message.get("title") or "Location / 位置情報"),
        tag("div", {"class": "location-address"}, message.get("address") or ""),
        tag("div", {"class": "location-coords"}, f"{latitude}, {longitude}"),
    )


def _imagemap(message: dict) -> Markup:
    base = image_url(message.get("baseUrl"))
    return tag("div", {"class": "bubble bubble-media", "title": message.get("altText", "")},
               tag("img", {"src": f"{base}/700" if base else None, "alt": message.get("altText", "")}))


def _template(message: dict) -> Markup:
    template = message.get("template") or {}
    renderer = TEMPLATE_RENDERERS.get(template.get("type"))
    body = renderer(template) if renderer else tag("div", {"class": "bubble"}, message.get("altText", ""))
    return tag("div", {"class": "template", "title": f"altText: {message.get('altText', '')}"}, body)


def _buttons_card(template: dict, css: str = "card") -> Markup:
    thumbnail = image_url(template.get("thumbnailImageUrl"))
    ratio = "1 / 1" if template.get("imageAspectRatio") == "square" else "1.51 / 1"
    header = []
    if thumbnail:
        header.append(tag("img", {"class": "card-image", "src": thumbnail, "alt": "",
                                  "style": style(aspect_ratio=ratio, background_color=color(template.get("imageBackgroundColor")))}))
    if template.get("title"):
        header.append(tag("div", {"class": "card-title"}, template["title"]))
    header.append(tag("div", {"class": "card-text"}, template.get("text", "")))
    top = area_control(template.get("defaultAction"), "card-body", header)
    actions = [action_control(action, css="card-action") for action in template.get("actions") or []]
    return tag("div", {"class": css}, top, tag("div", {"class": "card-actions"}, actions))


def _confirm(template: dict) -> Markup:
    actions = [action_control(action, css="card-action") for action in template.get("actions") or []]
    return tag("div", {"class": "card card-confirm"},
               tag("div", {"class": "card-body"}, tag("div", {"class": "card-text"}, template.get("text", ""))),
               tag("div", {"class": "card-actions card-actions-row"}, actions))


def _carousel(template: dict) -> Markup:
    columns = [_buttons_card({**column, "imageAspectRatio": template.get("imageAspectRatio")}, "card carousel-item")
               for column in template.get("columns") or []]
    return tag("div", {"class": "carousel", "role": "group", "aria-label": "Carousel / カルーセル"}, columns)


def _image_carousel(template: dict) -> Markup:
    columns = []
    for column in template.get("columns") or []:
        action = column.get("action") or {}
        picture = tag("img", {"src": image_url(column.get("imageUrl")), "alt": ""})
        columns.append(tag("div", {"class": "image-column carousel-item"},
                           picture, action_control(action, css="image-column-label")))
    return tag("div", {"class": "carousel"}, columns)


# -- Flex ----------------------------------------------------------------------------------


def _flex(message: dict) -> Markup:
    container = message.get("contents") or {}
    return tag("div", {"class": "flex", "title": f"altText: {message.get('altText', '')}"}, flex_container(container))


def flex_container(container: dict) -> Markup:
    if container.get("type") == "carousel":
        bubbles = [flex_bubble(bubble, "carousel-item") for bubble in container.get("contents") or []]
        return tag("div", {"class": "carousel", "role": "group", "aria-label": "Carousel / カルーセル"}, bubbles)
    return flex_bubble(container)


def flex_bubble(bubble: dict, extra_class: str = "") -> Markup:
    styles = bubble.get("styles") or {}
    sections = []
    for name in ("header", "hero", "body", "footer"):
        block = bubble.get(name)
        if not isinstance(block, dict):
            continue
        block_style = styles.get(name) or {}
        if block_style.get("separator") and sections:
            sections.append(tag("hr", {"class": "fx-separator", "style": style(border_color=color(block_style.get("separatorColor")))}))
        inner = flex_component(block, "vertical", root=name != "hero")
        sections.append(tag("div", {"class": f"fx-{name}", "style": style(background_color=color(block_style.get("backgroundColor")))}, inner))
    size = bubble.get("size") if bubble.get("size") in BUBBLE_WIDTH else "mega"
    css = f"fx-bubble fx-size-{size} {extra_class}".strip()
    direction = "rtl" if bubble.get("direction") == "rtl" else None
    box = tag("div", {"class": css, "dir": direction, "style": style(width=BUBBLE_WIDTH[size])}, sections)
    if isinstance(bubble.get("action"), dict):
        return area_control(bubble["action"], "fx-bubble-action", box)
    return box


def flex_component(component: dict, parent_layout: str, *, root: bool = False) -> Markup:
    renderer = FLEX_RENDERERS.get(component.get("type"))
    if renderer is None:
        return Markup("")
    return renderer(component, parent_layout, root)


def _flex_item_style(component: dict, parent_layout: str) -> dict[str, str | None]:
    """Where a component sits in its box: flex ratio, margin, gravity, offsets."""
    flex = component.get("flex")
    default = 1 if parent_layout in ("horizontal", "baseline") else 0
    flex = flex if isinstance(flex, int) and flex >= 0 else default
    margin = length(component.get("margin"), SPACING)
    side = "margin_top" if parent_layout == "vertical" else "margin_inline_start"
    declarations: dict[str, str | None] = {
        "flex": f"{flex} 1 0" if flex else "0 0 auto",
        side: margin,
        "align_self": {"top": "flex-start", "center": "center", "bottom": "flex-end"}.get(component.get("gravity", "")),
    }
    if component.get("position") == "absolute":
        declarations["position"] = "absolute"
    for key, css in (("offsetTop", "top"), ("offsetBottom", "bottom"), ("offsetStart", "inset-inline-start"),
                     ("offsetEnd", "inset-inline-end")):
        if component.get(key):
            declarations[css.replace("-", "_")] = length(component[key], SPACING)
    return declarations


def _box(component: dict, parent_layout: str, root: bool = False) -> Markup:
    layout = component.get("layout") if component.get("layout") in ("vertical", "horizontal", "baseline") else "vertical"
    padding_all = length(component.get("paddingAll"), SPACING) or ("16px" if root else None)
    declarations = {
        **_flex_item_style(component, parent_layout),
        "gap": length(component.get("spacing"), SPACING),
        "padding": padding_all,
        "padding_top": length(component.get("paddingTop"), SPACING),
        "padding_bottom": length(component.get("paddingBottom"), SPACING),
        "padding_inline_start": length(component.get("paddingStart"), SPACING),
        "padding_inline_end": length(component.get("paddingEnd"), SPACING),
        "background_color": color(component.get("backgroundColor")),
        "border_color": color(component.get("borderColor")),
        "border_width": length(component.get("borderWidth"), BORDER_WIDTH),
        "border_style": "solid" if component.get("borderWidth") or component.get("borderColor") else None,
        "border_radius": length(component.get("cornerRadius"), SPACING),
        "width": length(component.get("width")),
        "max_width": length(component.get("maxWidth")),
        "height": length(component.get("height")),
        "justify_content": component.get("justifyContent") if component.get("justifyContent") in JUSTIFY else None,
        "align_items": component.get("alignItems") if component.get("alignItems") in ALIGN else None,
    }
    if root:
        declarations["flex"] = None
    children = [flex_component(child, layout) for child in component.get("contents") or [] if isinstance(child, dict)]
    css = f"fx-box fx-{layout}"
    if isinstance(component.get("action"), dict):
        return tag("div", {"class": f"{css} tappable", "style": style(**declarations), "role": "button", "tabindex": "0",
                           "aria-label": action_label(component["action"]),
                           "data-action": json.dumps(component["action"], ensure_ascii=False)}, children)
    return tag("div", {"class": css, "style": style(**declarations)}, children)


def _flex_text(component: dict, parent_layout: str, root: bool = False) -> Markup:
    spans = [
        tag("span", {"style": style(color=color(span.get("color")), font_size=length(span.get("size"), TEXT_SIZE),
                                     font_weight="bold" if span.get("weight") == "bold" else None,
                                     font_style="italic" if span.get("style") == "italic" else None,
                                     text_decoration=span.get("decoration") if span.get("decoration") in ("underline", "line-through") else None)},
            span.get("text", ""))
        for span in component.get("contents") or [] if isinstance(span, dict)
    ]
    max_lines = component.get("maxLines")
    declarations = {
        **_flex_item_style(component, parent_layout),
        "font_size": length(component.get("size"), TEXT_SIZE),
        "font_weight": "bold" if component.get("weight") == "bold" else None,
        "font_style": "italic" if component.get("style") == "italic" else None,
        "color": color(component.get("color")),
        "text_align": {"start": "start", "end": "end", "center": "center"}.get(component.get("align", "")),
        "text_decoration": component.get("decoration") if component.get("decoration") in ("underline", "line-through") else None,
        "line_height": length(component.get("lineSpacing")),
        "-webkit-line-clamp": str(max_lines) if isinstance(max_lines, int) and max_lines > 0 else None,
    }
    css = "fx-text fx-wrap" if component.get("wrap") else "fx-text"
    if declarations["-webkit-line-clamp"]:
        css += " fx-clamp"
    body = spans or [component.get("text", "")]
    if isinstance(component.get("action"), dict):
        return tag("div", {"class": f"{css} tappable", "style": style(**declarations), "role": "button", "tabindex": "0",
                           "data-action": json.dumps(component["action"], ensure_ascii=False)}, body)
    return tag("div", {"class": css, "style": style(**declarations)}, body)


def _flex_button(component: dict, parent_layout: str, root: bool = False) -> Markup:
    kind = component.get("style") if component.get("style") in ("primary", "secondary") else "link"
    tint = color(component.get("color"))
    declarations = {
        **_flex_item_style(component, parent_layout),
        "background_color": tint if kind != "link" else None,
        "color": tint if kind == "link" else None,
    }
    height = "sm" if component.get("height") == "sm" else "md"
    control = action_control(component.get("action"), css=f"fx-button fx-button-{kind} fx-button-{height}")
    return tag("div", {"class": "fx-button-wrap", "style": style(**declarations)}, control)


def _flex_image(component: dict, parent_layout: str, root: bool = False) -> Markup:
    ratio = RATIO.fullmatch(str(component.get("aspectRatio", "1:1")))
    size = length(component.get("size") or "md", IMAGE_SIZE)
    declarations = {
        **_flex_item_style(component, parent_layout),
        "aspect_ratio": f"{ratio.group(1)} / {ratio.group(2)}" if ratio else "1 / 1",
        "width": size,
        "max_width": "100%",
        "background_color": color(component.get("backgroundColor")),
        "align_self": {"start": "flex-start", "end": "flex-end"}.get(component.get("align", ""), "center"),
    }
    picture = tag("img", {"src": image_url(component.get("url")), "alt": "", "loading": "lazy",
                          "referrerpolicy": "no-referrer",
                          "style": style(object_fit="cover" if component.get("aspectMode") == "cover" else "contain")})
    if isinstance(component.get("action"), dict):
        picture = area_control(component["action"], "fx-image-action", picture)
    return tag("div", {"class": "fx-image", "style": style(**declarations)}, picture)


def _flex_icon(component: dict, parent_layout: str, root: bool = False) -> Markup:
    size = length(component.get("size") or "md", ICON_SIZE)
    return tag("img", {"class": "fx-icon", "src": image_url(component.get("url")), "alt": "",
                       "style": style(width=size, height=size, margin_inline_start=length(component.get("margin"), SPACING))})


def _flex_separator(component: dict, parent_layout: str, root: bool = False) -> Markup:
    vertical = parent_layout != "vertical"
    margin = length(component.get("margin"), SPACING)
    return tag("div", {"class": "fx-separator fx-separator-v" if vertical else "fx-separator", "role": "separator",
                       "style": style(background_color=color(component.get("color")),
                                      margin_top=None if vertical else margin,
                                      margin_inline_start=margin if vertical else None)})


def _flex_filler(component: dict, parent_layout: str, root: bool = False) -> Markup:
    flex = component.get("flex") if isinstance(component.get("flex"), int) else 1
    return tag("div", {"class": "fx-filler", "style": style(flex=f"{flex} 1 0")})


def _flex_spacer(component: dict, parent_layout: str, root: bool = False) -> Markup:
    size = length(component.get("size") or "md", SPACING)
    return tag("div", {"class": "fx-spacer", "style": style(height=size, width=size, flex="0 0 auto")})


def _flex_video(component: dict, parent_layout: str, root: bool = False) -> Markup:
    alt = component.get("altContent")
    return flex_component(alt, parent_layout) if isinstance(alt, dict) else Markup("")


MESSAGE_RENDERERS = {
    "text": _text,
    "textV2": _text,
    "sticker": _sticker,
    "image": _image,
    "video": _media,
    "audio": _media,
    "location": _location,
    "imagemap": _imagemap,
    "template": _template,
    "flex": _flex,
}
TEMPLATE_RENDERERS = {
    "buttons": _buttons_card,
    "confirm": _confirm,
    "carousel": _carousel,
    "image_carousel": _image_carousel,
}
FLEX_RENDERERS = {
    "box": _box,
    "text": _flex_text,
    "button": _flex_button,
    "image": _flex_image,
    "icon": _flex_icon,
    "separator": _flex_separator,
    "filler": _flex_filler,
    "spacer": _flex_spacer,
    "video": _flex_video,
}


# -- what the resident sent ---------------------------------------------------------------


def render_sent(message: dict, content_url: str | None = None) -> Markup:
    """Render something the resident sent, on the right in LINE green."""
    kind = message.get("type")
    if kind == "image":
        picture = tag("img", {"src": content_url, "alt": "Photo you sent / 送った画像"})
        return tag("div", {"class": "bubble bubble-media"}, picture)
    if kind in ("sticker", "location"):
        return MESSAGE_RENDERERS[kind](message)
    return tag("div", {"class": "bubble bubble-text"}, message.get("text", ""))


# -- the page's timeline ---------------------------------------------------------------------


def _sent_row(bubble: Markup, at: float, tz: str, message_id: str | None = None) -> Markup:
    unsend = tag("button", {"type": "button", "class": "unsend", "data-unsend": message_id,
                            "title": "Unsend / 送信取消"}, "取消") if message_id else None
    return tag("div", {"class": "row row-resident", "data-message-id": message_id},
               tag("span", {"class": "sr-only"}, "You / あなた: "),
               tag("div", {"class": "row-meta"}, unsend, clock(at, tz)), bubble)


def _received_row(message: dict, at: float, tz: str) -> Markup:
    sender = (message.get("sender") or {}).get("name")
    return tag("div", {"class": "row row-bot"},
               tag("div", {"class": "avatar", "aria-hidden": "true"}),
               tag("div", {"class": "row-body"},
                   tag("span", {"class": "sr-only"}, "Bot / ボット: "),
                   tag("div", {"class": "sender"}, sender) if sender else None,
                   tag("div", {"class": "row-line"}, render_message(message), clock(at, tz))))


def render_entry(entry, tz: str = "Asia/Tokyo") -> Markup:  # noqa: ANN001 - a simulator.chats.Entry
    """The chat row for a timeline entry (empty for entries shown elsewhere)."""
    if entry.kind == "received":
        return _received_row(entry.message, entry.at, tz)
    if entry.kind == "sent":
        content_url = f"/simulator/content/{entry.message['id']}" if entry.message.get("type") == "image" else None
        return _sent_row(render_sent(entry.message, content_url), entry.at, tz, entry.message.get("id"))
    if entry.kind == "shown":
        return _sent_row(tag("div", {"class": "bubble bubble-text"}, entry.text), entry.at, tz)
    if entry.kind == "note":
        undelivered = tag("div", {"class": "undelivered"}, render_message(entry.message)) if entry.message else None
        return tag("div", {"class": "note" + (" note-error" if entry.message else "")},
                   tag("span", None, entry.text), undelivered)
    if entry.kind == "unsent":
        return tag("div", {"class": "note"}, "You unsent a message / メッセージの送信を取り消しました")
    return Markup("")


def entry_json(entry, tz: str = "Asia/Tokyo") -> dict:  # noqa: ANN001 - a simulator.chats.Entry
    """What the page needs to draw an entry."""
    data = {"seq": entry.seq, "kind": entry.kind, "userId": entry.user_id, "html": str(render_entry(entry, tz))}
    if entry.kind == "received":
        data["quickReply"] = str(quick_reply(entry.message))
    elif entry.kind == "loading":
        data["seconds"] = entry.data.get("seconds", 20)
    elif entry.kind == "unsent":
        data["messageId"] = entry.data.get("messageId")
    elif entry.kind == "webhook":
        event = entry.data.get("event", {})
        data["status"] = entry.data.get("status")
        data["eventType"] = event.get("type")
        if event.get("type") == "message":
            data["eventType"] += f" ({event['message']['type']})"
        data["event"] = json.dumps(event, ensure_ascii=False, indent=2)
    elif entry.kind == "violation":
        data["text"] = entry.text
    return data


def rich_menu(menu: dict) -> Markup:
    """The bot's rich menu: its image, with each tap area as a button over it."""
    size = menu.get("size") or {}
    width, height = size.get("width") or 2500, size.get("height") or 1686
    areas = []
    for area in menu.get("areas") or []:
        bounds = area.get("bounds") or {}
        action = area.get("action") or {}
        label = action.get("label") or action.get("text") or action.get("displayText") or action.get("data") or ""
        position = style(
            left=f"{100 * bounds.get('x', 0) / width:.3f}%", top=f"{100 * bounds.get('y', 0) / height:.3f}%",
            width=f"{100 * bounds.get('width', 0) / width:.3f}%", height=f"{100 * bounds.get('height', 0) / height:.3f}%",
        )
        css = "richmenu-area richmenu-tab" if action.get("type") == "richmenuswitch" else "richmenu-area"
        areas.append(action_control(action, tag("span", {"class": "richmenu-label"}, label), css=css,
                                    attrs={"style": position, "aria-label": label}))
    image = tag("img", {"src": f"/simulator/richmenu/{menu['richMenuId']}/image", "alt": menu.get("name", "")})
    panel = tag("div", {"class": "richmenu-panel", "id": "richmenu-panel", "hidden": not menu.get("selected"),
                        "style": style(aspect_ratio=f"{width} / {height}")}, image, areas)
    bar = tag("button", {"type": "button", "class": "richmenu-bar", "aria-controls": "richmenu-panel",
                         "aria-expanded": "true" if menu.get("selected") else "false"},
              menu.get("chatBarText") or "Menu", " ▾")
    return tag("div", {"class": "richmenu", "data-rich-menu-id": menu["richMenuId"]}, bar, panel)
