"""How fast the webhook acknowledges LINE, under gunicorn exactly as the Procfile runs it.

    python bench/ack.py [--duration 5] [--rounds 3] [--connections 16] [--backends sqlite,postgresql] [--sizes 1,5]

Starts the Procfile's web command (gunicorn, ``WEB_CONCURRENCY`` workers x
``WEB_THREADS`` threads) on a free loopback port for each case, and a closed-loop load
generator in a separate process (``--connections`` keep-alive connections,
Python threads) posting signed webhook bodies of 1 and 5 events each, a mix
of residents and event types (60% text, 25% postback, 5% follow, sticker,
location; a few residents write a lot). Cases, same settings and load:

- ``ours``: the bot (verify, store in the inbox, enqueue, answer) on SQLite,
  and on PostgreSQL + Redis (database ``bench_ack``, Redis db 12);
- ``ceiling``: a bare Flask route returning ``OK`` (bench/reference_apps.py);
- ``sync bot``: verifies, parses, replies to each event inside the request,
  the fake LINE API answering after ``--reply-delay`` (200 ms).

No worker runs: the queue only fills. Every case runs once per round
(``--rounds``, interleaved, so the machine's drift hits all alike) and
its median round counts. Prints events/s and p50/p95/p99 of the 200s,
our throughput as a ratio to each reference, and writes
bench/results/ack.json. Needs PostgreSQL and Redis on 127.0.0.1 for the
PostgreSQL case (skipped when they do not answer).
"""
from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import load  # noqa: E402
from bench.common import (  # noqa: E402
    SECRET, TOKEN, available, backend_urls, bot_environment, describe, gunicorn, machine, migrate, ms, procfile,
    table, write_results,
)
from bench.slow_platform import BenchPlatform  # noqa: E402
from simulator.platform import serve  # noqa: E402


def measure(server_url: str, events: int, args: argparse.Namespace) -> dict:
    result = load.run(server_url + "/callback", secret=SECRET, events=events, connections=args.connections,
                      duration=args.duration, max_requests=args.max_requests, warmup=args.warmup)
    latencies = result.pop("latencies")
    result["events_per_second"] = round(result["ok"] * events / result["window_seconds"], 1)
    result["latency_ms"] = ms(latencies, 50, 95, 99)
    return result


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=float, default=5.0, help="measured seconds per case and round")
    parser.add_argument("--rounds", type=int, default=3, help="each case is measured once per round; the median counts")
    parser.add_argument("--warmup", type=float, default=1.0)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--max-requests", type=int, default=40_000, help="per case")
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--sizes", default="1,5", help="events per webhook body")
    parser.add_argument("--reply-delay", type=float, default=0.2)
    parser.add_argument("--cases", default="ceiling,sync,ours", help="which of ceiling, sync (bot), ours to run")
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args(argv)
    sizes = [int(size) for size in args.sizes.split(",")]
    tmp = Path(tempfile.mkdtemp(prefix="bench-ack-"))
    facts = machine()
    platform = BenchPlatform(TOKEN, reply_delay=args.reply_delay, accept_unissued_tokens=True)
    line = serve(platform)
    cases: list[dict] = []
    try:
        chosen = args.cases.split(",")
        plans: list[tuple[str, str, str]] = []
        if "ceiling" in chosen:
            plans.append(("ceiling", "sqlite", "bench.reference_apps:ceiling"))
        if "sync" in chosen:
            plans.append(("sync bot", "sqlite", "bench.reference_apps:sync_bot"))
        if "ours" in chosen:
            plans += [("ours", backend, "bot.wsgi:app") for backend in args.backends.split(",") if backend]
        answering = {backend: available(backend) for _, backend, _ in plans}
        for name, backend, _ in plans:
            if not answering[backend]:
                print(f"skipping {name} on {backend}: PostgreSQL/Redis do not answer on 127.0.0.1", file=sys.stderr)
        plans = [plan for plan in plans if answering[plan[1]]]
        runs: dict[tuple[str, int], list[dict]] = {}
        # Rounds, each case once per round: a shared machine's speed drifts, and
        # a ratio of two cases measured minutes apart would carry that drift.
        for round_ in range(args.rounds):
            for name, backend, app in plans:
                database, redis_url = backend_urls("bench_ack", backend, tmp)
                if app == "bot.wsgi:app":
                    migrate(database)
                env = bot_environment(database, redis_url, line.url, tmp)
                with gunicorn(env, app) as server:
                    for events in sizes:
                        result = measure(server.url, events, args)
                        label = name if app != "bot.wsgi:app" else f"ours, {'PostgreSQL + Redis' if backend == 'postgresql' else 'SQLite'}"
                        runs.setdefault((label, events), []).append(
                            {"case": label, "app": app, "backend": backend if app == "bot.wsgi:app" else None,
                             "events_per_body": events, "round": round_ + 1, **result})
                        print(f"  round {round_ + 1}, {label}, {events} event(s)/body: "
                              f"{result['events_per_second']} events/s {result['latency_ms']} "
                              f"failed={result['failed']}", file=sys.stderr)
        for found in runs.values():
            # The median round of each case stands for it; every round is kept in the JSON.
            middle = sorted(found, key=lambda run: run["events_per_second"])[len(found) // 2]
            cases.append({**middle, "rounds": [run["events_per_second"] for run in found]})
    finally:
        line.shutdown()

    def rate(case: str, events: int) -> float | None:
        found = [c["events_per_second"] for c in cases if c["case"] == case and c["events_per_body"] == events]
        return found[0] if found else None

    rows = []
    for case in cases:
        ceiling, sync = rate("ceiling", case["events_per_body"]), rate("sync bot", case["events_per_body"])
        ours = case["case"].startswith("ours")
        case["ratio_to_ceiling"] = round(case["events_per_second"] / ceiling, 2) if ours and ceiling else None
        case["ratio_to_sync_bot"] = round(case["events_per_second"] / sync, 1) if ours and sync else None
        lat = case["latency_ms"]
        rows.append([case["case"], case["events_per_body"], case["events_per_second"],
                     f"{lat['p50']} / {lat['p95']} / {lat['p99']}", case["failed"],
                     case["ratio_to_ceiling"] or "", case["ratio_to_sync_bot"] or ""])
    settings = {"procfile_web": procfile("web"), "connections": args.connections, "duration_s": args.duration,
                "rounds": args.rounds,
                "warmup_s": args.warmup, "reply_delay_s": args.reply_delay, "max_requests": args.max_requests,
                "worker_running": False}
    text = table(["case", "events/body", "events/s", "200 latency ms p50 / p95 / p99", "failed",
                  "× ceiling", "× sync bot"], rows)
    print(describe(facts))
    print(f"settings: {settings}")
    print(text)
    payload = {"benchmark": "ack", "machine": facts, "settings": settings, "cases": cases, "table": text}
    print(f"wrote {write_results('ack', payload, args.out)}")
    return payload


if __name__ == "__main__":
    main()
