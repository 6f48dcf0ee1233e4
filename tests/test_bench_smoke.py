"""The benchmarks still run: each one at a minimal size (seconds), so they do not rot.

The figures themselves come from ``python bench/run_all.py``; this only
checks that every benchmark starts its servers, measures, prints its
table and writes its JSON.
"""
from __future__ import annotations

import json

import pytest

from bench import run_all
from bench.common import available



def test_every_benchmark_runs_at_a_minimal_size(tmp_path, capsys):
    results = run_all.main(["--quick", "--out-dir", str(tmp_path)])

    ack = results["ack"]["cases"]
    assert {case["case"] for case in ack} == {"ceiling", "ours, SQLite"}
    assert all(case["ok"] > 0 and case["failed"] == 0 for case in ack)
    e2e = results["e2e"]["cases"][0]
    assert e2e["answered_counted"] > 0 and e2e["webhook_failures"] == 0 and e2e["chip_not_found"] == 0
    stall = results["stall"]["cases"][0]
    assert stall["acknowledged"] > 0 and stall["failed"] == 0 and stall["follows"] > 0
    pages = results["admin_queue"]["cases"][0]["pages"]
    assert {page["page"] for page in pages} >= {"open (default)", "text search", "record page"}
    if available("postgresql"):
        assert results["events_contention"]["invariants"] == "ok"
    for name in ("ack", "e2e", "stall", "admin_queue", "all"):
        assert json.loads((tmp_path / f"{name}.json").read_text())
    assert "| benchmark |" in capsys.readouterr().out
