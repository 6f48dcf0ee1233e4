"""The worker: each resident's events in order, several residents in parallel,
and exactly once even when a process dies."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from sqlalchemy import select

from bot.models import InboxEvent, utcnow
from bot.tasks.sweep import sweep_now
from tests.conftest import CHANNEL_SECRET
from tests.support import ThreadedWorker, event_envelope, post_events

# Places whose nearest centre differs, so each answer says which message it answers.
PLACES = [
    (37.0505, 140.8877, "平地区保健福祉センター"),
    (36.9455, 140.9059, "小名浜地区保健福祉センター"),
    (37.104, 140.983, "四倉・久之浜大久地区保健福祉センター"),
    (37.218, 140.792, "小川・川前地区保健福祉センター"),
    (36.8726, 140.7857, "勿来・田人地区保健福祉センター"),
]


def location_event(line, user_id: str, n: int) -> dict:  # noqa: ANN001
    lat, lon, _ = PLACES[n % len(PLACES)]
    return event_envelope(
        "message", user_id, reply_token=line.issue_reply_token(user_id),
        message={"type": "location", "id": f"{n}", "latitude": lat, "longitude": lon, "title": "", "address": ""},
    )


def centre_names(line, user_id: str) -> list[str]:  # noqa: ANN001
    names = []
    for body in line.texts_to(user_id):
        names.append(next(name for _, _, name in PLACES if name in body))
    return names


def test_each_residents_events_are_processed_in_order_while_residents_run_in_parallel(app, client, line):
    residents = [f"U{n:032d}" for n in range(6)]
    per_resident = 5

    def resident_sends(user_id: str) -> None:
        for n in range(per_resident):
            # Each message is its own webhook delivery, as when a resident types quickly.
            assert post_events(client, [location_event(line, user_id, n)], CHANNEL_SECRET).status_code == 200

    threads = [threading.Thread(target=resident_sends, args=(user_id,)) for user_id in residents]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    ThreadedWorker(app, threads=4).run_until_idle()

    expected = [PLACES[n % len(PLACES)][2] for n in range(per_resident)]
    for user_id in residents:
        assert centre_names(line, user_id) == expected
    with app.extensions["tsunagu"].db.transaction() as session:
        statuses = set(session.scalars(select(InboxEvent.status)))
    assert statuses == {InboxEvent.PROCESSED}


def test_an_event_whose_task_was_lost_is_processed_by_the_sweeper(make_app, client, line, worker):
    app = make_app(SWEEP_GRACE_SECONDS=0)
    user = "U" + "c" * 32
    post_events(app.test_client(), [location_event(line, user, 0)], CHANNEL_SECRET)
    app.extensions["tsunagu"].huey.flush()  # the queue lost the task (e.g. Redis restarted)
    assert line.sent == []
    sweep_now(app.extensions["tsunagu"], datetime_now=utcnow())
    from tests.support import Worker

    Worker(app).drain()
    assert centre_names(line, user) == [PLACES[0][2]]
    # A second sweep finds nothing more to do.
    sweep_now(app.extensions["tsunagu"], datetime_now=utcnow())
    Worker(app).drain()
    assert len(line.texts_to(user)) == 1


KILLED_WORKER = """
import json, sys
from bot import create_app
from bot.handlers.processing import EventProcessor
app = create_app(json.loads(sys.argv[1]))
print("ready", flush=True)
EventProcessor(app.extensions["tsunagu"]).process_source(sys.argv[2])
print("finished", flush=True)
"""


def test_a_worker_killed_while_processing_leaves_the_event_to_be_processed_exactly_once(
    make_app, line, tmp_path
):
    app = make_app(SWEEP_GRACE_SECONDS=0, LINE_REQUEST_TIMEOUT=30.0)
    user = "U" + "d" * 32
    line.set_profile(user, "山田花子", "ja")
    line.timeout_delay = 20
    line.inject_failures(f"/profile/{user}", "timeout")  # the profile call hangs mid-transaction
    token = line.issue_reply_token(user)
    post_events(app.test_client(), [event_envelope("follow", user, reply_token=token, follow={"isUnblocked": False})],
                CHANNEL_SECRET)
    app.extensions["tsunagu"].huey.flush()

    config = {key: app.config[key] for key in (
        "LINE_CHANNEL_SECRET", "LINE_CHANNEL_ACCESS_TOKEN", "LINE_API_ENDPOINT", "DATABASE_URL",
        "HUEY_FILE", "REDIS_URL", "SECRET_KEY", "LINE_REQUEST_TIMEOUT")}
    config["SIMULATOR"] = False
    root = Path(__file__).resolve().parent.parent
    process = subprocess.Popen(
        [sys.executable, "-c", KILLED_WORKER, json.dumps(config), user],
        cwd=root, stdout=subprocess.DEVNULL, env={**os.environ, "PYTHONPATH": str(root)},
    )
    try:
        deadline = time.monotonic() + 20
        while line.pending_scripted(f"/profile/{user}") and time.monotonic() < deadline:
            time.sleep(0.02)  # wait until the worker is inside the LINE call
        assert not line.pending_scripted(f"/profile/{user}"), "the worker never reached the LINE call"
        os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=10)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert line.sent == []
    line.release_stalls()

    from tests.support import Worker

    sweep_now(app.extensions["tsunagu"], datetime_now=utcnow())
    Worker(app).drain()
    greetings = [body for body in line.texts_to(user) if "友だち追加ありがとうございます" in body]
    assert len(greetings) == 1
    with app.extensions["tsunagu"].db.transaction() as session:
        row = session.scalars(select(InboxEvent)).one()
        assert row.status == InboxEvent.PROCESSED
        # The killed attempt's transaction was rolled back, attempt count included.
        assert row.attempts == 1
