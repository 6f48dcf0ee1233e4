"""Notices to residents (お知らせ): what each resident asked to hear, what staff send, and how it went.

- :class:`NoticeSetting`: a resident's topics and areas (their own and, for a
  family member elsewhere, the parent's); nothing is sent without one, except
  essential notices.
- :class:`Notice`: composed once by staff, a text per language, an audience,
  a schedule and an approval.
- :class:`NoticeBatch`: up to 500 recipients of one language, sent by one
  multicast with the retry key stored before the first attempt.
"""
from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from bot.models.base import Base, utcnow


class NoticeSetting(Base):
    """What a resident wants to hear about (お知らせ設定)."""

    __tablename__ = "notice_settings"

    resident_id: Mapped[int] = mapped_column(ForeignKey("residents.id", ondelete="CASCADE"), primary_key=True)
    topics: Mapped[list[Any]] = mapped_column(default=list)  # topic codes of the profile's [notices]
    areas: Mapped[list[Any]] = mapped_column(default=list)  # area codes; empty: the whole city
    stopped: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class Notice(Base):
    """One notice composed by staff, sent now, at a time, or repeatedly."""

    __tablename__ = "notices"
    __table_args__ = (Index("ix_notices_status_send_at", "status", "send_at"),)

    DRAFT = "draft"
    AWAITING_APPROVAL = "awaiting_approval"
    SCHEDULED = "scheduled"
    SENDING = "sending"
    SENT = "sent"
    CANCELLED = "cancelled"

    ONCE = "once"
    MONTHLY = "monthly"  # the same weekday of the same week each month (第1月曜日)

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(80))
    # locale -> text; "ja" always; a missing language falls back to ja_Hira, then ja.
    texts: Mapped[dict[str, Any]] = mapped_column(default=dict)
    event_id: Mapped[int | None] = mapped_column(ForeignKey("events.id", ondelete="SET NULL"))
    image_url: Mapped[str | None] = mapped_column(String(1000))
    topic: Mapped[str] = mapped_column(String(32))
    areas: Mapped[list[Any]] = mapped_column(default=list)  # empty: every area
    languages: Mapped[list[Any]] = mapped_column(default=list)  # empty: every language
    essential: Mapped[bool] = mapped_column(Boolean, default=False)
    repeat: Mapped[str] = mapped_column(String(16), default=ONCE)
    send_at: Mapped[datetime | None]
    status: Mapped[str] = mapped_column(String(24), default=DRAFT)
    reach: Mapped[int] = mapped_column(Integer, default=0)  # recipients counted when it was last previewed/queued
    created_by: Mapped[int | None] = mapped_column(ForeignKey("staff_accounts.id", ondelete="SET NULL"))
    approved_by: Mapped[int | None] = mapped_column(ForeignKey("staff_accounts.id", ondelete="SET NULL"))
    centre_code: Mapped[str | None] = mapped_column(String(32))  # the composer's centre; None: the city
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None]


def new_batch_key() -> str:
    return str(uuid.uuid4())


class NoticeBatch(Base):
    """One multicast: at most 500 residents of one language, with its own retry key."""

    __tablename__ = "notice_batches"
    __table_args__ = (Index("ix_notice_batches_due", "status", "next_attempt_at"),)

    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"

    id: Mapped[int] = mapped_column(primary_key=True)
    notice_id: Mapped[int] = mapped_column(ForeignKey("notices.id", ondelete="CASCADE"), index=True)
    round: Mapped[int] = mapped_column(Integer, default=1)  # which sending of a repeated notice
    locale: Mapped[str] = mapped_column(String(16))
    resident_ids: Mapped[list[Any]] = mapped_column(default=list)
    recipients: Mapped[list[Any]] = mapped_column(default=list)  # LINE user ids, in the order of resident_ids
    retry_key: Mapped[str] = mapped_column(String(36), unique=True, default=new_batch_key)
    status: Mapped[str] = mapped_column(String(16), default=PENDING)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    claimed_until: Mapped[datetime | None]
    line_request_id: Mapped[str | None] = mapped_column(String(64))
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None]


class NoticeOpen(Base):
    """A resident opened a notice's event link (its sign-up button)."""

    __tablename__ = "notice_opens"

    id: Mapped[int] = mapped_column(primary_key=True)
    notice_id: Mapped[int] = mapped_column(ForeignKey("notices.id", ondelete="CASCADE"), index=True)
    resident_id: Mapped[int] = mapped_column(ForeignKey("residents.id", ondelete="CASCADE"))
    opened_at: Mapped[datetime] = mapped_column(default=utcnow)
