"""見守り under a kill -9: 1,000 due check-ins, the scheduler killed mid-run, then run again: 0 lost, 0 twice."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

from sqlalchemy import func, insert, select

from bot.models import OutboundMessage, Resident, utcnow
from bot.models.watch import WatchPlan, WatchSlot
from bot.tasks.events import deliver_notices
from bot.tasks.watch import run_watch
from tests.events_support import TOKYO, tsunagu_of

ROOT = Path(__file__).resolve().parents[1]
CHECK_INS = 1000


def sent_slots(tsunagu) -> int:  # noqa: ANN001
    with tsunagu.db.transaction() as session:
        return session.scalar(select(func.count()).select_from(WatchSlot).where(WatchSlot.state != WatchSlot.DUE))


def test_killing_the_scheduler_mid_run_loses_no_check_in_and_sends_none_twice(app, line, worker):
    tsunagu = tsunagu_of(app)
    users = [f"U{n:032x}" for n in range(CHECK_INS)]
    today = utcnow().astimezone(TOKYO).date()
    with tsunagu.db.transaction() as session:
        session.execute(insert(Resident), [{"line_user_id": user, "locale": "ja", "is_following": True,
                                            "created_at": utcnow(), "updated_at": utcnow()} for user in users])
        ids = session.scalars(select(Resident.id)).all()
        session.execute(insert(WatchPlan), [
            {"resident_id": resident_id, "interval_days": 1, "hour": 0, "starts_on": today - timedelta(days=1),
             "channel": WatchPlan.LINE, "state": WatchPlan.ACTIVE, "centre_code": "taira",
             "created_at": utcnow(), "updated_at": utcnow()} for resident_id in ids])

    database_url = app.config["DATABASE_URL"]
    process = subprocess.Popen([sys.executable, "-m", "tests.faults.watch_worker", database_url, line.url],
                               cwd=ROOT, env=os.environ.copy(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    started = time.monotonic()
    killed_at = None
    while time.monotonic() - started < 60:
        done = sent_slots(tsunagu)
        if done >= 50 or process.poll() is not None:
            break
        time.sleep(0.02)
    if process.poll() is None:
        process.send_signal(signal.SIGKILL)
        killed_at = sent_slots(tsunagu)
    errors = process.communicate(timeout=10)[1].decode(errors="replace")[-2000:]
    assert killed_at is not None and 0 < killed_at < CHECK_INS, (killed_at, errors)

    # The next run takes over: the rest are claimed and sent; the killed run's pushes go out once.
    deliver_notices(run_watch(tsunagu))
    with tsunagu.db.transaction() as session:
        deliver_notices(session.scalars(select(OutboundMessage.to).where(
            OutboundMessage.status != OutboundMessage.SENT).distinct()).all())
    worker.drain(timeout=60)

    with tsunagu.db.transaction() as session:
        assert session.scalar(select(func.count()).select_from(WatchSlot)) == CHECK_INS
        assert session.scalar(select(func.count()).select_from(WatchSlot).where(
            WatchSlot.state == WatchSlot.SENT)) == CHECK_INS
        per_resident = session.execute(select(OutboundMessage.to, func.count()).where(
            OutboundMessage.purpose == "watch_check_in").group_by(OutboundMessage.to)).all()
    assert len(per_resident) == CHECK_INS and {count for _to, count in per_resident} == {1}
    received = [user for user in users for text in line.texts_to(user) if "見守り" in text]
    assert sorted(received) == sorted(users)  # 0 lost, 0 duplicated
