"""What staff do with a consultation record: its workflow, timeline, notes, plan and messages.

The record itself (bot/models/intake.py) keeps its status; the workflow's
own facts live here, next to it:

- :class:`RecordWorkflow` — one row per record: who it is assigned to, and
  the last forward, rejection and escalation with their reasons;
- :class:`RecordHolder` — centres a record was forwarded away from (they still read it);
- :class:`RecordEvent` — the timeline (経過): who did what and when;
- :class:`RecordNote` — internal notes (職員メモ), never shown to residents;
- :class:`SupportPlan` — the 多機関協働 support plan (支援プラン), one row per version;
- :class:`StaffMessage` — a LINE message staff sent from the record, linked to
  its outbox row (delivery status) and its place in the thread;
- :class:`ResponseTemplate` — response templates (定型文) per category;
- :class:`RecordRead` — when each member of staff last opened each record (未読).
"""
from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import Boolean, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, backref, mapped_column, relationship

from bot.models.base import Base, utcnow
from bot.models.core import OutboundMessage
from bot.models.intake import IntakeMessage, IntakeRecord
from bot.models.staff import StaffAccount


class RecordWorkflow(Base):
    """The workflow facts of one record (担当者, 転送, 差し戻し, エスカレーション)."""

    __tablename__ = "record_workflows"

    record_id: Mapped[int] = mapped_column(ForeignKey("intake_records.id", ondelete="CASCADE"), primary_key=True)
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("staff_accounts.id"), index=True)
    forwarded_at: Mapped[datetime | None]
    forwarded_from: Mapped[str | None] = mapped_column(String(64))  # centre code; None: the coordinator
    forward_note: Mapped[str | None] = mapped_column(Text)
    rejected_at: Mapped[datetime | None]
    rejected_from: Mapped[str | None] = mapped_column(String(64))
    rejection_reason: Mapped[str | None] = mapped_column(Text)
    escalated_at: Mapped[datetime | None]
    escalation_reason: Mapped[str | None] = mapped_column(Text)
    outcome: Mapped[str | None] = mapped_column(String(32))  # 終結の理由, a code of the profile's outcomes
    # The day staff mean to look at the record again (次回確認日); the overdue view lists it from that day.
    follow_up_on: Mapped[date | None] = mapped_column(index=True)

    record: Mapped[IntakeRecord] = relationship(
        backref=backref("workflow", uselist=False, cascade="all, delete-orphan", passive_deletes=True))
    assignee: Mapped[StaffAccount | None] = relationship(lazy="joined")


class RecordHolder(Base):
    """A centre that held a record before it was forwarded on (転送元): it keeps read access, not the work."""

    __tablename__ = "record_holders"

    record_id: Mapped[int] = mapped_column(ForeignKey("intake_records.id", ondelete="CASCADE"), primary_key=True)
    centre_code: Mapped[str] = mapped_column(String(64), primary_key=True, index=True)
    until: Mapped[datetime] = mapped_column(default=utcnow)  # when the record left the centre
class RecordRead(Base):
    """When a member of staff last opened a record: resident messages after it are unread (未読) for them."""

    __tablename__ = "record_reads"

    record_id: Mapped[int] = mapped_column(ForeignKey("intake_records.id", ondelete="CASCADE"), primary_key=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff_accounts.id", ondelete="CASCADE"), primary_key=True)
    seen_at: Mapped[datetime] = mapped_column(default=utcnow)


class RecordEvent(Base):
    """One step of a record's timeline (経過): who did what, when.

    ``details`` holds codes (centres, statuses) and, for staff, the reason
    they gave; it is read on the record page only and never logged.
    """

    __tablename__ = "record_events"
    __table_args__ = (Index("ix_record_events_record_at", "record_id", "at"),)

    STAFF = "staff"
    RESIDENT = "resident"
    SYSTEM = "system"

    id: Mapped[int] = mapped_column(primary_key=True)
    record_id: Mapped[int] = mapped_column(ForeignKey("intake_records.id", ondelete="CASCADE"))
    at: Mapped[datetime] = mapped_column(default=utcnow)
    actor_kind: Mapped[str] = mapped_column(String(16), default=STAFF)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("staff_accounts.id"))
    action: Mapped[str] = mapped_column(String(40))
    from_status: Mapped[str | None] = mapped_column(String(20))
    to_status: Mapped[str | None] = mapped_column(String(20))
    details: Mapped[dict[str, Any]] = mapped_column(default=dict)

    actor: Mapped[StaffAccount | None] = relationship(lazy="joined")


class RecordNote(Base):
    """An internal note on a record (職員メモ); residents never see it."""

    __tablename__ = "record_notes"

    id: Mapped[int] = mapped_column(primary_key=True)
    record_id: Mapped[int] = mapped_column(ForeignKey("intake_records.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("staff_accounts.id"))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    author: Mapped[StaffAccount] = relationship(lazy="joined")


class SupportPlan(Base):
    """One version of a 多機関協働 support plan (支援プラン); the newest one is current."""

    __tablename__ = "support_plans"

    id: Mapped[int] = mapped_column(primary_key=True)
    record_id: Mapped[int] = mapped_column(ForeignKey("intake_records.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("staff_accounts.id"))
    policy: Mapped[str] = mapped_column(Text)  # 支援方針
    services: Mapped[str] = mapped_column(Text, default="")  # 提供サービス・制度・事業
    agencies: Mapped[list[Any]] = mapped_column(default=list)  # codes of AGENCIES (関係機関)
    # 見直し日: the day the coordinator means to review the plan; the newest version's date counts.
    review_on: Mapped[date | None] = mapped_column(index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    author: Mapped[StaffAccount] = relationship(lazy="joined")


class StaffMessage(Base):
    """A LINE message a member of staff sent from a record: its thread item and its delivery."""

    __tablename__ = "staff_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    record_id: Mapped[int] = mapped_column(ForeignKey("intake_records.id", ondelete="CASCADE"), index=True)
    message_id: Mapped[int] = mapped_column(ForeignKey("intake_messages.id", ondelete="CASCADE"), unique=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("staff_accounts.id"))
    outbound_id: Mapped[int | None] = mapped_column(ForeignKey("outbound_messages.id", ondelete="SET NULL"))
    # message: written by staff; closing: the notice sent when the record was closed
    purpose: Mapped[str] = mapped_column(String(20), default="message")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    message: Mapped[IntakeMessage] = relationship()
    author: Mapped[StaffAccount | None] = relationship(lazy="joined")
    outbound: Mapped[OutboundMessage | None] = relationship(lazy="joined")


class ResponseTemplate(Base):
    """A response template (定型文) staff start a LINE message from; managed by administrators."""

    __tablename__ = "response_templates"

    id: Mapped[int] = mapped_column(primary_key=True)
    municipality: Mapped[str] = mapped_column(String(32), index=True)
    category_code: Mapped[str | None] = mapped_column(String(32))  # None: for every category
    # The resident language it is written in (bot.i18n.SUPPORTED_LOCALES): the record page offers
    # the templates in the resident's language, Japanese when there are none in it.
    locale: Mapped[str] = mapped_column(String(16), default="ja", server_default="ja")
    title: Mapped[str] = mapped_column(String(100))
    body: Mapped[str] = mapped_column(Text)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
