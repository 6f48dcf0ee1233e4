"""Residents, the webhook inbox, conversations and the outbox."""
from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from bot.models.base import Base, utcnow


class Resident(Base):
    """A LINE user who has talked to the account (住民)."""

    __tablename__ = "residents"

    id: Mapped[int] = mapped_column(primary_key=True)
    line_user_id: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str | None] = mapped_column(String(200))
    # The language the bot speaks to this resident; chosen by the resident or
    # taken from the LINE profile on follow. Never taken from an HTTP request.
    locale: Mapped[str] = mapped_column(String(16), default="ja")
    profile_language: Mapped[str | None] = mapped_column(String(16))
    area_code: Mapped[str | None] = mapped_column(String(32))
    is_following: Mapped[bool] = mapped_column(Boolean, default=False)
    blocked_at: Mapped[datetime | None]
    followed_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    @property
    def is_blocked(self) -> bool:
        return self.blocked_at is not None


class InboxEvent(Base):
    """A webhook event exactly as LINE delivered it, stored before the 200."""

    __tablename__ = "inbox_events"
    __table_args__ = (
        Index("ix_inbox_pending_source", "status", "source_key", "id"),
    )

    PENDING = "pending"
    PROCESSED = "processed"
    IGNORED = "ignored"
    FAILED = "failed"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_key: Mapped[str] = mapped_column(String(128), unique=True)
    source_key: Mapped[str] = mapped_column(String(80), index=True)
    event_type: Mapped[str] = mapped_column(String(40))
    mode: Mapped[str] = mapped_column(String(16), default="active")
    is_redelivery: Mapped[bool] = mapped_column(Boolean, default=False)
    payload: Mapped[dict[str, Any]]
    event_at: Mapped[datetime | None]
    received_at: Mapped[datetime] = mapped_column(default=utcnow)
    status: Mapped[str] = mapped_column(String(16), default=PENDING)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    processed_at: Mapped[datetime | None]
    # An error class name and short reason; never message content.
    error: Mapped[str | None] = mapped_column(String(300))


class Conversation(Base):
    """Where a resident is in a flow; restored with ``initial=state``."""

    __tablename__ = "conversations"
    __table_args__ = (Index("ix_conversations_active", "resident_id", "ended_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    resident_id: Mapped[int] = mapped_column(ForeignKey("residents.id", ondelete="CASCADE"))
    flow: Mapped[str] = mapped_column(String(40))
    state: Mapped[str] = mapped_column(String(60))
    data: Mapped[dict[str, Any]] = mapped_column(default=dict)
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    ended_at: Mapped[datetime | None]
    # completed / cancelled / expired / replaced
    end_reason: Mapped[str | None] = mapped_column(String(20))

    resident: Mapped[Resident] = relationship()


def new_retry_key() -> str:
    return str(uuid.uuid4())


class OutboundMessage(Base):
    """One reply or push to LINE, delivered by the worker with retries (the outbox)."""

    __tablename__ = "outbound_messages"
    __table_args__ = (Index("ix_outbox_due", "status", "next_attempt_at"),)

    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"
    SKIPPED = "skipped"

    id: Mapped[int] = mapped_column(primary_key=True)
    resident_id: Mapped[int | None] = mapped_column(
        ForeignKey("residents.id", ondelete="SET NULL"), index=True
    )
    to: Mapped[str] = mapped_column(String(64))
    reply_token: Mapped[str | None] = mapped_column(String(200))
    # Until when the reply token may be used; afterwards the message is pushed.
    reply_deadline: Mapped[datetime | None]
    messages: Mapped[list[Any]]
    retry_key: Mapped[str] = mapped_column(String(36), unique=True, default=new_retry_key)
    purpose: Mapped[str] = mapped_column(String(40), default="reply")
    source_event_id: Mapped[int | None] = mapped_column(
        ForeignKey("inbox_events.id", ondelete="SET NULL")
    )
    status: Mapped[str] = mapped_column(String(16), default=PENDING)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    claimed_until: Mapped[datetime | None]
    # A reply attempt whose outcome is unknown (timeout, 5xx): LINE may have
    # used the token. A later "Invalid reply token" then means delivered.
    reply_outcome_unknown: Mapped[bool] = mapped_column(Boolean, default=False)
    delivered_by: Mapped[str | None] = mapped_column(String(16))  # reply / push
    line_request_id: Mapped[str | None] = mapped_column(String(64))
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None]
