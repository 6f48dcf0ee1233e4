"""which record a resident's conversation is about, and when they were last acknowledged

``intake_records.focused_at``: when the conversation last turned to the
record (staff wrote on it, or the resident chose it); later messages of a
resident with several open records go to the most recently focused one.
``intake_records.acked_at``: when the resident was last told that a message
reached the record, so a burst of messages gets one short answer.

Revision ID: 0011
Revises: 0010
"""
from alembic import op
import sqlalchemy as sa

import bot.models.base

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("intake_records", schema=None) as batch_op:
        batch_op.add_column(sa.Column("focused_at", bot.models.base.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("acked_at", bot.models.base.UTCDateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("intake_records", schema=None) as batch_op:
        batch_op.drop_column("acked_at")
        batch_op.drop_column("focused_at")
