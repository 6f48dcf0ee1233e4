"""Run the corpus (tests/corpus/utterances.py) through bot/understanding and count what it gets right."""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

from bot.flows.intake_words import (
    area_from_text,
    categories_from_text,
    change_from_text,
    contact_from_text,
    subject_from_text,
    urgency_from_text,
)
from bot.flows.language import locale_from_text
from bot.municipality import Municipality, load_profile
from bot.understanding.answers import answer_of
from bot.understanding.dates import days_from_text
from bot.understanding.intents import intent_of
from bot.understanding.numbers import number_of_people
from tests.corpus.utterances import CORPUS, TODAY


@dataclass(frozen=True)
class Reading:
    language: str
    reader: str
    typed: str
    expected: object
    got: object
    known_miss: str | None  # why the corpus expects this one to be missed

    @property
    def right(self) -> bool:
        return self.got == self.expected


def _days(first_last: tuple[date, date] | None) -> str | None:
    if first_last is None:
        return None
    first, last = first_last
    return first.isoformat() if first == last else f"{first.isoformat()}..{last.isoformat()}"


def _intent(typed: str, profile: Municipality) -> str | None:
    intent = intent_of(typed, profile, TODAY)
    if intent is None or intent.what != "event_search":
        return intent.what if intent else None
    parts = [f"area={intent.area_code}" if intent.area_code else "", f"kind={intent.kind}" if intent.kind else "",
             f"days={_days((intent.date_from, intent.date_to))}" if intent.date_from else ""]
    return " ".join(["search", *(part for part in parts if part)])


def outcome(reader: str, typed: str, profile: Municipality) -> object:
    """What bot/understanding makes of ``typed`` for ``reader`` (see the corpus's docstring)."""
    if reader.startswith("answer"):
        _, _, at = reader.partition("@")
        return answer_of(typed, at or "any")
    if reader == "categories":
        return "+".join(categories_from_text(typed, profile)) or None
    if reader == "area":
        area = area_from_text(typed, profile)
        return area.code if area else None
    readers = {
        "people": number_of_people, "urgency": urgency_from_text, "contact": contact_from_text,
        "subject": subject_from_text, "change": change_from_text, "locale": locale_from_text,
        "days": lambda words: _days(days_from_text(words, TODAY)), "intent": lambda words: _intent(words, profile),
    }
    return readers[reader](typed)


def readings(profile: Municipality | None = None) -> Iterator[Reading]:
    profile = profile or load_profile("iwaki")
    for row in CORPUS:
        language, reader, typed, expected, *miss = row
        yield Reading(language, reader, typed, expected, outcome(reader, typed, profile), miss[0] if miss else None)


def accuracy(found: list[Reading]) -> float:
    return sum(reading.right for reading in found) / len(found)
