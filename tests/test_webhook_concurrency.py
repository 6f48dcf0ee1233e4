"""Many deliveries at once, some redelivered while the first is still in flight: none is lost or repeated."""
from __future__ import annotations

import json
import threading
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import func, select
from werkzeug.serving import make_server

from bot.models import InboxEvent
from tests.support import ThreadedWorker, event_envelope, sign

SECRET = "test-channel-secret"


def serve_threaded(app):  # noqa: ANN001, ANN201
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def post(url: str, events: list[dict]) -> int:
    body = json.dumps({"destination": "Ubot", "events": events}, ensure_ascii=False).encode()
    request = urllib.request.Request(url, data=body, method="POST", headers={
        "X-Line-Signature": sign(body, SECRET), "Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def test_simultaneous_deliveries_and_redeliveries_are_each_stored_and_answered_once(app, line):
    residents = [f"U{n:032x}" for n in range(12)]
    deliveries = []
    for round_ in range(10):
        events = [event_envelope("message", user, reply_token=line.issue_reply_token(user),
                                 message={"type": "text", "id": f"{round_}{n}", "text": "メニュー", "quoteToken": "q"})
                  for n, user in enumerate(residents[round_ % 3::3])]
        deliveries.append(events)
    # LINE redelivers some deliveries while the first attempt is still in flight.
    redelivered = [[{**event, "deliveryContext": {"isRedelivery": True}} for event in events]
                   for events in deliveries[::2]]
    server = serve_threaded(app)
    url = f"http://127.0.0.1:{server.server_port}/callback"
    try:
        with ThreadPoolExecutor(16) as pool:
            statuses = list(pool.map(lambda events: post(url, events), deliveries + redelivered + redelivered))
    finally:
        server.shutdown()
    assert statuses == [200] * len(statuses)

    unique_events = sum(len(events) for events in deliveries)
    with app.extensions["tsunagu"].db.transaction() as session:
        assert session.scalar(select(func.count()).select_from(InboxEvent)) == unique_events

    ThreadedWorker(app, threads=4).run_until_idle(timeout=120)
    # Every event answered once, by reply (each reply token is good once at LINE).
    assert [sent.kind for sent in line.sent] == ["reply"] * unique_events
