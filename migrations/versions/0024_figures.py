"""figures for the community-care meetings: a daily summary kept in step with the records

Revision ID: 0024
Revises: 0023
"""
from datetime import date, timedelta

import sqlalchemy as sa
from alembic import op

revision = "0024"
down_revision = "0023"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "figure_counts",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("centre_code", sa.String(64), nullable=False),
        sa.Column("area_code", sa.String(32), nullable=False),
        sa.Column("measure", sa.String(24), nullable=False),
        sa.Column("value", sa.String(32), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("day", "centre_code", "area_code", "measure", "value"),
    )
    op.create_table("figure_stale_days", sa.Column("day", sa.Date(), nullable=False), sa.PrimaryKeyConstraint("day"))
    op.create_index("ix_intake_records_created_at", "intake_records", ["created_at"])
    op.create_index("ix_intake_records_closed_at", "intake_records", ["closed_at"])
    op.create_index("ix_intake_records_withdrawn_at", "intake_records", ["withdrawn_at"])
    # Every record received so far is counted on the first read.
    bind = op.get_bind()
    utc_days = {row[0] for row in bind.execute(sa.text("SELECT DISTINCT CAST(created_at AS DATE) FROM intake_records"))}
    days = {day for utc_day in utc_days for day in _city_days(utc_day)}
    if days:
        bind.execute(sa.text("INSERT INTO figure_stale_days (day) VALUES (:day)"), [{"day": day} for day in days])


def _city_days(utc_day):  # noqa: ANN001, ANN202
    """A UTC date as the city's days it may fall on (Japan is 9 hours ahead)."""
    day = utc_day if isinstance(utc_day, date) else date.fromisoformat(str(utc_day)[:10])
    return (day, day + timedelta(days=1))


def downgrade() -> None:
    op.drop_index("ix_intake_records_withdrawn_at", "intake_records")
    op.drop_index("ix_intake_records_closed_at", "intake_records")
    op.drop_index("ix_intake_records_created_at", "intake_records")
    op.drop_table("figure_stale_days")
    op.drop_table("figure_counts")
