"""the missing questions: the person concerned, safe contact, interpreter, welfare check

Revision ID: 0013
Revises: 0011
"""
from alembic import op
import sqlalchemy as sa

revision = "0013"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("intake_records", schema=None) as batch_op:
        batch_op.add_column(sa.Column("person_name", sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column("relation", sa.String(length=50), nullable=True))
        batch_op.add_column(sa.Column("safe_contact", sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column("interpreter", sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column("welfare_check", sa.Boolean(), server_default=sa.false(), nullable=False))


def downgrade() -> None:
    with op.batch_alter_table("intake_records", schema=None) as batch_op:
        batch_op.drop_column("welfare_check")
        batch_op.drop_column("interpreter")
        batch_op.drop_column("safe_contact")
        batch_op.drop_column("relation")
        batch_op.drop_column("person_name")
