"""Does the webhook wait behind LINE? Ack latency while LINE's API answers every call after 3 s.

    python bench/stall.py [--rate 5] [--duration 20] [--rounds 3] [--line-delay 3] [--backends sqlite,postgresql]

Starts the Procfile's web (gunicorn) and worker (huey_consumer) commands as
subprocesses, as bench/e2e.py does, pointed at a fake LINE platform on
loopback that answers every call (profile, reply, push, loading animation,
rich menu) after ``--line-delay`` seconds. Webhook deliveries go out at a
steady ``--rate`` per second, whether or not the last ones were answered
(LINE does not wait either): ``--follow-share`` of them are new residents
adding the account (the worker asks LINE for their profile), the rest the
usual mix of text, taps, stickers and locations (bench/load.py) by
residents who followed before. Reports the latency of each webhook POST
(p50/p95/p99/max) and how many profile calls LINE answered meanwhile (more
than the follows: every task of a new resident's source asks for the
profile while LINE is slow to give it). The shared machine's speed drifts
and one late answer is the whole p99 of a hundred, so each back end runs
in ``--rounds`` interleaved rounds and the median round counts; every
round's p99 and max are shown too. Writes bench/results/stall.json. Goal: p99 under 200 ms and max under 1 s
on each back end: the worker must never hold the database while it waits
for LINE.
"""
from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import os
import random
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import load  # noqa: E402
from bench.common import (  # noqa: E402
    POSTGRES, REDIS, SECRET, TOKEN, available, bot_environment, describe, fresh_database, gunicorn, huey_consumer,
    machine, migrate, ms, procfile, table, write_results,
)
from bench.slow_platform import BenchPlatform  # noqa: E402
from simulator.platform import serve  # noqa: E402

GOAL_P99_MS, GOAL_MAX_MS = 200.0, 1000.0


class Traffic:
    """Webhook deliveries at a steady rate, one event each: new residents following, known ones writing."""

    def __init__(self, platform: BenchPlatform, webhook: str, args: argparse.Namespace) -> None:
        self.platform, self.args = platform, args
        self.parts = urlsplit(webhook)
        self.rng = random.Random(args.seed)
        self.residents: list[str] = []
        self.local = threading.local()
        self.connections: list[http.client.HTTPConnection] = []  # every one opened, closed at the end
        self.lock = threading.Lock()
        self.acks: list[float] = []
        self.failures: dict[str, int] = {}  # what a failed POST got: its status, or the exception
        self.follows = 0

    def next_event(self, number: int) -> dict:
        if not self.residents or self.rng.random() < self.args.follow_share:
            user = f"U{number:032x}"
            self.platform.set_profile(user, f"住民{number}", self.rng.choice(("ja", "ja", "en", "zh-Hans", "vi")))
            self.residents.append(user)
            self.follows += 1
            event = load.make_event(self.rng, user)
            event.pop("message", None), event.pop("postback", None)
            event.update(type="follow", follow={"isUnblocked": False})
            return event
        while True:  # the usual mix without its follows: the followers are the new residents above
            event = load.make_event(self.rng, self.rng.choice(self.residents))
            if event["type"] != "follow":
                return event

    def post(self, body: bytes, counted: bool) -> None:
        """POST one delivery; a kept-alive connection gunicorn closed meanwhile is opened again once (as e2e does)."""
        headers = {"Content-Type": "application/json", "X-Line-Signature": load.sign(body, SECRET)}
        started = time.perf_counter()
        for _ in range(2):
            reused = getattr(self.local, "connection", None) is not None
            if not reused:
                self.local.connection = http.client.HTTPConnection(self.parts.hostname, self.parts.port, timeout=30)
                with self.lock:
                    self.connections.append(self.local.connection)
            connection = self.local.connection
            try:
                connection.request("POST", self.parts.path, body, headers)
                response = connection.getresponse()
                response.read()
                outcome = str(response.status)
                break
            except (OSError, http.client.HTTPException) as exc:
                connection.close()
                self.local.connection = None
                outcome = type(exc).__name__
                stale = reused and isinstance(exc, (http.client.RemoteDisconnected, ConnectionResetError,
                                                    BrokenPipeError))
                if not stale:
                    break
        elapsed = time.perf_counter() - started
        if counted:
            with self.lock:
                if outcome == "200":
                    self.acks.append(elapsed)
                else:
                    self.failures[outcome] = self.failures.get(outcome, 0) + 1

    def drive(self) -> dict:
        args = self.args
        total = int((args.warmup + args.duration) * args.rate)
        warmup_events = int(args.warmup * args.rate)
        start = time.perf_counter()
        profiles_before = 0
        with ThreadPoolExecutor(args.connections) as pool:
            for number in range(total):
                due = start + number / args.rate
                time.sleep(max(0.0, due - time.perf_counter()))
                if number == warmup_events:
                    profiles_before = self.platform.profile_calls
                body = json.dumps({"destination": "U" + "0" * 32, "events": [self.next_event(number)]},
                                  ensure_ascii=False).encode()
                pool.submit(self.post, body, number >= warmup_events)
        for connection in self.connections:
            connection.close()
        acks = self.acks
        return {"events_sent": total, "events_counted": total - warmup_events, "follows": self.follows,
                "acknowledged": len(acks), "failed": sum(self.failures.values()), "failures": self.failures,
                "profile_calls_answered": self.platform.profile_calls - profiles_before,
                "ack_ms": {**ms(acks, 50, 95, 99), "max": round(max(acks, default=float("nan")) * 1000, 1)}}


class StallingPlatform(BenchPlatform):
    """LINE answering every call after ``delay`` seconds, counting the profile calls it answered."""

    def __init__(self, channel_access_token: str, delay: float) -> None:
        super().__init__(channel_access_token, reply_delay=0.0, accept_unissued_tokens=True)
        self.delay = delay
        self.profile_calls = 0

    def wsgi_app(self):  # noqa: ANN201
        app = super().wsgi_app()
        app.before_request_funcs.setdefault(None, []).insert(0, lambda: time.sleep(self.delay))
        return app

    def _profile(self, user_id: str):  # noqa: ANN202
        try:
            return super()._profile(user_id)
        finally:
            with self._lock:
                self.profile_calls += 1


def backend_urls(backend: str, args: argparse.Namespace, tmp: Path) -> tuple[str, str]:
    """(DATABASE_URL, REDIS_URL) of a fresh database and an empty queue."""
    if backend == "sqlite":
        return f"sqlite:///{tempfile.mkdtemp(dir=tmp)}/stall.db", ""
    database = f"{POSTGRES}/{args.database}"
    fresh_database(database)
    import redis

    redis.Redis.from_url(args.redis).flushdb()
    return database, args.redis


def worker_processes(backend: str) -> int:
    # As bench/e2e.py and the README advise: one on SQLite, one per core on PostgreSQL.
    return 1 if backend == "sqlite" else (os.cpu_count() or 1)


def run_once(backend: str, args: argparse.Namespace, tmp: Path) -> dict:
    """Start the Procfile's processes on a fresh database, send the traffic, stop them."""
    platform = StallingPlatform(TOKEN, args.line_delay)
    line = serve(platform)
    try:
        database, redis_url = backend_urls(backend, args, tmp)
        migrate(database)
        # What the last run left to write back reaches the disk now, not during this one's commits.
        os.sync()
        env = bot_environment(database, redis_url, line.url, Path(tempfile.mkdtemp(dir=tmp)))
        with gunicorn(env) as web, contextlib.ExitStack() as workers:
            for _ in range(worker_processes(backend)):
                workers.enter_context(huey_consumer(env))
            return Traffic(platform, web.url + "/callback", args).drive()
    finally:
        line.shutdown()


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rate", type=float, default=5.0, help="webhook deliveries per second (one event each)")
    parser.add_argument("--duration", type=float, default=20.0, help="measured seconds of sending")
    parser.add_argument("--warmup", type=float, default=3.0, help="not counted: the first residents follow")
    parser.add_argument("--rounds", type=int, default=3,
                        help="each back end is measured once per round (interleaved); the median round by p99 counts")
    parser.add_argument("--line-delay", type=float, default=3.0, help="seconds LINE's API takes to answer any call")
    parser.add_argument("--follow-share", type=float, default=0.05, help="share of events that are new followers")
    parser.add_argument("--connections", type=int, default=32, help="sender threads (keep-alive connections)")
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--database", default="bench_stall", help="PostgreSQL database (dropped and created)")
    parser.add_argument("--redis", default=REDIS, help="Redis database (flushed)")
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args(argv)
    facts = machine()
    tmp = Path(tempfile.mkdtemp(prefix="bench-stall-"))
    backends = [b for b in args.backends.split(",") if b and available(b)]
    for skipped in sorted(set(b for b in args.backends.split(",") if b) - set(backends)):
        print(f"skipping {skipped}: PostgreSQL/Redis do not answer on 127.0.0.1", file=sys.stderr)
    runs: dict[str, list[dict]] = {backend: [] for backend in backends}
    for round_number in range(args.rounds):
        for backend in backends:
            result = run_once(backend, args, tmp)
            runs[backend].append(result)
            print(f"  round {round_number + 1}, {backend}: {result}", file=sys.stderr)
    cases = []
    for backend, results in runs.items():
        median = sorted(results, key=lambda result: result["ack_ms"]["p99"])[len(results) // 2]
        ack = median["ack_ms"]
        cases.append({"case": "PostgreSQL + Redis" if backend == "postgresql" else "SQLite", "backend": backend,
                      **median, "meets_goal": ack["p99"] < GOAL_P99_MS and ack["max"] < GOAL_MAX_MS
                      and median["failed"] == 0, "rounds": [result["ack_ms"] for result in results]})
    rows = [[c["case"], c["events_counted"], c["follows"], c["profile_calls_answered"],
             f"{c['ack_ms']['p50']} / {c['ack_ms']['p95']} / {c['ack_ms']['p99']} / {c['ack_ms']['max']}",
             ", ".join(f"{r['p99']} / {r['max']}" for r in c["rounds"]), c["failed"],
             "yes" if c["meets_goal"] else "no"] for c in cases]
    text = table(["back end", "events counted", "follows (incl. warm-up)", "profile calls LINE answered",
                  "ack ms p50 / p95 / p99 / max (median round)", "p99 / max of each round", "failed POSTs",
                  f"p99 < {GOAL_P99_MS:g} ms and max < {GOAL_MAX_MS:g} ms"], rows)
    settings = {"procfile_web": procfile("web"), "procfile_worker": procfile("worker"), "rate": args.rate,
                "duration_s": args.duration, "warmup_s": args.warmup, "rounds": args.rounds,
                "line_delay_s": args.line_delay, "follow_share": args.follow_share, "connections": args.connections,
                "worker_processes": {backend: worker_processes(backend) for backend in backends}}
    print(describe(facts))
    print(f"settings: {settings}")
    print(text)
    payload = {"benchmark": "stall", "machine": facts, "settings": settings, "cases": cases, "table": text}
    print(f"wrote {write_results('stall', payload, args.out)}")
    return payload


if __name__ == "__main__":
    main()
