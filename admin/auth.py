"""Logging staff in and out: the password, the second factor, login delays and sessions.

Flask-Login keeps ``"<account id>:<session key>"`` in the signed session
cookie; the key names a row of ``staff_sessions`` (``admin/sessions.py``),
which logout, a new password and deactivation delete. A session also ends
after ``ADMIN_IDLE_MINUTES`` without activity. Failed logins slow further
attempts but never lock anyone out (``admin/throttle.py``).
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, TypeVar

from flask import Flask, current_app, flash, redirect, request, session, url_for
from flask_babel import gettext
from flask_login import LoginManager, UserMixin, current_user, login_user, logout_user
from sqlalchemy import select
from sqlalchemy.orm import Session

from admin.audit import audit
from admin.form_stash import LAST_STAFF, STASH_KEY, carried_over, forget_old_forms, keep_posted_form
from admin.sessions import StaffSessions
from admin.settings import AdminState, admin_state
from admin.throttle import KnownBrowser, LoginThrottles, account_key, device_key
from admin.two_factor import SecondFactors
from bot.i18n import N_
from bot.models import StaffAccount

# The session key holding when this member of staff was last active (epoch seconds).
LAST_SEEN = "admin_last_seen"
# When the session's row last had its last-seen time written (epoch seconds).
LAST_TOUCHED = "admin_last_touched"
PREVIOUS_LOGIN = "admin_previous_login"
# Between the password and the second factor: {"id": account id, "at": epoch seconds}.
PENDING_LOGIN = "admin_pending_login"

F = TypeVar("F", bound=Callable[..., Any])


class LoginRefused(Exception):
    """The email and password did not let anyone in (the reason is not told to the user)."""

    message = N_("メールアドレスまたはパスワードが正しくありません。")


class CodeRefused(LoginRefused):
    """The second factor's code was wrong or already used."""

    message = N_("確認コードが正しくありません。認証アプリの6桁の数字か、回復コードを入力してください。")


class TooManyAttempts(LoginRefused):
    """Failed logins came too often: the next attempt must wait (nothing was checked)."""

    message = N_("ログインの失敗が続いたため、少し時間をおく必要があります。%(seconds)d秒ほどたってから、もう一度お試しください。")

    def __init__(self, wait: timedelta) -> None:
        super().__init__()
        self.seconds = max(1, int(-(-wait.total_seconds() // 1)))


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
    # A coordinator or administrator without a second factor yet: only enrolment is open.
    must_enrol: bool
    session_key: str

    @classmethod
    def of(cls, account: StaffAccount, session_key: str) -> StaffUser:
        return cls(
            id=account.id, email=account.email, name=account.name, role=account.role,
            centre_codes=tuple(account.centre_codes), locale=account.locale,
            must_change_password=account.must_change_password,
            must_enrol=account.two_factor_required and not account.two_factor_enabled,
            session_key=session_key,
        )

    def get_id(self) -> str:
        return f"{self.id}:{self.session_key}"


@dataclass(frozen=True)
class Login:
    """A successful login: the account, and when it last logged in before (shown to its owner)."""

    account: StaffAccount
    previous_login_at: datetime | None
    second_factor: str | None = None  # "totp" or "recovery_code" when one was asked for


class Authenticator:
    """Checks the password, then the second factor, against the account and the login delays.

    Every attempt is audited. Failures change the database too (the delays),
    so callers must commit even when :class:`LoginRefused` is raised.
    """

    def __init__(self, session: Session, state: AdminState, ip: str | None, browser: KnownBrowser) -> None:
        self.session = session
        self.state = state
        self.ip = ip
        self.browser = browser
        self.throttles = LoginThrottles(session, state)

    def check_password(self, email: str, password: str) -> StaffAccount:
        """Return the account these credentials open (its second factor still to check), or raise LoginRefused."""
        now = self.state.now()
        email = normalise_email(email)
        account = self.session.scalars(
            select(StaffAccount).where(StaffAccount.email == email).with_for_update()
        ).first()
        counters = self._counters(account, email)
        self._refuse_if_early(counters, account, now)
        if account is None or not account.active:
            self.state.passwords.waste_time(password)
            self.throttles.fail(counters, now)
            audit("login.failure", account, session=self.session, actor=account,
                  reason="unknown" if account is None else "inactive")
            raise LoginRefused()
        if not self.state.passwords.verify(account.password_hash, password):
            self.throttles.fail(counters, now)
            audit("login.failure", account, session=self.session, actor=account, reason="password")
            raise LoginRefused()
        return account

    def check_second_factor(self, account_id: int, code: str) -> tuple[StaffAccount, str]:
        """Return the account and how it proved itself (``totp`` or ``recovery_code``), or raise LoginRefused."""
        now = self.state.now()
        account = self.session.get(StaffAccount, account_id, with_for_update=True)
        if account is None or not account.active or not account.two_factor_enabled:
            raise LoginRefused()
        counters = self._counters(account, account.email)
        self._refuse_if_early(counters, account, now)
        method = SecondFactors(self.session, self.state.secrets).verify(account, code, now)
        if method is None:
            self.throttles.fail(counters, now)
            audit("login.failure", account, session=self.session, actor=account, reason="code")
            raise CodeRefused()
        return account, method

    def complete(self, account: StaffAccount, second_factor: str | None = None) -> Login:
        """Let the account in: note the login, audit it, and clear its delays."""
        previous = account.last_login_at
        account.last_login_at = self.state.now()
        # The address's failures stay: they may be someone else's, behind the same NAT.
        self.throttles.forget([account_key(account.id, account.email), device_key(self.browser, account.id)])
        details = {"second_factor": second_factor} if second_factor else {}
        audit("login.success", account, session=self.session, actor=account, **details)
        return Login(account, previous, second_factor)

    def _counters(self, account: StaffAccount | None, email: str) -> list[tuple[str, str]]:
        return LoginThrottles.counters(account.id if account else None, email, self.ip, self.browser)

    def _refuse_if_early(self, counters: list[tuple[str, str]], account: StaffAccount | None,
                         now: datetime) -> None:
        wait = self.throttles.wait(counters, now)
        if wait is not None:
            audit("login.failure", account, session=self.session, actor=account, reason="delayed",
                  seconds=int(wait.total_seconds()))
            raise TooManyAttempts(wait)


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
    """The account named in the session cookie, if that session is still open and the account active."""
    account_id, _, key = session_id.partition(":")
    if not (account_id.isascii() and account_id.isdigit()) or len(account_id) > 10 or not key:
        return None
    with current_app.extensions["tsunagu"].db.transaction() as db_session:
        found = StaffSessions(db_session).find(int(account_id), key)
        return StaffUser.of(found[1], key) if found else None


def start_session(login: Login) -> None:
    """Log this account in, in a fresh session (a new row and a new cookie)."""
    state = admin_state()
    now = state.now()
    with current_app.extensions["tsunagu"].db.transaction() as db_session:
        key = StaffSessions(db_session).open(login.account, now, state.idle)
        forget_old_forms(db_session, now)
    kept_form = carried_over()  # a form sent after the last session ended goes back into its page
    session.clear()
    if kept_form is not None:
        session[STASH_KEY] = kept_form
    login_user(StaffUser.of(login.account, key))
    session.permanent = True  # the cookie expires with PERMANENT_SESSION_LIFETIME (the idle time)
    session[LAST_SEEN] = session[LAST_TOUCHED] = now.timestamp()
    if login.previous_login_at is not None:
        session[PREVIOUS_LOGIN] = login.previous_login_at.timestamp()


def end_session(action: str) -> None:
    """Log the current member of staff out, recording why; the session's row goes, so no copy of the cookie works."""
    staff_id = current_user.id if current_user.is_authenticated else None
    if staff_id is not None:
        audit(action)
        with current_app.extensions["tsunagu"].db.transaction() as db_session:
            StaffSessions(db_session).end(current_user.session_key)
    logout_user()
    session.clear()
    if staff_id is not None:
        session[LAST_STAFF] = staff_id  # whose text a form sent from another tab is (see admin/form_stash.py)


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
        if request.method == "POST":
            # What was typed is kept, and the page it was typed on opens again after logging in.
            return keep_posted_form()
        flash(gettext("一定時間操作がなかったため、ログアウトしました。もう一度ログインしてください。"), "info")
        # After logging in again, the page that was being opened opens.
        return redirect(url_for("admin.login", next=request.full_path.rstrip("?")))
    view = current_app.view_functions.get(request.endpoint or "")
    if not getattr(view, "admin_passive", False):
        session[LAST_SEEN] = now
        if now - float(session.get(LAST_TOUCHED, 0)) >= 60:
            with current_app.extensions["tsunagu"].db.transaction() as db_session:
                StaffSessions(db_session).touch(current_user.session_key, state.now())
            session[LAST_TOUCHED] = now
    return None
