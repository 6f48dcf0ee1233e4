"""Mermaid diagrams of the flows and of the staff workflow, drawn by ``transitions`` from the machines themselves.

Each diagram sits beside the module that declares its machine (bot/flows/events.mmd,
bot/services/workflow.mmd...). ``make diagrams`` (scripts/diagrams.py) writes them;
tests/test_diagrams.py fails when a committed one differs from what the code draws,
as the catalog check does for texts. Edges are labelled with the trigger and its
conditions, and in the workflow with the roles that may use it.
"""
from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from transitions.extensions.diagrams import GraphMachine

from bot.flows.registry import FLOWS
from bot.models.intake import RecordStatus
from bot.services import workflow

ROOT = Path(__file__).resolve().parent.parent.parent


def mermaid(title: str, states: list[Any], transitions: list[dict[str, Any]], initial: str) -> str:
    """The machine as a Mermaid state diagram, as ``transitions`` draws it."""
    machine = GraphMachine(states=states, transitions=transitions, initial=initial, auto_transitions=False,
                           graph_engine="mermaid", show_conditions=True,
                           # transitions writes the title as the whole front matter, where Mermaid reads "title: …"
                           title=f"title: {title}")
    # Without trailing blanks, so that an editor saving the file does not make it differ.
    return "\n".join(line.rstrip() for line in machine.get_graph().source.splitlines()) + "\n"


def diagrams() -> dict[Path, str]:
    """Each diagram's file, beside the module that declares the machine, and what the code draws there."""
    drawn = {}
    for flow in FLOWS.values():
        module = Path(sys.modules[flow.__module__].__file__)
        drawn[module.with_suffix(".mmd")] = mermaid(
            f"{flow.name} — {module.relative_to(ROOT).as_posix()}, drawn from its machine by make diagrams",
            flow.states, flow.transitions, flow.initial)
    module = Path(workflow.__file__)
    by_role = [{**{key: value for key, value in t.items() if key != "roles"},
                "label": f"{t['trigger']} by {' or '.join(sorted(t['roles']))}"} for t in workflow.TRANSITIONS]
    drawn[module.with_suffix(".mmd")] = mermaid(
        f"record workflow — {module.relative_to(ROOT).as_posix()}, drawn from its machine by make diagrams",
        list(RecordStatus.ALL), by_role, workflow.NEW)
    return drawn


def stale() -> list[Path]:
    """The committed diagrams that differ from what the code draws (or are missing)."""
    return [path for path, text in diagrams().items()
            if not path.exists() or path.read_text(encoding="utf-8") != text]


def write() -> list[Path]:
    """Write every diagram that changed; returns those written."""
    written = stale()
    drawn = diagrams()
    for path in written:
        path.write_text(drawn[path], encoding="utf-8")
    return written
