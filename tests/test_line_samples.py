"""Every webhook event shape in LINE's Messaging API reference is stored and handled without error."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.models import InboxEvent
from tests.conftest import CHANNEL_SECRET
from tests.support import event_envelope, post_events

SAMPLES = json.loads((Path(__file__).parent / "payloads" / "line_samples.json").read_text())
USER = "U" + "3" * 32
NO_REPLY_TOKEN = {"unfollow", "leave", "member_left", "unsend", "bot_suspended", "bot_resumed",
                  "deactivated", "activated", "module_attached", "delivery", "message_edited"}
# Events a resident would expect an answer to, in a one-to-one chat.
ANSWERED = {"text", "image", "video", "audio", "file", "location", "sticker", "follow",
            "follow_unblocked", "postback", "postback_richmenu"}


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_sample_event_is_stored_and_handled(name, client, app, line, worker):
    sample = dict(SAMPLES[name])
    token = None if name in NO_REPLY_TOKEN else line.issue_reply_token(USER)
    event = event_envelope(sample.pop("type"), USER, reply_token=token)
    event.update(sample)
    line.set_profile(USER, "佐藤", "ja")
    response = post_events(client, [event], CHANNEL_SECRET)
    assert response.status_code == 200
    worker.drain()
    with app.extensions["tsunagu"].db.transaction() as session:
        row = session.scalars(select(InboxEvent)).one()
    assert row.status in {InboxEvent.PROCESSED, InboxEvent.IGNORED}, row.error
    assert line.violations == []
    if name in ANSWERED:
        assert line.messages_to(USER), f"{name}: the resident got no answer"
    if name == "join":
        # In a group the bot explains it is for one-to-one chats.
        assert any("1対1" in sent.messages[0].get("text", "") for sent in line.sent)
