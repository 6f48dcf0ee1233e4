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
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta

from sqlalchemy import func, select

from bot.i18n import S_
from bot.models import Event, EventSeries, SignUp
from bot.services.events.base import EventError
from bot.services.events.reminders import EventReminders
from bot.services.events.search import EventSearch
from bot.services.events.staff import EventChange, EventDraft, InvalidEvent, StaffEvents, draft_of
from bot.services.spreadsheet import excel_csv

MAX_SERIES_DATES = 120


# -- domain exceptions --------------------------------------------------------------


class SeriesNotFound(EventError):
    """No such series (or outside the caller's scope)."""


# -- values -------------------------------------------------------------------------


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


class EventService(EventSearch, EventReminders, StaffEvents):
    """Finding events, signing up, the waiting list, reminders, and the staff side."""

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
