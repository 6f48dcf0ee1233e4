"""Recurring events (くり返しイベント): one event per date, each with its own seats.

A series is weekly on the first date's weekday, or monthly on the same nth
weekday (第2火曜日); staff change or cancel the dates still to come together.
Dates on the city's closed days (national holidays and the profile's
``[calendar]`` closed days, as :class:`OpeningHours` reads them) are skipped
unless staff include them.
"""
from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, time, timedelta

from sqlalchemy import select

from bot.models import Event, EventSeries, SignUp
from bot.services.events.base import EventError
from bot.services.events.staff import EventChange, EventDraft, InvalidEvent, StaffEvents, draft_of
from bot.services.hours import OpeningHours

MAX_SERIES_DATES = 120


class SeriesNotFound(EventError):
    """No such series (or outside the caller's scope)."""


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


class StaffSeries(StaffEvents):
    """Staff: create, change, cancel and copy a series; each date is an event of its own."""

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
        include_holidays: bool = False,
    ) -> EventSeries:
        """Staff: a recurring event; one Event per date, each with its own seats.

        ``draft.starts_at`` is the first date and the time of every date;
        sign-up windows are given relative to each date. The city's closed
        days (祝日・閉庁日) are left out unless ``include_holidays``.
        """
        draft = self._validated(draft)
        start = self.local(draft.starts_at)
        dates = series_dates(start.date(), until, frequency, interval)
        if not include_holidays:
            dates = [day for day in dates if not self._closed_day(day)]
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
            first_date=start.date(),  # the rule's first date, even when it is a closed day
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

    def _closed_day(self, day: date) -> bool:
        return OpeningHours(self.profile, self.clock).is_closed_day(day)

    def skipped_days(self, series_id: int) -> list[date]:
        """The series' dates left out because they fall on a closed day (the rule's dates with no event)."""
        series = self._staff_series(series_id)
        held = {self.local(event.starts_at).date()
                for event in self.session.scalars(select(Event).where(Event.series_id == series_id))}
        return [day for day in series_dates(series.first_date, series.until_date, series.frequency, series.interval)
                if day not in held and self._closed_day(day)]

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
        """Staff: the same series again from another first date (e.g. next term), details from its latest date.

        Closed days are left out as when creating, unless the series copied
        was held on one (staff had included them).
        """
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
            include_holidays=self._held_on_closed_day(series_id),
        )

    def _held_on_closed_day(self, series_id: int) -> bool:
        return any(self._closed_day(self.local(starts_at).date())
                   for starts_at in self.session.scalars(select(Event.starts_at).where(Event.series_id == series_id)))
