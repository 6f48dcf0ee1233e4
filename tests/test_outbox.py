"""Outbound messages: reply while fresh, push with a retry key, retry what can be retried."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.messaging.build import text
from bot.messaging.limits import MessageLimitError
from bot.messaging.outbox import Outbox, ResidentBlocked
from bot.models import OutboundMessage, Resident, utcnow
from bot.tasks.delivery import deliver_to

USER = "U" + "2" * 32


def make_resident(app, **fields) -> int:  # noqa: ANN001, ANN003
    with app.extensions["tsunagu"].db.transaction() as session:
        resident = Resident(line_user_id=USER, locale="ja", is_following=True, **fields)
        session.add(resident)
        session.flush()
        return resident.id


def queue_push(app, *bodies: str) -> list[int]:  # noqa: ANN001
    with app.extensions["tsunagu"].db.transaction() as session:
        resident = session.scalars(select(Resident)).one()
        rows = Outbox(session).push(resident, [text(body) for body in bodies], purpose="staff")
        return [row.id for row in rows]


def queue_reply(app, token: str, body: str, *, event_age: float = 0.0) -> int:  # noqa: ANN001
    with app.extensions["tsunagu"].db.transaction() as session:
        resident = session.scalars(select(Resident)).one()
        event_at = utcnow() - timedelta(seconds=event_age)
        [row] = Outbox(session).reply(USER, resident, token, event_at, [text(body)])
        return row.id


def outbox(app) -> list[OutboundMessage]:  # noqa: ANN001
    with app.extensions["tsunagu"].db.transaction() as session:
        return list(session.scalars(select(OutboundMessage).order_by(OutboundMessage.id)))


def deliver(app):  # noqa: ANN001, ANN201
    deliver_to(USER)


def test_fresh_reply_uses_the_reply_token(app, line, worker):
    make_resident(app)
    queue_reply(app, line.issue_reply_token(USER), "こんにちは")
    deliver(app)
    worker.drain()
    assert [sent.kind for sent in line.sent] == ["reply"]
    assert outbox(app)[0].delivered_by == "reply"


def test_stale_reply_is_pushed_with_its_retry_key(app, line, worker):
    make_resident(app)
    queue_reply(app, line.issue_reply_token(USER), "遅れてすみません", event_age=55)
    deliver(app)
    worker.drain()
    [sent] = line.sent
    assert sent.kind == "push"
    assert sent.retry_key == outbox(app)[0].retry_key


def test_an_expired_token_falls_back_to_push(app, line, worker):
    make_resident(app)
    token = line.issue_reply_token(USER)
    line.clock = lambda: __import__("time").time() + 120  # LINE has expired the token
    queue_reply(app, token, "こんにちは")
    deliver(app)
    worker.drain()
    assert [sent.kind for sent in line.sent] == ["push"]
    assert line.texts_to(USER) == ["こんにちは"]


@pytest.mark.parametrize("failures", [[500], [429], ["timeout"], [500, 429, "timeout", 503]])
def test_push_is_retried_on_timeouts_5xx_and_429_then_delivered_once(app, line, worker, failures):
    make_resident(app)
    line.inject_failures("/message/push", *failures)
    queue_push(app, "担当者からのご連絡です")
    deliver(app)
    worker.drain()
    assert line.texts_to(USER) == ["担当者からのご連絡です"]
    [row] = outbox(app)
    assert row.status == OutboundMessage.SENT
    assert row.attempts == len(failures) + 1


def test_a_push_that_reached_line_before_timing_out_is_not_delivered_twice(app, line, worker):
    make_resident(app)
    line.inject_failures("/message/push", "timeout_after_delivery")
    queue_push(app, "一度だけ届くはず")
    deliver(app)
    worker.drain()
    assert line.texts_to(USER) == ["一度だけ届くはず"]
    [row] = outbox(app)
    assert row.status == OutboundMessage.SENT
    assert "already accepted" in row.last_error


def test_a_reply_that_reached_line_before_timing_out_is_not_sent_again(app, line, worker):
    make_resident(app)
    line.inject_failures("/message/reply", "timeout_after_delivery")
    queue_reply(app, line.issue_reply_token(USER), "一度だけ")
    deliver(app)
    worker.drain()
    assert line.texts_to(USER) == ["一度だけ"]
    assert outbox(app)[0].status == OutboundMessage.SENT


def test_other_client_errors_are_not_retried(app, line, worker):
    make_resident(app)
    line.inject_failures("/message/push", 400)
    queue_push(app, "届かない")
    deliver(app)
    worker.drain()
    [row] = outbox(app)
    assert row.status == OutboundMessage.FAILED
    assert row.attempts == 1
    assert line.texts_to(USER) == []


def test_gives_up_after_the_configured_attempts(make_app, line):
    app = make_app(OUTBOX_MAX_ATTEMPTS=3)
    make_resident(app)
    line.inject_failures("/message/push", 500, 500, 500, 500)
    queue_push(app, "x")
    from tests.support import Worker

    deliver_to(USER)
    Worker(app).drain()
    [row] = outbox(app)
    assert row.status == OutboundMessage.FAILED
    assert row.attempts == 3


def test_messages_to_one_resident_arrive_in_order_even_when_one_is_retried(app, line, worker):
    make_resident(app)
    line.inject_failures("/message/push", 500, 500)
    queue_push(app, "一通目")
    queue_push(app, "二通目")
    queue_push(app, "三通目")
    deliver(app)
    worker.drain()
    assert line.texts_to(USER) == ["一通目", "二通目", "三通目"]


def test_more_than_five_messages_are_split_into_requests_in_order(app, line, worker):
    make_resident(app)
    queue_push(app, *[f"{n}通目" for n in range(1, 8)])
    deliver(app)
    worker.drain()
    assert [len(sent.messages) for sent in line.sent] == [5, 2]
    assert line.texts_to(USER) == [f"{n}通目" for n in range(1, 8)]


def test_never_pushes_to_a_resident_who_blocked_the_account(app, line, worker):
    make_resident(app)
    queue_push(app, "ブロック前に予約された連絡")
    with app.extensions["tsunagu"].db.transaction() as session:
        session.scalars(select(Resident)).one().blocked_at = utcnow()
    deliver(app)
    worker.drain()
    assert line.sent == []
    assert outbox(app)[0].status == OutboundMessage.SKIPPED
    with pytest.raises(ResidentBlocked):
        queue_push(app, "ブロック後")


@pytest.mark.parametrize(
    "message",
    [
        {"type": "text", "text": "x" * 5001},
        {"type": "text", "text": "x", "quickReply": {"items": [
            {"type": "action", "action": {"type": "message", "label": str(n), "text": "a"}} for n in range(14)]}},
        {"type": "text", "text": "x", "quickReply": {"items": [
            {"type": "action", "action": {"type": "postback", "label": "a", "data": "d" * 301}}]}},
        {"type": "text", "text": "x", "quickReply": {"items": [
            {"type": "action", "action": {"type": "message", "label": "長" * 21, "text": "a"}}]}},
    ],
)
def test_messages_over_lines_limits_are_refused_before_sending(app, line, message):
    make_resident(app)
    with pytest.raises(MessageLimitError):
        with app.extensions["tsunagu"].db.transaction() as session:
            resident = session.scalars(select(Resident)).one()
            Outbox(session).push(resident, [message], purpose="staff")
    assert outbox(app) == []
