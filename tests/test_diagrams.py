"""The diagrams beside the flows and the workflow are the ones their machines draw (``make diagrams``)."""
from __future__ import annotations

import pytest

from bot.flows.diagrams import ROOT, diagrams

DRAWN = diagrams()


@pytest.mark.parametrize("path", DRAWN, ids=[path.relative_to(ROOT).as_posix() for path in DRAWN])
def test_each_committed_diagram_is_drawn_from_its_machine(path) -> None:  # noqa: ANN001
    committed = path.read_text(encoding="utf-8") if path.exists() else None
    assert committed == DRAWN[path], f"{path.relative_to(ROOT)} differs from its machine: run `make diagrams`"


def test_no_diagram_is_drawn_by_hand() -> None:
    assert set((ROOT / "bot").rglob("*.mmd")) == set(DRAWN)
