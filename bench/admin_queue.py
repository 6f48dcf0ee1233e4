"""The admin view's intake queue with 100,000 consultation records.

    python bench/admin_queue.py [--records 100000] [--backends postgresql] [--repeat 15] [--without-0009]

Fills the benchmark's own database (``bench_admin`` on PostgreSQL at
127.0.0.1; ``--backends sqlite`` or ``postgresql,sqlite`` for SQLite too)
with ``--records`` records and one message each, by bulk inserts through
SQLAlchemy core, spread like a city's three years: centres by population,
5% not yet routed, older records mostly closed, 3% urgent, one or two
categories each; a resident (LINE display name) for every two records, a
phone number on a third of them, the person's name when about someone else.
Then asks the real Flask app (the test client, logged in
as the coordinator and as a 小名浜 centre member of staff) for the queue
page with the common filters, name and phone searches, and for record and
resident (本人ページ) pages, ``--repeat`` times
each after one unmeasured request, and reports p50/p95 (server time,
the page rendered). Filters whose p95 is over 300 ms are marked SLOW.
Writes bench/results/admin_queue.json.
"""
from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import func, insert, select  # noqa: E402

from bench.common import (  # noqa: E402
    POSTGRES, SECRET, TOKEN, available, describe, fresh_database, machine, migrate, ms, table, write_results,
)
from bot import create_app  # noqa: E402
from bot.models import Resident  # noqa: E402
from bot.models.intake import IntakeMessage, IntakeRecord  # noqa: E402
from bot.services.routing import centre_for_area  # noqa: E402

SLOW_MS = 300.0
PASSWORD = "correct-horse-battery-staple"
CENTRE_WEIGHTS = {"taira": 32, "onahama": 16, "nakoso_tabito": 15, "joban_tono": 11, "uchigo_yoshima_miwa": 14,
                  "yotsukura_hisanohama_ohisa": 5, "ogawa_kawamae": 3}
STORIES = ("母の介護のことで相談したいです。夜に眠れないようで心配です。", "生活費が足りず、家賃の支払いが遅れています。",
           "息子が仕事を辞めてから家にこもりがちです。", "子どもの発達のことで話を聞いてほしいです。",
           "近所の高齢の方の姿を最近見かけません。", "病院の費用のことで困っています。", "仕事が見つからず不安です。",
           "夫の言葉がきつく、家にいるのがつらいです。", "障がいのある兄の今後の暮らしについて相談したいです。",
           "買い物やごみ出しが難しくなってきました。")
SURNAMES = ("山田", "佐藤", "鈴木", "高橋", "田中", "渡辺", "伊藤", "中村", "小林", "加藤", "ヤマダ", "さとう")
GIVEN_NAMES = ("花子", "太郎", "一郎", "ゆき", "ケン", "美咲", "翔", "さくら")


def generate(app, count: int, seed: int = 12) -> float:  # noqa: ANN001
    """Insert ``count`` records and one details message each; return the seconds it took."""
    tsunagu = app.extensions["tsunagu"]
    profile = tsunagu.profile
    rng = random.Random(seed)
    centres, weights = list(CENTRE_WEIGHTS), list(CENTRE_WEIGHTS.values())
    areas_of = {code: [a.code for a in profile.areas if centre_for_area(profile, a.code).code == code]
                for code in centres}
    categories = [c.code for c in profile.categories]
    now = datetime.now(timezone.utc)
    started = time.perf_counter()
    numbers: dict[int, int] = {}
    chunk = 5000
    with tsunagu.db.engine.begin() as connection:
        first_id = connection.scalar(select(func.coalesce(func.max(IntakeRecord.id), 0))) + 1
        first_resident = connection.scalar(select(func.coalesce(func.max(Resident.id), 0))) + 1
        residents = max(1, count // 2)
        for offset in range(0, residents, chunk):
            connection.execute(insert(Resident.__table__), [
                {"id": first_resident + n, "line_user_id": f"U{first_resident + n:032x}", "locale": "ja",
                 "display_name": f"{rng.choice(SURNAMES)} {rng.choice(GIVEN_NAMES)}", "is_following": True}
                for n in range(offset, min(residents, offset + chunk))])
        for offset in range(0, count, chunk):
            records, messages = [], []
            for n in range(offset, min(count, offset + chunk)):
                # Three years, more of them recent.
                age = timedelta(days=1095 * rng.random() ** 1.5, seconds=rng.randrange(86400))
                created = now - age
                numbers[created.year] = numbers.get(created.year, 0) + 1
                centre = None if rng.random() < 0.05 else rng.choices(centres, weights)[0]
                area = rng.choice(areas_of[centre]) if centre else None
                status = _status(rng, age.days, centre)
                urgent = rng.random() < 0.03
                subject = rng.choice(("self", "self", "family", "neighbour"))
                phone = f"090{rng.randrange(10**8):08d}" if rng.random() < 0.33 else None
                records.append({
                    "id": first_id + n, "municipality": profile.code,
                    "receipt_number": f"IW-{created.year}-{numbers[created.year]:06d}",
                    "resident_id": first_resident + rng.randrange(residents),
                    "source": "intake", "subject": subject,
                    "person_name": f"{rng.choice(SURNAMES)} {rng.choice(GIVEN_NAMES)}" if subject != "self" else None,
                    "categories": rng.sample(categories, rng.choice((1, 1, 2))),
                    "area_code": area, "area_source": "chosen" if area else "unknown", "centre_code": centre,
                    "urgency": rng.choice(("now", "days", "days", "anytime", "anytime")),
                    "urgent": urgent, "urgent_at": created if urgent else None, "danger_kinds": [],
                    "contact_method": "phone" if phone else rng.choice(("line", "meet")), "phone": phone,
                    "contact_times": None,
                    "legal_basis": "consent", "consent_at": created, "consent_version": "2026-04",
                    "status": status, "flags": [], "created_at": created, "updated_at": created,
                    "withdrawn_at": created if status == "withdrawn" else None,
                    "closed_at": created + timedelta(days=30) if status == "closed" else None,
                })
                messages.append({"record_id": first_id + n, "direction": "resident", "phase": "details",
                                 "kind": "text", "text": rng.choice(STORIES), "created_at": created})
            connection.execute(insert(IntakeRecord.__table__), records)
            connection.execute(insert(IntakeMessage.__table__), messages)
        if connection.dialect.name == "postgresql":
            connection.exec_driver_sql("ANALYZE")
    return time.perf_counter() - started


def _status(rng: random.Random, age_days: int, centre: str | None) -> str:
    if age_days > 90:
        return rng.choices(("closed", "withdrawn", "in_progress"), (90, 4, 6))[0]
    if centre is None:
        return rng.choices(("new", "escalated", "closed"), (70, 20, 10))[0]
    return rng.choices(("new", "triaged", "forwarded", "in_progress", "escalated", "closed", "withdrawn"),
                       (15, 15, 5, 45, 3, 14, 3))[0]


def make_app(database: str, tmp: Path):  # noqa: ANN201
    return create_app({
        "DATABASE_URL": database, "REDIS_URL": "", "HUEY_FILE": str(tmp / "queue.db"), "SECRET_KEY": "bench",
        "LINE_CHANNEL_SECRET": SECRET, "LINE_CHANNEL_ACCESS_TOKEN": TOKEN, "LINE_API_ENDPOINT": "http://127.0.0.1:9",
        "SIMULATOR": False, "ADMIN_PASSWORD_METHOD": "scrypt:1024:8:1",
    })


def log_in(app, email: str, name: str, role: str, centres: tuple[str, ...]):  # noqa: ANN001, ANN201
    from tests.admin.conftest import create_staff  # coordinators also set up their second factor
    from tests.admin.support import StaffBrowser

    create_staff(app, email, name, role, centres, password=PASSWORD)
    browser = StaffBrowser(app.test_client())
    response = browser.log_in(email, PASSWORD)
    assert response.status_code == 302, response.status_code
    return browser


def pages(app, rng: random.Random) -> list[tuple[str, str, str]]:  # noqa: ANN001
    """(who, what, url) for the common filters and a few record pages."""
    tsunagu = app.extensions["tsunagu"]
    with tsunagu.db.engine.connect() as connection:
        receipt = connection.scalar(select(IntakeRecord.receipt_number).order_by(IntakeRecord.id.desc()).limit(1)
                                    .offset(500))
        # One of the older numbers (the newest at the minimal size of the CI smoke run).
        numbers = select(IntakeRecord.phone).where(IntakeRecord.phone.is_not(None)).order_by(IntakeRecord.id.desc())
        phone = connection.scalar(numbers.limit(1).offset(500)) or connection.scalar(numbers.limit(1))
        ids = {centre: list(connection.scalars(select(IntakeRecord.id).where(
            IntakeRecord.centre_code == centre).order_by(IntakeRecord.id.desc()).limit(200)))
            for centre in ("onahama", "taira")}
    today = date.today()
    month = {"date_from": (today - timedelta(days=30)).isoformat(), "date_to": today.isoformat()}
    queue = "/admin/records/"
    filters = [
        ("open (default)", {}),
        ("status: new", {"status": "new"}),
        ("all statuses", {"status": "all"}),
        ("centre: 平", {"centre": "taira"}),
        ("urgent", {"urgency": "urgent"}),
        ("last 30 days", {"status": "all", **month}),
        ("category: money", {"category": "money"}),
        ("receipt number", {"status": "all", "q": receipt}),
        ("text search", {"status": "all", "q": "家賃"}),  # two characters: too short for trigrams
        ("text search, 1 character", {"status": "all", "q": "母"}),
        ("text search, phrase", {"status": "all", "q": "眠れないようで"}),
        ("name search, kanji", {"status": "all", "q": "山田"}),
        ("name search, kana", {"status": "all", "q": "やまだ"}),
        ("phone search", {"status": "all", "q": f"{phone[:3]}-{phone[3:7]}-{phone[7:]}"}),
        ("page 20", {"status": "all", "page": "20"}),
        ("triage", {"triage": "y"}),
    ]
    wanted = [("coordinator", what, f"{queue}?{urlencode(params)}") for what, params in filters]
    wanted += [("centre staff", what, f"{queue}?{urlencode(params)}") for what, params in filters
               if what not in ("centre: 平", "triage")]
    wanted += [("coordinator", "record page", f"{queue}{rng.choice(ids['taira'])}") for _ in range(1)]
    wanted += [("centre staff", "record page", f"{queue}{rng.choice(ids['onahama'])}") for _ in range(1)]
    wanted += [(who, "resident page", "/admin/residents/<id>") for who in ("coordinator", "centre staff")]
    return wanted


def measure(browsers: dict, wanted: list[tuple[str, str, str]], repeat: int, rng: random.Random,
            record_ids: dict[str, list[int]], resident_ids: dict[str, list[int]]) -> list[dict]:
    results = []
    for who, what, url in wanted:
        browser = browsers[who]
        timings = []
        for attempt in range(repeat + 1):
            if what == "record page":  # a different record each time
                url = f"/admin/records/{rng.choice(record_ids[who])}"
            elif what == "resident page":  # a resident with a record in the visitor's scope
                url = f"/admin/residents/{rng.choice(resident_ids[who])}"
            started = time.perf_counter()
            response = browser.get(url)
            elapsed = time.perf_counter() - started
            assert response.status_code == 200, (url, response.status_code)
            if attempt:
                timings.append(elapsed)
        latency = ms(timings, 50, 95)
        shown = {"record page": "/admin/records/<id>", "resident page": "/admin/residents/<id>"}.get(what, url)
        results.append({"who": who, "page": what, "url": shown,
                        "latency_ms": latency, "slow": latency["p95"] > SLOW_MS})
    return results


def run_backend(backend: str, args: argparse.Namespace, tmp: Path) -> dict:
    # Not common.backend_urls: the admin view needs no Redis, and emptying the benchmarks' Redis
    # database would disturb another benchmark running at the same time.
    if backend == "sqlite":
        database = f"sqlite:///{tmp / 'bench_admin.db'}"
    else:
        database = f"{POSTGRES}/bench_admin"
        fresh_database(database)
    migrate(database)
    app = make_app(database, tmp)
    if args.without_0009:  # "before": the schema as it was before migration 0009
        with app.extensions["tsunagu"].db.engine.begin() as connection:
            for index in ("ix_intake_records_order", "ix_intake_records_receipt_trgm", "ix_intake_messages_text_trgm"):
                connection.exec_driver_sql(f"DROP INDEX IF EXISTS {index}")
    fill_seconds = generate(app, args.records)
    browsers = {"coordinator": log_in(app, "coordinator@bench.example.jp", "調整 一郎", "coordinator", ()),
                "centre staff": log_in(app, "onahama@bench.example.jp", "小名浜 花子", "centre_staff", ("onahama",))}
    rng = random.Random(3)
    with app.extensions["tsunagu"].db.engine.connect() as connection:
        record_ids = {
            "coordinator": list(connection.scalars(select(IntakeRecord.id).order_by(IntakeRecord.id.desc()).limit(500))),
            "centre staff": list(connection.scalars(select(IntakeRecord.id).where(
                IntakeRecord.centre_code == "onahama").order_by(IntakeRecord.id.desc()).limit(500))),
        }
        resident_ids = {
            "coordinator": list(connection.scalars(select(IntakeRecord.resident_id).order_by(
                IntakeRecord.id.desc()).limit(500))),
            "centre staff": list(connection.scalars(select(IntakeRecord.resident_id).where(
                IntakeRecord.centre_code == "onahama").order_by(IntakeRecord.id.desc()).limit(500))),
        }
    results = measure(browsers, pages(app, rng), args.repeat, rng, record_ids, resident_ids)
    app.extensions["tsunagu"].db.engine.dispose()
    return {"backend": backend, "indexes_0009": not args.without_0009, "records": args.records, "fill_seconds": round(fill_seconds, 1), "pages": results}


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--backends", default="postgresql")
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--without-0009", action="store_true",
                        help="drop migration 0009's queue indexes first (the figures before it; its trigram "
                             "indexes are gone since 0010, whose search indexes stay)")
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args(argv)
    facts = machine()
    tmp = Path(tempfile.mkdtemp(prefix="bench-admin-"))
    cases = []
    for backend in [b for b in args.backends.split(",") if b]:
        if not available(backend):
            print(f"skipping {backend}: PostgreSQL does not answer on 127.0.0.1", file=sys.stderr)
            continue
        cases.append(run_backend(backend, args, tmp))
        print(f"  {backend}: {args.records} records in {cases[-1]['fill_seconds']} s", file=sys.stderr)
    rows = [[case["backend"], page["who"], page["page"], page["latency_ms"]["p50"], page["latency_ms"]["p95"],
             "SLOW" if page["slow"] else ""] for case in cases for page in case["pages"]]
    text = table(["back end", "as", "page", "p50 ms", "p95 ms", ""], rows)
    settings = {"records": args.records, "indexes_0009": not args.without_0009, "repeat": args.repeat, "slow_ms": SLOW_MS, "client": "Flask test client"}
    print(describe(facts))
    print(f"settings: {settings}")
    print(text)
    payload = {"benchmark": "admin_queue", "machine": facts, "settings": settings, "cases": cases, "table": text}
    print(f"wrote {write_results('admin_queue', payload, args.out)}")
    return payload


if __name__ == "__main__":
    main()
