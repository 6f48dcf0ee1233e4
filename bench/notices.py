"""A notice to 100,000 residents: queued in batches, then delivered by the Procfile's worker to the fake LINE platform.

    python bench/notices.py [--residents 100000] [--backend postgresql|sqlite] [--out PATH]

The residents (all asked for salons) are inserted first; the clock starts
when staff would press 送信: the audience is read, the batches of 500 and
their retry keys stored (``queued``), and the worker (huey_consumer, as in
the Procfile) multicasts them at ``NOTICE_MULTICASTS_PER_SECOND``
(``delivered``: when the fake platform has received the last batch). The
target is five minutes for 100,000 residents on this machine.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import insert, select  # noqa: E402

from bench.common import (  # noqa: E402
    SECRET, TOKEN, available, backend_urls, bot_environment, describe, huey_consumer, machine, migrate, table,
    write_results,
)
from bot import create_app  # noqa: E402
from bot.models import Resident, utcnow  # noqa: E402
from bot.models.notices import Notice, NoticeBatch, NoticeSetting  # noqa: E402
from bot.services.notices import NoticeService  # noqa: E402
from bot.tasks.notices import send_notice  # noqa: E402
from simulator.platform import LinePlatform, serve  # noqa: E402

TARGET_SECONDS = 300


def insert_residents(db, count: int) -> None:  # noqa: ANN001
    """Residents who asked for salons, in chunks (not timed)."""
    now = utcnow()
    for start in range(0, count, 10_000):
        with db.transaction() as session:
            session.execute(insert(Resident), [
                {"line_user_id": f"U{n:032x}", "locale": ("ja", "ja", "ja", "en", "vi")[n % 5], "area_code": "taira",
                 "is_following": True, "created_at": now, "updated_at": now}
                for n in range(start, min(start + 10_000, count))])
    with db.transaction() as session:
        ids = session.scalars(select(Resident.id)).all()
    for start in range(0, len(ids), 10_000):
        with db.transaction() as session:
            session.execute(insert(NoticeSetting), [
                {"resident_id": rid, "topics": ["salons"], "areas": [], "stopped": False, "updated_at": now}
                for rid in ids[start:start + 10_000]])


def run(residents: int, backend: str, tmp: Path) -> dict:
    line = LinePlatform(TOKEN)
    server = serve(line)
    database, redis_url = backend_urls("bench_notices", backend, tmp)
    migrate(database)
    env = bot_environment(database, redis_url, server.url, tmp)
    app = create_app({"LINE_CHANNEL_SECRET": SECRET, "LINE_CHANNEL_ACCESS_TOKEN": TOKEN,
                      "LINE_API_ENDPOINT": server.url, "DATABASE_URL": database, "REDIS_URL": redis_url,
                      "HUEY_FILE": str(tmp / "queue.db"), "SECRET_KEY": "bench", "SIMULATOR": False})
    tsunagu = app.extensions["tsunagu"]
    try:
        insert_residents(tsunagu.db, residents)
        with huey_consumer(env):
            started = time.monotonic()
            with tsunagu.db.transaction() as session:
                service = NoticeService(session, tsunagu.profile)
                notice = service.save(Notice(), title="サロンのお知らせ", texts={"ja": "平でサロンを開きます。",
                                                                          "en": "A salon opens in Taira."},
                                      topic="salons", areas=[], languages=[], essential=False, event_id=None,
                                      image_url=None, repeat=Notice.ONCE, send_at=None)
                service.queue(notice, utcnow())
                notice_id = notice.id
            queued = time.monotonic() - started
            with app.app_context():
                send_notice(notice_id)
            while time.monotonic() - started < TARGET_SECONDS * 2:
                with tsunagu.db.transaction() as session:
                    open_batches = session.scalar(select(NoticeBatch.id).where(
                        NoticeBatch.status.in_([NoticeBatch.PENDING, NoticeBatch.SENDING])).limit(1))
                if open_batches is None:
                    break
                time.sleep(0.2)
            delivered = time.monotonic() - started
        received = len({sent.to for sent in line.sent})
        return {"case": backend, "residents": residents, "batches": line.multicast_requests,
                "queued_s": round(queued, 2), "delivered_s": round(delivered, 2), "received": received,
                "duplicates": len(line.sent) - received, "within_target": delivered <= TARGET_SECONDS}
    finally:
        tsunagu.line.close()
        tsunagu.db.dispose()
        server.shutdown()


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--residents", type=int, default=100_000)
    parser.add_argument("--backend", choices=("postgresql", "sqlite"),
                        default="postgresql" if available("postgresql") else "sqlite")
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args(argv)
    facts = machine()
    with tempfile.TemporaryDirectory() as tmp:
        case = run(args.residents, args.backend, Path(tmp))
    payload = {"machine": facts, "cases": [case]}
    write_results("notices", payload, args.out)
    print(describe(facts))
    print(table(["case", "residents", "multicasts", "queued (s)", "delivered (s)", "received", "duplicates"],
                [[case["case"], case["residents"], case["batches"], case["queued_s"], case["delivered_s"],
                  case["received"], case["duplicates"]]]))
    return payload


if __name__ == "__main__":
    main()
