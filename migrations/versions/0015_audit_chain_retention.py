"""the audit log append-only and chained; records anonymised when their retention ends

- ``audit_log.chain_hash``: each entry's SHA-256 over the previous entry's hash
  and its own content (bot/services/audit_chain.py); the entries already
  there are chained here, oldest first.
- PostgreSQL: a trigger refuses UPDATE and DELETE of audit entries, and
  TRUNCATE of the table, whoever asks (the application never changes an
  entry). Only the table's owner can drop the trigger: the city runs the app
  with a role that does not own the tables (docs/security.md).
- ``intake_records.anonymised_at``: when the retention task removed all but
  the figures' codes from a record (bot/services/retention.py).

Revision ID: 0015
Revises: 0014
"""
from types import SimpleNamespace

import sqlalchemy as sa
from alembic import op

import bot.models.base
from bot.services.audit_chain import GENESIS, seal

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None

REFUSE = """
CREATE FUNCTION audit_log_refuse_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END
$$
"""


def upgrade() -> None:
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.add_column(sa.Column("chain_hash", sa.String(length=64), nullable=True))
    with op.batch_alter_table("intake_records", schema=None) as batch_op:
        batch_op.add_column(sa.Column("anonymised_at", bot.models.base.UTCDateTime(timezone=True), nullable=True))
    _chain_existing_entries()
    if op.get_bind().dialect.name == "postgresql":
        op.execute(REFUSE)
        op.execute("CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log "
                   "FOR EACH ROW EXECUTE FUNCTION audit_log_refuse_change()")
        op.execute("CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log "
                   "FOR EACH STATEMENT EXECUTE FUNCTION audit_log_refuse_change()")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER audit_log_no_truncate ON audit_log")
        op.execute("DROP TRIGGER audit_log_append_only ON audit_log")
        op.execute("DROP FUNCTION audit_log_refuse_change()")
    with op.batch_alter_table("intake_records", schema=None) as batch_op:
        batch_op.drop_column("anonymised_at")
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.drop_column("chain_hash")


def _chain_existing_entries() -> None:
    table = sa.table("audit_log", sa.column("id", sa.Integer), sa.column("at", bot.models.base.UTCDateTime()),
                     sa.column("actor_id", sa.Integer), sa.column("action", sa.String),
                     sa.column("target_type", sa.String), sa.column("target_id", sa.String),
                     sa.column("ip", sa.String), sa.column("user_agent", sa.String),
                     sa.column("details", bot.models.base.JSONType), sa.column("chain_hash", sa.String))
    connection = op.get_bind()
    previous = GENESIS
    for row in connection.execute(sa.select(table).order_by(table.c.id)).mappings().all():
        previous = seal(previous, SimpleNamespace(**row))
        connection.execute(table.update().where(table.c.id == row["id"]).values(chain_hash=previous))
