"""見守り plans on weekdays only: no check-in on Saturdays, Sundays, national holidays or the city's closed days

- ``watch_plans.weekdays_only``: the plan skips those days; the next working day gets the check-in.

Revision ID: 0026
Revises: 0025
"""
import sqlalchemy as sa
from alembic import op

revision = "0026"
down_revision = "0025"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("watch_plans") as batch_op:
        batch_op.add_column(sa.Column("weekdays_only", sa.Boolean(), server_default=sa.false(), nullable=False))


def downgrade() -> None:
    with op.batch_alter_table("watch_plans") as batch_op:
        batch_op.drop_column("weekdays_only")
