"""``make run``'s demo data gives the figures page a year to show, quickly and once."""
from __future__ import annotations

import time
from datetime import date, timedelta

from bot.demo.figures import RECORDS
from bot.demo.figures import load as load_demo_figures
from tests.admin.test_figures import _table


def test_the_demo_year_fills_every_month_and_loads_once(app, as_coordinator) -> None:  # noqa: ANN001
    started = time.perf_counter()
    assert "a year of" in load_demo_figures(app)[0]
    print(f"demo year loaded in {time.perf_counter() - started:.1f} s")
    assert time.perf_counter() - started < 20
    assert load_demo_figures(app) == ["figures: the demo year is already there"]

    today = date.today()
    year = f"period=range&start={today - timedelta(days=370)}&end={today + timedelta(days=1)}"
    page = as_coordinator.get(f"/admin/figures/?{year}&mode=staff")
    progress = {row[0]: row[1:] for row in _table(page, "progress")}
    assert progress["計"][0] == f"{RECORDS:,}" and progress["計"][4] == "0"  # all finished: nothing left open
    assert as_coordinator.get("/admin/records/").status_code == 200
    events = {row[0]: row[1:] for row in _table(page, "event_kinds")}
    assert int(events["計"][0].replace(",", "")) >= 600  # past salon dates (plus the demo month's, when loaded)
    meeting = as_coordinator.get("/admin/figures/")
    months = _table(meeting, "trend")[0][1:]
    assert len(months) == 12
