"""Salons and events: finding them, signing up, the waiting list, and the staff side.

No overbooking: every change to an event's sign-ups first locks the event
row (``SELECT ... FOR UPDATE`` on PostgreSQL; on SQLite the transaction
already holds the database's write lock from ``BEGIN IMMEDIATE``) and only
then counts the seats taken, so two sign-ups for the last seat are decided
one after the other and never both confirmed.

The same service serves the bot (residents) and the admin view (staff).
Staff operations honour ``centre_scope``: staff of a centre manage only
the events of their centres; an event outside the scope is "not found".
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, fields, replace
from datetime import date, datetime, time, timedelta

from sqlalchemy import func, select, update

from bot.i18n import S_
from bot.models import Event, EventSeries, SignUp
from bot.services.events.base import KINDS, EventError
from bot.services.events.reminders import EventReminders
from bot.services.events.search import EventSearch
from bot.services.events.signups import EventCancelled, SignUps
from bot.services.spreadsheet import excel_csv

MAX_SERIES_DATES = 120


# -- domain exceptions --------------------------------------------------------------


class SeriesNotFound(EventError):
    """No such series (or outside the caller's scope)."""


class InvalidEvent(EventError, ValueError):
    """Staff input that cannot make a valid event; ``field`` names the form field."""

    def __init__(self, field_name: str, problem: str) -> None:
        super().__init__(f"{field_name}: {problem}")
        self.field = field_name
        self.problem = problem


# -- values -------------------------------------------------------------------------


@dataclass(frozen=True)
class EventChange:
    event: Event
    changed: dict  # field -> value before
    notified: list[SignUp]  # residents pushed about a change of time or place
    promoted: list[SignUp]  # confirmed because the capacity grew


@dataclass(frozen=True)
class EventFigures:
    """The numbers per event staff read (定員・確定・キャンセル待ち・出席)."""

    capacity: int
    confirmed_people: int  # including those already marked attended
    confirmed_signups: int
    waiting_people: int
    waiting_signups: int
    attended_people: int
    attended_signups: int
    cancelled_signups: int

    @property
    def seats_left(self) -> int:
        return max(self.capacity - self.confirmed_people, 0)


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


# -- small pure helpers ---------------------------------------------------------------


def series_dates(first: date, until: date, frequency: str, interval: int = 1) -> list[date]:
    """The dates of a series: weekly on ``first``'s weekday, or monthly on the same nth weekday (第2火曜日)."""
    if interval < 1:
        raise InvalidEvent("interval", "must be 1 or more")
    dates: list[date] = []
    if frequency == EventSeries.WEEKLY:
        day = first
        while day <= until and len(dates) < MAX_SERIES_DATES:
            dates.append(day)
            day += timedelta(weeks=interval)
        return dates
    if frequency != EventSeries.MONTHLY:
        raise InvalidEvent("frequency", f"not one of {', '.join(EventSeries.FREQUENCIES)}")
    nth, weekday = (first.day - 1) // 7, first.weekday()
    year, month = first.year, first.month
    while len(dates) < MAX_SERIES_DATES:
        first_of_month = date(year, month, 1)
        if first_of_month > until:
            break
        day = first_of_month + timedelta(days=(weekday - first_of_month.weekday()) % 7 + 7 * nth)
        if day.month == month and first <= day <= until:  # some months have no 5th Tuesday
            dates.append(day)
        month += interval
        year, month = year + (month - 1) // 12, (month - 1) % 12 + 1
    return dates


# -- the service ------------------------------------------------------------------------


class EventService(EventSearch, SignUps, EventReminders):
    """Finding events, signing up, the waiting list, reminders, and the staff side."""

    # -- staff: events ------------------------------------------------------------------------------

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
        centre_code = draft.centre_code or self.profile.centre_for_area(draft.area_code).code
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
        return [
            signup
            for signup in self._active_signups(event.id, (SignUp.CONFIRMED, SignUp.WAITING))
            if self.notices.cancelled(signup)
        ]

    def _active_signups(self, event_id: int, statuses: tuple[str, ...]) -> list[SignUp]:
        return list(
            self.session.scalars(
                select(SignUp).where(SignUp.event_id == event_id, SignUp.status.in_(statuses)).order_by(SignUp.id)
            )
        )

    # -- staff: series ----------------------------------------------------------------------------------

    def create_series(
        self,
        draft: EventDraft,
        *,
        frequency: str,
        until: date,
        interval: int = 1,
        signup_opens_days_before: int | None = None,
        signup_closes_hours_before: int = 0,
        cancel_hours_before: int = 0,
    ) -> EventSeries:
        """Staff: a recurring event; one Event per date, each with its own seats.

        ``draft.starts_at`` is the first date and the time of every date;
        sign-up windows are given relative to each date.
        """
        draft = self._validated(draft)
        start = self.local(draft.starts_at)
        dates = series_dates(start.date(), until, frequency, interval)
        if not dates:
            raise InvalidEvent("until", "the series has no dates")
        for name, value in (("signup_opens_days_before", signup_opens_days_before),
                            ("signup_closes_hours_before", signup_closes_hours_before),
                            ("cancel_hours_before", cancel_hours_before)):
            if value is not None and value < 0:
                raise InvalidEvent(name, "must not be negative")
        series = EventSeries(
            title=draft.title,
            centre_code=draft.centre_code,
            frequency=frequency,
            interval=interval,
            first_date=dates[0],
            until_date=until,
            start_time=start.time().replace(tzinfo=None),
            end_time=self.local(draft.ends_at).time().replace(tzinfo=None) if draft.ends_at else None,
            signup_opens_days_before=signup_opens_days_before,
            signup_closes_hours_before=signup_closes_hours_before,
            cancel_hours_before=cancel_hours_before,
        )
        self.session.add(series)
        self.session.flush()
        for day in dates:
            self.create_event(self._series_date(series, draft, day), series=series)
        return series

    def _series_date(self, series: EventSeries, draft: EventDraft, day: date) -> EventDraft:
        starts_at = self.at_local(day, series.start_time)
        return replace(
            draft,
            starts_at=starts_at,
            ends_at=self.at_local(day, series.end_time) if series.end_time else None,
            signup_opens_at=(
                starts_at - timedelta(days=series.signup_opens_days_before)
                if series.signup_opens_days_before is not None else None
            ),
            signup_closes_at=(
                starts_at - timedelta(hours=series.signup_closes_hours_before)
                if series.signup_closes_hours_before else None
            ),
            cancel_deadline=(
                starts_at - timedelta(hours=series.cancel_hours_before) if series.cancel_hours_before else None
            ),
        )

    def _staff_series(self, series_id: int) -> EventSeries:
        series = self.session.get(EventSeries, series_id)
        if series is None or not self._in_scope(series.centre_code):
            raise SeriesNotFound(series_id)
        return series

    def staff_series(self, series_id: int) -> EventSeries:
        return self._staff_series(series_id)

    def _upcoming_in_series(self, series_id: int, from_date: date | None) -> list[Event]:
        start = max(self.clock(), self.local_midnight(from_date)) if from_date else self.clock()
        return list(
            self.session.scalars(
                select(Event)
                .where(Event.series_id == series_id, Event.status == Event.SCHEDULED, Event.starts_at > start)
                .order_by(Event.id)  # a fixed order, so two staff edits lock rows alike
            )
        )

    def update_series(
        self,
        series_id: int,
        *,
        from_date: date | None = None,
        start_time: time | None = None,
        end_time: time | None = None,
        **changes: object,
    ) -> list[EventChange]:
        """Staff: change the dates still to come (from ``from_date``); a new time of day moves each date."""
        series = self._staff_series(series_id)
        if "starts_at" in changes or "ends_at" in changes:
            raise InvalidEvent("starts_at", "change a series' times with start_time and end_time")
        if start_time is not None:
            series.start_time = start_time
        if end_time is not None:
            series.end_time = end_time
        if "title" in changes:
            series.title = str(changes["title"]).strip()[:120]
        results = []
        for event in self._upcoming_in_series(series_id, from_date):
            day = self.local(event.starts_at).date()
            per_date = dict(changes)
            if start_time is not None:
                per_date["starts_at"] = self.at_local(day, start_time)
            if end_time is not None:
                per_date["ends_at"] = self.at_local(day, end_time)
            results.append(self.update_event(event.id, **per_date))
        if results:
            series.centre_code = results[-1].event.centre_code
        series.updated_at = self.clock()
        return results

    def cancel_series(self, series_id: int, reason: str = "", *, from_date: date | None = None) -> list[SignUp]:
        """Staff: cancel every date still to come; returns who was told."""
        self._staff_series(series_id)
        notified = []
        for event in self._upcoming_in_series(series_id, from_date):
            notified += self.cancel_event(event.id, reason)
        return notified

    def copy_series(self, series_id: int, *, first_start: datetime, until: date) -> EventSeries:
        """Staff: the same series again from another first date (e.g. next term), details from its latest date."""
        series = self._staff_series(series_id)
        template = self.session.scalars(
            select(Event).where(Event.series_id == series_id).order_by(Event.starts_at.desc()).limit(1)
        ).first()
        if template is None:
            raise SeriesNotFound(series_id)
        draft = draft_of(template)
        duration = template.ends_at - template.starts_at if template.ends_at else None
        draft.starts_at, draft.ends_at = first_start, (first_start + duration if duration else None)
        draft.signup_opens_at = draft.signup_closes_at = draft.cancel_deadline = None
        return self.create_series(
            draft,
            frequency=series.frequency,
            until=until,
            interval=series.interval,
            signup_opens_days_before=series.signup_opens_days_before,
            signup_closes_hours_before=series.signup_closes_hours_before,
            cancel_hours_before=series.cancel_hours_before,
        )

    # -- staff: sign-ups, attendance, figures, CSV -------------------------------------------------

    def figures(self, event_id: int) -> EventFigures:
        """Staff: capacity, confirmed, waiting, attended for one event."""
        self._staff_event(event_id)
        return self.figures_of([event_id])[event_id]

    def figures_of(self, event_ids: Iterable[int]) -> dict[int, EventFigures]:
        """Staff: the figures of several events in one query (for a list page)."""
        ids = list(event_ids)
        if not ids:
            return {}
        capacity = dict(self.session.execute(select(Event.id, Event.capacity).where(Event.id.in_(ids))).all())
        counts = {(event_id, status): (0, 0) for event_id in ids for status in (*SignUp.ACTIVE, SignUp.CANCELLED)}
        for event_id, status, people, signups in self.session.execute(
            select(SignUp.event_id, SignUp.status, func.sum(SignUp.party_size), func.count())
            .where(SignUp.event_id.in_(ids))
            .group_by(SignUp.event_id, SignUp.status)
        ):
            counts[(event_id, status)] = (int(people or 0), int(signups))
        result = {}
        for event_id in ids:
            confirmed, attended = counts[(event_id, SignUp.CONFIRMED)], counts[(event_id, SignUp.ATTENDED)]
            waiting, cancelled = counts[(event_id, SignUp.WAITING)], counts[(event_id, SignUp.CANCELLED)]
            result[event_id] = EventFigures(
                capacity=capacity[event_id],
                confirmed_people=confirmed[0] + attended[0],
                confirmed_signups=confirmed[1] + attended[1],
                waiting_people=waiting[0],
                waiting_signups=waiting[1],
                attended_people=attended[0],
                attended_signups=attended[1],
                cancelled_signups=cancelled[1],
            )
        return result

    def export_csv(self, event_id: int, translate: Callable[[str], str] = lambda text: text) -> bytes:
        """Staff: the sign-up list as CSV for Excel: UTF-8 with a BOM, CRLF line ends.

        ``translate`` is the staff member's gettext (Japanese when not given).
        """
        event = self._staff_event(event_id)
        rows = (
            [
                signup.id,
                translate(STATUS_LABELS[signup.status]),
                signup.waiting_position or "",
                signup.name,
                signup.party_size,
                signup.phone or "",
                translate(SOURCE_LABELS.get(signup.source, SOURCE_LABELS[SignUp.STAFF])),
                self._csv_time(signup.created_at),
                self._csv_time(signup.confirmed_at),
                translate(ATTENDED_MARK) if signup.status == SignUp.ATTENDED else "",
                self._csv_time(signup.cancelled_at),
            ]
            for signup in self.signups(event.id)
        )
        return excel_csv([translate(column) for column in CSV_HEADER], rows)

    def _csv_time(self, moment: datetime | None) -> str:
        return self.local(moment).strftime("%Y-%m-%d %H:%M") if moment else ""


# Staff read these in the sign-up CSV, in their own language.
STATUS_LABELS = {
    SignUp.CONFIRMED: S_("参加確定"),
    SignUp.WAITING: S_("キャンセル待ち"),
    SignUp.CANCELLED: S_("取消"),
    SignUp.ATTENDED: S_("出席"),
}
SOURCE_LABELS = {SignUp.LINE: S_("LINE"), SignUp.STAFF: S_("電話・窓口")}
ATTENDED_MARK = S_("済")
CSV_HEADER = [S_("申込番号"), S_("状態"), S_("キャンセル待ち順"), S_("お名前"), S_("人数"), S_("電話番号"), S_("申込方法"),
              S_("申込日時"), S_("確定日時"), S_("出席"), S_("取消日時")]
