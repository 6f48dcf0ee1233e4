"""How fast the webhook answers LINE, and how fast the worker gets through events.

    python bench/webhook.py [--events 2000] [--concurrency 16] [--database URL] [--redis URL]

Runs the real app under gunicorn-like threading (werkzeug threaded server on
loopback), a fake LINE platform on loopback, and the worker in this process
with 4 threads. Prints webhook latency p50/p95/p99, worker throughput and
peak memory. Targets: p95 well under LINE's 2 s (we aim for < 50 ms), and
the worker keeping up with a busy city's evening peak.
"""
from __future__ import annotations

import argparse
import json
import resource
import statistics
import sys
import tempfile
import threading
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import logging  # noqa: E402

from werkzeug.serving import make_server  # noqa: E402

from bot import create_app  # noqa: E402
from bot.cli import migrate  # noqa: E402
from simulator.platform import LinePlatform, serve  # noqa: E402
from tests.support import ThreadedWorker, event_envelope, sign  # noqa: E402

SECRET, TOKEN = "bench-secret", "bench-token"


def fresh_database(url: str) -> None:
    """Create (or empty) the benchmark's own PostgreSQL database."""
    if not url.startswith("postgresql"):
        return
    import psycopg
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    admin = parsed.set(drivername="postgresql", database="postgres").render_as_string(hide_password=False)
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{parsed.database}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{parsed.database}"')


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * pct / 100))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=2000)
    parser.add_argument("--residents", type=int, default=200)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--database", default="")
    parser.add_argument("--redis", default="")
    args = parser.parse_args()

    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    tmp = Path(tempfile.mkdtemp())
    database = args.database or f"sqlite:///{tmp / 'bench.db'}"
    fresh_database(database)
    migrate(database)
    platform = LinePlatform(TOKEN)
    line = serve(platform)
    app = create_app({
        "LINE_CHANNEL_SECRET": SECRET, "LINE_CHANNEL_ACCESS_TOKEN": TOKEN, "LINE_API_ENDPOINT": line.url,
        "DATABASE_URL": database, "REDIS_URL": args.redis, "HUEY_FILE": str(tmp / "queue.db"),
        "SECRET_KEY": "bench", "SIMULATOR": False,
    })
    app.extensions["tsunagu"].huey.flush()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_port}/callback"

    users = [f"U{n:032x}" for n in range(args.residents)]
    bodies = []
    for n in range(args.events):
        user = users[n % len(users)]
        event = event_envelope("message", user, reply_token=platform.issue_reply_token(user),
                               message={"type": "text", "id": str(n), "text": "メニュー", "quoteToken": "q"})
        body = json.dumps({"destination": "U0", "events": [event]}, ensure_ascii=False).encode()
        bodies.append(body)

    def deliver(body: bytes) -> float:
        request = urllib.request.Request(url, data=body, method="POST",
                                         headers={"X-Line-Signature": sign(body, SECRET),
                                                  "Content-Type": "application/json"})
        start = time.perf_counter()
        with urllib.request.urlopen(request, timeout=10) as response:
            assert response.status == 200
        return time.perf_counter() - start

    start = time.perf_counter()
    with ThreadPoolExecutor(args.concurrency) as pool:
        latencies = list(pool.map(deliver, bodies))
    webhook_seconds = time.perf_counter() - start

    start = time.perf_counter()
    ThreadedWorker(app, threads=4).run_until_idle(timeout=600)
    worker_seconds = time.perf_counter() - start
    sent = len(platform.sent)
    server.shutdown()
    line.shutdown()

    backend = "PostgreSQL" if database.startswith("postgresql") else "SQLite"
    queue = "Redis" if args.redis else "SQLite"
    print(f"database={backend} queue={queue} events={args.events} residents={args.residents} "
          f"concurrency={args.concurrency}")
    print(f"webhook: {args.events / webhook_seconds:.0f} req/s, latency ms p50={percentile(latencies, 50)*1000:.1f} "
          f"p95={percentile(latencies, 95)*1000:.1f} p99={percentile(latencies, 99)*1000:.1f} "
          f"max={max(latencies)*1000:.1f} mean={statistics.mean(latencies)*1000:.1f}")
    print(f"worker (4 threads): {args.events / worker_seconds:.0f} events/s, replies delivered={sent}")
    print(f"peak RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")


if __name__ == "__main__":
    main()
