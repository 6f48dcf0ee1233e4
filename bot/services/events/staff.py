"""What staff do with single events: list, create, change, copy, cancel and restore them.

A change of time or place is pushed to everyone signed up; a larger
capacity promotes the waiting list; a cancellation (中止) tells everyone,
whatever their attendance mark, and so does taking it back.
"""
from __future__ import annotations

from dataclasses import dataclass, fields, replace
from datetime import date, datetime, timedelta

from sqlalchemy import select, update

from bot.models import Event, EventSeries, SignUp
from bot.services.events.base import KINDS, EventError
from bot.services.events.signups import EventCancelled, SignUps
from bot.services.routing import centre_for_area


class InvalidEvent(EventError, ValueError):
    """Staff input that cannot make a valid event; ``field`` names the form field."""

    def __init__(self, field_name: str, problem: str) -> None:
        super().__init__(f"{field_name}: {problem}")
        self.field = field_name
        self.problem = problem


class EventStarted(EventError):
    """The event has already started, so it can no longer be restored."""


@dataclass
class EventDraft:
    """What staff fill in to create an event (or a series' first date)."""

    title: str
    kind: str
    area_code: str
    venue_name: str
    starts_at: datetime
    capacity: int
    ends_at: datetime | None = None
    description: str = ""
    organiser: str = ""
    centre_code: str | None = None  # None: the centre that covers the area
    venue_address: str = ""
    venue_lat: float | None = None
    venue_lon: float | None = None
    max_party_size: int = 4
    signup_opens_at: datetime | None = None
    signup_closes_at: datetime | None = None
    cancel_deadline: datetime | None = None
    fee: str = ""
    what_to_bring: str = ""
    accessibility: str = ""
    contact: str = ""


DRAFT_FIELDS = tuple(f.name for f in fields(EventDraft))
TIME_FIELDS = ("starts_at", "ends_at")
PLACE_FIELDS = ("venue_name", "venue_address")
_TEXT_LIMITS = {
    "title": 120, "organiser": 120, "venue_name": 120, "venue_address": 200, "fee": 120,
    "what_to_bring": 200, "accessibility": 300, "contact": 200, "description": 4000,
}


def draft_of(event: Event) -> EventDraft:
    """The event's details as a draft, e.g. to copy it."""
    return EventDraft(**{name: getattr(event, name) for name in DRAFT_FIELDS})


@dataclass(frozen=True)
class EventChange:
    event: Event
    changed: dict  # field -> value before
    notified: list[SignUp]  # residents pushed about a change of time or place
    promoted: list[SignUp]  # confirmed because the capacity grew


class StaffEvents(SignUps):
    """Staff: single events in the scope, and what residents signed up for them hear."""

    def list_events(
        self,
        *,
        date_from: date | None = None,
        date_to: date | None = None,
        include_cancelled: bool = True,
        centre_code: str | None = None,
        series_id: int | None = None,
    ) -> list[Event]:
        """Staff: events in the scope, soonest first."""
        stmt = select(Event)
        if self.centre_scope is not None:
            stmt = stmt.where(Event.centre_code.in_(sorted(self.centre_scope)))
        if centre_code:
            stmt = stmt.where(Event.centre_code == centre_code)
        if series_id is not None:
            stmt = stmt.where(Event.series_id == series_id)
        if not include_cancelled:
            stmt = stmt.where(Event.status == Event.SCHEDULED)
        if date_from:
            stmt = stmt.where(Event.starts_at >= self.local_midnight(date_from))
        if date_to:
            stmt = stmt.where(Event.starts_at < self.local_midnight(date_to + timedelta(days=1)))
        return list(self.session.scalars(stmt.order_by(Event.starts_at, Event.id)))

    def _validated(self, draft: EventDraft) -> EventDraft:
        """Check a draft as staff filled it in; the centre defaults to the area's."""
        for name, limit in _TEXT_LIMITS.items():
            value = (getattr(draft, name) or "").strip()
            if len(value) > limit:
                raise InvalidEvent(name, f"at most {limit} characters")
            draft = replace(draft, **{name: value})
        for name in ("title", "venue_name"):
            if not getattr(draft, name):
                raise InvalidEvent(name, "required")
        if draft.kind not in KINDS:
            raise InvalidEvent("kind", f"not one of {', '.join(KINDS)}")
        try:
            self.profile.area(draft.area_code)
        except KeyError:
            raise InvalidEvent("area_code", "unknown area") from None
        centre_code = draft.centre_code or centre_for_area(self.profile, draft.area_code).code
        try:
            self.profile.centre(centre_code)
        except KeyError:
            raise InvalidEvent("centre_code", "unknown centre") from None
        if not self._in_scope(centre_code):
            raise InvalidEvent("centre_code", "outside your centres")
        for name in ("starts_at", "ends_at", "signup_opens_at", "signup_closes_at", "cancel_deadline"):
            value = getattr(draft, name)
            if value is not None and (not isinstance(value, datetime) or value.tzinfo is None):
                raise InvalidEvent(name, "must be a date and time with a time zone")
        if draft.ends_at is not None and draft.ends_at <= draft.starts_at:
            raise InvalidEvent("ends_at", "must be after the start")
        if draft.signup_opens_at and draft.signup_opens_at >= (draft.signup_closes_at or draft.starts_at):
            raise InvalidEvent("signup_opens_at", "must be before sign-ups close")
        if not isinstance(draft.capacity, int) or draft.capacity < 1:
            raise InvalidEvent("capacity", "must be 1 or more")
        if not isinstance(draft.max_party_size, int) or not 1 <= draft.max_party_size <= draft.capacity:
            raise InvalidEvent("max_party_size", "must be between 1 and the capacity")
        if (draft.venue_lat is None) != (draft.venue_lon is None):
            raise InvalidEvent("venue_lat", "give both latitude and longitude, or neither")
        if draft.venue_lat is not None and not (-90 <= draft.venue_lat <= 90 and -180 <= draft.venue_lon <= 180):
            raise InvalidEvent("venue_lat", "not a coordinate")
        return replace(draft, centre_code=centre_code)

    def create_event(self, draft: EventDraft, *, series: EventSeries | None = None) -> Event:
        """Staff: create one event."""
        draft = self._validated(draft)
        now = self.clock()
        event = Event(**{name: getattr(draft, name) for name in DRAFT_FIELDS}, status=Event.SCHEDULED,
                      created_at=now, updated_at=now)
        if series is not None:
            event.series_id = series.id
        self.session.add(event)
        self.session.flush()
        return event

    def update_event(self, event_id: int, **changes: object) -> EventChange:
        """Staff: change an event's details; residents hear about a new time or place.

        A larger capacity promotes the waiting list. A smaller one never
        cancels anyone: the event stays full until enough people cancel.
        """
        unknown = set(changes) - set(DRAFT_FIELDS)
        if unknown:
            raise InvalidEvent(sorted(unknown)[0], "not an event field")
        self._staff_event(event_id)
        event = self._lock(event_id)
        if event.is_cancelled:
            raise EventCancelled(event_id)
        if "area_code" in changes and "centre_code" not in changes:
            changes["centre_code"] = None  # the new area's centre
        draft = self._validated(replace(draft_of(event), **changes))
        before = {}
        for name in DRAFT_FIELDS:
            new = getattr(draft, name)
            if getattr(event, name) != new:
                before[name] = getattr(event, name)
                setattr(event, name, new)
        now = self.clock()
        if not before:
            return EventChange(event, {}, [], [])
        event.updated_at = now
        if "starts_at" in before and self.local(before["starts_at"]).date() != self.local(event.starts_at).date():
            # A new date: the reminder is due again before it.
            self.session.execute(
                update(SignUp)
                .where(SignUp.event_id == event.id, SignUp.status.in_(SignUp.ACTIVE))
                .values(reminded_at=None)
                .execution_options(synchronize_session="fetch")
            )
        self.session.flush()
        promoted = self._promote_waiting_list(event) if "capacity" in before and event.capacity > before["capacity"] else []
        if promoted:
            self._renumber_waiting_list(event.id)
        notified = []
        noticed = {name: before[name] for name in (*TIME_FIELDS, *PLACE_FIELDS) if name in before}
        if noticed and max(event.starts_at, before.get("starts_at", event.starts_at)) > now:
            for signup in self._active_signups(event.id, (SignUp.CONFIRMED, SignUp.WAITING)):
                if signup in promoted:
                    continue  # their promotion notice already says when and where
                if self.notices.changed(signup, noticed, now):
                    notified.append(signup)
        return EventChange(event, before, notified, promoted)

    def copy_event(self, event_id: int, *, starts_at: datetime, ends_at: datetime | None = None) -> Event:
        """Staff: a new event with the same details on another date (sign-up windows move with it)."""
        source = self._staff_event(event_id)
        shift = starts_at - source.starts_at
        draft = draft_of(source)
        draft.starts_at = starts_at
        draft.ends_at = ends_at if ends_at is not None else (source.ends_at + shift if source.ends_at else None)
        for name in ("signup_opens_at", "signup_closes_at", "cancel_deadline"):
            value = getattr(source, name)
            setattr(draft, name, value + shift if value is not None else None)
        return self.create_event(draft)

    def cancel_event(self, event_id: int, reason: str = "") -> list[SignUp]:
        """Staff: cancel (中止) an event; every signed-up resident gets a push. Returns who was told."""
        self._staff_event(event_id)
        event = self._lock(event_id)
        if event.is_cancelled:
            return []
        now = self.clock()
        event.status, event.cancelled_at, event.updated_at = Event.CANCELLED, now, now
        event.cancel_reason = (reason or "").strip()[:300] or None
        self.session.flush()
        if event.starts_at <= now:
            return []
        # Everyone signed up, whatever their attendance mark: a tick is no reason to keep silent.
        return [signup for signup in self._active_signups(event.id, SignUp.ACTIVE) if self.notices.cancelled(signup)]

    def restore_event(self, event_id: int) -> list[SignUp]:
        """Staff: take back a cancellation (中止の取り消し); everyone signed up is told. Returns who was told.

        Cancelling an event leaves its sign-ups as they were, so restoring it
        gives every resident back the place they had (confirmed, or their turn
        on the waiting list): what a resident expects when the event is on
        again. The notice offers to cancel for those who made other plans.
        Only an event that has not started can be restored.
        """
        self._staff_event(event_id)
        event = self._lock(event_id)
        if not event.is_cancelled:
            return []
        now = self.clock()
        if event.starts_at <= now:
            raise EventStarted(event_id)
        event.status, event.cancelled_at, event.cancel_reason, event.updated_at = Event.SCHEDULED, None, None, now
        self.session.flush()
        signed_up = self._active_signups(event.id, SignUp.ACTIVE)
        return [signup for signup in signed_up if self.notices.restored(signup, now)]

    def _active_signups(self, event_id: int, statuses: tuple[str, ...]) -> list[SignUp]:
        return list(
            self.session.scalars(
                select(SignUp).where(SignUp.event_id == event_id, SignUp.status.in_(statuses)).order_by(SignUp.id)
            )
        )
