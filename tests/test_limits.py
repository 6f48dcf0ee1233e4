import pytest
from linebot.v3.messaging import (
    ButtonsTemplate,
    MessageAction,
    PostbackAction,
    QuickReply,
    QuickReplyItem,
    TemplateMessage,
    TextMessage,
)

from bot.messaging.limits import MessageLimitError, find_errors, utf16_len, validate_messages


def text(body="はい"):
    return {"type": "text", "text": body}


def with_quick_replies(count, label="相談する"):
    items = [{"type": "action", "action": {"type": "message", "label": label, "text": "相談"}}] * count
    return {**text(), "quickReply": {"items": items}}


def postback(**fields):
    return {"type": "postback", "label": "申し込む", "data": "flow=salon", **fields}


def buttons(**fields):
    template = {"type": "buttons", "text": "ご用件を選んでください", "actions": [postback()], **fields}
    return {"type": "template", "altText": "ご用件", "template": template}


def confirm(actions):
    template = {"type": "confirm", "text": "予約しますか?", "actions": actions}
    return {"type": "template", "altText": "確認", "template": template}


def with_action(action):
    return {**text(), "quickReply": {"items": [{"type": "action", "action": action}]}}


def image(url="https://example.jp/a.png"):
    return {"type": "image", "originalContentUrl": url, "previewImageUrl": url}


def location(**fields):
    return {"type": "location", "title": "市役所", "address": "本町1-1", "latitude": 35.0, "longitude": 139.0, **fields}


def flex(contents, alt_text="お知らせ"):
    return {"type": "flex", "altText": alt_text, "contents": contents}


BUBBLE = {"type": "bubble", "body": {"type": "box", "layout": "vertical", "contents": []}}

VALID = {
    "one text": [text()],
    "five messages": [text()] * 5,
    "5000 characters": [text("あ" * 5000)],
    "2500 emoji are 5000 UTF-16 units": [text("😀" * 2500)],
    "13 quick replies": [with_quick_replies(13)],
    "20-character label": [with_quick_replies(1, label="a" * 20)],
    "postback data of 300": [with_action(postback(data="d" * 300))],
    "postback displayText of 300": [with_action(postback(displayText="d" * 300))],
    "message text of 300": [with_action({"type": "message", "label": "はい", "text": "t" * 300})],
    "uri of 1000": [with_action({"type": "uri", "label": "地図", "uri": "https://example.jp/" + "a" * 981})],
    "tel uri": [with_action({"type": "uri", "label": "電話", "uri": "tel:0312345678"})],
    "datetimepicker": [with_action({"type": "datetimepicker", "label": "日付", "data": "d", "mode": "date"})],
    "camera": [with_action({"type": "camera", "label": "写真を撮る"})],
    "buttons with 4 actions": [buttons(actions=[postback()] * 4)],
    "buttons text of 160": [buttons(text="t" * 160)],
    "buttons with title, text of 60": [buttons(title="t" * 40, text="t" * 60)],
    "confirm": [confirm([postback(), postback()])],
    "confirm text of 240": [{**confirm([postback()] * 2), "template": {**confirm([postback()] * 2)["template"], "text": "t" * 240}}],
    "template altText of 400": [{**buttons(), "altText": "a" * 400}],
    "carousel of 10": [{"type": "template", "altText": "一覧", "template": {"type": "carousel", "columns": [{"text": "サロン", "actions": [postback()]}] * 10}}],
    "flex bubble": [flex(BUBBLE)],
    "flex altText of 1500": [flex(BUBBLE, alt_text="a" * 1500)],
    "flex carousel of 12": [flex({"type": "carousel", "contents": [BUBBLE] * 12})],
    "image": [image()],
    "image url of 2000": [image("https://example.jp/" + "a" * 1981)],
    "sticker": [{"type": "sticker", "packageId": "446", "stickerId": "1988"}],
    "location": [location()],
    "location title of 100": [location(title="t" * 100)],
}

INVALID = {
    "no messages": ([], "messages", "0 messages, at least 1"),
    "six messages": ([text()] * 6, "messages", "6 messages, at most 5"),
    "empty text": ([text("")], "messages[0].text", "must not be empty"),
    "5001 characters": ([text("あ" * 5001)], "messages[0].text", "5001 characters, at most 5000"),
    "2501 emoji": ([text("😀" * 2501)], "messages[0].text", "5002 characters, at most 5000"),
    "missing text": ([{"type": "text"}], "messages[0].text", "required"),
    "unknown type": ([{"type": "poll"}], "messages[0].type", "unknown message type 'poll'"),
    "not an object": (["はい"], "messages[0]", "must be an object"),
    "14 quick replies": ([text(), with_quick_replies(14)], "messages[1].quickReply.items", "14 items, at most 13"),
    "no quick replies": ([with_quick_replies(0)], "messages[0].quickReply.items", "0 items, at least 1"),
    "21-character label": ([with_quick_replies(1, label="a" * 21)], "messages[0].quickReply.items[0].action.label", "21 characters, at most 20"),
    "quick reply without label": ([with_action({"type": "message", "text": "はい"})], "messages[0].quickReply.items[0].action.label", "required"),
    "postback data of 301": ([with_action(postback(data="d" * 301))], "messages[0].quickReply.items[0].action.data", "301 characters, at most 300"),
    "postback displayText of 301": ([with_action(postback(displayText="d" * 301))], "messages[0].quickReply.items[0].action.displayText", "301 characters, at most 300"),
    "message text of 301": ([with_action({"type": "message", "label": "はい", "text": "t" * 301})], "messages[0].quickReply.items[0].action.text", "301 characters, at most 300"),
    "uri of 1001": ([with_action({"type": "uri", "label": "地図", "uri": "https://example.jp/" + "a" * 982})], "messages[0].quickReply.items[0].action.uri", "1001 characters, at most 1000"),
    "javascript uri": ([with_action({"type": "uri", "label": "x", "uri": "javascript:alert(1)"})], "messages[0].quickReply.items[0].action.uri", "must be a http or https or line or tel URL"),
    "datetimepicker mode": ([with_action({"type": "datetimepicker", "label": "日付", "data": "d", "mode": "week"})], "messages[0].quickReply.items[0].action.mode", "'week' is not one of date, time, datetime"),
    "unknown action": ([with_action({"type": "call", "label": "x"})], "messages[0].quickReply.items[0].action.type", "unknown action type 'call'"),
    "buttons with 5 actions": ([buttons(actions=[postback()] * 5)], "messages[0].template.actions", "5 actions, at most 4"),
    "buttons text of 161": ([buttons(text="t" * 161)], "messages[0].template.text", "161 characters, at most 160"),
    "buttons with title, text of 61": ([buttons(title="t", text="t" * 61)], "messages[0].template.text", "61 characters, at most 60"),
    "buttons with image, text of 61": ([buttons(thumbnailImageUrl="https://example.jp/a.png", text="t" * 61)], "messages[0].template.text", "61 characters, at most 60"),
    "buttons title of 41": ([buttons(title="t" * 41)], "messages[0].template.title", "41 characters, at most 40"),
    "template altText of 401": ([{**buttons(), "altText": "a" * 401}], "messages[0].altText", "401 characters, at most 400"),
    "confirm with 3 actions": ([confirm([postback()] * 3)], "messages[0].template.actions", "3 actions, exactly 2"),
    "confirm with 1 action": ([confirm([postback()])], "messages[0].template.actions", "1 actions, exactly 2"),
    "confirm text of 241": ([{"type": "template", "altText": "確認", "template": {"type": "confirm", "text": "t" * 241, "actions": [postback()] * 2}}], "messages[0].template.text", "241 characters, at most 240"),
    "carousel of 11": ([{"type": "template", "altText": "一覧", "template": {"type": "carousel", "columns": [{"text": "サロン", "actions": [postback()]}] * 11}}], "messages[0].template.columns", "11 columns, at most 10"),
    "unknown template": ([{"type": "template", "altText": "x", "template": {"type": "list"}}], "messages[0].template.type", "unknown template type 'list'"),
    "flex altText of 1501": ([flex(BUBBLE, alt_text="a" * 1501)], "messages[0].altText", "1501 characters, at most 1500"),
    "flex carousel of 13": ([flex({"type": "carousel", "contents": [BUBBLE] * 13})], "messages[0].contents.contents", "13 bubbles, at most 12"),
    "flex without contents": ([{"type": "flex", "altText": "x"}], "messages[0].contents.type", "None is not one of bubble, carousel"),
    "http image": ([image("http://example.jp/a.png")], "messages[0].originalContentUrl", "must be a https URL"),
    "image url of 2001": ([image("https://example.jp/" + "a" * 1982)], "messages[0].originalContentUrl", "2001 characters, at most 2000"),
    "sticker without stickerId": ([{"type": "sticker", "packageId": "446"}], "messages[0].stickerId", "required"),
    "location title of 101": ([location(title="t" * 101)], "messages[0].title", "101 characters, at most 100"),
    "location address of 101": ([location(address="a" * 101)], "messages[0].address", "101 characters, at most 100"),
    "location without latitude": ([location(latitude=None)], "messages[0].latitude", "required"),
}


@pytest.mark.parametrize("messages", VALID.values(), ids=VALID.keys())
def test_valid_messages_pass(messages):
    validate_messages(messages)


@pytest.mark.parametrize(("messages", "path", "reason"), INVALID.values(), ids=INVALID.keys())
def test_invalid_messages_name_the_field(messages, path, reason):
    with pytest.raises(MessageLimitError) as excinfo:
        validate_messages(messages)
    assert (excinfo.value.path, excinfo.value.reason) == (path, reason)
    assert str(excinfo.value) == f"{path}: {reason}"


@pytest.mark.parametrize(
    ("text", "units"),
    [("", 0), ("abc", 3), ("相談です", 4), ("😀", 2), ("☎", 1), ("👨‍👩‍👧", 8), ("a\r\nb", 4)],
)
def test_utf16_len_counts_code_units(text, units):
    assert utf16_len(text) == units


def test_sdk_models_validate_as_dicts():
    reply = TextMessage(
        text="ご相談の内容を選んでください",
        quick_reply=QuickReply(items=[QuickReplyItem(action=MessageAction(label="生活のこと", text="生活"))]),
    )
    menu = TemplateMessage(
        alt_text="ご用件",
        template=ButtonsTemplate(text="ご用件", actions=[PostbackAction(label="予約", data="flow=salon")]),
    )
    validate_messages([reply.to_dict(), menu.to_dict()])


def test_every_error_is_reported():
    errors = find_errors([text(""), with_quick_replies(14, label="a" * 21)])
    paths = [error.path for error in errors]
    assert paths[:2] == ["messages[0].text", "messages[1].quickReply.items"]
    assert paths.count("messages[1].quickReply.items[13].action.label") == 1
    assert len(errors) == 16
