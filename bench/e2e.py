"""End to end: from LINE's webhook POST to our reply arriving at LINE, at a steady rate.

    python bench/e2e.py [--rates 25,100] [--duration 15] [--backends sqlite,postgresql]

Starts the Procfile's web (gunicorn) and worker (huey_consumer) commands as
subprocesses, pointed at a fake LINE platform on loopback in this process.
Residents go through the start of the consultation (相談する on the rich menu,
then 家族, 介護・高齢, 次へ, 小名浜), each tapping the chip of the bot's last
answer ``--gap`` seconds after the previous tap, never before that answer
arrived; a constant population of ``rate x gap`` residents (each finishing
one is replaced by a new one) keeps the rate steady. Latency is from just
before the webhook POST to the moment the fake platform accepted the reply
(or the push, if the reply token went stale) for that event. Events sent in
the first ``--warmup`` seconds are not counted. Writes bench/results/e2e.json.
"""
from __future__ import annotations

import argparse
import contextlib
import os
import heapq
import http.client
import json
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import (  # noqa: E402
    SECRET, TOKEN, available, backend_urls, bot_environment, describe, gunicorn, huey_consumer, machine, migrate, ms,
    procfile, table, write_results,
)
from bench.load import sign  # noqa: E402
from bench.slow_platform import BenchPlatform  # noqa: E402
from simulator.platform import serve  # noqa: E402
from tests.support import event_envelope  # noqa: E402

STEPS = ("menu:consult", "家族", "介護・高齢", "次へ", "小名浜")


class Resident:
    def __init__(self, number: int) -> None:
        self.user = f"U{number:032x}"
        self.step = 0
        self.token: str | None = None  # the event waiting for its answer
        self.sent_at = 0.0
        self.last_messages: list[dict] = []


class Run:
    """One backend's run: residents arriving at a steady pace, the sender pool, and what arrived at LINE.

    New residents arrive at ``rate / len(STEPS)`` per second, whether or not
    the bot keeps up (as after a city-wide announcement), so the offered load
    stays at ``rate`` events/s while the answers come in time.
    """

    def __init__(self, platform: BenchPlatform, webhook: str, args: argparse.Namespace) -> None:
        self.platform, self.args = platform, args
        self.parts = urlsplit(webhook)
        self.residents: dict[str, Resident] = {}
        self.by_token: dict[str, Resident] = {}
        self.lock = threading.Lock()
        self.due: list[tuple[float, int, str]] = []
        self.local = threading.local()
        self.samples: list[dict] = []  # one per counted event
        self.ack: list[float] = []
        self.connections: list[http.client.HTTPConnection] = []
        self.failures = 0
        self.missing_chip = 0
        self.arrived = 0
        self.start = 0.0
        self.last_answer = 0.0

    # -- what LINE sees ---------------------------------------------------------------

    def on_sent(self, kind: str, item: object) -> None:
        if kind != "sent":
            return
        with self.lock:
            resident = self.residents.get(item.to)
            if resident is None:
                return
            resident.last_messages = item.messages
            if item.kind == "push" and resident.token is not None:
                self._answered(resident, item.at, "push")

    def on_reply(self, token: str, at: float) -> None:
        with self.lock:
            resident = self.by_token.get(token)
            if resident is not None and resident.token == token:
                self._answered(resident, at, "reply")

    def _answered(self, resident: Resident, at: float, how: str) -> None:
        if resident.sent_at >= self.start + self.args.warmup:
            self.samples.append({"latency": at - resident.sent_at, "via": how, "step": resident.step})
        self.last_answer = at
        self.by_token.pop(resident.token, None)
        resident.token = None
        resident.step += 1
        if resident.step >= len(STEPS):
            del self.residents[resident.user]
            return
        due = max(resident.sent_at + self.args.gap, at + 0.2)
        heapq.heappush(self.due, (due, resident.step, resident.user))

    # -- what residents do ------------------------------------------------------------

    def event_for(self, resident: Resident, token: str) -> dict:
        step = STEPS[resident.step]
        if step.startswith("menu:"):
            return event_envelope("postback", resident.user, reply_token=token, postback={"data": step})
        items = ((resident.last_messages[-1] if resident.last_messages else {}).get("quickReply") or {}).get("items", [])
        for item in items:
            action = item["action"]
            if action.get("label") == step and action["type"] == "postback":
                return event_envelope("postback", resident.user, reply_token=token,
                                      postback={"data": action["data"]})
        self.missing_chip += 1
        return event_envelope("message", resident.user, reply_token=token,
                              message={"type": "text", "id": token[:18], "text": step, "quoteToken": "q"})

    def post(self, body: bytes) -> None:
        """POST one delivery; a kept-alive connection gunicorn closed meanwhile is opened again once."""
        started = time.perf_counter()
        ok = False
        for attempt in range(2):
            reused = getattr(self.local, "connection", None) is not None
            if not reused:
                self.local.connection = http.client.HTTPConnection(self.parts.hostname, self.parts.port, timeout=30)
                with self.lock:
                    self.connections.append(self.local.connection)
            connection = self.local.connection
            try:
                connection.request("POST", self.parts.path, body,
                                   {"Content-Type": "application/json", "X-Line-Signature": sign(body, SECRET)})
                response = connection.getresponse()
                response.read()
                ok = response.status == 200
                break
            except (OSError, http.client.HTTPException) as exc:
                connection.close()
                self.local.connection = None
                stale = reused and isinstance(exc, (http.client.RemoteDisconnected, ConnectionResetError,
                                                    BrokenPipeError))
                if not stale:
                    break
        with self.lock:
            if ok:
                self.ack.append(time.perf_counter() - started)
            else:
                self.failures += 1

    def drive(self) -> dict:
        self.start = time.time()
        sending = self.args.warmup + self.args.duration
        stop_sending = self.start + sending
        arrival_gap = len(STEPS) / self.args.rate
        sent = counted = 0
        with ThreadPoolExecutor(self.args.connections) as pool:
            while (now := time.time()) < stop_sending:
                # The platform's listeners take self.lock under the platform's lock:
                # never call the platform while holding self.lock.
                newcomers = []
                while self.start + (self.arrived + len(newcomers)) * arrival_gap <= now:
                    resident = Resident(self.arrived + len(newcomers))
                    self.platform.set_profile(resident.user, f"住民{resident.user[-4:]}")
                    newcomers.append(resident)
                with self.lock:
                    for resident in newcomers:
                        self.residents[resident.user] = resident
                        heapq.heappush(self.due, (now, 0, resident.user))
                    self.arrived += len(newcomers)
                    turns = []
                    while self.due and self.due[0][0] <= now:
                        turns.append(self.residents[heapq.heappop(self.due)[2]])
                ready = []
                for resident in turns:
                    token = self.platform.issue_reply_token(resident.user)
                    with self.lock:
                        body = json.dumps({"destination": "U0", "events": [self.event_for(resident, token)]},
                                          ensure_ascii=False).encode()
                        resident.token, resident.sent_at = token, time.time()
                        self.by_token[token] = resident
                        counted += resident.sent_at >= self.start + self.args.warmup
                    ready.append(body)
                for body in ready:
                    pool.submit(self.post, body)
                    sent += 1
                time.sleep(0.002)
        for connection in self.connections:
            connection.close()
        deadline = time.time() + self.args.drain
        while time.time() < deadline:
            with self.lock:
                if not self.by_token:
                    break
            time.sleep(0.05)
        with self.lock:
            latencies = [s["latency"] for s in self.samples]
            answered_span = max(1e-9, self.last_answer - (self.start + self.args.warmup))
            return {"events_sent": sent, "events_counted": counted, "answered_counted": len(latencies),
                    "unanswered_at_end": len(self.by_token), "webhook_failures": self.failures,
                    "via_push": sum(1 for s in self.samples if s["via"] == "push"),
                    "chip_not_found": self.missing_chip, "residents": self.arrived,
                    "offered_rate": self.args.rate, "sent_rate": round(counted / self.args.duration, 1),
                    "answer_rate": round(len(latencies) / answered_span, 1),
                    "latency_ms": ms(latencies, 50, 95, 99), "ack_ms": ms(self.ack, 50, 95, 99)}


def worker_processes(args: argparse.Namespace, backend: str) -> int:
    if args.worker_processes is not None:
        return args.worker_processes
    return 1 if backend == "sqlite" else (os.cpu_count() or 1)


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rates", default="25,100", help="offered events per second, one run each")
    parser.add_argument("--duration", type=float, default=15.0, help="measured seconds of sending")
    parser.add_argument("--warmup", type=float, default=5.0, help="not counted: the first residents ramp up")
    parser.add_argument("--gap", type=float, default=1.0, help="seconds between one resident's taps")
    parser.add_argument("--drain", type=float, default=15.0, help="seconds to wait for the last answers")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--worker-processes", type=int, default=None,
                        help="how many of the Procfile's worker processes run; by default one on SQLite (one "
                             "writer at a time anyway) and one per core on PostgreSQL, as the README advises")
    parser.add_argument("--line-latency", type=float, default=0.05,
                        help="seconds the fake LINE API takes to answer a reply (LINE seen from a data centre)")
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args(argv)
    facts = machine()
    tmp = Path(tempfile.mkdtemp(prefix="bench-e2e-"))
    cases = []
    for backend in [b for b in args.backends.split(",") if b]:
        if not available(backend):
            print(f"skipping {backend}: PostgreSQL/Redis do not answer on 127.0.0.1", file=sys.stderr)
            continue
        for rate in [float(r) for r in args.rates.split(",") if r]:
            args.rate = rate
            platform = BenchPlatform(TOKEN, reply_delay=args.line_latency)
            line = serve(platform)
            try:
                database, redis_url = backend_urls("bench_e2e", backend, tmp)
                migrate(database)
                queue_dir = tmp / f"{backend}-{rate:g}"
                queue_dir.mkdir(exist_ok=True)
                env = bot_environment(database, redis_url, line.url, queue_dir)
                with gunicorn(env) as web, contextlib.ExitStack() as workers:
                    for _ in range(worker_processes(args, backend)):
                        workers.enter_context(huey_consumer(env))
                    run = Run(platform, web.url + "/callback", args)
                    platform.subscribe(run.on_sent)
                    platform.on_reply = run.on_reply
                    result = run.drive()
            finally:
                line.shutdown()
            label = "PostgreSQL + Redis" if backend == "postgresql" else "SQLite"
            cases.append({"case": label, "backend": backend, **result})
            print(f"  {label} at {rate:g} events/s: {result}", file=sys.stderr)
    rows = [[c["case"], c["offered_rate"], c["sent_rate"], c["answer_rate"], c["events_counted"], c["answered_counted"],
             f"{c['latency_ms']['p50']} / {c['latency_ms']['p95']} / {c['latency_ms']['p99']}",
             f"{c['ack_ms']['p50']} / {c['ack_ms']['p95']} / {c['ack_ms']['p99']}",
             c["unanswered_at_end"], c["webhook_failures"]] for c in cases]
    text = table(["back end", "offered events/s", "sent events/s", "answered events/s", "events counted", "answered", "webhook → LINE ms p50 / p95 / p99",
                  "ack ms p50 / p95 / p99", "unanswered", "failed POSTs"], rows)
    settings = {"procfile_web": procfile("web"), "procfile_worker": procfile("worker"), "rates": args.rates,
                "duration_s": args.duration, "warmup_s": args.warmup, "gap_s": args.gap,
                "steps": list(STEPS), "connections": args.connections, "line_latency_s": args.line_latency,
                "worker_threads": os.environ.get("WORKER_THREADS", "(Procfile default)"),
                "worker_processes": {backend: worker_processes(args, backend)
                                     for backend in args.backends.split(",") if backend}}
    print(describe(facts))
    print(f"settings: {settings}")
    print(text)
    payload = {"benchmark": "e2e", "machine": facts, "settings": settings, "cases": cases, "table": text}
    print(f"wrote {write_results('e2e', payload, args.out)}")
    return payload


if __name__ == "__main__":
    main()
