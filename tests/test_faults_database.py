"""The database goes away under load and comes back (PostgreSQL).

The machine's PostgreSQL is shared, so it is not restarted: a TCP proxy
between the app and PostgreSQL is cut instead, which the app sees exactly
as a restart (open connections break, new ones are refused). While it is
down the webhook answers 5xx, so LINE redelivers; once it is back the
pool reconnects and nothing accepted is lost.
"""
from __future__ import annotations

import random
import time
from collections import Counter
from urllib.parse import urlsplit, urlunsplit

import pytest
from sqlalchemy import select

from bot.models import InboxEvent, OutboundMessage, utcnow
from bot.tasks.sweep import sweep_now
from tests.conftest import CHANNEL_SECRET
from tests.faults.harness import Delivery, FaultFigures, Proxy, redelivered, text_event
from tests.support import Worker, post_events

pytestmark = pytest.mark.faults

EVENTS = 120
RESIDENTS = 15
OUTAGE = (40, 80)  # the database is down from the 40th delivery to the 80th


def test_the_webhook_answers_5xx_while_the_database_is_down_and_loses_nothing(
    make_app, line, external_database_url
):
    if not external_database_url:
        pytest.skip("SQLite is a file inside the web process: there is no database server to lose or restart")
    started = time.monotonic()
    chance = random.Random(11)
    target = urlsplit(external_database_url)
    proxy = Proxy(target.hostname or "127.0.0.1", target.port or 5432)
    try:
        credentials = target.netloc.rpartition("@")[0]
        proxied = urlunsplit(target._replace(netloc=f"{credentials}@127.0.0.1:{proxy.port}".lstrip("@")))
        app = make_app(DATABASE_URL=proxied)
        tsunagu = app.extensions["tsunagu"]
        client = app.test_client()
        residents = [f"U{index + 300:032x}" for index in range(RESIDENTS)]
        for number, user in enumerate(residents):
            line.set_profile(user, f"住民{number}", "ja")
        deliveries = [Delivery(text_event(line, chance.choice(residents), "こんにちは")) for _ in range(EVENTS)]

        statuses_while_down, health_while_down, requests = [], [], 0
        waiting: list[Delivery] = []
        for number, delivery in enumerate(deliveries):
            if number == OUTAGE[0]:
                proxy.cut()
            if number == OUTAGE[1]:
                proxy.restore()
            down = OUTAGE[0] <= number < OUTAGE[1]
            batch = [delivery] + ([waiting.pop(0)] if waiting and not down else [])
            for item in batch:
                item.attempts += 1
                event = redelivered(item.event) if item.attempts > 1 else item.event
                status = post_events(client, [event], CHANNEL_SECRET).status_code
                requests += 1
                if down:
                    statuses_while_down.append(status)
                if status == 200:
                    item.accepted = True
                else:
                    waiting.append(item)  # LINE redelivers what did not get a 200
            if down and number % 10 == 0:
                health_while_down.append(client.get("/healthz").status_code)
        for _ in range(3):  # redeliveries after the database is back
            for item in list(waiting):
                item.attempts += 1
                if post_events(client, [redelivered(item.event)], CHANNEL_SECRET).status_code == 200:
                    item.accepted = True
                    waiting.remove(item)
                requests += 1

        assert client.get("/healthz").status_code == 200  # the pool reconnected by itself
        sweep_now(tsunagu, datetime_now=utcnow())
        Worker(app).drain(timeout=60)
        with tsunagu.db.transaction() as session:
            rows = session.execute(select(InboxEvent.event_key, InboxEvent.status)).all()
            answers = session.scalars(select(OutboundMessage.status)).all()
    finally:
        proxy.close()

    accepted = {d.key for d in deliveries if d.accepted}
    stored = [key for key, _ in rows]
    processed = {key for key, status in rows if status == InboxEvent.PROCESSED}
    figures = FaultFigures(
        test="database down under load (TCP proxy cut), then back",
        sent=len(deliveries), deliveries=requests, accepted=len(accepted), processed=len(processed & accepted),
        duplicates=len(stored) - len(set(stored)) + max(len(line.sent) - len(answers), 0),
        lost=len(accepted - processed) + sum(1 for status in answers if status != OutboundMessage.SENT),
        faults={"deliveries_while_down": len(statuses_while_down),
                "answered_5xx_while_down": sum(1 for s in statuses_while_down if s >= 500),
                "answered_200_while_down": sum(1 for s in statuses_while_down if s == 200),
                "healthz_while_down": sorted(set(health_while_down))},
        seconds=round(time.monotonic() - started, 1),
    )
    figures.record()
    assert statuses_while_down and all(status == 503 for status in statuses_while_down), Counter(statuses_while_down)
    assert set(health_while_down) == {503}
    assert len(accepted) == EVENTS and not waiting
    assert figures.duplicates == 0 and figures.lost == 0, figures
    assert len(line.sent) == len(answers) == EVENTS  # each event answered once
