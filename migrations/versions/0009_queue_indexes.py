"""indexes for the intake queue at 100,000 records (bench/admin_queue.py)

- ``ix_intake_records_order``: the queue's order (urgent first, then the
  oldest), so a page of 50 is read from the index instead of sorting every
  record in scope;
- PostgreSQL only: trigram (pg_trgm) GIN indexes for the queue's search by
  receipt number and by what residents wrote (``ILIKE '%...%'``; used for
  search words of three characters or more). pg_trgm is a trusted extension:
  the database owner may create it.

Revision ID: 0009
Revises: 0008
"""
from alembic import op
import sqlalchemy as sa

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_intake_records_order", "intake_records", [sa.text("urgent DESC"), "created_at", "id"])
    if op.get_bind().dialect.name == "postgresql":
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        op.execute("CREATE INDEX ix_intake_records_receipt_trgm ON intake_records "
                   "USING gin (receipt_number gin_trgm_ops)")
        op.execute("CREATE INDEX ix_intake_messages_text_trgm ON intake_messages USING gin (text gin_trgm_ops)")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_intake_messages_text_trgm")
        op.execute("DROP INDEX IF EXISTS ix_intake_records_receipt_trgm")
    op.drop_index("ix_intake_records_order", table_name="intake_records")
