"""Opening hours: whether a desk is open, and when staff will first read a message (開庁日・開庁時間).

A desk answers on its days, between its opening and closing time (the
profile's ``opening``), except on the city's closed days (閉庁日): national
holidays and substitute holidays (the jpholiday library) and the profile's
``calendar.closed`` dates, such as 年末年始 (12/29–1/3). Times are the city's
(the profile's timezone). "Now" is the ``CLOCK`` setting when one is set (tests
and demos), else the real time.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import jpholiday

from bot.models import utcnow
from bot.municipality import WEEKDAYS, Centre, Coordinator, Municipality

Desk = Centre | Coordinator
# A message that arrives this close to closing time is read the next opening day, not "today".
LAST_CALL = timedelta(hours=1)
# Far more than any run of closed days (年末年始 and a weekend): a desk that never opens is a broken profile.
MAX_CLOSED_DAYS = 40


@dataclass(frozen=True)
class FirstLook:
    """When staff first read a message: ``today``, or in the morning of the next opening day (``opens``)."""

    today: bool
    opens: datetime  # today: the time it was sent (or today's opening); else the next opening, in the city's time


@dataclass(frozen=True)
class ContactWish:
    """When a resident would like to be contacted, as far as their words say it.

    ``days``: weekday numbers (Monday 0, as ``date.weekday()``); ``start`` and
    ``end``: a time window within a day. None where the words do not say.
    """

    days: frozenset[int] | None = None
    start: time | None = None
    end: time | None = None  # exclusive; time.max for "until the end of the day"


class OpeningHours:
    """One city's desks and calendar, read against the clock."""

    def __init__(self, profile: Municipality, clock: Callable[[], datetime] | None = None) -> None:
        self.profile = profile
        self.tz = ZoneInfo(profile.timezone)
        self.clock = clock or utcnow

    @classmethod
    def of(cls, config: Mapping[str, Any], profile: Municipality) -> OpeningHours:
        """The opening hours with the app's clock (the ``CLOCK`` setting, else the real time)."""
        return cls(profile, config.get("CLOCK"))

    def now(self) -> datetime:
        return self.clock().astimezone(self.tz)

    def desk(self, centre_code: str | None) -> Desk:
        """The centre with this code; the coordinator for None or a centre the profile no longer has."""
        try:
            return self.profile.centre(centre_code) if centre_code else self.profile.coordinator
        except KeyError:
            return self.profile.coordinator

    def is_closed_day(self, day: date) -> bool:
        """A day every desk of the city is closed: a national holiday or one of the profile's closed dates."""
        calendar = self.profile.calendar
        return (calendar.national_holidays and jpholiday.is_holiday(day)) or f"{day:%m-%d}" in calendar.closed

    def is_open_day(self, desk: Desk, day: date) -> bool:
        return desk.opening.is_open_day(day) and not self.is_closed_day(day)

    def is_open(self, desk: Desk, at: datetime | None = None) -> bool:
        """Whether the desk is open at ``at`` (now by default)."""
        local = self._local(at)
        return self.is_open_day(desk, local.date()) and desk.opening.opens <= local.time() < desk.opening.closes

    def next_opening(self, desk: Desk, at: datetime | None = None) -> datetime:
        """The desk's next opening time after ``at`` (now by default), in the city's time."""
        local = self._local(at)
        day = local.date() if local.time() < desk.opening.opens else local.date() + timedelta(days=1)
        for _ in range(MAX_CLOSED_DAYS):
            if self.is_open_day(desk, day):
                return datetime.combine(day, desk.opening.opens, tzinfo=self.tz)
            day += timedelta(days=1)
        raise ValueError(f"desk {desk.name!r} does not open within {MAX_CLOSED_DAYS} days")

    def first_look(self, desk: Desk, at: datetime | None = None) -> FirstLook:
        """When staff will first read a message sent at ``at``: today, or the next opening day's morning."""
        local = self._local(at)
        closing = datetime.combine(local.date(), desk.opening.closes, tzinfo=self.tz)
        if self.is_open_day(desk, local.date()) and local < closing - LAST_CALL:
            return FirstLook(today=True, opens=local)
        return FirstLook(today=False, opens=self.next_opening(desk, local))

    def outside(self, desk: Desk, wish: ContactWish) -> bool:
        """Whether a contact time the resident asked for falls wholly outside the desk's days or hours."""
        opening = desk.opening
        if wish.days is not None and not any(WEEKDAYS[day] in opening.days for day in wish.days):
            return True
        if wish.start is not None and wish.end is not None:
            return not (wish.start < opening.closes and opening.opens < wish.end)
        return False

    def _local(self, at: datetime | None) -> datetime:
        return (at or self.clock()).astimezone(self.tz)
