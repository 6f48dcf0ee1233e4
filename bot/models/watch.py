"""見守り (staying in touch): plans, their contacts, check-in slots, escalation steps and consents.

A plan sends a short check-in at its interval. Every scheduled check-in is
one :class:`WatchSlot` row, unique per plan and time, claimed by the worker
in the same transaction that queues its push in the outbox: a check-in is
sent exactly once even if the worker dies mid-run. Silence climbs the
slot's escalation (reminder -> LINE contacts -> a task for centre staff),
each step a :class:`WatchStep` row.
"""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from bot.models.base import Base, utcnow
from bot.models.core import Resident


class WatchPlan(Base):
    """A 見守りプラン for one resident: how often, at what hour, until when, and by which channel."""

    __tablename__ = "watch_plans"
    __table_args__ = (Index("ix_watch_plans_state_centre", "state", "centre_code"),)

    ACTIVE = "active"
    PAUSED = "paused"
    ENDED = "ended"

    LINE = "line"
    PHONE = "phone"  # staff phone the resident
    VISIT = "visit"  # 民生委員 visit
    CHANNELS = (LINE, PHONE, VISIT)

    id: Mapped[int] = mapped_column(primary_key=True)
    resident_id: Mapped[int] = mapped_column(ForeignKey("residents.id", ondelete="CASCADE"), index=True)
    record_id: Mapped[int | None] = mapped_column(ForeignKey("intake_records.id", ondelete="SET NULL"), index=True)
    centre_code: Mapped[str | None] = mapped_column(String(32))
    interval_days: Mapped[int] = mapped_column(Integer)
    hour: Mapped[int] = mapped_column(Integer)  # local hour of day of each check-in
    # 平日のみ: no check-in on Saturdays, Sundays, national holidays or closed days; the next working day gets it.
    weekdays_only: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date)
    paused_until: Mapped[date | None] = mapped_column(Date)  # inclusive: no check-in on or before this day
    pause_reason: Mapped[str | None] = mapped_column(String(40))  # hospital / travel / other
    channel: Mapped[str] = mapped_column(String(16), default=LINE)
    state: Mapped[str] = mapped_column(String(16), default=ACTIVE)
    stop_reason: Mapped[str | None] = mapped_column(String(40))
    stopped_at: Mapped[datetime | None]
    created_by: Mapped[int | None] = mapped_column(ForeignKey("staff_accounts.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    resident: Mapped[Resident] = relationship()


class WatchContact(Base):
    """Someone to alert when the resident does not answer: a LINE friend who accepted an invite, or a phone number."""

    __tablename__ = "watch_contacts"

    LINE = "line"
    PHONE = "phone"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("watch_plans.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    name: Mapped[str | None] = mapped_column(String(100))
    phone: Mapped[str | None] = mapped_column(String(20))  # digits only; staff call it
    invite_code: Mapped[str | None] = mapped_column(String(16), unique=True)
    contact_resident_id: Mapped[int | None] = mapped_column(ForeignKey("residents.id", ondelete="SET NULL"))
    accepted_at: Mapped[datetime | None]
    removed_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    contact_resident: Mapped[Resident | None] = relationship()


class WatchSlot(Base):
    """One scheduled check-in of a plan, and what became of it."""

    __tablename__ = "watch_slots"
    __table_args__ = (
        UniqueConstraint("plan_id", "due_at", name="uq_watch_slots_plan_due"),
        Index("ix_watch_slots_state_due", "state", "due_at"),
        Index("ix_watch_slots_state_next_step", "state", "next_step_at"),
    )

    DUE = "due"  # created, not sent yet
    SENT = "sent"  # waiting for the answer
    ANSWERED = "answered"
    MISSED = "missed"  # a later check-in came before any answer
    SKIPPED = "skipped"  # the plan stopped before it was sent

    FINE = "fine"
    WORRIED = "worried"
    TALK = "talk"
    ANSWERS = (FINE, WORRIED, TALK)

    # Escalation stages reached.
    NONE, REMINDED, CONTACTS_ALERTED, STAFF_TASK = 0, 1, 2, 3

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("watch_plans.id", ondelete="CASCADE"))
    due_at: Mapped[datetime]
    state: Mapped[str] = mapped_column(String(16), default=DUE)
    sent_at: Mapped[datetime | None]
    answer: Mapped[str | None] = mapped_column(String(16))
    answered_at: Mapped[datetime | None]
    stage: Mapped[int] = mapped_column(Integer, default=NONE)
    next_step_at: Mapped[datetime | None]
    handled_at: Mapped[datetime | None]  # staff logged a call or visit for it
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    plan: Mapped[WatchPlan] = relationship()


class WatchStep(Base):
    """What happened to a slot: reminder, contacts alerted, staff task, all clear, a staff call or visit."""

    __tablename__ = "watch_steps"

    REMINDER = "reminder"
    CONTACTS = "contacts"
    STAFF_TASK = "staff_task"
    ALL_CLEAR = "all_clear"
    CALL = "call"
    VISIT = "visit"

    id: Mapped[int] = mapped_column(primary_key=True)
    slot_id: Mapped[int] = mapped_column(ForeignKey("watch_slots.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    result: Mapped[str | None] = mapped_column(String(40))  # a staff call's outcome code
    note: Mapped[str | None] = mapped_column(Text)
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff_accounts.id", ondelete="SET NULL"))
    at: Mapped[datetime] = mapped_column(default=utcnow)


class WatchConsent(Base):
    """The resident's agreement to 見守り, with the version of the text agreed to (not the consultation consent)."""

    __tablename__ = "watch_consents"

    id: Mapped[int] = mapped_column(primary_key=True)
    resident_id: Mapped[int] = mapped_column(ForeignKey("residents.id", ondelete="CASCADE"), index=True)
    plan_id: Mapped[int | None] = mapped_column(ForeignKey("watch_plans.id", ondelete="SET NULL"))
    text_version: Mapped[str] = mapped_column(String(40))
    via: Mapped[str] = mapped_column(String(16))  # line: tapped by the resident; staff: recorded by staff
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff_accounts.id", ondelete="SET NULL"))
    agreed_at: Mapped[datetime] = mapped_column(default=utcnow)
