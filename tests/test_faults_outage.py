"""The LINE API is down for a while (500, 429, timeouts), then recovers.

Everything queued meanwhile is delivered afterwards, once each and in
order per resident; a reply whose sender died before recording it is not
pushed again.
"""
from __future__ import annotations

import random
import threading
import time

import pytest
from sqlalchemy import select, update

from bot.messaging.build import text
from bot.messaging.outbox import Outbox
from bot.models import OutboundMessage, utcnow
from bot.tasks.sweep import sweep_now
from simulator.platform import serve
from tests.conftest import ACCESS_TOKEN, CHANNEL_SECRET
from tests.events_support import resident
from tests.faults.harness import FaultFigures, RecordingPlatform
from tests.support import Worker, event_envelope, post_events

pytestmark = pytest.mark.faults

RESIDENTS = 12
WORDS = ("こんにちは", "ありがとうございます", "よろしくお願いします")


@pytest.fixture
def platform(judged_platforms):
    line = RecordingPlatform(ACCESS_TOKEN, timeout_delay=0.5)
    judged_platforms.append(line)
    server = serve(line)
    line.url = server.url
    yield line
    server.shutdown()


def test_everything_queued_during_a_line_outage_is_delivered_after_once_each_in_order(make_app, platform):
    started = time.monotonic()
    chance = random.Random(8)
    # Production backs off from 2 s up to 10 min over 8 attempts (about a quarter of an hour);
    # here the same curve is squeezed so that a 3-second outage spans several attempts.
    app = make_app(LINE_API_ENDPOINT=platform.url, LINE_REQUEST_TIMEOUT=0.3, OUTBOX_BACKOFF_BASE=0.05,
                   OUTBOX_BACKOFF_CAP=0.4, OUTBOX_MAX_ATTEMPTS=30)
    tsunagu = app.extensions["tsunagu"]
    client, worker = app.test_client(), Worker(app)
    residents = [f"U{index:032x}" for index in range(100, 100 + RESIDENTS)]
    for number, user in enumerate(residents):
        platform.set_profile(user, f"住民{number}", "ja")

    platform.outage(500, 429, "timeout", 503, 429, 500)
    events = []
    for _ in range(4):
        for user in residents:
            message = {"type": "text", "id": str(chance.randrange(10**15, 10**16)), "text": chance.choice(WORDS),
                       "quoteToken": "q"}
            event = event_envelope("message", user, reply_token=platform.issue_reply_token(user), message=message)
            assert post_events(client, [event], CHANNEL_SECRET).status_code == 200
            events.append(event)
    with tsunagu.db.transaction() as session:  # staff messages queued during the outage too
        for user in residents[:4]:
            Outbox(session).push(resident(session, user), [text("センターからのお知らせです。")], purpose="staff")

    recovery = threading.Timer(3.0, platform.recover)
    recovery.start()
    try:
        worker.drain(timeout=30)
    finally:
        recovery.cancel()
        platform.recover()

    with tsunagu.db.transaction() as session:
        rows = list(session.scalars(select(OutboundMessage).order_by(OutboundMessage.id)))
    failed_attempts = sum(row.attempts - 1 for row in rows)
    assert failed_attempts >= RESIDENTS, "the outage did not hold every resident's messages back"
    assert {row.status for row in rows} == {OutboundMessage.SENT}
    duplicates = lost = 0
    for user in residents:
        queued = [message for row in rows if row.to == user for message in row.messages]
        received = platform.messages_to(user)
        assert received == queued, user  # every message, once, in the order it was queued
    sends = [token for token in platform.reply_tokens_used] + platform.retry_keys_sent()
    duplicates = len(sends) - len(set(sends))
    lost = len(rows) - len(platform.sent)
    figures = FaultFigures(
        test="LINE API outage (500/429/timeouts), then recovery",
        sent=len(events), deliveries=len(events), accepted=len(events),
        processed=len({row.source_event_id for row in rows if row.source_event_id}),
        duplicates=duplicates, lost=lost,
        faults={"outage_seconds": 3.0, "failed_attempts": failed_attempts, "answers": len(rows),
                "pushes": sum(1 for sent in platform.sent if sent.kind == "push")},
        seconds=round(time.monotonic() - started, 1),
    )
    figures.record()
    assert duplicates == 0 and lost == 0, figures


def test_a_reply_accepted_just_before_the_worker_died_is_not_pushed_again(app, client, line, worker):
    user = "U" + "e" * 32
    line.set_profile(user, "山田花子", "ja")
    event = event_envelope("follow", user, reply_token=line.issue_reply_token(user), follow={"isUnblocked": False})
    assert post_events(client, [event], CHANNEL_SECRET).status_code == 200
    worker.drain()
    assert [sent.kind for sent in line.sent] == ["reply"]

    # The process died after LINE accepted the reply and before it wrote that down:
    # the message is left "sending" under a lease that runs out.
    tsunagu = app.extensions["tsunagu"]
    with tsunagu.db.transaction() as session:
        session.execute(update(OutboundMessage).values(
            status=OutboundMessage.SENDING, claimed_until=utcnow(), delivered_by=None, sent_at=None))
    sweep_now(tsunagu, datetime_now=utcnow())
    worker.drain()

    assert [sent.kind for sent in line.sent] == ["reply"]  # not pushed a second time
    with tsunagu.db.transaction() as session:
        assert {row.status for row in session.scalars(select(OutboundMessage))} == {OutboundMessage.SENT}
