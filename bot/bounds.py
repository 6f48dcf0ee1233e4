"""What a request may carry into a query: ids and dates within the database's range.

An id past PostgreSQL's ``integer`` (or SQLite's 64 bits) makes the driver
refuse the query, and a date near year 1 or 9999 overflows when it becomes
a moment in the city's time zone; either would be a 500. URLs take ids with
the ``dbid`` converter (``/records/<dbid:record_id>``: anything else is
404), query strings and forms with :func:`database_id` and
:func:`within_dates`.
"""
from __future__ import annotations

from datetime import date, datetime
from typing import Any

from werkzeug.routing import IntegerConverter

# Every table's id is an ``integer`` column (int4 on PostgreSQL).
MAX_DATABASE_ID = 2**31 - 1
# Dates staff may type or filter by; anything outside is not a day the service ever had.
EARLIEST_DATE = date(1900, 1, 1)
LATEST_DATE = date(2199, 12, 31)


class DatabaseId(IntegerConverter):
    """``<dbid:name>``: a positive id a database row can have; any other number is not found."""

    def __init__(self, map: Any, *args: Any, **kwargs: Any) -> None:  # noqa: A002
        super().__init__(map, min=1, max=MAX_DATABASE_ID)


def database_id(value: object) -> int | None:
    """``value`` (a query or form value) as an id a row can have, else None."""
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    elif isinstance(value, str) and value.isascii() and value.isdigit():
        number = int(value)
    else:
        return None
    return number if 1 <= number <= MAX_DATABASE_ID else None


def within_dates(day: date | datetime | None) -> bool:
    """Whether ``day`` lies in the range the service handles (``None`` does: no date given)."""
    if day is None:
        return True
    if isinstance(day, datetime):
        day = day.date()
    return EARLIEST_DATE <= day <= LATEST_DATE


def iso_date(value: str | None) -> date | None:
    """A YYYY-MM-DD value within the range, else None."""
    try:
        day = date.fromisoformat(value) if value else None
    except ValueError:
        return None
    return day if within_dates(day) else None
