"""Salons and events (つどいの場・サロン), their recurring series, and sign-ups.

Each date of a series is its own :class:`Event` row with its own capacity
and sign-ups; the :class:`EventSeries` only keeps the rule that made them,
so staff can change or cancel the dates still to come together.
"""
from __future__ import annotations

from datetime import date, datetime, time

from sqlalchemy import Date, Float, ForeignKey, Index, Integer, String, Text, Time, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from bot.models.base import Base, utcnow
from bot.models.core import Resident


class EventSeries(Base):
    """A recurring event (毎週・毎月): the rule that generated its dates."""

    __tablename__ = "event_series"

    WEEKLY = "weekly"
    MONTHLY = "monthly"  # the same weekday of the same week each month (第2火曜日)
    FREQUENCIES = (WEEKLY, MONTHLY)

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(120))
    centre_code: Mapped[str] = mapped_column(String(32), index=True)
    frequency: Mapped[str] = mapped_column(String(16))
    interval: Mapped[int] = mapped_column(Integer, default=1)  # every n weeks / months
    first_date: Mapped[date] = mapped_column(Date)
    until_date: Mapped[date] = mapped_column(Date)
    # Local (the city's time zone) times of day of every date.
    start_time: Mapped[time] = mapped_column(Time)
    end_time: Mapped[time | None] = mapped_column(Time)
    # Sign-up windows relative to each date; None: open as soon as created.
    signup_opens_days_before: Mapped[int | None] = mapped_column(Integer)
    signup_closes_hours_before: Mapped[int] = mapped_column(Integer, default=0)
    cancel_hours_before: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class Event(Base):
    """One gathering on one date: a salon, an オレンジカフェ, a 体操教室..."""

    __tablename__ = "events"
    __table_args__ = (Index("ix_events_status_starts", "status", "starts_at"),)

    SCHEDULED = "scheduled"
    CANCELLED = "cancelled"

    id: Mapped[int] = mapped_column(primary_key=True)
    series_id: Mapped[int | None] = mapped_column(
        ForeignKey("event_series.id", ondelete="SET NULL"), index=True
    )
    title: Mapped[str] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(32), index=True)
    description: Mapped[str] = mapped_column(Text, default="")
    organiser: Mapped[str] = mapped_column(String(120), default="")  # a community group, 社協, a centre
    area_code: Mapped[str] = mapped_column(String(32), index=True)
    # Which district centre manages the event in the admin view.
    centre_code: Mapped[str] = mapped_column(String(32), index=True)
    venue_name: Mapped[str] = mapped_column(String(120))
    venue_address: Mapped[str] = mapped_column(String(200), default="")
    venue_lat: Mapped[float | None] = mapped_column(Float)
    venue_lon: Mapped[float | None] = mapped_column(Float)
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime | None]
    capacity: Mapped[int] = mapped_column(Integer)  # seats (people, not sign-ups)
    max_party_size: Mapped[int] = mapped_column(Integer, default=4)
    signup_opens_at: Mapped[datetime | None]  # None: open now
    signup_closes_at: Mapped[datetime | None]  # None: until the start
    cancel_deadline: Mapped[datetime | None]  # None: until the start
    fee: Mapped[str] = mapped_column(String(120), default="")
    what_to_bring: Mapped[str] = mapped_column(String(200), default="")
    accessibility: Mapped[str] = mapped_column(String(300), default="")
    contact: Mapped[str] = mapped_column(String(200), default="")
    status: Mapped[str] = mapped_column(String(16), default=SCHEDULED)
    cancelled_at: Mapped[datetime | None]
    cancel_reason: Mapped[str | None] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    series: Mapped[EventSeries | None] = relationship()

    @property
    def is_cancelled(self) -> bool:
        return self.status == self.CANCELLED

    @property
    def closes_at(self) -> datetime:
        return self.signup_closes_at or self.starts_at

    @property
    def cancellable_until(self) -> datetime:
        return self.cancel_deadline or self.starts_at


class SignUp(Base):
    """A resident's (or a phoned-in) sign-up for one event date (申込)."""

    __tablename__ = "event_signups"
    __table_args__ = (
        Index("ix_event_signups_event_status", "event_id", "status"),
        # A resident holds at most one active sign-up per event date. Sign-ups
        # added by staff have no resident and are not limited.
        Index(
            "uq_event_signups_active_resident",
            "event_id",
            "resident_id",
            unique=True,
            sqlite_where=text("status IN ('confirmed', 'waiting', 'attended')"),
            postgresql_where=text("status IN ('confirmed', 'waiting', 'attended')"),
        ),
    )

    CONFIRMED = "confirmed"
    WAITING = "waiting"  # キャンセル待ち
    CANCELLED = "cancelled"
    ATTENDED = "attended"
    ACTIVE = (CONFIRMED, WAITING, ATTENDED)
    HOLDING_SEATS = (CONFIRMED, ATTENDED)

    LINE = "line"
    STAFF = "staff"  # added by hand for someone who phoned

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    resident_id: Mapped[int | None] = mapped_column(
        ForeignKey("residents.id", ondelete="SET NULL"), index=True
    )
    party_size: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(100))  # as the resident gave it
    phone: Mapped[str | None] = mapped_column(String(20))  # digits only, e.g. 0246221111
    status: Mapped[str] = mapped_column(String(16))
    # 1 for the first on the waiting list; kept contiguous; None unless waiting.
    waiting_position: Mapped[int | None] = mapped_column(Integer)
    source: Mapped[str] = mapped_column(String(16), default=LINE)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    confirmed_at: Mapped[datetime | None]
    promoted_at: Mapped[datetime | None]  # confirmed from the waiting list (繰り上げ)
    cancelled_at: Mapped[datetime | None]
    cancelled_by: Mapped[str | None] = mapped_column(String(16))  # resident / staff
    attended_at: Mapped[datetime | None]
    # Set in the same transaction that queues the reminder: sent exactly once.
    reminded_at: Mapped[datetime | None]
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    event: Mapped[Event] = relationship()
    resident: Mapped[Resident | None] = relationship()

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE
