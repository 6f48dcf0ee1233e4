"""centres that held a record keep reading it; the outcome a record was closed with

``record_holders``: the centres a record was forwarded away from; they keep
read access (marked as no longer theirs). Filled from each record's last
forward (``record_workflows.forwarded_from``) for records forwarded before.
``record_workflows.outcome``: 終結の理由, a code of the profile's outcomes.

Revision ID: 0017
Revises: 0020
"""
from alembic import op
import sqlalchemy as sa

import bot.models.base

revision = "0017"
down_revision = "0020"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "record_holders",
        sa.Column("record_id", sa.Integer(), nullable=False),
        sa.Column("centre_code", sa.String(length=64), nullable=False),
        sa.Column("until", bot.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["record_id"], ["intake_records.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("record_id", "centre_code"),
    )
    with op.batch_alter_table("record_holders", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_record_holders_centre_code"), ["centre_code"], unique=False)
    with op.batch_alter_table("record_workflows", schema=None) as batch_op:
        batch_op.add_column(sa.Column("outcome", sa.String(length=32), nullable=True))
    op.execute(
        "INSERT INTO record_holders (record_id, centre_code, until) "
        "SELECT record_id, forwarded_from, forwarded_at FROM record_workflows "
        "WHERE forwarded_from IS NOT NULL AND forwarded_at IS NOT NULL"
    )


def downgrade() -> None:
    with op.batch_alter_table("record_workflows", schema=None) as batch_op:
        batch_op.drop_column("outcome")
    with op.batch_alter_table("record_holders", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_record_holders_centre_code"))
    op.drop_table("record_holders")
