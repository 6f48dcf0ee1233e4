"""Kill -9 the worker while it sends a notice to 20,000 residents: every resident gets it exactly once.

huey_consumer runs as a real process (the Procfile's command) against the fake LINE platform;
it is killed twice while multicasting. The batches a killed worker was sending keep their
stored retry keys: sent again, LINE answers 409 for those it had already accepted.
"""
from __future__ import annotations

import time
from collections import Counter

import pytest
from sqlalchemy import insert, select, update

from bot import create_app
from bot.models import Resident, utcnow
from bot.models.notices import Notice, NoticeBatch, NoticeSetting
from bot.services.notices import NoticeService
from bot.tasks.notices import send_notice, sweep_notices
from simulator.platform import serve
from tests.faults.harness import ACCESS_TOKEN, FaultFigures, RecordingPlatform, Stack, app_config, fault_database
from tests.support import Worker

pytestmark = pytest.mark.faults

RESIDENTS = 20_000


def _residents(tsunagu) -> None:  # noqa: ANN001
    with tsunagu.db.transaction() as session:
        session.execute(insert(Resident), [
            {"line_user_id": f"U{n:032x}", "locale": "ja", "area_code": "ogawa", "is_following": True,
             "created_at": utcnow(), "updated_at": utcnow(), "profile_language": None} for n in range(RESIDENTS)])
        ids = session.scalars(select(Resident.id)).all()
        session.execute(insert(NoticeSetting), [
            {"resident_id": rid, "topics": ["salons"], "areas": [], "stopped": False, "updated_at": utcnow()}
            for rid in ids])


def _sent_batches(tsunagu) -> int:  # noqa: ANN001
    with tsunagu.db.transaction() as session:
        return len(session.scalars(select(NoticeBatch.id).where(NoticeBatch.status == NoticeBatch.SENT)).all())


def test_killing_the_worker_during_a_20000_resident_notice_sends_it_to_each_exactly_once(tmp_path, judged_platforms):
    started = time.monotonic()
    line = RecordingPlatform(ACCESS_TOKEN)
    judged_platforms.append(line)
    server = serve(line)
    with fault_database(tmp_path) as database_url:
        config = app_config(server.url, database_url, tmp_path, NOTICE_MULTICASTS_PER_SECOND=8)
        stack = Stack(config, tmp_path)
        app = create_app(config)
        tsunagu = app.extensions["tsunagu"]
        tsunagu.huey.flush()
        try:
            _residents(tsunagu)
            with tsunagu.db.transaction() as session:
                service = NoticeService(session, tsunagu.profile)
                notice = service.save(Notice(), title="サロン再開", texts={"ja": "小川でサロンを再開します。"},
                                      topic="salons", areas=[], languages=[], essential=True, event_id=None,
                                      image_url=None, repeat=Notice.ONCE, send_at=None)
                service.queue(notice, utcnow())
                notice_id = notice.id
            with app.app_context():
                send_notice(notice_id)
            kills = 0
            for _ in range(2):
                stack.start_worker()
                before = _sent_batches(tsunagu)
                deadline = time.monotonic() + 20
                while _sent_batches(tsunagu) < before + 5 and time.monotonic() < deadline:
                    time.sleep(0.05)
                stack.kill("worker")
                kills += 1
            # The lease of the batch a killed worker was sending runs out (as a minute would).
            with tsunagu.db.transaction() as session:
                session.execute(update(NoticeBatch).where(NoticeBatch.status == NoticeBatch.SENDING)
                                .values(claimed_until=utcnow()))
            tsunagu.huey.flush()
            app.config["NOTICE_MULTICASTS_PER_SECOND"] = 200
            with app.app_context():
                assert sweep_notices(tsunagu, utcnow()) == [notice_id]
            Worker(app).drain(timeout=60)

            received = Counter(sent.to for sent in line.sent)
            with tsunagu.db.transaction() as session:
                statuses = Counter(session.scalars(select(NoticeBatch.status)))
                status = session.get(Notice, notice_id).status
        finally:
            stack.stop()
            tsunagu.huey.flush()
            tsunagu.line.close()
            tsunagu.db.dispose()
            server.shutdown()
    figures = FaultFigures(test="kill -9 the worker during a 20,000-resident notice", sent=RESIDENTS,
                           processed=len(received), duplicates=sum(n - 1 for n in received.values() if n > 1),
                           lost=RESIDENTS - len(received), faults={"worker_kills": kills},
                           seconds=round(time.monotonic() - started, 1))
    figures.record()
    assert stack.kills["worker"] == 2
    assert figures.duplicates == 0 and figures.lost == 0, figures
    assert statuses == Counter({NoticeBatch.SENT: RESIDENTS // 500}) and status == Notice.SENT
