"""Staff TOTP secrets are stored sealed (admin/secret_box.py): room for the sealed form.

A secret stored before this is sealed the next time its owner logs in with a
code (the database migration has no SECRET_KEY to seal with).

Revision ID: 0028
Revises: 0027
"""
import sqlalchemy as sa
from alembic import op

revision = "0028"
down_revision = "0027"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("staff_accounts") as batch:
        batch.alter_column("totp_secret", type_=sa.String(length=255), existing_type=sa.String(length=64))
        batch.alter_column("totp_pending_secret", type_=sa.String(length=255), existing_type=sa.String(length=64))


def downgrade() -> None:
    with op.batch_alter_table("staff_accounts") as batch:
        batch.alter_column("totp_secret", type_=sa.String(length=64), existing_type=sa.String(length=255))
        batch.alter_column("totp_pending_secret", type_=sa.String(length=64), existing_type=sa.String(length=255))
