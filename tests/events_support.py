"""Helpers for the events tests: events as staff would create them, and reading Flex messages."""
from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from bot.models import Resident, SignUp, utcnow
from bot.services.events import EventService
from bot.services.events.staff import EventDraft

TOKYO = ZoneInfo("Asia/Tokyo")


def tokyo(year: int, month: int, day: int, hour: int = 10, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=TOKYO)


def days_ahead(days: int, hour: int = 10, minute: int = 0) -> datetime:
    """A local time ``days`` from today, e.g. 10:00 the day after tomorrow."""
    today = utcnow().astimezone(TOKYO).date() + timedelta(days=days)
    return datetime(today.year, today.month, today.day, hour, minute, tzinfo=TOKYO)


def draft(**overrides: object) -> EventDraft:
    starts_at = overrides.pop("starts_at", None) or days_ahead(3)
    values = {
        "title": "ふれあいサロン",
        "kind": "salon",
        "area_code": "taira",
        "venue_name": "平 中央公民館",
        "venue_address": "いわき市平字中央1-1",
        "venue_lat": 37.0505,
        "venue_lon": 140.8877,
        "starts_at": starts_at,
        "ends_at": starts_at + timedelta(hours=2),
        "capacity": 10,
        "organiser": "平地区社会福祉協議会",
        "contact": "0246-22-1111",
        "fee": "100円（お茶代）",
    }
    values.update(overrides)
    values.setdefault("max_party_size", min(3, values["capacity"]))
    return EventDraft(**values)


class Clock:
    """A clock the test moves by hand."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


def tsunagu_of(app):  # noqa: ANN001, ANN201
    return app.extensions["tsunagu"]


def create_event(app, **overrides: object) -> int:  # noqa: ANN001
    tsunagu = tsunagu_of(app)
    with tsunagu.db.transaction() as session:
        return EventService(session, tsunagu.profile).create_event(draft(**overrides)).id


def resident(session, user_id: str, name: str = "住民", locale: str = "ja") -> Resident:  # noqa: ANN001
    found = session.query(Resident).filter_by(line_user_id=user_id).first()
    if found is None:
        found = Resident(line_user_id=user_id, display_name=name, locale=locale, is_following=True)
        session.add(found)
        session.flush()
    return found


# -- reading what residents see in Flex messages -------------------------------------------


def bubbles(message: dict) -> list[dict]:
    contents = message["contents"]
    return contents["contents"] if contents["type"] == "carousel" else [contents]


def _walk(node: object) -> Iterator[dict]:
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from _walk(value)
    elif isinstance(node, list):
        for item in node:
            yield from _walk(item)


def texts_in(node: dict) -> list[str]:
    return [n["text"] for n in _walk(node) if n.get("type") == "text" and "text" in n]


def buttons_in(node: dict) -> dict[str, str]:
    """Button label -> postback data."""
    return {n["action"]["label"]: n["action"].get("data", "") for n in _walk(node) if n.get("type") == "button"}


def flex_messages(messages: list[dict]) -> list[dict]:
    return [m for m in messages if m.get("type") == "flex"]


def sign_up(app, event_id: int, user_id: str | None, name: str, party: int = 1) -> int:  # noqa: ANN001
    """A resident signs up on LINE (or, with no user id, staff take a phone call)."""
    tsunagu = app.extensions["tsunagu"]
    with tsunagu.db.transaction() as session:
        events = EventService(session, tsunagu.profile)
        if user_id is None:
            return events.add_signup_by_hand(event_id, name=name, party_size=party, phone="0246-22-1111").id
        return events.sign_up(event_id, resident=resident(session, user_id, name), party_size=party, name=name).id


def signups(app, event_id: int) -> list[tuple[str, str, int | None]]:  # noqa: ANN001
    with app.extensions["tsunagu"].db.transaction() as session:
        rows = session.scalars(select(SignUp).where(SignUp.event_id == event_id).order_by(SignUp.id))
        return [(s.name, s.status, s.waiting_position) for s in rows]
