import json
import time
import uuid
from contextlib import contextmanager

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
def platform(clock):
    platform = LinePlatform(TOKEN, clock=clock, timeout_delay=2.0)
    platform.set_profile(HANAKO, "山田花子")
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
        "details": [{"message": "14 items, at most 13", "property": "messages[0].quickReply.items"}],
    }
    assert platform.messages_to(HANAKO) == []
    assert "messages[0].quickReply.items: 14 items, at most 13" in platform.violations[0]


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


def test_loading_animation(platform, api):
    api.show_loading_animation(ShowLoadingAnimationRequest(chat_id=HANAKO, loading_seconds=10))
    with pytest.raises(ApiException) as excinfo:
        api.show_loading_animation(ShowLoadingAnimationRequest(chat_id=HANAKO, loading_seconds=7))

    assert excinfo.value.status == 400
    assert [(a.chat_id, a.seconds) for a in platform.loading_animations] == [(HANAKO, 10)]


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
