"""response templates per language

Revision ID: 0008
Revises: 0007
"""
from alembic import op
import sqlalchemy as sa

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("response_templates", schema=None) as batch_op:
        batch_op.add_column(sa.Column("locale", sa.String(length=16), server_default="ja", nullable=False))


def downgrade() -> None:
    with op.batch_alter_table("response_templates", schema=None) as batch_op:
        batch_op.drop_column("locale")
