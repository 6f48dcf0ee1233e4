"""The figures page for a fiscal year of 1,000,000 consultation records and 200,000 sign-ups.

    python bench/figures.py [--records 1000000] [--signups 200000] [--backends postgresql] [--repeat 10] [--keep]
                            [--database postgresql+psycopg://...]

Fills the benchmark's own database (``bench_figures`` on PostgreSQL at
127.0.0.1; ``--backends sqlite`` for SQLite) by bulk inserts through
SQLAlchemy core, spread over the last fiscal year like a city's records:
centres by population, 5% not yet routed, most closed (with an outcome and
staff's first step), some escalated to 多機関協働, one or two categories
each; salons and events (about ten sign-ups a date, some waiting). Bulk
inserts bypass the session, so the daily summary is then recounted once
(``FigureSummary.rebuild``; its time is reported as ``summary_seconds``).
``--keep`` reuses a database a previous run filled (PostgreSQL).

Then asks the real Flask app (the test client, logged in as the coordinator
and as a 小名浜 centre member of staff) for the figures page of that fiscal
year in meeting and staff mode, one CSV and the print view, ``--repeat``
times each after one unmeasured request, and reports p50/p95 (server time,
the page rendered with its charts). Over 1 second at p95 is marked SLOW.
Writes bench/results/figures.json.
"""
from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import func, insert, select  # noqa: E402

from bench.admin_queue import CENTRE_WEIGHTS, log_in, make_app  # noqa: E402
from bench.common import (  # noqa: E402
    POSTGRES, available, describe, fresh_database, machine, migrate, ms, table, write_results,
)
from bot.models import Resident  # noqa: E402
from bot.models.events import Event, SignUp  # noqa: E402
from bot.models.intake import IntakeRecord  # noqa: E402
from bot.models.workflow import RecordEvent, RecordWorkflow  # noqa: E402
from bot.services.figures import FigureSummary, Period  # noqa: E402
from bot.services.routing import centre_for_area  # noqa: E402

SLOW_MS = 1000.0
KINDS = ("salon", "salon", "salon", "orange_cafe", "rehab_exercise", "kaigo_yobo", "kosodate", "intergenerational")


def fiscal_year() -> Period:
    """The last whole fiscal year (April to March) before today."""
    today = datetime.now(timezone.utc).date()
    return Period.fiscal_year_of(today.replace(year=today.year - 1))


def generate(app, records: int, signups: int, seed: int = 19) -> float:  # noqa: ANN001, PLR0915
    """Insert the fiscal year's records, workflow facts, first steps, events and sign-ups; return the seconds."""
    tsunagu = app.extensions["tsunagu"]
    profile = tsunagu.profile
    rng = random.Random(seed)
    year = fiscal_year()
    start = datetime(year.start.year, 4, 1, tzinfo=timezone.utc) - timedelta(hours=9)
    seconds = (year.end - year.start).days * 86400 + 86399
    centres, weights = list(CENTRE_WEIGHTS), list(CENTRE_WEIGHTS.values())
    areas_of = {code: [a.code for a in profile.areas if centre_for_area(profile, a.code).code == code]
                for code in centres}
    categories = [c.code for c in profile.categories]
    outcomes = [o.code for o in profile.outcomes]
    started = time.perf_counter()
    chunk = 5000
    with tsunagu.db.engine.begin() as connection:
        first_resident = connection.scalar(select(func.coalesce(func.max(Resident.id), 0))) + 1
        residents = max(1, records // 3)
        for offset in range(0, residents, chunk):
            connection.execute(insert(Resident.__table__), [
                {"id": first_resident + n, "line_user_id": f"U{first_resident + n:032x}", "locale": "ja",
                 "display_name": "住民", "is_following": True} for n in range(offset, min(residents, offset + chunk))])
        first_id = connection.scalar(select(func.coalesce(func.max(IntakeRecord.id), 0))) + 1
        for offset in range(0, records, chunk):
            rows, workflows, steps = [], [], []
            for n in range(offset, min(records, offset + chunk)):
                record_id = first_id + n
                created = start + timedelta(seconds=rng.randrange(seconds))
                centre = None if rng.random() < 0.05 else rng.choices(centres, weights)[0]
                area = rng.choice(areas_of[centre]) if centre else None
                status = rng.choices(("closed", "in_progress", "escalated", "withdrawn", "new"), (70, 18, 3, 3, 6))[0]
                first_step = created + timedelta(hours=rng.expovariate(1 / 20))
                closed = created + timedelta(days=rng.expovariate(1 / 25)) if status == "closed" else None
                rows.append({
                    "id": record_id, "municipality": profile.code, "receipt_number": f"BF-{record_id:08d}",
                    "resident_id": first_resident + rng.randrange(residents), "source": "intake",
                    "subject": rng.choice(("self", "self", "family", "neighbour")),
                    "categories": rng.sample(categories, rng.choice((1, 1, 2))), "area_code": area,
                    "area_source": "chosen" if area else "unknown", "centre_code": centre,
                    "urgency": rng.choice(("now", "days", "days", "anytime", "anytime")), "urgent": False,
                    "danger_kinds": [], "contact_method": "line", "legal_basis": "consent", "consent_at": created,
                    "consent_version": "2026-04", "status": status, "flags": [], "created_at": created,
                    "updated_at": created, "closed_at": closed,
                    "withdrawn_at": created + timedelta(days=2) if status == "withdrawn" else None,
                })
                escalated = status == "escalated" or (status == "closed" and rng.random() < 0.03)
                if status != "new":
                    workflows.append({"record_id": record_id, "outcome": rng.choice(outcomes) if closed else None,
                                      "escalated_at": first_step if escalated else None})
                    steps.append({"record_id": record_id, "at": first_step, "actor_kind": "staff", "action": "start",
                                  "from_status": "new", "to_status": "in_progress", "details": {}})
            connection.execute(insert(IntakeRecord.__table__), rows)
            if workflows:
                connection.execute(insert(RecordWorkflow.__table__), workflows)
                connection.execute(insert(RecordEvent.__table__), steps)
        first_event = connection.scalar(select(func.coalesce(func.max(Event.id), 0))) + 1
        dates = max(1, signups // 10)
        events = []
        for n in range(dates):
            centre = rng.choices(centres, weights)[0]
            starts = start + timedelta(days=rng.randrange(365), hours=rng.choice((1, 2, 4, 5)))
            events.append({"id": first_event + n, "title": "サロン", "kind": rng.choice(KINDS),
                           "area_code": rng.choice(areas_of[centre]), "centre_code": centre,
                           "venue_name": f"集会所{rng.randrange(400)}", "starts_at": starts, "capacity": 12,
                           "max_party_size": 2, "status": "cancelled" if rng.random() < 0.03 else "scheduled",
                           "created_at": starts - timedelta(days=30), "updated_at": starts - timedelta(days=30)})
        for offset in range(0, len(events), chunk):
            connection.execute(insert(Event.__table__), events[offset:offset + chunk])
        for offset in range(0, signups, chunk):
            connection.execute(insert(SignUp.__table__), [
                {"event_id": first_event + rng.randrange(dates), "resident_id": None, "party_size": rng.choice((1, 1, 2)),
                 "name": "参加者", "status": rng.choices(("attended", "confirmed", "waiting", "cancelled"), (70, 15, 5, 10))[0],
                 "source": "staff", "created_at": start, "updated_at": start}
                for _ in range(offset, min(signups, offset + chunk))])
        if connection.dialect.name == "postgresql":
            connection.exec_driver_sql("ANALYZE")
    return time.perf_counter() - started


def rebuild(app) -> float:  # noqa: ANN001
    """Recount the daily summary for the whole year (bulk inserts bypass the session that marks days)."""
    year = fiscal_year()
    started = time.perf_counter()
    with app.extensions["tsunagu"].db.transaction() as session:
        FigureSummary(session).rebuild(year.start, year.end + timedelta(days=365))
    engine = app.extensions["tsunagu"].db.engine
    if engine.dialect.name == "postgresql":  # as autovacuum would soon after: the rows a recount replaced are gone
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.exec_driver_sql("VACUUM ANALYZE figure_counts")
    return time.perf_counter() - started


def measure(browsers: dict, repeat: int) -> list[dict]:
    value = str(fiscal_year().start.year)
    wanted = [
        ("coordinator", "fiscal year, meeting mode", f"/admin/figures/?period=year&value={value}"),
        ("coordinator", "fiscal year, staff mode", f"/admin/figures/?period=year&value={value}&mode=staff"),
        ("coordinator", "one month", f"/admin/figures/?period=month&value={value}-10"),
        ("coordinator", "CSV of one table", f"/admin/figures/export.csv?table=categories&period=year&value={value}"),
        ("coordinator", "print view", f"/admin/figures/print?period=year&value={value}"),
        ("centre staff", "fiscal year, meeting mode", f"/admin/figures/?period=year&value={value}"),
    ]
    results = []
    for who, what, url in wanted:
        timings = []
        for attempt in range(repeat + 1):
            started = time.perf_counter()
            response = browsers[who].get(url)
            elapsed = time.perf_counter() - started
            assert response.status_code == 200, (url, response.status_code)
            if attempt:
                timings.append(elapsed)
        latency = ms(timings, 50, 95)
        results.append({"who": who, "page": what, "url": url, "latency_ms": latency, "slow": latency["p95"] > SLOW_MS})
    return results


def run_backend(backend: str, args: argparse.Namespace, tmp: Path) -> dict:
    if backend == "sqlite":
        database = f"sqlite:///{tmp / 'bench_figures.db'}"
    else:
        database = args.database or f"{POSTGRES}/bench_figures"
        if not args.keep:
            fresh_database(database)
    migrate(database)
    app = make_app(database, tmp)
    with app.extensions["tsunagu"].db.engine.connect() as connection:
        filled = connection.scalar(select(func.count()).select_from(IntakeRecord)) >= args.records
    fill_seconds = 0.0
    if not (args.keep and filled):
        fill_seconds = generate(app, args.records, args.signups)
    summary_seconds = rebuild(app)  # also after --keep: the summary's rules may have changed since
    suffix = f"{int(time.time() * 1000)}"
    browsers = {"coordinator": log_in(app, f"coordinator{suffix}@bench.example.jp", "調整 一郎", "coordinator", ()),
                "centre staff": log_in(app, f"onahama{suffix}@bench.example.jp", "小名浜 花子", "centre_staff",
                                       ("onahama",))}
    results = measure(browsers, args.repeat)
    app.extensions["tsunagu"].db.engine.dispose()
    return {"backend": backend, "records": args.records, "signups": args.signups,
            "fill_seconds": round(fill_seconds, 1), "summary_seconds": round(summary_seconds, 1), "pages": results}


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--signups", type=int, default=200_000)
    parser.add_argument("--backends", default="postgresql")
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--keep", action="store_true", help="reuse the database a previous run filled (PostgreSQL)")
    parser.add_argument("--database", default="", help="a PostgreSQL URL to fill instead of bench_figures")
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args(argv)
    facts = machine()
    tmp = Path(tempfile.mkdtemp(prefix="bench-figures-"))
    cases = []
    for backend in [b for b in args.backends.split(",") if b]:
        if not available(backend):
            print(f"skipping {backend}: PostgreSQL does not answer on 127.0.0.1", file=sys.stderr)
            continue
        cases.append(run_backend(backend, args, tmp))
        print(f"  {backend}: {args.records} records, {args.signups} sign-ups in {cases[-1]['fill_seconds']} s, "
              f"summary in {cases[-1]['summary_seconds']} s", file=sys.stderr)
    rows = [[case["backend"], page["who"], page["page"], page["latency_ms"]["p50"], page["latency_ms"]["p95"],
             "SLOW" if page["slow"] else ""] for case in cases for page in case["pages"]]
    text = table(["back end", "as", "page", "p50 ms", "p95 ms", ""], rows)
    settings = {"records": args.records, "signups": args.signups, "repeat": args.repeat, "slow_ms": SLOW_MS,
                "client": "Flask test client"}
    print(describe(facts))
    print(f"settings: {settings}")
    print(text)
    payload = {"benchmark": "figures", "machine": facts, "settings": settings, "cases": cases, "table": text}
    print(f"wrote {write_results('figures', payload, args.out)}")
    return payload


if __name__ == "__main__":
    main()
