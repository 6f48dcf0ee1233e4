"""a review date on support plans; the form text kept across an ended session

- ``support_plans.review_on``: the plan's 見直し日 (the newest version's counts);
  indexed for the list of plans due for review.
- ``staff_form_stashes``: what staff typed into a form sent after their session
  ended, kept for a short while so the page opens with it after logging in
  again (admin/form_stash.py).

Revision ID: 0020
Revises: 0016
"""
import sqlalchemy as sa
from alembic import op

import bot.models.base

revision = "0020"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("support_plans", schema=None) as batch_op:
        batch_op.add_column(sa.Column("review_on", sa.Date(), nullable=True))
        batch_op.create_index(batch_op.f("ix_support_plans_review_on"), ["review_on"], unique=False)
    op.create_table(
        "staff_form_stashes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key_hash", sa.String(length=64), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=False),
        sa.Column("page", sa.String(length=500), nullable=False),
        sa.Column("action", sa.String(length=500), nullable=False),
        sa.Column("fields", bot.models.base.JSONType, nullable=False),
        sa.Column("created_at", bot.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["staff_id"], ["staff_accounts.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("key_hash"),
    )
    with op.batch_alter_table("staff_form_stashes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_staff_form_stashes_created_at"), ["created_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("staff_form_stashes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_staff_form_stashes_created_at"))
    op.drop_table("staff_form_stashes")
    with op.batch_alter_table("support_plans", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_support_plans_review_on"))
        batch_op.drop_column("review_on")
