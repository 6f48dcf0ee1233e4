"""Contention for the last seats: many residents sign up for one event at the same moment.

    python bench/events_contention.py [DATABASE_URL] [--signups 200] [--seats 20] [--max-party 1]

DATABASE_URL (argument or environment) names a PostgreSQL server; the
benchmark works in its own database ``bench_events`` there (dropped and
created again, then migrated), never in the database the URL names.
Each sign-up is one transaction through EventService.sign_up, started by
its own thread behind a barrier, with the application's connection pool
(10 + 10 overflow, as in production). Prints the confirmed and waiting
counts, checks them, and prints the latency of a sign-up as a resident's
worker would see it (waiting for a connection and for the event's row
lock included).
"""
from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import threading
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import select  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from bot.cli import migrate  # noqa: E402
from bot.db import Database  # noqa: E402
from bot.models import Event, Resident, SignUp, utcnow  # noqa: E402
from bot.municipality import load_profile  # noqa: E402
from bot.services.events import EventService  # noqa: E402
from bot.services.events.staff import EventDraft  # noqa: E402

DEFAULT_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
BENCH_DATABASE = "bench_events"


def bench_database(url: str) -> str:
    """Drop and create ``bench_events`` on the server of ``url``; return its URL."""
    import psycopg

    parsed = make_url(url)
    if not parsed.drivername.startswith("postgresql"):
        raise SystemExit("this benchmark needs PostgreSQL: pass postgresql+psycopg://user@host:port/db")
    admin = parsed.set(drivername="postgresql", database="postgres").render_as_string(hide_password=False)
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{BENCH_DATABASE}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{BENCH_DATABASE}"')
    return parsed.set(database=BENCH_DATABASE).render_as_string(hide_password=False)


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * pct / 100))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("database_url", nargs="?", default=os.environ.get("DATABASE_URL") or DEFAULT_URL)
    parser.add_argument("--signups", type=int, default=200)
    parser.add_argument("--seats", type=int, default=20)
    parser.add_argument("--max-party", type=int, default=1, help="party sizes are drawn from 1..max-party")
    parser.add_argument("--seed", type=int, default=6)
    args = parser.parse_args()

    url = bench_database(args.database_url)
    migrate(url)
    db = Database(url)
    profile = load_profile("iwaki")
    rng = random.Random(args.seed)
    parties = [rng.randint(1, args.max_party) for _ in range(args.signups)]

    with db.transaction() as session:
        starts_at = utcnow() + timedelta(days=7)
        event = EventService(session, profile).create_event(EventDraft(
            title="ベンチマーク サロン", kind="salon", area_code="taira", venue_name="平 中央公民館",
            starts_at=starts_at, ends_at=starts_at + timedelta(hours=2),
            capacity=args.seats, max_party_size=min(args.max_party, args.seats),
        ))
        event_id = event.id
        residents = [Resident(line_user_id=f"U{n:032x}", display_name=f"住民{n}", is_following=True)
                     for n in range(args.signups)]
        session.add_all(residents)
        session.flush()
        resident_ids = [resident.id for resident in residents]

    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    barrier = threading.Barrier(args.signups + 1)

    def sign_up(index: int) -> None:
        barrier.wait()
        started = time.perf_counter()
        try:
            with db.transaction() as session:
                EventService(session, profile).sign_up(
                    event_id, resident=session.get(Resident, resident_ids[index]),
                    party_size=parties[index], name=f"住民{index}",
                )
        except Exception as error:  # noqa: BLE001 - counted and reported
            with lock:
                errors.append(type(error).__name__)
            return
        with lock:
            latencies.append((time.perf_counter() - started) * 1000)

    threads = [threading.Thread(target=sign_up, args=(n,)) for n in range(args.signups)]
    for thread in threads:
        thread.start()
    barrier.wait()
    began = time.perf_counter()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - began

    with db.transaction() as session:
        signups = list(session.scalars(select(SignUp).where(SignUp.event_id == event_id)))
        capacity = session.get(Event, event_id).capacity
    confirmed = [s for s in signups if s.status == SignUp.CONFIRMED]
    waiting = sorted((s for s in signups if s.status == SignUp.WAITING), key=lambda s: s.waiting_position)
    seats_taken = sum(s.party_size for s in confirmed)
    db.dispose()

    ok = (
        not errors
        and seats_taken <= capacity
        and [s.waiting_position for s in waiting] == list(range(1, len(waiting) + 1))
        and [s.id for s in waiting] == sorted(s.id for s in waiting)
        and all(s.party_size > capacity - seats_taken for s in waiting)
    )
    server = make_url(url).set(password=None).render_as_string()
    print(f"database={server} signups={args.signups} seats={args.seats} party=1..{args.max_party} "
          f"pool=10+10 connections")
    print(f"confirmed={len(confirmed)} (seats taken {seats_taken}/{capacity}) waiting={len(waiting)} "
          f"errors={len(errors)} invariants={'ok' if ok else 'VIOLATED'}")
    print(f"sign-up latency ms p50={percentile(latencies, 50):.1f} p95={percentile(latencies, 95):.1f} "
          f"p99={percentile(latencies, 99):.1f} max={max(latencies):.1f} mean={statistics.fmean(latencies):.1f}")
    print(f"all {args.signups} decided in {wall:.2f} s ({args.signups / wall:.0f} sign-ups/s)")
    if not ok:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
