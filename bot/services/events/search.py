"""Finding events: a resident's search, and the seats left at each event."""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import func, select

from bot.models import Event, SignUp
from bot.municipality import distance_km
from bot.services.events.base import EventsBase

PAGE_SIZE = 11  # a carousel holds 12 bubbles: 11 events and one "もっと見る"


@dataclass(frozen=True)
class EventQuery:
    """What a resident looks for; every part is optional."""

    area_code: str | None = None
    kind: str | None = None
    date_from: date | None = None  # local dates, inclusive
    date_to: date | None = None
    near: tuple[float, float] | None = None  # (lat, lon): sorted by distance


@dataclass(frozen=True)
class Availability:
    capacity: int
    taken: int  # seats held by confirmed (and attended) sign-ups
    waiting: int  # sign-ups on the waiting list

    @property
    def seats_left(self) -> int:
        return max(self.capacity - self.taken, 0)

    @property
    def is_full(self) -> bool:
        return self.seats_left == 0


@dataclass(frozen=True)
class Listing:
    event: Event
    availability: Availability
    distance_km: float | None = None


@dataclass(frozen=True)
class SearchPage:
    listings: list[Listing]
    offset: int
    total: int

    @property
    def next_offset(self) -> int | None:
        after = self.offset + len(self.listings)
        return after if after < self.total else None


class EventSearch(EventsBase):
    """Upcoming events for residents, with their seats and whether sign-ups are open."""

    def search(self, query: EventQuery, *, offset: int = 0, limit: int = PAGE_SIZE) -> SearchPage:
        """Upcoming events matching the query: by date, or by distance when ``near`` is given."""
        stmt = select(Event).where(Event.status == Event.SCHEDULED, Event.starts_at > self.clock())
        if query.area_code:
            stmt = stmt.where(Event.area_code == query.area_code)
        if query.kind:
            stmt = stmt.where(Event.kind == query.kind)
        if query.date_from:
            stmt = stmt.where(Event.starts_at >= self.local_midnight(query.date_from))
        if query.date_to:
            stmt = stmt.where(Event.starts_at < self.local_midnight(query.date_to + timedelta(days=1)))
        offset = max(offset, 0)
        if query.near is None:
            total = self.session.scalar(select(func.count()).select_from(stmt.subquery()))
            events = list(self.session.scalars(stmt.order_by(Event.starts_at, Event.id).offset(offset).limit(limit)))
            distances = [None] * len(events)
        else:
            # A city has hundreds of upcoming events, not millions: sort them here,
            # where haversine works the same on SQLite and PostgreSQL.
            lat, lon = query.near
            ranked = sorted(
                ((self.distance_km(event, lat, lon), event) for event in self.session.scalars(stmt)),
                key=lambda pair: (round(pair[0], 1), pair[1].starts_at, pair[1].id),
            )
            total = len(ranked)
            page = ranked[offset : offset + limit]
            distances = [distance for distance, _ in page]
            events = [event for _, event in page]
        seats = self.availability_of(event.id for event in events)
        listings = [Listing(event, seats[event.id], distance) for event, distance in zip(events, distances)]
        return SearchPage(listings, offset, total)

    def distance_km(self, event: Event, lat: float, lon: float) -> float:
        if event.venue_lat is not None and event.venue_lon is not None:
            return distance_km(lat, lon, event.venue_lat, event.venue_lon)
        area = self.profile.area(event.area_code)  # no coordinates: the area's centroid
        return distance_km(lat, lon, area.lat, area.lon)

    def availability(self, event: Event) -> Availability:
        return self.availability_of([event.id])[event.id]

    def availability_of(self, event_ids: Iterable[int]) -> dict[int, Availability]:
        """Seats taken and waiting-list length for several events, in one query."""
        ids = list(event_ids)
        if not ids:
            return {}
        capacity = dict(self.session.execute(select(Event.id, Event.capacity).where(Event.id.in_(ids))).all())
        taken = dict.fromkeys(ids, 0)
        waiting = dict.fromkeys(ids, 0)
        rows = self.session.execute(
            select(SignUp.event_id, SignUp.status, func.sum(SignUp.party_size), func.count())
            .where(SignUp.event_id.in_(ids), SignUp.status.in_(SignUp.ACTIVE))
            .group_by(SignUp.event_id, SignUp.status)
        )
        for event_id, status, people, count in rows:
            if status in SignUp.HOLDING_SEATS:
                taken[event_id] += int(people or 0)
            else:
                waiting[event_id] += int(count)
        return {event_id: Availability(capacity[event_id], taken[event_id], waiting[event_id]) for event_id in ids}

    def signup_state(self, event: Event) -> str:
        """open / not_open / closed / cancelled, for a resident looking at the event now."""
        now = self.clock()
        if event.is_cancelled:
            return "cancelled"
        if event.signup_opens_at and now < event.signup_opens_at:
            return "not_open"
        if now >= event.closes_at:
            return "closed"
        return "open"
