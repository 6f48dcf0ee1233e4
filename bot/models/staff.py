"""Staff accounts for the admin view, and the audit log of what they do."""
from __future__ import annotations

import secrets
from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from bot.models.base import Base, utcnow

CENTRE_STAFF = "centre_staff"
COORDINATOR = "coordinator"
ADMIN = "admin"
ROLES = (CENTRE_STAFF, COORDINATOR, ADMIN)


def new_session_token() -> str:
    return secrets.token_urlsafe(24)


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
    # Part of the login session's id: changing it (new password, deactivation)
    # ends every session of the account at its next request.
    session_token: Mapped[str] = mapped_column(String(64), default=new_session_token)
    # Set when an administrator chose the password; the owner must replace it.
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=False)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None]
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

    def is_locked(self, now: datetime) -> bool:
        return self.locked_until is not None and self.locked_until > now


class StaffCentre(Base):
    """A staff member's membership of a district centre (所属センター)."""

    __tablename__ = "staff_centres"

    staff_id: Mapped[int] = mapped_column(
        ForeignKey("staff_accounts.id", ondelete="CASCADE"), primary_key=True
    )
    # A centre code from the municipality profile; the profile is a file, not a table.
    centre_code: Mapped[str] = mapped_column(String(32), primary_key=True, index=True)

    account: Mapped[StaffAccount] = relationship(back_populates="centre_links")


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
