"""What the simulator page shows for each kind of message the bot sends."""
import json
from dataclasses import dataclass, field
from html.parser import HTMLParser

import pytest
from linebot.v3.messaging import (
    ButtonsTemplate,
    ConfirmTemplate,
    FlexBox,
    FlexBubble,
    FlexButton,
    FlexCarousel,
    FlexImage,
    FlexMessage,
    FlexSeparator,
    FlexText,
    MessageAction,
    PostbackAction,
    TemplateMessage,
    URIAction,
)

from bot.messaging.build import pick_date, postback, say, share_location, text
from simulator import render
from simulator.chats import Entry

# -- a small DOM, enough to ask what a resident would see ------------------------------------

VOID = {"img", "hr", "input", "br"}


@dataclass
class Node:
    tag: str
    attrs: dict
    children: list = field(default_factory=list)

    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)

    def all(self, tag: str | None = None, **attrs: str) -> list["Node"]:
        found = []
        for child in self.children:
            if isinstance(child, Node):
                if (tag is None or child.tag == tag) and all(
                    value in (child.attrs.get(key.replace("_", "-")) or "").split() or
                    child.attrs.get(key.replace("_", "-")) == value for key, value in attrs.items()
                ):
                    found.append(child)
                found += child.all(tag, **attrs)
        return found

    def one(self, tag: str | None = None, **attrs: str) -> "Node":
        [node] = self.all(tag, **attrs)
        return node


class _Builder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("root", {})
        self.stack = [self.root]

    def handle_starttag(self, tag, attrs):  # noqa: ANN001
        node = Node(tag, dict(attrs))
        self.stack[-1].children.append(node)
        if tag not in VOID:
            self.stack.append(node)

    def handle_endtag(self, tag):  # noqa: ANN001
        assert self.stack[-1].tag == tag, f"</{tag}> closes <{self.stack[-1].tag}>"
        self.stack.pop()

    def handle_data(self, data):  # noqa: ANN001
        self.stack[-1].children.append(data)


def dom(markup: str) -> Node:
    builder = _Builder()
    builder.feed(str(markup))
    builder.close()
    assert builder.stack == [builder.root], "unclosed elements"
    return builder.root


def tapped(node: Node) -> dict:
    """The action the page sends when this control is tapped."""
    return json.loads(node.attrs["data-action"])


# -- text and quick replies -------------------------------------------------------------------


def test_a_text_message_is_a_bubble_with_its_words_escaped():
    page = dom(render.render_message(text("ご用件は？\n<script>alert(1)</script>")))

    bubble = page.one("div", **{"class": "bubble-text"})
    assert bubble.text() == "ご用件は？\n<script>alert(1)</script>"
    assert page.all("script") == []


def test_quick_reply_chips_carry_their_actions():
    actions = [postback("相談する", "menu:consult"), say("メニュー"), share_location("位置情報を送る"),
               pick_date("日付を選ぶ", "events:date", "date", min="2025-04-01")]
    page = dom(render.quick_reply(text("選んでください", actions)))

    chips = page.all("button", **{"class": "chip"})
    assert [c.text() for c in chips] == ["相談する", "メニュー", "位置情報を送る", "日付を選ぶ"]
    assert [tapped(c) for c in chips] == actions
    assert chips[2].attrs["aria-haspopup"] == "dialog" and chips[3].attrs["aria-haspopup"] == "dialog"


def test_a_message_without_quick_reply_shows_no_chips():
    assert render.quick_reply(text("こんにちは")) == ""


# -- templates --------------------------------------------------------------------------------


def test_a_buttons_template_shows_title_text_and_a_button_per_action():
    message = TemplateMessage(alt_text="どなたのことですか", template=ButtonsTemplate(
        title="ご相談", text="どなたのことですか？",
        actions=[PostbackAction(label="ご本人", data="intake:who:self", displayText="本人です"),
                 MessageAction(label="家族", text="家族のことです"),
                 URIAction(label="くわしく", uri="https://www.city.iwaki.lg.jp/")],
    )).to_dict()
    page = dom(render.render_message(message))

    assert page.one(**{"class": "card-title"}).text() == "ご相談"
    assert page.one(**{"class": "card-text"}).text() == "どなたのことですか？"
    buttons = page.all("button", **{"class": "card-action"})
    assert [tapped(b)["type"] for b in buttons] == ["postback", "message"]
    link = page.one("a")
    assert (link.attrs["href"], link.attrs["target"], link.attrs["rel"]) == (
        "https://www.city.iwaki.lg.jp/", "_blank", "noopener noreferrer")


def test_a_confirm_template_shows_two_buttons_side_by_side():
    message = TemplateMessage(alt_text="確認", template=ConfirmTemplate(
        text="この内容で送りますか？",
        actions=[PostbackAction(label="はい", data="intake:confirm:yes"), PostbackAction(label="いいえ", data="intake:confirm:no")],
    )).to_dict()
    page = dom(render.render_message(message))

    row = page.one(**{"class": "card-actions-row"})
    assert [b.text() for b in row.all("button")] == ["はい", "いいえ"]
    assert tapped(row.all("button")[1])["data"] == "intake:confirm:no"


def test_a_template_carousel_shows_each_column():
    message = {"type": "template", "altText": "サロン", "template": {"type": "carousel", "columns": [
        {"text": "オレンジカフェ", "actions": [postback("申し込む", "events:signup:1")]},
        {"text": "体操教室", "actions": [postback("申し込む", "events:signup:2")]},
    ]}}
    page = dom(render.render_message(message))

    columns = page.one(**{"class": "carousel"}).all(**{"class": "carousel-item"})
    assert [c.one(**{"class": "card-text"}).text() for c in columns] == ["オレンジカフェ", "体操教室"]


# -- Flex -------------------------------------------------------------------------------------


def salon_bubble(number: int) -> FlexBubble:
    return FlexBubble(
        hero=FlexImage(url=f"https://example.com/salon{number}.jpg", size="full", aspectRatio="20:13", aspectMode="cover"),
        body=FlexBox(layout="vertical", spacing="sm", contents=[
            FlexText(text=f"サロン {number}", weight="bold", size="xl", wrap=True),
            FlexBox(layout="baseline", contents=[
                FlexText(text="日時", color="#aaaaaa", size="sm", flex=1),
                FlexText(text="5月10日 10:00", color="#666666", size="sm", flex=4),
            ]),
            FlexSeparator(margin="md"),
        ]),
        footer=FlexBox(layout="vertical", contents=[
            FlexButton(style="primary", action=PostbackAction(label="申し込む", data=f"events:signup:{number}", displayText="申し込む")),
            FlexButton(style="link", action=URIAction(label="地図", uri="https://example.com/map")),
        ]),
    )


def test_a_flex_bubble_shows_its_texts_images_separators_and_buttons():
    message = FlexMessage(alt_text="サロンのご案内", contents=salon_bubble(1)).to_dict()
    page = dom(render.render_message(message))

    bubble = page.one(**{"class": "fx-bubble"})
    assert [t.text() for t in bubble.all(**{"class": "fx-text"})] == ["サロン 1", "日時", "5月10日 10:00"]
    title = bubble.all(**{"class": "fx-text"})[0]
    assert "font-weight: bold" in title.attrs["style"] and "font-size: 22px" in title.attrs["style"]
    assert "fx-wrap" in title.attrs["class"]
    label = bubble.all(**{"class": "fx-text"})[1]
    assert "color: #aaaaaa" in label.attrs["style"] and "flex: 1 1 0" in label.attrs["style"]
    assert bubble.one("img").attrs["src"] == "https://example.com/salon1.jpg"
    assert "aspect-ratio: 20 / 13" in bubble.one(**{"class": "fx-image"}).attrs["style"]
    assert bubble.all(**{"class": "fx-separator"})
    primary = bubble.one("button", **{"class": "fx-button-primary"})
    assert primary.text() == "申し込む" and tapped(primary)["data"] == "events:signup:1"
    assert bubble.one("a", **{"class": "fx-button-link"}).attrs["href"] == "https://example.com/map"
    assert page.one(**{"class": "flex"}).attrs["title"] == "altText: サロンのご案内"


def test_a_flex_carousel_shows_every_bubble():
    message = FlexMessage(alt_text="サロン", contents=FlexCarousel(contents=[salon_bubble(1), salon_bubble(2)])).to_dict()
    page = dom(render.render_message(message))

    bubbles = page.one(**{"class": "carousel"}).all(**{"class": "fx-bubble"})
    assert [tapped(b.one("button"))["data"] for b in bubbles] == ["events:signup:1", "events:signup:2"]


def test_a_tappable_box_sends_its_action():
    box = {"type": "box", "layout": "vertical", "contents": [{"type": "text", "text": "詳しく"}],
           "action": {"type": "postback", "label": "詳しく", "data": "events:detail:3"}}
    page = dom(render.render_message({"type": "flex", "altText": "x", "contents": {"type": "bubble", "body": box}}))

    control = page.one(role="button")
    assert control.attrs["tabindex"] == "0"
    assert tapped(control)["data"] == "events:detail:3"


@pytest.mark.parametrize(
    "component",
    [
        {"type": "text", "text": "x", "color": "red; background: url(https://evil.example/)"},
        {"type": "box", "layout": "vertical", "contents": [], "backgroundColor": "#fff\" onmouseover=\"x"},
        {"type": "text", "text": "x", "size": "12px; position: fixed"},
    ],
)
def test_styles_only_take_values_shaped_like_lines(component):
    page = dom(render.render_message({"type": "flex", "altText": "x", "contents": {"type": "bubble", "body": {
        "type": "box", "layout": "vertical", "contents": [component]}}}))

    styles = " ".join(node.attrs.get("style") or "" for node in page.all())
    assert "evil" not in styles and "onmouseover" not in styles and "fixed" not in styles
    assert all("onmouseover" not in node.attrs for node in page.all())


def test_links_only_open_for_web_and_phone_addresses():
    page = dom(render.action_control({"type": "uri", "label": "開く", "uri": "javascript:alert(1)"}))

    assert page.all("a") == []
    assert "disabled" in page.one("button").attrs
    assert dom(render.action_control({"type": "uri", "label": "電話", "uri": "tel:0246-22-1111"})).one("a").attrs["href"] == "tel:0246-22-1111"


# -- other messages ---------------------------------------------------------------------------


def test_stickers_locations_and_images_from_the_bot():
    sticker = dom(render.render_message({"type": "sticker", "packageId": "11537", "stickerId": "52002734"}))
    unknown = dom(render.render_message({"type": "sticker", "packageId": "1", "stickerId": "2"}))
    place = dom(render.render_message({"type": "location", "title": "平地区保健福祉センター", "address": "いわき市平",
                                       "latitude": 37.05, "longitude": 140.88}))
    picture = dom(render.render_message({"type": "image", "originalContentUrl": "https://example.com/a.jpg",
                                         "previewImageUrl": "https://example.com/a-small.jpg"}))

    assert sticker.one(role="img").text() == "😊"
    assert unknown.one(role="img").attrs["aria-label"] == "Sticker 1/2"
    assert place.one(**{"class": "location-title"}).text() == "平地区保健福祉センター"
    assert picture.one("img").attrs["src"] == "https://example.com/a-small.jpg"


def test_an_unknown_message_type_shows_its_type_and_alt_text():
    page = dom(render.render_message({"type": "hologram", "altText": "未来のメッセージ"}))

    assert page.one(**{"class": "bubble-unknown"}).text() == "[hologram] 未来のメッセージ"


# -- the timeline and the rich menu ---------------------------------------------------------------


def test_a_photo_the_resident_sent_is_shown_from_the_simulators_content_store():
    entry = Entry(5, "sent", "Uhanako", 0.0, message={"type": "image", "id": "777"})

    row = dom(render.entry_json(entry)["html"])

    assert row.one("img").attrs["src"] == "/simulator/content/777"
    assert row.one(**{"class": "row-resident"}).attrs["data-message-id"] == "777"
    assert row.one("button", **{"class": "unsend"}).attrs["data-unsend"] == "777"


def test_a_received_entry_carries_its_chips_and_the_time_in_the_citys_zone():
    entry = Entry(6, "received", "Uhanako", 1_746_838_800.0, message=text("こんにちは", [say("はい")]))  # 01:00 UTC

    data = render.entry_json(entry, "Asia/Tokyo")

    assert dom(data["html"]).one("time").text() == "10:00"
    assert [c.text() for c in dom(data["quickReply"]).all("button")] == ["はい"]


def test_a_webhook_entry_shows_the_event_as_sent():
    event = {"type": "message", "message": {"type": "text", "text": "こんにちは"}}
    entry = Entry(7, "webhook", "Uhanako", 0.0, data={"event": event, "status": 200})

    data = render.entry_json(entry)

    assert (data["status"], data["eventType"]) == (200, "message (text)")
    assert json.loads(data["event"]) == event
    assert data["html"] == ""


def test_the_rich_menu_places_each_area_over_its_image():
    menu = {"richMenuId": "richmenu-1", "size": {"width": 2500, "height": 843}, "selected": True,
            "name": "main", "chatBarText": "メニュー", "areas": [
                {"bounds": {"x": 0, "y": 0, "width": 1250, "height": 843},
                 "action": {"type": "postback", "label": "相談する", "data": "menu:consult"}},
                {"bounds": {"x": 1250, "y": 0, "width": 1250, "height": 843},
                 "action": {"type": "message", "label": "イベント", "text": "イベント"}},
            ]}
    page = dom(render.rich_menu(menu))

    assert page.one("img").attrs["src"] == "/simulator/richmenu/richmenu-1/image"
    areas = page.all("button", **{"class": "richmenu-area"})
    assert [tapped(a)["type"] for a in areas] == ["postback", "message"]
    assert "left: 50.000%" in areas[1].attrs["style"] and "width: 50.000%" in areas[1].attrs["style"]
    assert areas[0].attrs["aria-label"] == "相談する"
    assert page.one(**{"class": "richmenu-bar"}).text() == "メニュー ▾"
