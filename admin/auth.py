"""Logging staff in and out: passwords, lockout, throttling and idle sessions.

Flask-Login keeps the logged-in account in the (signed) session cookie as
``"<id>:<session token>"``; changing the token ends every session of the
account. A session also ends after ``ADMIN_IDLE_MINUTES`` without activity.
"""
from __future__ import annotations

import hmac
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

from flask import Flask, current_app, flash, redirect, request, session, url_for
from flask_babel import gettext
from flask_login import LoginManager, UserMixin, current_user, login_user, logout_user
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from admin.audit import audit
from admin.settings import MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH, AdminState, admin_state
from bot.i18n import N_
from bot.models import AuditLog, StaffAccount

# The session key holding when this member of staff was last active (epoch seconds).
LAST_SEEN = "admin_last_seen"
PREVIOUS_LOGIN = "admin_previous_login"

F = TypeVar("F", bound=Callable[..., Any])


class LoginRefused(Exception):
    """The email and password did not let anyone in (the reason is not told to the user)."""

    message = N_("メールアドレスまたはパスワードが正しくありません。続けて間違えると、しばらくログインできなくなります。")


class TooManyAttempts(LoginRefused):
    """Too many failed logins came from this address recently."""

    message = N_("ログインの失敗が続いたため、受け付けを一時停止しています。しばらく時間をおいてから、もう一度お試しください。")


class WeakPassword(ValueError):
    """A new password does not meet the policy."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def check_password_policy(password: str, email: str | None = None) -> None:
    """Refuse passwords that are too short, too long, or the email address itself."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise WeakPassword(N_("パスワードは12文字以上にしてください。"))
    if len(password) > MAX_PASSWORD_LENGTH:
        raise WeakPassword(N_("パスワードは128文字以内にしてください。"))
    if email and password.strip().lower() == email.strip().lower():
        raise WeakPassword(N_("メールアドレスと同じパスワードは使えません。"))


def normalise_email(email: str) -> str:
    return email.strip().lower()


@dataclass(frozen=True)
class StaffUser(UserMixin):
    """The logged-in member of staff, as loaded at the start of the request."""

    id: int
    email: str
    name: str
    role: str
    centre_codes: tuple[str, ...]
    locale: str | None
    must_change_password: bool
    session_token: str

    @classmethod
    def of(cls, account: StaffAccount) -> StaffUser:
        return cls(
            id=account.id, email=account.email, name=account.name, role=account.role,
            centre_codes=tuple(account.centre_codes), locale=account.locale,
            must_change_password=account.must_change_password, session_token=account.session_token,
        )

    def get_id(self) -> str:
        return f"{self.id}:{self.session_token}"


@dataclass(frozen=True)
class Login:
    """A successful login: the account, and when it last logged in before (shown to its owner)."""

    account: StaffAccount
    previous_login_at: datetime | None


class Authenticator:
    """Checks a login against the account, its lockout and the address's recent failures.

    Every attempt is audited. Failures change the database too (counters,
    lockout), so callers must commit even when :class:`LoginRefused` is raised.
    """

    def __init__(self, session: Session, state: AdminState) -> None:
        self.session = session
        self.state = state

    def log_in(self, email: str, password: str, ip: str | None) -> Login:
        """Return the account these credentials open, or raise LoginRefused."""
        now = self.state.now()
        if self._recent_failures_from(ip, now) >= self.state.max_failed_logins_per_ip:
            audit("login.failure", session=self.session, reason="throttled")
            raise TooManyAttempts()

        account = self.session.scalars(
            select(StaffAccount).where(StaffAccount.email == normalise_email(email)).with_for_update()
        ).first()
        if account is None or not account.active:
            self.state.passwords.waste_time(password)
            audit("login.failure", account, session=self.session, actor=account,
                  reason="unknown" if account is None else "inactive")
            raise LoginRefused()
        if account.is_locked(now):
            self.state.passwords.waste_time(password)
            audit("login.failure", account, session=self.session, actor=account, reason="locked")
            raise LoginRefused()
        if not self.state.passwords.verify(account.password_hash, password):
            self._count_failure(account, now)
            raise LoginRefused()

        previous = account.last_login_at
        account.failed_logins = 0
        account.locked_until = None
        account.last_login_at = now
        audit("login.success", account, session=self.session, actor=account)
        return Login(account, previous)

    def _count_failure(self, account: StaffAccount, now: datetime) -> None:
        account.failed_logins += 1
        audit("login.failure", account, session=self.session, actor=account, reason="password",
              failures=account.failed_logins)
        if account.failed_logins >= self.state.max_failed_logins:
            account.locked_until = now + self.state.lockout
            account.failed_logins = 0
            audit("login.locked", account, session=self.session, actor=account,
                  minutes=int(self.state.lockout.total_seconds() // 60))

    def _recent_failures_from(self, ip: str | None, now: datetime) -> int:
        if ip is None:
            return 0
        return self.session.scalar(
            select(func.count()).select_from(AuditLog).where(
                AuditLog.ip == ip,
                AuditLog.action == "login.failure",
                AuditLog.at >= now - self.state.lockout,
            )
        ) or 0


def init_login(app: Flask) -> LoginManager:
    """Set up Flask-Login for the admin view."""
    manager = LoginManager(app)
    manager.login_view = "admin.login"
    manager.login_message = N_("ログインしてください。")
    manager.login_message_category = "info"
    manager.localize_callback = gettext
    manager.session_protection = "basic"
    manager.user_loader(_load_user)
    return manager


def _load_user(session_id: str) -> StaffUser | None:
    """The account named in the session cookie, if it is still active and its token still matches."""
    account_id, _, token = session_id.partition(":")
    if not account_id.isdigit() or not token:
        return None
    with current_app.extensions["tsunagu"].db.transaction() as db_session:
        account = db_session.get(StaffAccount, int(account_id))
        if account is None or not account.active:
            return None
        if not hmac.compare_digest(account.session_token, token):
            return None
        return StaffUser.of(account)


def start_session(login: Login) -> None:
    """Log this account in, in a fresh session."""
    session.clear()
    login_user(StaffUser.of(login.account))
    session.permanent = True  # the cookie expires with PERMANENT_SESSION_LIFETIME (the idle time)
    session[LAST_SEEN] = admin_state().now().timestamp()
    if login.previous_login_at is not None:
        session[PREVIOUS_LOGIN] = login.previous_login_at.timestamp()


def refresh_session_user(account: StaffAccount) -> None:
    """Keep this member logged in after their session token changed (their own password change)."""
    login_user(StaffUser.of(account))


def end_session(action: str) -> None:
    """Log the current member of staff out, recording why."""
    if current_user.is_authenticated:
        audit(action)
    logout_user()
    session.clear()


def passive(view: F) -> F:
    """Mark a view whose requests are not activity (e.g. polling), so they do not keep a session alive."""
    view.admin_passive = True  # type: ignore[attr-defined]
    return view


def enforce_idle_timeout() -> Any:
    """End the session after too long without activity; otherwise note this activity.

    Returns a redirect to the login page when the session has just ended.
    """
    if not current_user.is_authenticated:
        return None
    state = admin_state()
    now = state.now().timestamp()
    last_seen = session.get(LAST_SEEN)
    if last_seen is None or now - float(last_seen) > state.idle.total_seconds():
        end_session("session.expired")
        flash(gettext("一定時間操作がなかったため、ログアウトしました。もう一度ログインしてください。"), "info")
        # After logging in again, a page that was being opened opens; a form being sent is not resent.
        next_page = request.full_path.rstrip("?") if request.method == "GET" else None
        return redirect(url_for("admin.login", next=next_page))
    view = current_app.view_functions.get(request.endpoint or "")
    if not getattr(view, "admin_passive", False):
        session[LAST_SEEN] = now
    return None
