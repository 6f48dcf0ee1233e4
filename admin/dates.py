"""Dates and times on the staff pages: the city's time zone, the staff member's language."""
from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_skeleton, format_time
from flask import current_app
from flask_babel import gettext

from admin.settings import admin_state
from bot.models import Event, EventSeries


def city_zone() -> ZoneInfo:
    """The city's time zone, in which staff type and read dates."""
    return ZoneInfo(current_app.extensions["tsunagu"].profile.timezone)


def city_today() -> date:
    """Today in the city's time zone, by the admin view's clock."""
    return admin_state().now().astimezone(city_zone()).date()


class LocalDates:
    """Dates and times as staff read them: the city's time zone, the page's language."""

    def __init__(self, timezone: str, locale: str) -> None:
        self.tz = ZoneInfo(timezone)
        self.locale = locale

    def day(self, moment: datetime | date) -> str:
        """2030年6月4日(火)."""
        value = moment.astimezone(self.tz) if isinstance(moment, datetime) else moment
        return format_skeleton("yMMMEd", value, locale=self.locale)

    def short_day(self, moment: datetime) -> str:
        """2030/6/4(火)."""
        return format_skeleton("yMEd", moment.astimezone(self.tz), locale=self.locale)

    def clock(self, moment: datetime) -> str:
        return format_time(moment.astimezone(self.tz), "short", locale=self.locale)

    def moment(self, moment: datetime | None) -> str:
        """2030/6/4(火) 13:30, or a dash."""
        return f"{self.short_day(moment)} {self.clock(moment)}" if moment else "—"

    def hours(self, starts_at: datetime, ends_at: datetime | None) -> str:
        """13:30〜15:00."""
        return self.times_of_day(starts_at.astimezone(self.tz).time(),
                                 ends_at.astimezone(self.tz).time() if ends_at else None)

    def times_of_day(self, start: time, end: time | None) -> str:
        start_text = format_time(start, "short", locale=self.locale)
        if end is None:
            return gettext("%(start)s〜", start=start_text)
        return gettext("%(start)s〜%(end)s", start=start_text, end=format_time(end, "short", locale=self.locale))

    def when(self, event: Event) -> str:
        return f"{self.day(event.starts_at)} {self.hours(event.starts_at, event.ends_at)}"

    def rule(self, series: EventSeries) -> str:
        """毎週 火曜日 / 毎月 第2火曜日, from the series' first date."""
        weekday = format_date(series.first_date, "EEEE", locale=self.locale)  # 火曜日 / Tuesday
        nth = (series.first_date.day - 1) // 7 + 1
        if series.frequency == EventSeries.WEEKLY:
            if series.interval == 1:
                return gettext("毎週 %(weekday)s", weekday=weekday)
            return gettext("%(n)d週ごと %(weekday)s", n=series.interval, weekday=weekday)
        if series.interval == 1:
            return gettext("毎月 第%(nth)d %(weekday)s", nth=nth, weekday=weekday)
        return gettext("%(n)dか月ごと 第%(nth)d %(weekday)s", n=series.interval, nth=nth, weekday=weekday)
