"""Run every benchmark and print one table; write bench/RESULTS.md afresh.

    python bench/run_all.py [--quick] [--no-write]

Runs bench/ack.py, bench/e2e.py, bench/admin_queue.py with their defaults
(about 2-3 minutes each on 2 cores), bench/stall.py (about 4 minutes) and bench/events_contention.py
(PostgreSQL), then prints the combined table and writes bench/RESULTS.md
with it, the machine facts and each benchmark's own table. ``--quick``
runs each with a minimal size (seconds; used by tests/test_bench_smoke.py),
and does not write RESULTS.md.
"""
from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import ack, admin_queue, e2e, stall  # noqa: E402
from bench.common import POSTGRES, ROOT, available, describe, machine, table, write_results  # noqa: E402

QUICK = {
    "ack": ["--duration", "0.5", "--rounds", "1", "--warmup", "0.2", "--connections", "4", "--sizes", "1", "--backends", "sqlite",
            "--cases", "ceiling,ours"],
    "e2e": ["--rates", "10", "--duration", "1", "--warmup", "0.5", "--gap", "0.3", "--drain", "5",
            "--backends", "sqlite"],
    "admin_queue": ["--records", "200", "--repeat", "1", "--backends", "sqlite"],
    "stall": ["--rate", "5", "--duration", "1", "--warmup", "0.4", "--rounds", "1", "--line-delay", "0.5",
              "--follow-share", "0.3", "--backends", "sqlite"],
    "events_contention": ["--signups", "20", "--seats", "5"],
}


def events_contention(extra: list[str]) -> dict:
    """Run the salon contention benchmark (PostgreSQL only) and read its figures."""
    if not available("postgresql"):
        return {"skipped": "PostgreSQL does not answer on 127.0.0.1"}
    output = subprocess.run([sys.executable, str(ROOT / "bench" / "events_contention.py"), f"{POSTGRES}/postgres",
                             *extra], capture_output=True, text=True, check=True, timeout=300).stdout
    figures = {"output": output.strip()}
    if match := re.search(r"p50=([\d.]+) p95=([\d.]+) p99=([\d.]+)", output):
        figures["latency_ms"] = dict(zip(("p50", "p95", "p99"), map(float, match.groups())))
    if match := re.search(r"confirmed=(\d+) \(seats taken (\d+)/(\d+)\) waiting=(\d+) errors=(\d+) invariants=(\w+)",
                          output):
        confirmed, taken, seats, waiting, errors, invariants = match.groups()
        figures.update(confirmed=int(confirmed), seats=int(seats), waiting=int(waiting), errors=int(errors),
                       invariants=invariants)
    if match := re.search(r"signups=(\d+)", output):
        figures["signups"] = int(match.group(1))
    if match := re.search(r"\((\d+) sign-ups/s\)", output):
        figures["per_second"] = int(match.group(1))
    return figures


def combined(results: dict) -> str:
    rows = []
    for case in results.get("ack", {}).get("cases", []):
        lat = case["latency_ms"]
        ratios = ""
        if case.get("ratio_to_ceiling") is not None:
            ratios = f"{case['ratio_to_ceiling']}× ceiling, {case['ratio_to_sync_bot']}× sync bot"
        rows.append(["webhook ack", f"{case['case']}, {case['events_per_body']} ev/body",
                     f"{case['events_per_second']:.0f} events/s", lat["p50"], lat["p95"], lat["p99"], ratios])
    for case in results.get("e2e", {}).get("cases", []):
        lat = case["latency_ms"]
        rows.append(["webhook → reply at LINE", f"{case['case']}, {case['offered_rate']:g} ev/s offered",
                     f"{case['answer_rate']} answered/s", lat["p50"], lat["p95"], lat["p99"],
                     f"{case['unanswered_at_end']} unanswered after the drain"])
    before = {case["backend"]: case for case in results.get("stall_before", {}).get("cases", [])}
    for case in results.get("stall", {}).get("cases", []):
        ack_ms = case["ack_ms"]
        notes = f"max {ack_ms['max']} ms"
        if case["backend"] in before:
            was = before[case["backend"]]["ack_ms"]
            notes += f"; before the fix p99 {was['p99']} ms, max {was['max']} ms"
        rows.append([f"webhook ack, LINE answering in {results['stall']['settings']['line_delay_s']:g} s",
                     f"{case['case']}, {results['stall']['settings']['rate']:g} ev/s with follows",
                     f"{case['acknowledged']} acks", ack_ms["p50"], ack_ms["p95"], ack_ms["p99"], notes])
    for case in results.get("admin_queue", {}).get("cases", []):
        for who in ("coordinator", "centre staff"):
            queue = [page for page in case["pages"] if page["who"] == who and page["page"] != "record page"]
            if queue:
                worst = max(queue, key=lambda page: page["latency_ms"]["p95"])
                slow = [page["page"] for page in queue if page["slow"]]
                p50s = sorted(page["latency_ms"]["p50"] for page in queue)
                rows.append([f"admin queue ({case['records']:,} records)",
                             f"{case['backend']}, {who}, {len(queue)} filters", "",
                             f"{p50s[len(p50s) // 2]} (median)", f"{worst['latency_ms']['p95']} (worst: {worst['page']})",
                             "", "p95 > 300 ms: " + ", ".join(slow) if slow else "all p95 ≤ 300 ms"])
            for page in case["pages"]:
                if page["who"] == who and page["page"] == "record page":
                    rows.append([f"admin record page ({case['records']:,} records)", f"{case['backend']}, {who}", "",
                                 page["latency_ms"]["p50"], page["latency_ms"]["p95"], "", ""])
    salon = results.get("events_contention", {})
    if "latency_ms" in salon:
        lat = salon["latency_ms"]
        rows.append(["salon contention", f"PostgreSQL, {salon.get('signups')} sign-ups for {salon.get('seats')} seats",
                     f"{salon.get('per_second')} sign-ups/s", lat["p50"], lat["p95"], lat["p99"],
                     f"confirmed {salon.get('confirmed')}, waiting {salon.get('waiting')}, "
                     f"errors {salon.get('errors')}, invariants {salon.get('invariants')}"])
    return table(["benchmark", "case", "throughput", "p50 ms", "p95 ms", "p99 ms", "notes"], rows)


def results_markdown(facts: dict, results: dict, text: str, seconds: float) -> str:
    packages = ", ".join(f"{name} {version}" for name, version in facts["packages"].items() if version)
    parts = [
        "# Benchmark results", "",
        "Written by `python bench/run_all.py` (do not edit by hand; run it again).", "",
        f"- machine: {facts['cores']} cores, {facts['cpu']}, {facts['os']}; load average at start "
        f"{facts['load_average_at_start']}",
        f"- Python {facts['python']}; PostgreSQL {facts.get('postgresql')}; Redis {facts.get('redis')}",
        f"- packages: {packages}",
        f"- everything on loopback; the whole run took {seconds:.0f} s", "",
        "## All figures", "", text, "",
    ]
    for name, title in (("ack", "Webhook acknowledgement (`bench/ack.py`)"),
                        ("e2e", "End to end (`bench/e2e.py`)"),
                        ("stall", "Webhook while LINE is slow (`bench/stall.py`)"),
                        ("admin_queue", "Admin queue (`bench/admin_queue.py`)")):
        if name in results:
            parts += [f"## {title}", "", f"Settings: `{results[name]['settings']}`", "", results[name]["table"], ""]
        if name == "stall" and name in results:
            parts += [f"Load average at the start: {results['stall']['machine']['load_average_at_start']}. "
                      "Before the fix the worker asked LINE for a follower's profile inside the event's "
                      "transaction, and on SQLite every writer, the webhook's insert too, waited for LINE; now the "
                      "profile is fetched before the transaction opens. LINE answers more profile calls than there "
                      "are follows because each queued task of a new resident's source asks while LINE is slow "
                      "(before, they waited for the first one's lock instead).", ""]
        if name == "stall" and "stall_before" in results:
            parts += [f"Before the fix ({results['stall_before']['code']}), same settings "
                      f"(load average at the start: {results['stall_before']['machine']['load_average_at_start']}):",
                      "", results["stall_before"]["table"], ""]
    before = ROOT / "bench" / "results" / "admin_queue_before.json"
    if before.exists():
        parts += ["## Admin queue before migration 0009 (`bench/admin_queue.py --without-0009`)", "",
                  "The same data and requests with the 0009 indexes dropped.", "",
                  json.loads(before.read_text())["table"], ""]
    if "output" in results.get("events_contention", {}):
        parts += ["## Salon contention (`bench/events_contention.py`)", "", "```",
                  results["events_contention"]["output"], "```", ""]
    parts += ["## How to reproduce", "", "```",
              "python bench/run_all.py          # everything, writes this file and bench/results/*.json",
              "python bench/ack.py              # each one alone",
              "python bench/e2e.py",
              "python bench/stall.py",
              "python bench/admin_queue.py",
              "python bench/events_contention.py",
              "```", "",
              "PostgreSQL (user postgres, no password) and Redis (db 12) on 127.0.0.1 for the PostgreSQL cases; "
              "the benchmarks create and drop their own databases (`bench_ack`, `bench_e2e`, `bench_admin`, "
              "`bench_events`, `bench_stall`).", ""]
    return "\n".join(parts)


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="minimal sizes, seconds each; RESULTS.md untouched")
    parser.add_argument("--no-write", action="store_true", help="do not rewrite bench/RESULTS.md")
    parser.add_argument("--out-dir", type=Path, default=None, help="where the JSON files go (bench/results)")
    parser.add_argument("--render", action="store_true", help="only rewrite RESULTS.md from bench/results/*.json")
    args = parser.parse_args(argv)
    if args.render:
        return render()
    started = time.perf_counter()
    facts = machine()
    results: dict = {}
    for name, module in (("ack", ack), ("e2e", e2e), ("stall", stall), ("admin_queue", admin_queue)):
        extra = QUICK[name] if args.quick else []
        if args.out_dir:
            extra = [*extra, "--out", str(args.out_dir / f"{name}.json")]
        print(f"== {name} ({time.perf_counter() - started:.0f} s)", file=sys.stderr)
        results[name] = module.main(extra)
    print(f"== events_contention ({time.perf_counter() - started:.0f} s)", file=sys.stderr)
    results["events_contention"] = events_contention(QUICK["events_contention"] if args.quick else [])
    results.update(_stall_before(ROOT / "bench" / "results"))
    seconds = time.perf_counter() - started
    text = combined(results)
    print()
    print(describe(facts))
    print(text)
    payload = {"machine": facts, "seconds": round(seconds, 1), "table": text,
               "events_contention": results["events_contention"]}
    write_results("all", payload, args.out_dir / "all.json" if args.out_dir else None)
    if not args.quick and not args.no_write:
        (ROOT / "bench" / "RESULTS.md").write_text(results_markdown(facts, results, text, seconds))
        print("wrote bench/RESULTS.md")
    return results


def _stall_before(folder: Path) -> dict:
    """The stall benchmark measured on the code before the fix, kept for comparison (bench/results/stall_before.json)."""
    path = folder / "stall_before.json"
    return {"stall_before": json.loads(path.read_text())} if path.exists() else {}


def render() -> dict:
    """Rewrite RESULTS.md from the JSON files of the last full run."""
    folder = ROOT / "bench" / "results"
    results = {name: json.loads((folder / f"{name}.json").read_text()) for name in ("ack", "e2e", "admin_queue")}
    if (folder / "stall.json").exists():
        results["stall"] = json.loads((folder / "stall.json").read_text())
    results.update(_stall_before(folder))
    everything = json.loads((folder / "all.json").read_text())
    results["events_contention"] = everything["events_contention"]
    text = combined(results)
    (ROOT / "bench" / "RESULTS.md").write_text(results_markdown(everything["machine"], results, text,
                                                                everything["seconds"]))
    print(text)
    return results


if __name__ == "__main__":
    main()
