"""The figures' daily summary (集計): counts per day, centre, area and measure, kept in step with the records.

A consultation record adds to the counts of the day it was received
(受付: categories, who asked, channel, urgency, escalation, time to first
contact) and of the day it was closed or withdrawn (outcome, time to close).
``bot/services/figures.py`` marks the days a flush touched as stale and
recounts them before reading, so the summary always equals a count from
scratch while a fiscal year is read from a few hundred thousand small rows
instead of a million records.
"""
from __future__ import annotations

from datetime import date

from sqlalchemy import Date, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from bot.models.base import Base
from bot.models.intake import IntakeRecord


class FigureCount(Base):
    """How many records count under one measure and value on one day (city time) for one centre and area."""

    __tablename__ = "figure_counts"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    centre_code: Mapped[str] = mapped_column(String(64), primary_key=True)  # "": the coordinator's triage
    area_code: Mapped[str] = mapped_column(String(32), primary_key=True)  # "": not known
    measure: Mapped[str] = mapped_column(String(24), primary_key=True)  # received, category, closed, ...
    value: Mapped[str] = mapped_column(String(32), primary_key=True)  # a code, hours as digits, or ""
    count: Mapped[int] = mapped_column(Integer)


class FigureStaleDay(Base):
    """A day whose counts a change made out of date; recounted before the figures are next read."""

    __tablename__ = "figure_stale_days"

    day: Mapped[date] = mapped_column(Date, primary_key=True)


# Recounting one day finds its records by these (migration 0024).
Index("ix_intake_records_created_at", IntakeRecord.created_at)
Index("ix_intake_records_closed_at", IntakeRecord.closed_at)
Index("ix_intake_records_withdrawn_at", IntakeRecord.withdrawn_at)
