"""Households (世帯): residents staff have linked as living together, each with their relationship.

Staff link residents whose consultations belong together (世帯単位の支援);
a resident belongs to at most one household.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from bot.models.base import Base, utcnow
from bot.models.core import Resident


class Household(Base):
    """One household (世帯) of the city."""

    __tablename__ = "households"

    id: Mapped[int] = mapped_column(primary_key=True)
    municipality: Mapped[str] = mapped_column(String(32))
    created_by: Mapped[int | None] = mapped_column(ForeignKey("staff_accounts.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    members: Mapped[list[HouseholdMember]] = relationship(
        back_populates="household", order_by="HouseholdMember.id", cascade="all, delete-orphan")


class HouseholdMember(Base):
    """A resident's place in a household: their relationship (a code of ``RELATIONSHIPS``)."""

    __tablename__ = "household_members"

    id: Mapped[int] = mapped_column(primary_key=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("households.id", ondelete="CASCADE"), index=True)
    resident_id: Mapped[int] = mapped_column(ForeignKey("residents.id", ondelete="CASCADE"), unique=True)
    relationship_code: Mapped[str] = mapped_column(String(16))
    added_by: Mapped[int | None] = mapped_column(ForeignKey("staff_accounts.id", ondelete="SET NULL"))
    added_at: Mapped[datetime] = mapped_column(default=utcnow)

    household: Mapped[Household] = relationship(back_populates="members")
    resident: Mapped[Resident] = relationship()
