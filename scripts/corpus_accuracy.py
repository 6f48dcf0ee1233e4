"""Print how much of the corpus of resident utterances bot/understanding reads right, per language.

    python scripts/corpus_accuracy.py           # a Markdown table, for the README
    python scripts/corpus_accuracy.py misses    # the known misses and why

The corpus is tests/corpus/utterances.py; tests/test_understanding_corpus.py
runs it in ``make test``.
"""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.corpus.reading import Reading, accuracy, readings  # noqa: E402

LANGUAGES = {"ja": "日本語", "ja_Hira": "やさしい日本語", "en": "English", "zh_Hans": "简体中文", "vi": "Tiếng Việt"}


def table(found: list[Reading]) -> list[str]:
    lines = ["| Language | Utterances | Read right | Accuracy |", "|---|---:|---:|---:|"]
    for code, name in LANGUAGES.items():
        own = [reading for reading in found if reading.language == code]
        lines.append(f"| {name} | {len(own)} | {sum(r.right for r in own)} | {accuracy(own):.1%} |")
    lines.append(f"| **All** | {len(found)} | {sum(r.right for r in found)} | **{accuracy(found):.1%}** |")
    return lines


def main(argv: list[str]) -> int:
    found = list(readings())
    if argv[1:] == ["misses"]:
        for reading in found:
            if not reading.right:
                print(f"{reading.language}\t{reading.reader}\t{reading.typed}\texpected {reading.expected!r}, "
                      f"got {reading.got!r}\t{reading.known_miss or 'NOT A KNOWN MISS'}")
        return 0
    if argv[1:]:
        print(__doc__, file=sys.stderr)
        return 2
    print("\n".join(table(found)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
