"""what each member of staff has read, and follow-up dates

- ``record_reads``: when a member of staff last opened a record; resident
  messages after it are shown as unread (未読) on their queue.
- ``record_workflows.follow_up_on``: the day staff mean to look at the record
  again (次回確認日); the overdue view lists records from that day on.
- ``ix_intake_messages_phase_id``: the newest danger message, asked for by
  the alert poll of every open admin page.

Revision ID: 0018
Revises: 0017
"""
from alembic import op
import sqlalchemy as sa

import bot.models.base

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "record_reads",
        sa.Column("record_id", sa.Integer(), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=False),
        sa.Column("seen_at", bot.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["record_id"], ["intake_records.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["staff_id"], ["staff_accounts.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("record_id", "staff_id"),
    )
    with op.batch_alter_table("record_workflows", schema=None) as batch_op:
        batch_op.add_column(sa.Column("follow_up_on", sa.Date(), nullable=True))
        batch_op.create_index("ix_record_workflows_follow_up_on", ["follow_up_on"], unique=False)
    op.create_index("ix_intake_messages_phase_id", "intake_messages", ["phase", "id"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_intake_messages_phase_id", table_name="intake_messages")
    with op.batch_alter_table("record_workflows", schema=None) as batch_op:
        batch_op.drop_index("ix_record_workflows_follow_up_on")
        batch_op.drop_column("follow_up_on")
    op.drop_table("record_reads")
