"""Staff accounts for the admin view, and the audit log of what they do."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from bot.models.base import Base, utcnow

CENTRE_STAFF = "centre_staff"
COORDINATOR = "coordinator"
ADMIN = "admin"
LIFE_SUPPORT = "life_support"  # 生活支援コーディネーター (SC): 住民支え合い of their centres' areas
ROLES = (CENTRE_STAFF, COORDINATOR, ADMIN, LIFE_SUPPORT)
# Roles that read beyond one centre (every record; residents' and supporters' contact details across areas)
# or manage staff accounts log in with a second factor.
TWO_FACTOR_ROLES = (COORDINATOR, ADMIN, LIFE_SUPPORT)


class StaffAccount(Base):
    """A member of staff who signs in to the admin view (職員アカウント).

    Accounts are deactivated, never deleted, so the audit log keeps naming
    who did what.
    """

    __tablename__ = "staff_accounts"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Stored lower-cased, so the unique constraint is case-insensitive.
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    role: Mapped[str] = mapped_column(String(20))
    password_hash: Mapped[str] = mapped_column(String(255))
    # Set when an administrator chose the password; the owner must replace it.
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=False)
    # The second factor (TOTP, RFC 6238): the shared secret once enrolled, the one
    # offered while enrolling, and the last time step used (a code works once).
    totp_secret: Mapped[str | None] = mapped_column(String(255))  # sealed (admin/secret_box.py)
    totp_pending_secret: Mapped[str | None] = mapped_column(String(255))
    totp_last_step: Mapped[int | None] = mapped_column(Integer)
    last_login_at: Mapped[datetime | None]
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # The language of the admin view; None follows the browser.
    locale: Mapped[str | None] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    centre_links: Mapped[list[StaffCentre]] = relationship(
        back_populates="account", cascade="all, delete-orphan", lazy="selectin",
        order_by="StaffCentre.centre_code",
    )

    @property
    def centre_codes(self) -> list[str]:
        """The codes (from the municipality profile) of the centres this member belongs to."""
        return [link.centre_code for link in self.centre_links]

    @property
    def two_factor_enabled(self) -> bool:
        return self.totp_secret is not None

    @property
    def two_factor_required(self) -> bool:
        return self.role in TWO_FACTOR_ROLES

    def __repr__(self) -> str:  # never the secrets or the password hash
        return f"<StaffAccount {self.id} {self.role}>"


class StaffCentre(Base):
    """A staff member's membership of a district centre (所属センター)."""

    __tablename__ = "staff_centres"

    staff_id: Mapped[int] = mapped_column(
        ForeignKey("staff_accounts.id", ondelete="CASCADE"), primary_key=True
    )
    # A centre code from the municipality profile; the profile is a file, not a table.
    centre_code: Mapped[str] = mapped_column(String(32), primary_key=True, index=True)

    account: Mapped[StaffAccount] = relationship(back_populates="centre_links")


class StaffSession(Base):
    """One logged-in browser (ログイン中のセッション).

    The signed session cookie carries a random key; only its SHA-256 is
    stored. Deleting the row ends the session at its next request, whatever
    copies of the cookie exist (logout, a new password, deactivation).
    """

    __tablename__ = "staff_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff_accounts.id", ondelete="CASCADE"), index=True)
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Written at most once a minute; sessions idle for long are purged at logins.
    last_seen_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)



class FormStash(Base):
    """What a member of staff typed into a form sent after their session had ended (保留した入力).

    Kept for a short while so that, after logging in again, the page opens
    with the text back in its form. Found by a random key kept in the browser's
    session cookie (only its SHA-256 is stored); never holds passwords or CSRF tokens.
    """

    __tablename__ = "staff_form_stashes"

    id: Mapped[int] = mapped_column(primary_key=True)
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    # The account whose session had ended in that browser: only it gets the text back.
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff_accounts.id", ondelete="CASCADE"))
    page: Mapped[str] = mapped_column(String(500))  # the admin page the form was on
    action: Mapped[str] = mapped_column(String(500))  # where the form was sent
    fields: Mapped[list[Any]] = mapped_column(default=list)  # [[name, value], ...]
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)

class RecoveryCode(Base):
    """A single-use code that replaces the authenticator app once (stored as a SHA-256)."""

    __tablename__ = "staff_recovery_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff_accounts.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64))
    used_at: Mapped[datetime | None]


class LoginThrottle(Base):
    """Recent failed logins of one account, address or known browser, and until when the next waits.

    ``kind`` is ``account`` (value: the account id), ``address`` (an IP
    address) or ``device`` (the random id of a browser an account logged in
    from before).
    """

    __tablename__ = "login_throttles"

    kind: Mapped[str] = mapped_column(String(10), primary_key=True)
    value: Mapped[str] = mapped_column(String(64), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    last_failure_at: Mapped[datetime]
    blocked_until: Mapped[datetime | None] = mapped_column(index=True)


class AuditLog(Base):
    """One thing a staff member did or tried: who, what, on what, when, from where.

    ``details`` holds codes and counts (a role, centre codes, filter values),
    never personal content such as consultation text.

    Append-only: on PostgreSQL a trigger refuses UPDATE, DELETE and TRUNCATE
    (migration 0015). Tamper-evident: ``chain_hash`` is the SHA-256 of the
    previous row's hash and this row's content (bot/services/audit_chain.py),
    so a row changed or removed behind the application's back breaks the
    chain, which ``flask audit-verify`` reports.
    """

    __tablename__ = "audit_log"
    __table_args__ = (
        Index("ix_audit_log_actor_at", "actor_id", "at"),
        Index("ix_audit_log_action_at", "action", "at"),
        # Failed logins are counted per address for throttling.
        Index("ix_audit_log_ip_action_at", "ip", "action", "at"),
        Index("ix_audit_log_target", "target_type", "target_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("staff_accounts.id"))
    action: Mapped[str] = mapped_column(String(60))
    target_type: Mapped[str | None] = mapped_column(String(40))
    target_id: Mapped[str | None] = mapped_column(String(64))
    ip: Mapped[str | None] = mapped_column(String(45))
    user_agent: Mapped[str | None] = mapped_column(String(300))
    details: Mapped[dict[str, Any]] = mapped_column(default=dict)
    # None only for rows written before the chain began (migration 0015 chains those it finds).
    chain_hash: Mapped[str | None] = mapped_column(String(64))

    actor: Mapped[StaffAccount | None] = relationship(lazy="joined")
