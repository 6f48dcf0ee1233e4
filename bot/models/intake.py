"""Consultation records (相談受付): the record, its thread, photos, and receipt counters.

What residents write is kept here, in the city's own database, and nowhere
else: not in logs, not on LINE's side (the inbox redacts it once handled).
"""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from bot.models.base import Base, utcnow
from bot.models.core import Resident


class RecordStatus:
    """Where a record is in the staff workflow (bot/services/workflow.py moves it between these).

    Stored as these plain strings; every status a record can have is here.
    """

    NEW = "new"  # received, nobody has looked at it yet
    TRIAGED = "triaged"  # staff have read it and decided who takes it
    FORWARDED = "forwarded"  # sent on to another centre or the coordinator
    IN_PROGRESS = "in_progress"  # a centre is supporting the household
    ESCALATED = "escalated"  # 多機関協働: the coordinator convenes agencies and writes the support plan
    CLOSED = "closed"  # support ended (終結)
    WITHDRAWN = "withdrawn"  # the resident took the consultation back

    ALL = (NEW, TRIAGED, FORWARDED, IN_PROGRESS, ESCALATED, CLOSED, WITHDRAWN)
    # A finished record takes no more thread messages and cannot be withdrawn.
    FINISHED = frozenset({CLOSED, WITHDRAWN})
    OPEN = (NEW, TRIAGED, FORWARDED, IN_PROGRESS, ESCALATED)


class Subject:
    """Who needs help (相談の対象)."""

    SELF = "self"
    FAMILY = "family"
    NEIGHBOUR = "neighbour"  # a concern about someone else: an outreach lead (アウトリーチ)

    ALL = (SELF, FAMILY, NEIGHBOUR)


class Urgency:
    NOW = "now"
    DAYS = "days"
    ANYTIME = "anytime"

    ALL = (NOW, DAYS, ANYTIME)


class ContactMethod:
    LINE = "line"
    PHONE = "phone"
    MEET = "meet"
    NONE = "none"  # 連絡は不要: someone who reported a concern about another person does not want to be contacted

    ALL = (LINE, PHONE, MEET, NONE)


class SafeContact:
    """Which way of reaching a resident who spoke of violence (DV) is safe, in their own answer."""

    LINE = "line"  # LINEならよい
    PHONE = "phone"  # 電話ならよい
    BOTH = "both"
    NEITHER = "neither"  # どちらも避けてほしい

    ALL = (LINE, PHONE, BOTH, NEITHER)


class LegalBasis:
    """Why the city may keep the record (個人情報保護法)."""

    CONSENT = "consent"  # the resident agreed to the consent text of ``consent_version``
    # A danger signal: kept without consent to protect someone's life or body
    # (人の生命、身体の保護のために必要で、本人の同意を得ることが困難なとき).
    VITAL_INTEREST = "vital_interest"


class IntakeRecord(Base):
    """One consultation (相談記録), routed to a district centre or the coordinator."""

    __tablename__ = "intake_records"
    __table_args__ = (
        UniqueConstraint("municipality", "receipt_number", name="uq_intake_records_receipt"),
        Index("ix_intake_records_queue", "municipality", "centre_code", "status"),
        Index("ix_intake_records_urgent", "urgent", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    municipality: Mapped[str] = mapped_column(String(32))
    receipt_number: Mapped[str] = mapped_column(String(32))
    resident_id: Mapped[int | None] = mapped_column(
        ForeignKey("residents.id", ondelete="SET NULL"), index=True
    )
    # intake: the conversation; danger_signal: a minimal record made because a
    # message signalled danger (it may be completed by the conversation later);
    # callback: 「電話してほしい」, a phone number to call back (bot/flows/callback.py).
    source: Mapped[str] = mapped_column(String(20), default="intake")
    subject: Mapped[str | None] = mapped_column(String(16))
    categories: Mapped[list[Any]] = mapped_column(default=list)  # category codes of the profile
    area_code: Mapped[str | None] = mapped_column(String(32))
    # chosen / typed / location / remembered / unknown: how the area was given
    area_source: Mapped[str | None] = mapped_column(String(16))
    # None: the coordinator's triage queue (the area is unknown).
    centre_code: Mapped[str | None] = mapped_column(String(64))
    urgency: Mapped[str | None] = mapped_column(String(16))
    urgent: Mapped[bool] = mapped_column(Boolean, default=False)
    urgent_at: Mapped[datetime | None]
    danger_kinds: Mapped[list[Any]] = mapped_column(default=list)
    contact_method: Mapped[str | None] = mapped_column(String(16))
    phone: Mapped[str | None] = mapped_column(String(20))  # digits only, e.g. 09012345678
    contact_times: Mapped[str | None] = mapped_column(String(200))
    # About the person concerned when it is someone else (family, a neighbour): their name as the
    # resident gave it (None: not known or not asked), and who the resident is to them: a code of
    # RELATIONS (bot/flows/intake_questions.py) or the resident's own words.
    person_name: Mapped[str | None] = mapped_column(String(100))
    relation: Mapped[str | None] = mapped_column(String(50))
    # Whether LINE or a phone call is safe (SafeContact); asked when the consultation is about violence.
    safe_contact: Mapped[str | None] = mapped_column(String(16))
    # A resident whose language is not Japanese who asked to be called or met: the language an
    # interpreter should speak (a locale code or the resident's words), "none" when not needed.
    interpreter: Mapped[str | None] = mapped_column(String(40))
    # The details read as if the person may have collapsed at home (安否確認); the resident was told
    # to call 119/110.
    welfare_check: Mapped[bool] = mapped_column(Boolean, default=False)
    legal_basis: Mapped[str] = mapped_column(String(20), default=LegalBasis.CONSENT)
    consent_at: Mapped[datetime | None]
    consent_version: Mapped[str | None] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(20), default=RecordStatus.NEW, index=True)
    # [{"code": "family", "reason": "家族のこと（8050・ダブルケアなど）の相談"}, ...]
    flags: Mapped[list[Any]] = mapped_column(default=list)
    thread_notice_at: Mapped[datetime | None]  # when the resident was told that later messages reach staff
    # When the conversation last turned to this record: staff wrote on it, or the resident chose it
    # (bot/services/threads.py decides from it where a resident's later messages go).
    focused_at: Mapped[datetime | None]
    acked_at: Mapped[datetime | None]  # when the resident was last told a message reached this record
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    withdrawn_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]
    # When the retention period ended and everything but the figures' codes was removed
    # (bot/services/retention.py).
    anonymised_at: Mapped[datetime | None]

    resident: Mapped[Resident | None] = relationship()
    messages: Mapped[list[IntakeMessage]] = relationship(
        back_populates="record", order_by="IntakeMessage.id", cascade="all, delete-orphan"
    )
    attachments: Mapped[list[IntakeAttachment]] = relationship(
        back_populates="record", order_by="IntakeAttachment.id"
    )

    @property
    def is_open(self) -> bool:
        return self.status not in RecordStatus.FINISHED

    @property
    def in_triage(self) -> bool:
        """True when no centre is assigned: the coordinator sorts it out."""
        return self.centre_code is None

    @property
    def details(self) -> str:
        """What the resident wrote when consulting, in order (詳しい内容)."""
        return "\n".join(m.text for m in self.messages if m.phase == IntakeMessage.DETAILS and m.text)


# The queue's order: urgent first, then the oldest (migration 0009).
Index("ix_intake_records_order", IntakeRecord.urgent.desc(), IntakeRecord.created_at, IntakeRecord.id)
# The queue's search has PostgreSQL-only GIN indexes on intake_search_grams(receipt_number) and on
# intake_search_grams(intake_messages.text) (migration 0010); they are not declared here because SQLite
# has neither the function nor GIN, and searches there by reading.


class IntakeMessage(Base):
    """One item of a record's thread: what the resident wrote or sent, in order."""

    __tablename__ = "intake_messages"

    # phase
    DETAILS = "details"  # written during the consultation (step 4)
    THREAD = "thread"  # sent later, while the record was open
    DANGER = "danger"  # the message that signalled danger
    # kind
    TEXT = "text"
    IMAGE = "image"
    UNSENT = "unsent"  # the resident took it back; the content is gone
    # direction
    FROM_RESIDENT = "resident"
    FROM_STAFF = "staff"

    id: Mapped[int] = mapped_column(primary_key=True)
    record_id: Mapped[int] = mapped_column(ForeignKey("intake_records.id", ondelete="CASCADE"), index=True)
    direction: Mapped[str] = mapped_column(String(16), default=FROM_RESIDENT)
    phase: Mapped[str] = mapped_column(String(16), default=THREAD)
    kind: Mapped[str] = mapped_column(String(16), default=TEXT)
    text: Mapped[str | None] = mapped_column(Text)
    line_message_id: Mapped[str | None] = mapped_column(String(64), index=True)
    attachment_id: Mapped[int | None] = mapped_column(ForeignKey("intake_attachments.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    record: Mapped[IntakeRecord] = relationship(back_populates="messages")
    attachment: Mapped[IntakeAttachment | None] = relationship()


class IntakeAttachment(Base):
    """A photo a resident sent, fetched from LINE into our database by the worker.

    While the consultation is a draft it belongs to the conversation; on
    submit it moves to the record. Drafts that are cancelled or expire take
    their photos with them.
    """

    __tablename__ = "intake_attachments"

    PENDING = "pending"  # the worker has not fetched it yet
    STORED = "stored"
    UNAVAILABLE = "unavailable"  # LINE no longer has it, or kept failing

    id: Mapped[int] = mapped_column(primary_key=True)
    record_id: Mapped[int | None] = mapped_column(ForeignKey("intake_records.id", ondelete="CASCADE"), index=True)
    resident_id: Mapped[int | None] = mapped_column(ForeignKey("residents.id", ondelete="SET NULL"), index=True)
    conversation_id: Mapped[int | None] = mapped_column(
        ForeignKey("conversations.id", ondelete="SET NULL"), index=True
    )
    line_message_id: Mapped[str] = mapped_column(String(64), index=True)
    kind: Mapped[str] = mapped_column(String(16), default="image")
    status: Mapped[str] = mapped_column(String(16), default=PENDING)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    content_type: Mapped[str | None] = mapped_column(String(100))
    content: Mapped[bytes | None] = mapped_column(LargeBinary)
    size: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    fetched_at: Mapped[datetime | None]

    record: Mapped[IntakeRecord | None] = relationship(back_populates="attachments")


class ReceiptCounter(Base):
    """The last receipt number given per municipality and year (IW-2026-000123).

    Incremented with one ``INSERT ... ON CONFLICT DO UPDATE ... RETURNING``,
    so concurrent submissions never share a number: PostgreSQL locks the row
    until commit, SQLite's ``BEGIN IMMEDIATE`` serialises writers.
    """

    __tablename__ = "intake_receipt_counters"

    municipality: Mapped[str] = mapped_column(String(32), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    last_number: Mapped[int] = mapped_column(Integer, default=0)


# The alert poll of every admin page asks for the newest danger message (admin/alerts.py, migration 0018).
Index("ix_intake_messages_phase_id", IntakeMessage.phase, IntakeMessage.id)
