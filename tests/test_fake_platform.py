"""The fake LINE platform: LINE's rules for tokens, retries and blocked users, and its judge of request bodies."""
import json
import subprocess
import sys
import textwrap
import time
import uuid
from contextlib import contextmanager
from pathlib import Path

import pytest
import urllib3
from linebot.v3.messaging import (
    ApiClient,
    ApiException,
    Configuration,
    MessageAction,
    MessagingApi,
    MessagingApiBlob,
    PushMessageRequest,
    QuickReply,
    QuickReplyItem,
    ReplyMessageRequest,
    RichMenuArea,
    RichMenuBounds,
    RichMenuRequest,
    RichMenuSize,
    ShowLoadingAnimationRequest,
    TextMessage,
)

from simulator.platform import LinePlatform, serve

TOKEN = "test-channel-access-token"
HANAKO = "U" + "1" * 32


class FakeClock:
    def __init__(self, now=1_750_000_000.0):
        self.now = now

    def __call__(self):
        return self.now

    def advance(self, seconds):
        self.now += seconds


@pytest.fixture
def clock():
    return FakeClock()


@pytest.fixture
def platform(clock, judged_platforms):
    platform = LinePlatform(TOKEN, clock=clock, timeout_delay=2.0)
    platform.set_profile(HANAKO, "山田花子")
    judged_platforms.append(platform)
    return platform


@pytest.fixture
def server(platform):
    with serve(platform) as running:
        yield running


@contextmanager
def sdk_client(url, token=TOKEN):
    with ApiClient(Configuration(host=url, access_token=token)) as client:
        yield client
        # ApiClient.close() only stops its thread pool; urllib3 keeps the sockets.
        client.rest_client.pool_manager.clear()


@pytest.fixture
def api_client(server):
    with sdk_client(server.url) as client:
        yield client


@pytest.fixture
def api(api_client):
    return MessagingApi(api_client)


def say(text):
    return [TextMessage(text=text)]


def error_body(excinfo):
    return json.loads(excinfo.value.body)


def test_reply_token_works_once(platform, api):
    token = platform.issue_reply_token(HANAKO)

    response = api.reply_message(ReplyMessageRequest(reply_token=token, messages=say("こんにちは")))
    with pytest.raises(ApiException) as excinfo:
        api.reply_message(ReplyMessageRequest(reply_token=token, messages=say("もう一度")))

    assert len(response.sent_messages) == 1
    assert excinfo.value.status == 400
    assert error_body(excinfo) == {"message": "Invalid reply token"}
    assert excinfo.value.headers["x-line-request-id"]
    assert platform.texts_to(HANAKO) == ["こんにちは"]
    assert platform.sent[0].kind == "reply"
    assert platform.violations == ["POST /v2/bot/message/reply -> 400 Invalid reply token"]


def test_reply_token_expires(platform, api, clock):
    token = platform.issue_reply_token(HANAKO)
    clock.advance(61)

    with pytest.raises(ApiException) as excinfo:
        api.reply_message(ReplyMessageRequest(reply_token=token, messages=say("遅れました")))

    assert excinfo.value.status == 400
    assert platform.messages_to(HANAKO) == []


def test_unknown_reply_token_is_refused(platform, api):
    with pytest.raises(ApiException) as excinfo:
        api.reply_message(ReplyMessageRequest(reply_token="made-up", messages=say("はい")))

    assert excinfo.value.status == 400


def test_push_with_a_reused_retry_key_is_delivered_once(platform, api):
    retry_key = str(uuid.uuid4())
    request = PushMessageRequest(to=HANAKO, messages=say("予約を受け付けました"))

    first = api.push_message_with_http_info(request, x_line_retry_key=retry_key)
    with pytest.raises(ApiException) as excinfo:
        api.push_message(request, x_line_retry_key=retry_key)

    assert excinfo.value.status == 409
    assert error_body(excinfo)["message"] == "The retry key is already accepted"
    assert excinfo.value.headers["x-line-accepted-request-id"] == first.headers["x-line-request-id"]
    assert platform.texts_to(HANAKO) == ["予約を受け付けました"]
    assert platform.sent[0].retry_key == retry_key
    assert platform.violations == []


def test_retry_key_is_forgotten_after_a_day(platform, api, clock):
    retry_key = str(uuid.uuid4())
    request = PushMessageRequest(to=HANAKO, messages=say("お知らせ"))
    api.push_message(request, x_line_retry_key=retry_key)
    clock.advance(24 * 60 * 60 + 1)

    api.push_message(request, x_line_retry_key=retry_key)

    assert platform.texts_to(HANAKO) == ["お知らせ", "お知らせ"]


def test_retry_key_must_be_a_uuid(platform, api):
    with pytest.raises(ApiException) as excinfo:
        api.push_message(PushMessageRequest(to=HANAKO, messages=say("はい")), x_line_retry_key="attempt-1")

    assert excinfo.value.status == 400
    assert platform.messages_to(HANAKO) == []


def test_injected_failures_come_first_then_success(platform, api):
    platform.inject_failures("/message/push", 500, 429)
    request = PushMessageRequest(to=HANAKO, messages=say("再送します"))
    retry_key = str(uuid.uuid4())

    statuses = []
    for _ in range(2):
        with pytest.raises(ApiException) as excinfo:
            api.push_message(request, x_line_retry_key=retry_key)
        statuses.append(excinfo.value.status)
    api.push_message(request, x_line_retry_key=retry_key)

    assert statuses == [500, 429]
    assert platform.texts_to(HANAKO) == ["再送します"]
    assert platform.violations == []


def test_timeout_does_not_deliver(platform, api):
    platform.inject_failures("/message/push", "timeout")
    request = PushMessageRequest(to=HANAKO, messages=say("届きません"))

    started = time.monotonic()
    with pytest.raises(urllib3.exceptions.TimeoutError):
        api.push_message(request, x_line_retry_key=str(uuid.uuid4()), _request_timeout=0.5)

    assert time.monotonic() - started < 1.5
    assert platform.messages_to(HANAKO) == []


def test_timeout_after_delivery_then_retry_gets_409(platform, api):
    platform.inject_failures("/message/push", "timeout_after_delivery")
    request = PushMessageRequest(to=HANAKO, messages=say("一度だけ"))
    retry_key = str(uuid.uuid4())

    with pytest.raises(urllib3.exceptions.TimeoutError):
        api.push_message(request, x_line_retry_key=retry_key, _request_timeout=0.5)
    with pytest.raises(ApiException) as excinfo:
        api.push_message(request, x_line_retry_key=retry_key)

    assert excinfo.value.status == 409
    assert platform.texts_to(HANAKO) == ["一度だけ"]


def test_wrong_access_token_is_refused(platform, server):
    with sdk_client(server.url, token="stolen") as client:
        with pytest.raises(ApiException) as excinfo:
            MessagingApi(client).push_message(PushMessageRequest(to=HANAKO, messages=say("はい")))

    assert excinfo.value.status == 401
    assert platform.messages_to(HANAKO) == []
    assert platform.violations[0].startswith("POST /v2/bot/message/push -> 401 Authentication failed")


@pytest.mark.invalid_bodies
def test_invalid_message_is_refused_and_recorded(platform, api):
    item = QuickReplyItem(action=MessageAction(label="はい", text="はい"))
    message = TextMessage(text="どれにしますか", quick_reply=QuickReply(items=[item]))
    # The SDK refuses 14 items when the model is built; appending slips past
    # it, as a dict sent with from_dict-less code would.
    message.quick_reply.items.extend([item] * 13)

    with pytest.raises(ApiException) as excinfo:
        api.push_message(PushMessageRequest(to=HANAKO, messages=[message]))

    assert excinfo.value.status == 400
    assert error_body(excinfo) == {
        "message": "The request body has 1 error(s)",
        "details": [{"message": "QuickReply.items: ensure this value has at most 13 items", "property": "messages[0]"}],
    }
    assert platform.messages_to(HANAKO) == []
    assert platform.invalid_bodies == platform.violations
    assert "messages[0]: QuickReply.items: ensure this value has at most 13 items" in platform.violations[0]


def test_push_to_a_user_who_blocked_is_accepted_but_not_delivered(platform, api):
    platform.block(HANAKO)

    api.push_message(PushMessageRequest(to=HANAKO, messages=say("お元気ですか")))

    assert platform.messages_to(HANAKO) == []
    assert [d.to for d in platform.dropped] == [HANAKO]
    assert platform.violations == []


def test_profile(platform, api):
    profile = api.get_profile(HANAKO)

    assert (profile.display_name, profile.user_id, profile.language) == ("山田花子", HANAKO, "ja")
    with pytest.raises(ApiException) as excinfo:
        api.get_profile("U" + "9" * 32)
    assert excinfo.value.status == 404


@pytest.mark.invalid_bodies
def test_loading_animation(platform, api):
    api.show_loading_animation(ShowLoadingAnimationRequest(chat_id=HANAKO, loading_seconds=10))
    with pytest.raises(ApiException) as excinfo:
        api.show_loading_animation(ShowLoadingAnimationRequest(chat_id=HANAKO, loading_seconds=7))

    assert excinfo.value.status == 400
    assert [(a.chat_id, a.seconds) for a in platform.loading_animations] == [(HANAKO, 10)]
    assert "loadingSeconds: 7 is not a multiple of 5" in platform.invalid_bodies[0]


def test_message_content(platform, api_client):
    platform.set_content("100001", b"\x89PNG...", "image/png")
    blob = MessagingApiBlob(api_client)

    assert bytes(blob.get_message_content("100001")) == b"\x89PNG..."
    with pytest.raises(ApiException) as excinfo:
        blob.get_message_content("100002")
    assert excinfo.value.status == 404


def test_rich_menu_lifecycle(platform, api, api_client):
    menu = RichMenuRequest(
        size=RichMenuSize(width=2500, height=843),
        selected=True,
        name="main",
        chat_bar_text="メニュー",
        areas=[RichMenuArea(bounds=RichMenuBounds(x=0, y=0, width=1250, height=843), action=MessageAction(label="相談", text="相談"))],
    )
    rich_menu_id = api.create_rich_menu(menu).rich_menu_id

    with pytest.raises(ApiException) as excinfo:
        api.set_default_rich_menu(rich_menu_id)  # no image yet
    MessagingApiBlob(api_client).set_rich_menu_image(rich_menu_id, b"\x89PNG", _headers={"Content-Type": "image/png"})
    api.set_default_rich_menu(rich_menu_id)

    assert excinfo.value.status == 400
    assert [m.rich_menu_id for m in api.get_rich_menu_list().richmenus] == [rich_menu_id]
    assert platform.default_rich_menu_id == rich_menu_id
    api.delete_rich_menu(rich_menu_id)
    assert platform.rich_menus == {} and platform.default_rich_menu_id is None


def test_unknown_path_is_json_404(platform, api_client):
    with pytest.raises(ApiException) as excinfo:
        api_client.call_api("/v2/bot/no/such/thing", "GET", auth_settings=["Bearer"], response_types_map={})

    assert excinfo.value.status == 404
    assert error_body(excinfo) == {"message": "Not found"}


# -- LINE's schema judges every body ------------------------------------------------


def post(url, path, body):
    """Send a JSON body straight to the platform, as a bot that builds its own dicts would."""
    response = urllib3.request("POST", url + path, json=body, headers={"Authorization": f"Bearer {TOKEN}"})
    return response.status, response.json()


def quick_reply(*actions):
    return {"items": [{"type": "action", "action": action} for action in actions]}


def pushed(*messages):
    return {"to": HANAKO, "messages": list(messages)}


TEXT = {"type": "text", "text": "ご用件を選んでください。"}
CONSULT = {"type": "postback", "label": "相談する", "data": "menu:consult", "displayText": "相談する"}


def flex_button(**button):
    body = {"type": "box", "layout": "vertical",
            "contents": [{"type": "button", "action": {"type": "message", "label": "はい", "text": "はい"}, **button}]}
    return {"type": "flex", "altText": "確認", "contents": {"type": "bubble", "body": body}}


REFUSED = {
    "an unknown field": (pushed({**TEXT, "colour": "red"}), "messages[0].colour",
                         "not a property of LINE's schema"),
    "an unknown field in an action": (pushed({**TEXT, "quickReply": quick_reply({**CONSULT, "style": "bold"})}),
                                      "messages[0].quickReply.items[0].action.style", "not a property"),
    "an unknown message type": (pushed({"type": "note", "text": "はい"}), "messages[0]", "refused by LINE's schema"),
    "a wrong button style": (pushed(flex_button(style="loud")), "messages[0]",
                             "FlexButton.style: must be one of enum values ('primary', 'secondary', 'link')"),
    "a wrong input option": (pushed({**TEXT, "quickReply": quick_reply({**CONSULT, "inputOption": "openMenu"})}),
                             "messages[0]", "PostbackAction.inputOption: must be one of enum values"),
    "a number for a text": (pushed({"type": "text", "text": 110}), "messages[0]", "TextMessage.text: str type expected"),
    "a text too long": (pushed({"type": "text", "text": "あ" * 5001}), "messages[0].text",
                        "5001 UTF-16 code units, at most 5000"),
    "an emoji counted as two": (pushed({"type": "text", "text": "あ" * 4999 + "🍎"}), "messages[0].text",
                                "5001 UTF-16 code units"),
    "an empty text": (pushed({"type": "text", "text": ""}), "messages[0].text", "may not be empty"),
    "too many messages": (pushed(*[TEXT] * 6), "messages", "ensure this value has at most 5 items"),
    "no messages": (pushed(), "messages", "ensure this value has at least 1 items"),
    "a quick-reply label too long": (pushed({**TEXT, "quickReply": quick_reply({**CONSULT, "label": "あ" * 21})}),
                                     "messages[0].quickReply.items[0].action.label",
                                     "21 grapheme clusters, at most 20"),
    "a quick reply without its label": (pushed({**TEXT, "quickReply": quick_reply({"type": "location"})}),
                                        "messages[0].quickReply.items[0].action.label", "may not be empty"),
    "a display text too long": (pushed({**TEXT, "quickReply": quick_reply({**CONSULT, "displayText": "あ" * 301})}),
                                "messages[0].quickReply.items[0].action.displayText", "at most 300"),
    "postback data too long": (pushed({**TEXT, "quickReply": quick_reply({**CONSULT, "data": "x" * 301})}),
                               "messages[0]", "PostbackAction.data: ensure this value has at most 300 characters"),
    "a date picker out of LINE's range": (
        pushed({**TEXT, "quickReply": quick_reply({"type": "datetimepicker", "label": "日付", "data": "date",
                                                   "mode": "date", "min": "1899-12-31"})}),
        "messages[0].quickReply.items[0].action.min", "is not a date from 1900-01-01 to 2100-12-31"),
    "a camera button outside quick replies": (
        pushed({"type": "template", "altText": "写真", "template": {
            "type": "buttons", "text": "写真を送ってください",
            "actions": [{"type": "camera", "label": "カメラ"}]}}),
        "messages[0].template.actions[0].type", "available in quick replies only"),
    "an alt text too long": (pushed({**flex_button(), "altText": "あ" * 1501}), "messages[0].altText", "at most 1500"),
    "a sender name too long": (pushed({**TEXT, "sender": {"name": "あ" * 21}}), "messages[0]",
                               "Sender.name: ensure this value has at most 20 characters"),
    "a push without its recipient": ({"messages": [TEXT]}, "to", "none is not an allowed value"),
}


@pytest.mark.invalid_bodies
@pytest.mark.parametrize("body, where, reason", REFUSED.values(), ids=REFUSED.keys())
def test_line_schema_refuses(platform, server, body, where, reason):
    status, answer = post(server.url, "/v2/bot/message/push", body)

    assert status == 400
    assert answer["message"].startswith("The request body has")
    assert any(detail["property"] == where and reason in detail["message"] for detail in answer["details"]), answer
    assert platform.messages_to(HANAKO) == []
    assert len(platform.invalid_bodies) == 1 and where in platform.invalid_bodies[0]


@pytest.mark.invalid_bodies
def test_line_schema_refuses_a_rich_menu_lines_docs_forbid(platform, server):
    menu = {"size": {"width": 2500, "height": 2000}, "selected": True, "name": "main", "chatBarText": "メニュー",
            "areas": [{"bounds": {"x": 0, "y": 0, "width": 2500}, "action": {**CONSULT, "label": "あ" * 21}}]}

    status, answer = post(server.url, "/v2/bot/richmenu", menu)

    assert status == 400
    assert [detail["property"] for detail in answer["details"]] == [
        "size", "areas[0].bounds.height", "areas[0].action.label"]
    assert platform.rich_menus == {}


def test_line_schema_takes_what_line_documents(platform, server):
    label = "👋🏻" * 20  # 20 grapheme clusters, 80 UTF-16 code units: LINE counts labels in graphemes
    message = {
        "type": "text", "text": "あ" * 4998 + "🍎",
        "quickReply": quick_reply(
            {**CONSULT, "label": label},
            {"type": "message", "label": "はい", "text": "はい"},
            {"type": "datetimepicker", "label": "日付を選ぶ", "data": "events:date", "mode": "date",
             "initial": "2026-05-01", "min": "2026-04-01", "max": "2027-03-31"},
            {"type": "cameraRoll", "label": "写真を選ぶ"},
            {"type": "location", "label": "位置情報を送る"},
            {"type": "uri", "label": "電話する", "uri": "tel:0246-22-1111"},
        ),
        "sender": None,  # left out by the SDK's to_dict(): not a difference
    }
    buttons = {"type": "template", "altText": "ご用件", "template": {
        "type": "buttons", "title": "ご用件", "text": "あ" * 60,
        "actions": [CONSULT, {"type": "uri", "label": "ホームページ", "uri": "https://www.city.example.jp/"}]}}

    status, _ = post(server.url, "/v2/bot/message/push", pushed(message, buttons, flex_button(style="primary")))

    assert status == 200
    assert platform.invalid_bodies == [] and len(platform.messages_to(HANAKO)) == 3


def test_a_refused_body_fails_the_test_that_sent_it(tmp_path):
    root = Path(__file__).resolve().parent.parent
    (tmp_path / "test_sender.py").write_text(textwrap.dedent('''
        import urllib3

        from tests.conftest import ACCESS_TOKEN


        def test_sends_an_unknown_field(line):
            body = {"to": "U" + "1" * 32, "messages": [{"type": "text", "text": "はい", "colour": "red"}]}
            response = urllib3.request("POST", line.url + "/v2/bot/message/push", json=body,
                                       headers={"Authorization": f"Bearer {ACCESS_TOKEN}"})
            assert response.status == 400
    '''))

    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "tests.conftest",
         "--rootdir", str(root), str(tmp_path / "test_sender.py")],
        cwd=root, capture_output=True, text=True, timeout=120,
    )

    assert "1 passed, 1 error" in run.stdout, run.stdout + run.stderr
    assert "LINE would refuse these request bodies" in run.stdout
    assert "messages[0].colour: not a property of LINE's schema" in run.stdout
