"""POST /callback: verify, store durably, answer 200 at once."""
from __future__ import annotations

import json
import time

import pytest
from sqlalchemy import create_engine, func, select
from sqlalchemy.pool import NullPool

from bot.models import InboxEvent, OutboundMessage
from tests.conftest import CHANNEL_SECRET
from tests.support import event_envelope, post_events, sign

USER = "U" + "1" * 32


def count(app, model) -> int:  # noqa: ANN001
    with app.extensions["tsunagu"].db.transaction() as session:
        return session.scalar(select(func.count()).select_from(model))


def text_event(text: str = "こんにちは", **fields) -> dict:  # noqa: ANN003
    return event_envelope(
        "message", USER, reply_token="r" * 32,
        message={"type": "text", "id": "100", "text": text, "quoteToken": "q"}, **fields,
    )


def test_console_verify_request_gets_200(client, app):
    response = post_events(client, [], CHANNEL_SECRET)
    assert response.status_code == 200
    assert count(app, InboxEvent) == 0


@pytest.mark.parametrize(
    "signature",
    ["", "not-base64", sign(b"something else", CHANNEL_SECRET), sign(b'{"events":[]}', "wrong-secret")],
)
def test_bad_or_missing_signature_is_refused_and_nothing_is_stored(client, app, line, signature):
    body = json.dumps({"events": [text_event()]}).encode()
    headers = {"X-Line-Signature": signature} if signature else {}
    response = client.post("/callback", data=body, headers=headers)
    assert response.status_code == 400
    assert count(app, InboxEvent) == 0
    assert line.sent == []


def test_signature_header_is_read_case_insensitively(client, app):
    body = json.dumps({"events": [text_event()]}).encode()
    response = client.post("/callback", data=body, headers={"x-line-signature": sign(body, CHANNEL_SECRET)})
    assert response.status_code == 200
    assert count(app, InboxEvent) == 1


def test_body_over_one_mebibyte_is_refused(client, app):
    body = b'{"events":[],"pad":"' + b"x" * (1024 * 1024) + b'"}'
    response = client.post("/callback", data=body, headers={"X-Line-Signature": sign(body, CHANNEL_SECRET)})
    assert response.status_code == 413
    assert count(app, InboxEvent) == 0


@pytest.mark.parametrize("body", [
    b"{not json", b'{"no_events": 1}', b'{"events": "nope"}', b"[1, 2]",
    # Python reads these, but they are not JSON (PostgreSQL would refuse to store them).
    b'{"events": [{"type": "message", "message": {"type": "location", "latitude": NaN, "longitude": Infinity}}]}',
    b'{"events": [{"type": "message", "timestamp": -Infinity}]}',
    # JSON, but past what a float holds: Python reads it as infinity, which is not JSON again.
    b'{"events": [{"type": "message", "message": {"type": "location", "latitude": 1e400}}]}',
])
def test_validly_signed_malformed_body_is_400(client, app, body):
    response = client.post("/callback", data=body, headers={"X-Line-Signature": sign(body, CHANNEL_SECRET)})
    assert response.status_code == 400
    assert count(app, InboxEvent) == 0


def test_event_is_stored_before_the_answer_and_processed_by_the_worker(client, app, line, worker):
    line.set_profile(USER, "山田", "ja")
    token = line.issue_reply_token(USER)
    event = event_envelope("message", USER, reply_token=token,
                           message={"type": "text", "id": "1", "text": "メニュー", "quoteToken": "q"})
    response = post_events(client, [event], CHANNEL_SECRET)
    assert response.status_code == 200
    assert line.sent == []  # nothing is sent inside the request
    with app.extensions["tsunagu"].db.transaction() as session:
        row = session.scalars(select(InboxEvent)).one()
        assert row.status == InboxEvent.PENDING
        assert row.event_key == event["webhookEventId"]
    worker.drain()
    assert [sent.kind for sent in line.sent] == ["reply"]
    assert line.texts_to(USER)[-1].startswith("ご用件を選んでください")


def test_redelivered_and_duplicate_events_are_stored_and_answered_once(client, app, line, worker):
    token = line.issue_reply_token(USER)
    event = event_envelope("message", USER, reply_token=token,
                           message={"type": "text", "id": "1", "text": "メニュー", "quoteToken": "q"})
    assert post_events(client, [event], CHANNEL_SECRET).status_code == 200
    assert post_events(client, [event, event], CHANNEL_SECRET).status_code == 200
    redelivered = {**event, "deliveryContext": {"isRedelivery": True}}
    assert post_events(client, [redelivered], CHANNEL_SECRET).status_code == 200
    worker.drain()
    assert count(app, InboxEvent) == 1
    assert len(line.sent) == 1


def test_events_without_an_id_get_a_key_from_their_content(client, app, worker):
    event = text_event()
    del event["webhookEventId"]
    post_events(client, [event], CHANNEL_SECRET)
    post_events(client, [event], CHANNEL_SECRET)
    other = {**event, "timestamp": event["timestamp"] + 1}
    post_events(client, [other], CHANNEL_SECRET)
    assert count(app, InboxEvent) == 2


def test_standby_events_are_stored_but_never_answered(client, app, line, worker):
    event = text_event(mode="standby")
    event["mode"] = "standby"
    assert post_events(client, [event], CHANNEL_SECRET).status_code == 200
    worker.drain()
    with app.extensions["tsunagu"].db.transaction() as session:
        assert session.scalars(select(InboxEvent.status)).one() == InboxEvent.IGNORED
    assert line.sent == []


def test_unknown_event_types_are_stored_and_ignored(client, app, line, worker):
    event = event_envelope("somethingNew", USER, reply_token="t" * 32, extra={"a": 1})
    assert post_events(client, [event], CHANNEL_SECRET).status_code == 200
    worker.drain()
    with app.extensions["tsunagu"].db.transaction() as session:
        assert session.scalars(select(InboxEvent.status)).one() == InboxEvent.IGNORED
    assert line.sent == []


def test_the_200_does_not_wait_for_the_messaging_api(client, app, line):
    line.inject_failures("/message/reply", "timeout")
    start = time.monotonic()
    response = post_events(client, [text_event()], CHANNEL_SECRET)
    assert response.status_code == 200
    assert time.monotonic() - start < 0.5


def test_what_residents_wrote_is_not_kept_in_the_inbox_after_processing(client, app, line, worker):
    token = line.issue_reply_token(USER)
    event = event_envelope("message", USER, reply_token=token,
                           message={"type": "text", "id": "7", "text": "借金で困っています", "quoteToken": "q"})
    post_events(client, [event], CHANNEL_SECRET)
    worker.drain()
    with app.extensions["tsunagu"].db.transaction() as session:
        payload = session.scalars(select(InboxEvent.payload)).one()
    assert "借金" not in json.dumps(payload, ensure_ascii=False)


def test_unsent_message_is_removed_from_storage(client, app, line, worker):
    event = text_event("あとで消す話")
    event["message"]["id"] = "555"
    post_events(client, [event], CHANNEL_SECRET)
    # LINE can deliver the unsend before the worker has run
    unsend = event_envelope("unsend", USER, unsend={"messageId": "555"})
    post_events(client, [unsend], CHANNEL_SECRET)
    worker.drain()
    with app.extensions["tsunagu"].db.transaction() as session:
        payloads = session.scalars(select(InboxEvent.payload)).all()
    assert "あとで消す話" not in json.dumps(payloads, ensure_ascii=False)


def test_outbox_rows_are_created_in_the_same_transaction_as_the_event(client, app, line, worker):
    post_events(client, [text_event("メニュー")], CHANNEL_SECRET)
    worker.drain()
    with app.extensions["tsunagu"].db.transaction() as session:
        message = session.scalars(select(OutboundMessage)).one()
        event = session.scalars(select(InboxEvent)).one()
        assert message.source_event_id == event.id
        assert event.status == InboxEvent.PROCESSED


@pytest.mark.parametrize("escaped", ["\\u0000", "\\ud800", "\\uDFFF"])
def test_text_a_database_refuses_is_cleaned_then_stored_and_answered(client, app, line, worker, escaped):
    # Only LINE's \u escapes can carry a NUL or a lone surrogate; the event is kept without them.
    token = line.issue_reply_token(USER)
    event = event_envelope("message", USER, reply_token=token,
                           message={"type": "text", "id": "7", "text": "MARK", "quoteToken": "q"})
    body = json.dumps({"destination": "Ubot", "events": [event]}).replace("MARK", f"メニュー{escaped}")
    response = client.post("/callback", data=body.encode(), headers={
        "X-Line-Signature": sign(body.encode(), CHANNEL_SECRET), "Content-Type": "application/json"})
    assert response.status_code == 200
    assert count(app, InboxEvent) == 1
    worker.drain()
    assert [sent.kind for sent in line.sent] == ["reply"]


def test_a_connection_the_database_dropped_costs_no_delivery(client, app, external_database_url):
    # PostgreSQL restarted or failed over between two deliveries: the webhook's
    # pooled connection is dead, and the next delivery is still stored, not 503.
    if not external_database_url:
        pytest.skip("SQLite has no server to drop a connection")
    assert post_events(client, [text_event("一通目", webhookEventId="E1")], CHANNEL_SECRET).status_code == 200
    # From outside the app's pool, so that its idle connections are the ones dropped.
    outside = create_engine(app.extensions["tsunagu"].db.engine.url, poolclass=NullPool)
    with outside.connect() as connection:
        dropped = connection.exec_driver_sql(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()").scalar()
    outside.dispose()
    assert dropped >= 1
    response = post_events(client, [text_event("二通目", webhookEventId="E2")], CHANNEL_SECRET)
    assert response.status_code == 200
    assert count(app, InboxEvent) == 2


def test_a_body_with_two_events_keys_stores_the_events_python_read(client, app, line, worker):
    # JSON lets a key repeat: the events stored are those the webhook read (Python keeps the last).
    token = line.issue_reply_token(USER)
    event = event_envelope("message", USER, reply_token=token,
                           message={"type": "text", "id": "8", "text": "メニュー", "quoteToken": "q"})
    body = '{"destination":"Ubot","events":[],"events":' + json.dumps([event], ensure_ascii=False) + "}"
    response = client.post("/callback", data=body.encode(), headers={
        "X-Line-Signature": sign(body.encode(), CHANNEL_SECRET), "Content-Type": "application/json"})
    assert response.status_code == 200
    with app.extensions["tsunagu"].db.transaction() as session:
        stored = session.scalars(select(InboxEvent)).all()
        assert [row.payload["message"]["id"] for row in stored] == ["8"]
    worker.drain()
    assert [sent.kind for sent in line.sent] == ["reply"]
