"""server-side staff sessions, a second factor, and login delays instead of lockouts

``staff_sessions`` holds one row per logged-in browser: logout, a new
password and deactivation delete rows, so a copied cookie stops working at
once. ``staff_accounts`` gains the TOTP secret (and the one offered while
enrolling, and the last step used) and loses the session token, the failed
login count and the lock, replaced by ``login_throttles`` (progressive
delays per account, per address and per known browser).
``staff_recovery_codes`` holds the hashed single-use recovery codes.

Every session ends with this migration (the old session tokens are gone):
staff log in again.

Revision ID: 0014
Revises: 0013
"""
from alembic import op
import sqlalchemy as sa
import bot.models.base

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "staff_sessions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=False),
        sa.Column("key_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", bot.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("last_seen_at", bot.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["staff_id"], ["staff_accounts.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("key_hash"),
    )
    with op.batch_alter_table("staff_sessions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_staff_sessions_staff_id"), ["staff_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_staff_sessions_last_seen_at"), ["last_seen_at"], unique=False)

    op.create_table(
        "staff_recovery_codes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=False),
        sa.Column("code_hash", sa.String(length=64), nullable=False),
        sa.Column("used_at", bot.models.base.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["staff_id"], ["staff_accounts.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("staff_recovery_codes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_staff_recovery_codes_staff_id"), ["staff_id"], unique=False)

    op.create_table(
        "login_throttles",
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("value", sa.String(length=64), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("last_failure_at", bot.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("blocked_until", bot.models.base.UTCDateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("kind", "value"),
    )
    with op.batch_alter_table("login_throttles", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_login_throttles_blocked_until"), ["blocked_until"], unique=False)

    with op.batch_alter_table("staff_accounts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("totp_secret", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("totp_pending_secret", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("totp_last_step", sa.Integer(), nullable=True))
        batch_op.drop_column("session_token")
        batch_op.drop_column("failed_logins")
        batch_op.drop_column("locked_until")


def downgrade() -> None:
    with op.batch_alter_table("staff_accounts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("locked_until", bot.models.base.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("failed_logins", sa.Integer(), nullable=False, server_default="0"))
        batch_op.add_column(sa.Column("session_token", sa.String(length=64), nullable=False,
                                      server_default="migrated"))
        batch_op.drop_column("totp_last_step")
        batch_op.drop_column("totp_pending_secret")
        batch_op.drop_column("totp_secret")
    # A new random token per account: no cookie carries it, as after a password change.
    random_text = "lower(hex(randomblob(24)))" if op.get_bind().dialect.name == "sqlite" else "md5(random()::text)"
    op.execute(f"UPDATE staff_accounts SET session_token = {random_text}")

    with op.batch_alter_table("login_throttles", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_login_throttles_blocked_until"))
    op.drop_table("login_throttles")
    with op.batch_alter_table("staff_recovery_codes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_staff_recovery_codes_staff_id"))
    op.drop_table("staff_recovery_codes")
    with op.batch_alter_table("staff_sessions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_staff_sessions_last_seen_at"))
        batch_op.drop_index(batch_op.f("ix_staff_sessions_staff_id"))
    op.drop_table("staff_sessions")
