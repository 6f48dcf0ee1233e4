"""住民支え合い: the resident's answer to 「お手伝いはいかがでしたか？」

- ``help_requests.check_result``: good (良かった) / problem (問題があった), or none yet;
- ``help_requests.check_words``: what the resident wrote about the help;
- ``help_requests.check_answered_at``: when they answered.

Revision ID: 0027
Revises: 0026
"""
import sqlalchemy as sa
from alembic import op

import bot.models.base

revision = "0027"
down_revision = "0026"
branch_labels = None
depends_on = None

STAMP = bot.models.base.UTCDateTime(timezone=True)


def upgrade() -> None:
    with op.batch_alter_table("help_requests") as batch:
        batch.add_column(sa.Column("check_result", sa.String(length=16), nullable=True))
        batch.add_column(sa.Column("check_words", sa.Text(), nullable=False, server_default=""))
        batch.add_column(sa.Column("check_answered_at", STAMP, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("help_requests") as batch:
        batch.drop_column("check_answered_at")
        batch.drop_column("check_words")
        batch.drop_column("check_result")
