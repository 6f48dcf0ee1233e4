"""住民支え合い: residents ask for small help, neighbours give it, the 生活支援コーディネーター matches.

A :class:`HelpRequest` is asked on LINE (by the resident or a family member)
or entered by staff for someone who phoned. A :class:`Supporter` registers on
LINE and receives nothing until the SC approves them. The SC either assigns
one supporter or sends an open call; each supporter asked is a
:class:`HelpOffer`, and at most one offer per request is ever accepted (a
partial unique index, so two simultaneous 「引き受けます」 cannot both win).
Hours done are a :class:`HelpDone` with the points of the profile's scheme.
"""
from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import Date, Float, ForeignKey, Index, Integer, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from bot.models.base import Base, utcnow
from bot.models.core import Resident


class SupportGroup(Base):
    """A 住民支え合い活動グループ (or another host organisation of the points scheme)."""

    __tablename__ = "support_groups"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    centre_code: Mapped[str] = mapped_column(String(32), index=True)
    area_codes: Mapped[list[Any]] = mapped_column(default=list)
    contact: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    members: Mapped[list[Supporter]] = relationship(back_populates="group")


class Supporter(Base):
    """A resident who offered help (支え手); approved by the SC before they receive anything."""

    __tablename__ = "supporters"

    APPLIED = "applied"  # 応募
    MET = "met"  # 面談済み
    ACTIVE = "active"  # 活動中
    PAUSED = "paused"  # 休止
    STATUSES = (APPLIED, MET, ACTIVE, PAUSED)

    id: Mapped[int] = mapped_column(primary_key=True)
    resident_id: Mapped[int | None] = mapped_column(
        ForeignKey("residents.id", ondelete="SET NULL"), unique=True
    )
    name: Mapped[str] = mapped_column(String(100))
    phone: Mapped[str | None] = mapped_column(String(20))  # digits only
    status: Mapped[str] = mapped_column(String(16), default=APPLIED, index=True)
    tasks: Mapped[list[Any]] = mapped_column(default=list)  # task codes of the profile
    area_codes: Mapped[list[Any]] = mapped_column(default=list)
    availability: Mapped[list[Any]] = mapped_column(default=list)  # weekday_am, weekday_pm, weekend
    max_per_month: Mapped[int] = mapped_column(Integer, default=4)
    group_id: Mapped[int | None] = mapped_column(ForeignKey("support_groups.id", ondelete="SET NULL"), index=True)
    # Recorded by the SC at approval (after a short meeting).
    insurance: Mapped[str] = mapped_column(String(200), default="")
    approved_at: Mapped[datetime | None]
    approved_by: Mapped[int | None] = mapped_column(ForeignKey("staff_accounts.id", ondelete="SET NULL"))
    # Explicit consents, each with the version of the text the supporter agreed to.
    consent_version: Mapped[str] = mapped_column(String(32))
    consented_at: Mapped[datetime] = mapped_column(default=utcnow)
    contact_consent_version: Mapped[str | None] = mapped_column(String(32))
    contact_consented_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    resident: Mapped[Resident | None] = relationship()
    group: Mapped[SupportGroup | None] = relationship(back_populates="members")


class HelpRequest(Base):
    """Small help a resident asked for (買物, 電球交換...); the other side sees only area and task."""

    __tablename__ = "help_requests"
    __table_args__ = (Index("ix_help_requests_status_created", "status", "created_at"),)

    OPEN = "open"  # waiting for the SC
    CALLING = "calling"  # offers sent, no one has accepted yet
    MATCHED = "matched"  # a supporter accepted or was assigned; the SC has not confirmed yet
    CONFIRMED = "confirmed"  # the SC confirmed the pairing: names and phones exchanged
    DONE = "done"
    CANCELLED = "cancelled"
    CONSULTATION = "consultation"  # turned into a consultation record
    WAITING = (OPEN, CALLING, MATCHED, CONFIRMED)

    ONCE = "once"
    WEEKLY = "weekly"

    GOOD = "good"  # 良かった
    PROBLEM = "problem"  # 問題があった

    SELF = "self"
    FAMILY = "family"

    LINE = "line"
    STAFF = "staff"

    id: Mapped[int] = mapped_column(primary_key=True)
    resident_id: Mapped[int | None] = mapped_column(ForeignKey("residents.id", ondelete="SET NULL"), index=True)
    source: Mapped[str] = mapped_column(String(16), default=LINE)
    asked_by: Mapped[str] = mapped_column(String(16), default=SELF)
    name: Mapped[str] = mapped_column(String(100), default="")
    phone: Mapped[str | None] = mapped_column(String(20))
    tasks: Mapped[list[Any]] = mapped_column(default=list)
    details: Mapped[str] = mapped_column(Text, default="")  # what helpers should know, in the resident's words
    area_code: Mapped[str] = mapped_column(String(32), index=True)
    centre_code: Mapped[str] = mapped_column(String(32), index=True)
    wanted_on: Mapped[date | None] = mapped_column(Date)  # None: いつでも
    time_window: Mapped[str] = mapped_column(String(16), default="any")  # am / pm / any
    frequency: Mapped[str] = mapped_column(String(16), default=ONCE)
    status: Mapped[str] = mapped_column(String(16), default=OPEN)
    supporter_id: Mapped[int | None] = mapped_column(ForeignKey("supporters.id", ondelete="SET NULL"), index=True)
    record_id: Mapped[int | None] = mapped_column(ForeignKey("intake_records.id", ondelete="SET NULL"))
    created_by: Mapped[int | None] = mapped_column(ForeignKey("staff_accounts.id", ondelete="SET NULL"))
    matched_at: Mapped[datetime | None]
    confirmed_at: Mapped[datetime | None]
    reminded_at: Mapped[datetime | None]
    done_at: Mapped[datetime | None]
    checked_at: Mapped[datetime | None]  # 「お手伝いはいかがでしたか？」 sent
    check_result: Mapped[str | None] = mapped_column(String(16))  # GOOD / PROBLEM: the resident's answer
    check_words: Mapped[str] = mapped_column(Text, default="")  # what they wrote about it
    check_answered_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    resident: Mapped[Resident | None] = relationship()
    supporter: Mapped[Supporter | None] = relationship()


class HelpOffer(Base):
    """One supporter asked to take one request (an open call or an assignment), and their answer."""

    __tablename__ = "help_offers"
    __table_args__ = (
        Index("uq_help_offers_request_supporter", "request_id", "supporter_id", unique=True),
        # First acceptance wins: the database refuses a second accepted offer.
        Index(
            "uq_help_offers_one_accepted",
            "request_id",
            unique=True,
            sqlite_where=text("status = 'accepted'"),
            postgresql_where=text("status = 'accepted'"),
        ),
    )

    SENT = "sent"
    ACCEPTED = "accepted"  # 引き受けます
    DECLINED = "declined"  # 今回は難しい
    UNANSWERED = "unanswered"  # no answer before someone else took it (they are told it is filled)

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("help_requests.id", ondelete="CASCADE"))
    supporter_id: Mapped[int] = mapped_column(ForeignKey("supporters.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(16), default=SENT)
    sent_by: Mapped[int | None] = mapped_column(ForeignKey("staff_accounts.id", ondelete="SET NULL"))
    sent_at: Mapped[datetime] = mapped_column(default=utcnow)
    answered_at: Mapped[datetime | None]

    request: Mapped[HelpRequest] = relationship()
    supporter: Mapped[Supporter] = relationship()


class HelpDone(Base):
    """Help given: the hours, and the points they earn in the profile's scheme."""

    __tablename__ = "help_done"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int | None] = mapped_column(ForeignKey("help_requests.id", ondelete="SET NULL"), index=True)
    supporter_id: Mapped[int] = mapped_column(ForeignKey("supporters.id", ondelete="CASCADE"), index=True)
    group_id: Mapped[int | None] = mapped_column(ForeignKey("support_groups.id", ondelete="SET NULL"))
    done_on: Mapped[date] = mapped_column(Date)
    hours: Mapped[float] = mapped_column(Float)
    points: Mapped[int] = mapped_column(Integer)
    recorded_by: Mapped[str] = mapped_column(String(16))  # supporter / resident / staff
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    supporter: Mapped[Supporter] = relationship()


class LocalService(Base):
    """A 生活支援サービス entered by staff (移動販売, 配達, 移送...); the profile lists more."""

    __tablename__ = "local_services"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(32), index=True)
    area_codes: Mapped[list[Any]] = mapped_column(default=list)  # empty: the whole city
    description: Mapped[str] = mapped_column(String(300), default="")
    phone: Mapped[str] = mapped_column(String(20), default="")
    created_by: Mapped[int | None] = mapped_column(ForeignKey("staff_accounts.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
