"""The corpus of resident utterances (tests/corpus/utterances.py), read by bot/understanding.

Each utterance must be read as the corpus says, except the known misses it
lists with their reason; the accuracy over all of them is printed (pytest -s)
and must stay above the floor. ``python scripts/corpus_accuracy.py`` prints it
per language for the README.
"""
from __future__ import annotations

from collections import Counter

import pytest

from tests.corpus.reading import accuracy, readings
from tests.corpus.utterances import CORPUS

FLOOR = 0.95
LANGUAGES = {"ja", "ja_Hira", "en", "zh_Hans", "vi"}


@pytest.fixture(scope="module")
def found():
    return list(readings())  # with the いわき市 profile


def test_the_corpus_has_at_least_300_utterances_in_every_language():
    per_language = Counter(row[0] for row in CORPUS)
    assert len(CORPUS) >= 300
    assert set(per_language) == LANGUAGES and min(per_language.values()) >= 30
    assert len({(row[0], row[1], row[2]) for row in CORPUS}) == len(CORPUS)  # no utterance twice


def test_every_utterance_is_read_as_the_corpus_says_but_the_known_misses(found):
    wrong = [f"{r.language} {r.reader} {r.typed!r}: expected {r.expected!r}, got {r.got!r}"
             for r in found if not r.right and not r.known_miss]
    assert wrong == []


def test_a_known_miss_that_is_now_read_right_loses_its_mark(found):
    fixed = [f"{r.language} {r.reader} {r.typed!r}" for r in found if r.right and r.known_miss]
    assert fixed == [], "take the known-miss mark off these rows of tests/corpus/utterances.py"


def test_the_accuracy_stays_above_the_floor(found):
    score = accuracy(found)
    print(f"\ncorpus accuracy: {score:.1%} of {len(found)} utterances "
          f"({sum(not r.right for r in found)} known misses)")
    assert score >= FLOOR
