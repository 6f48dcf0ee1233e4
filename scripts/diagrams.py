"""Draw the flow and workflow diagrams from their state machines (bot/flows/diagrams.py).

    python scripts/diagrams.py          # write each diagram (.mmd) beside the module of its machine
    python scripts/diagrams.py check    # fail if a committed diagram differs from the code
"""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.flows.diagrams import ROOT, stale, write  # noqa: E402


def main(argv: list[str]) -> int:
    if argv[1:] == ["check"]:
        outdated = stale()
        for path in outdated:
            print(f"{path.relative_to(ROOT)} differs from its machine: run `make diagrams`", file=sys.stderr)
        return 1 if outdated else 0
    if argv[1:]:
        print(__doc__, file=sys.stderr)
        return 2
    for path in write():
        print(f"wrote {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
