"""The simulator's webhook events look, and are signed, exactly as LINE's."""
import json
import time

import pytest
from linebot.v3 import WebhookParser
from linebot.v3.exceptions import InvalidSignatureError
from linebot.v3.webhooks import (
    FollowEvent,
    ImageMessageContent,
    LocationMessageContent,
    MessageEvent,
    PostbackEvent,
    StickerMessageContent,
    TextMessageContent,
    UnfollowEvent,
    UnsendEvent,
)

from simulator import events
from simulator.render import STICKERS

SECRET = "simulator-channel-secret"
HANAKO = "U" + "a" * 32
BOT = "U" + "b" * 32


def delivered(*sent: dict, secret: str = SECRET) -> list:
    """Parse a delivery as the bot does: the SDK checks the signature, then builds typed events."""
    body = events.webhook_body(BOT, list(sent))
    return WebhookParser(secret).parse(body.decode(), events.signature(body, SECRET))


def test_typed_words_arrive_as_a_text_message_with_reply_token():
    [event] = delivered(events.text_message(HANAKO, "相談したいです", "token-1"))

    assert isinstance(event, MessageEvent)
    assert isinstance(event.message, TextMessageContent)
    assert event.message.text == "相談したいです"
    assert event.reply_token == "token-1"
    assert event.source.user_id == HANAKO
    assert event.mode.value == "active"
    assert event.delivery_context.is_redelivery is False
    assert event.message.quote_token and event.message.id.isdigit()


def test_every_kind_of_event_parses_as_the_sdk_expects():
    sticker = STICKERS[1]
    parsed = delivered(
        events.sticker_message(HANAKO, sticker, "t1"),
        events.image_message(HANAKO, "123456", "t2"),
        events.location_message(HANAKO, 37.05, 140.88, "t3", title="平", address="いわき市平"),
        events.postback(HANAKO, "events:date", "t4", {"date": "2025-05-10"}),
        events.follow(HANAKO, "t5", unblocked=True),
        events.unfollow(HANAKO),
        events.unsend(HANAKO, "123456"),
    )

    sticker_event, image, location, postback, follow, unfollow, unsend = parsed
    assert isinstance(sticker_event.message, StickerMessageContent)
    assert (sticker_event.message.package_id, sticker_event.message.sticker_id) == (sticker["packageId"], sticker["stickerId"])
    assert sticker_event.message.keywords == sticker["keywords"]
    assert isinstance(image.message, ImageMessageContent)
    assert image.message.id == "123456" and image.message.content_provider.type == "line"
    assert isinstance(location.message, LocationMessageContent)
    assert (location.message.latitude, location.message.title) == (37.05, "平")
    assert isinstance(postback, PostbackEvent)
    assert (postback.postback.data, postback.postback.params) == ("events:date", {"date": "2025-05-10"})
    assert isinstance(follow, FollowEvent) and follow.follow.is_unblocked is True
    assert isinstance(unfollow, UnfollowEvent) and "replyToken" not in events.unfollow(HANAKO)
    assert isinstance(unsend, UnsendEvent) and unsend.unsend.message_id == "123456"


def test_location_without_a_name_leaves_title_and_address_out():
    event = events.location_message(HANAKO, 36.9, 140.9, "t")

    assert "title" not in event["message"] and "address" not in event["message"]


def test_the_signature_is_hmac_sha256_of_the_raw_body():
    body = events.webhook_body(BOT, [events.unfollow(HANAKO)])

    # Known answer from `printf '{}' | openssl dgst -sha256 -hmac secret -binary | base64`.
    assert events.signature(b"{}", "secret") == "dzJZAsrKgS3CWXM6rNBGtzgXNyx3e42VtAJkdHRRbhM="
    with pytest.raises(InvalidSignatureError):
        WebhookParser("another-secret").parse(body.decode(), events.signature(body, SECRET))


def test_the_body_is_compact_utf8_json_as_line_sends_it():
    body = events.webhook_body(BOT, [events.text_message(HANAKO, "こんにちは", "t")])

    assert "こんにちは".encode() in body
    assert b", " not in body and b": " not in body
    assert json.loads(body)["destination"] == BOT


def test_webhook_event_ids_are_ulids_in_time_order():
    now_ms = int(time.time() * 1000)
    first = events.new_webhook_event_id(now_ms)
    later = events.new_webhook_event_id(now_ms + 1)

    assert len(first) == 26 and set(first) <= set(events.CROCKFORD)
    decoded_ms = 0
    for char in first[:10]:
        decoded_ms = decoded_ms * 32 + events.CROCKFORD.index(char)
    assert decoded_ms == now_ms
    assert first < later
    assert len({events.new_webhook_event_id() for _ in range(1000)}) == 1000


def test_each_event_has_a_fresh_event_id_and_a_millisecond_timestamp():
    a, b = events.unfollow(HANAKO), events.unfollow(HANAKO)

    assert a["webhookEventId"] != b["webhookEventId"]
    assert abs(a["timestamp"] - time.time() * 1000) < 5000


def test_a_message_action_sends_its_words_as_a_text_message():
    event = events.event_for_action({"type": "message", "label": "相談", "text": "相談したい"}, HANAKO, "t")

    assert event["type"] == "message"
    assert event["message"]["text"] == "相談したい"
    assert events.shown_words({"type": "message", "label": "相談", "text": "相談したい"}) == "相談したい"


def test_a_postback_action_sends_its_data_and_shows_its_display_text():
    action = {"type": "postback", "label": "申し込む", "data": "events:signup:4", "displayText": "申し込みます"}

    event = events.event_for_action(action, HANAKO, "t")

    assert event["type"] == "postback"
    assert event["postback"] == {"data": "events:signup:4"}
    assert events.shown_words(action) == "申し込みます"
    assert events.shown_words({**action, "displayText": None}) is None


@pytest.mark.parametrize(
    ("mode", "picked", "params"),
    [
        ("date", "2025-05-10", {"date": "2025-05-10"}),
        ("time", "10:30", {"time": "10:30"}),
        ("datetime", "2025-05-10T10:30", {"datetime": "2025-05-10T10:30"}),
    ],
)
def test_a_date_time_picker_sends_what_was_picked_as_params(mode, picked, params):
    action = {"type": "datetimepicker", "label": "日付", "data": "events:date", "mode": mode}

    event = events.event_for_action(action, HANAKO, "t", picked=picked)

    assert event["postback"] == {"data": "events:date", "params": params}
    assert events.shown_words(action) is None


@pytest.mark.parametrize("kind", ["uri", "camera", "cameraRoll", "location", "clipboard"])
def test_actions_the_app_handles_itself_send_no_event(kind):
    with pytest.raises(events.UnknownAction):
        events.event_for_action({"type": kind, "label": "x"}, HANAKO, "t")


def test_a_picker_without_a_pick_sends_nothing():
    with pytest.raises(events.UnknownAction):
        events.event_for_action({"type": "datetimepicker", "data": "d", "mode": "date"}, HANAKO, "t")
