"""notices to residents (お知らせ): settings, notices, multicast batches, link opens

- ``notice_settings``: each resident's topics and areas (opt-in);
- ``notices``: composed by staff, texts per language, audience, schedule, approval;
- ``notice_batches``: one multicast of at most 500 recipients, with its retry key;
- ``notice_opens``: residents who opened a notice's event link.

Revision ID: 0025
Revises: 0024
"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

import bot.models.base

revision = "0025"
down_revision = "0024"
branch_labels = None
depends_on = None

JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
STAMP = bot.models.base.UTCDateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "notice_settings",
        sa.Column("resident_id", sa.Integer(), nullable=False),
        sa.Column("topics", JSON, nullable=False),
        sa.Column("areas", JSON, nullable=False),
        sa.Column("stopped", sa.Boolean(), nullable=False),
        sa.Column("updated_at", STAMP, nullable=False),
        sa.ForeignKeyConstraint(["resident_id"], ["residents.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("resident_id"),
    )
    op.create_table(
        "notices",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=80), nullable=False),
        sa.Column("texts", JSON, nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=True),
        sa.Column("image_url", sa.String(length=1000), nullable=True),
        sa.Column("topic", sa.String(length=32), nullable=False),
        sa.Column("areas", JSON, nullable=False),
        sa.Column("languages", JSON, nullable=False),
        sa.Column("essential", sa.Boolean(), nullable=False),
        sa.Column("repeat", sa.String(length=16), nullable=False),
        sa.Column("send_at", STAMP, nullable=True),
        sa.Column("status", sa.String(length=24), nullable=False),
        sa.Column("reach", sa.Integer(), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("approved_by", sa.Integer(), nullable=True),
        sa.Column("centre_code", sa.String(length=32), nullable=True),
        sa.Column("created_at", STAMP, nullable=False),
        sa.Column("sent_at", STAMP, nullable=True),
        sa.ForeignKeyConstraint(["event_id"], ["events.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["created_by"], ["staff_accounts.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["approved_by"], ["staff_accounts.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_notices_status_send_at", "notices", ["status", "send_at"])
    op.create_table(
        "notice_batches",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("notice_id", sa.Integer(), nullable=False),
        sa.Column("round", sa.Integer(), nullable=False),
        sa.Column("locale", sa.String(length=16), nullable=False),
        sa.Column("resident_ids", JSON, nullable=False),
        sa.Column("recipients", JSON, nullable=False),
        sa.Column("retry_key", sa.String(length=36), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", STAMP, nullable=False),
        sa.Column("claimed_until", STAMP, nullable=True),
        sa.Column("line_request_id", sa.String(length=64), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("created_at", STAMP, nullable=False),
        sa.Column("sent_at", STAMP, nullable=True),
        sa.ForeignKeyConstraint(["notice_id"], ["notices.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("retry_key"),
    )
    op.create_index("ix_notice_batches_notice_id", "notice_batches", ["notice_id"])
    op.create_index("ix_notice_batches_due", "notice_batches", ["status", "next_attempt_at"])
    op.create_table(
        "notice_opens",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("notice_id", sa.Integer(), nullable=False),
        sa.Column("resident_id", sa.Integer(), nullable=False),
        sa.Column("opened_at", STAMP, nullable=False),
        sa.ForeignKeyConstraint(["notice_id"], ["notices.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["resident_id"], ["residents.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_notice_opens_notice_id", "notice_opens", ["notice_id"])


def downgrade() -> None:
    op.drop_table("notice_opens")
    op.drop_table("notice_batches")
    op.drop_table("notices")
    op.drop_table("notice_settings")
