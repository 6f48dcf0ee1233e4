"""The benchmarks do not rot.

In ``make test`` (a second or two): every script in bench/ imports and reads
its options, and the combined table renders from the committed figures. The
benchmarks themselves start servers and workers, tens of seconds even at
their minimal size, so running each of them is marked ``bench``: left out of
``make test``, run by CI (``pytest -m bench``).

The figures themselves come from ``python bench/run_all.py``.
"""
from __future__ import annotations

import importlib
import json
import sys
from pathlib import Path

import pytest

from bench import run_all
from bench.common import available

BENCH = Path(__file__).resolve().parent.parent / "bench"
SCRIPTS = sorted(path.stem for path in BENCH.glob("*.py"))


@pytest.mark.parametrize("name", SCRIPTS)
def test_each_benchmark_script_imports_and_reads_its_options(name, monkeypatch, capsys) -> None:  # noqa: ANN001
    main = getattr(importlib.import_module(f"bench.{name}"), "main", None)
    if main is None:
        return  # a helper module: importing it is the check
    monkeypatch.setattr(sys, "argv", [f"bench/{name}.py", "--help"])

    with pytest.raises(SystemExit) as exited:
        main()

    assert exited.value.code == 0
    assert "usage:" in capsys.readouterr().out


def test_the_combined_table_renders_from_the_committed_figures() -> None:
    results = {name: json.loads((BENCH / "results" / f"{name}.json").read_text())
               for name in ("ack", "e2e", "admin_queue")}
    results["events_contention"] = json.loads((BENCH / "results" / "all.json").read_text())["events_contention"]

    text = run_all.combined(results)

    assert text.startswith("| benchmark |")
    assert "webhook ack" in text and "webhook → reply at LINE" in text and "admin queue" in text


@pytest.mark.bench
def test_every_benchmark_runs_at_a_minimal_size(tmp_path, capsys) -> None:  # noqa: ANN001
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


@pytest.mark.bench
def test_the_notices_benchmark_delivers_a_tiny_notice_once_to_each(tmp_path) -> None:  # noqa: ANN001
    from bench import notices

    payload = notices.main(["--residents", "600", "--backend", "sqlite", "--out", str(tmp_path / "notices.json")])

    [case] = payload["cases"]
    assert (case["received"], case["duplicates"]) == (600, 0)
    assert json.loads((tmp_path / "notices.json").read_text())["cases"][0]["residents"] == 600


def test_the_figures_benchmark_runs_at_a_tiny_size(tmp_path) -> None:  # noqa: ANN001
    from bench import figures

    payload = figures.main(["--records", "300", "--signups", "60", "--backends", "sqlite", "--repeat", "1",
                            "--out", str(tmp_path / "figures.json")])

    [case] = payload["cases"]
    assert case["records"] == 300 and {page["page"] for page in case["pages"]} >= {"fiscal year, meeting mode",
                                                                                   "print view"}
    assert json.loads((tmp_path / "figures.json").read_text())["benchmark"] == "figures"
