"""Progressive delays after failed logins, per account, per address and per known browser.

No number of failures locks anyone out. After ``max_failed_logins`` failures
of one account (``max_failed_logins_per_ip`` from one address), each next
attempt must wait: ``first_delay``, then twice as long after each further
failure, never more than ``max_delay``. An attempt made too early is refused
without looking at the password and does not make the wait longer.

A browser that logged in to an account before carries a signed "known
browser" cookie (OWASP's device cookies). Its attempts at that account are
slowed only by failures made from that browser, so failures by someone
else, from anywhere or from behind the same office NAT, never keep the
account's owner out. Failures are forgotten after an hour without one.
"""
from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import Flask, Response, current_app, request
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import delete, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from admin.settings import AdminState
from bot.models import LoginThrottle

ACCOUNT, ADDRESS, DEVICE = "account", "address", "device"
UNKNOWN_PREFIX = "unknown:"
KNOWN_BROWSER_COOKIE = "tsunagu_known_browser"
# The accounts a shared browser (a centre's tablet) is remembered for.
_MAX_ACCOUNTS_PER_BROWSER = 20


@dataclass(frozen=True)
class KnownBrowser:
    """What the browser's signed cookie says: its random id and the accounts that logged in from it."""

    device_id: str | None = None
    account_ids: tuple[int, ...] = ()

    def knows(self, account_id: int | None) -> bool:
        return self.device_id is not None and account_id in self.account_ids


class LoginThrottles:
    """Counts failed logins and says how long the next attempt must wait."""

    def __init__(self, session: Session, state: AdminState) -> None:
        self.session = session
        self.state = state

    @staticmethod
    def counters(account_id: int | None, email: str, ip: str | None, browser: KnownBrowser) -> list[tuple[str, str]]:
        """The counters that slow this attempt: the known browser's own, else the account's and the address's."""
        if account_id is not None and browser.knows(account_id):
            return [device_key(browser, account_id)]
        keys = [account_key(account_id, email)]
        if ip:
            keys.append((ADDRESS, ip[:64]))
        return keys

    def wait(self, keys: list[tuple[str, str]], now: datetime) -> timedelta | None:
        """How long before these counters let an attempt through (None: now)."""
        waits = [row.blocked_until - now for row in self._rows(keys)
                 if row.blocked_until is not None and row.blocked_until > now]
        return max(waits) if waits else None

    def fail(self, keys: list[tuple[str, str]], now: datetime) -> None:
        """Count a failure on each counter and set the wait it earns."""
        insert = pg_insert if self.session.get_bind().dialect.name == "postgresql" else sqlite_insert
        for kind, value in keys:
            # Two first failures at once must not both insert the row.
            self.session.execute(insert(LoginThrottle).values(kind=kind, value=value, failures=0,
                                                              last_failure_at=now).on_conflict_do_nothing())
            row = self.session.scalars(select(LoginThrottle).where(
                LoginThrottle.kind == kind, LoginThrottle.value == value).with_for_update()).one()
            if now - row.last_failure_at > self.state.forget_failures_after:
                row.failures = 0
            row.failures += 1
            row.last_failure_at = now
            over = row.failures - self._allowed(kind)
            if over >= 0:
                row.blocked_until = now + min(self.state.first_delay * 2 ** min(over, 30), self.state.max_delay)
        self.session.flush()

    def forget(self, keys: list[tuple[str, str]]) -> None:
        """Clear these counters (a successful login, or an administrator's decision)."""
        for kind, value in keys:
            self.session.execute(delete(LoginThrottle).where(LoginThrottle.kind == kind,
                                                             LoginThrottle.value == value))

    def forget_account(self, account_id: int) -> None:
        """Clear the account's counter and its known browsers' (an administrator lifting the wait)."""
        self.session.execute(delete(LoginThrottle).where(
            (LoginThrottle.kind == ACCOUNT) & (LoginThrottle.value == str(account_id))
            | (LoginThrottle.kind == DEVICE) & LoginThrottle.value.endswith(f":{account_id}")))

    def waiting(self, now: datetime) -> list[LoginThrottle]:
        """The counters that make attempts wait now, longest wait first."""
        return list(self.session.scalars(
            select(LoginThrottle).where(LoginThrottle.blocked_until > now)
            .order_by(LoginThrottle.blocked_until.desc(), LoginThrottle.kind, LoginThrottle.value)))

    def _allowed(self, kind: str) -> int:
        return self.state.max_failed_logins_per_ip if kind == ADDRESS else self.state.max_failed_logins

    def _rows(self, keys: list[tuple[str, str]]) -> list[LoginThrottle]:
        return [row for kind, value in keys if (row := self.session.get(LoginThrottle, (kind, value))) is not None]


def account_key(account_id: int | None, email: str) -> tuple[str, str]:
    """An account's counter; an unknown address gets one too, so delays do not tell which accounts exist."""
    if account_id is not None:
        return ACCOUNT, str(account_id)
    return ACCOUNT, UNKNOWN_PREFIX + hashlib.sha256(email.encode()).hexdigest()[:32]


def device_key(browser: KnownBrowser, account_id: int) -> tuple[str, str]:
    return DEVICE, f"{browser.device_id}:{account_id}"


def _serializer(app: Flask) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(app.secret_key, salt="tsunagu-known-browser")


def known_browser() -> KnownBrowser:
    """The known-browser cookie of this request, if it is ours and not too old."""
    raw = request.cookies.get(KNOWN_BROWSER_COOKIE)
    if not raw:
        return KnownBrowser()
    state: AdminState = current_app.extensions["tsunagu_admin"]
    try:
        data = _serializer(current_app).loads(raw, max_age=state.known_browser_for.total_seconds())
        return KnownBrowser(str(data["d"]), tuple(int(a) for a in data["a"]))
    except (BadSignature, KeyError, TypeError, ValueError):
        return KnownBrowser()


def remember_browser(response: Response, account_id: int) -> Response:
    """Mark this browser as one the account logged in from (see the module's docstring)."""
    browser = known_browser()
    accounts = [a for a in browser.account_ids if a != account_id][-(_MAX_ACCOUNTS_PER_BROWSER - 1):]
    value = _serializer(current_app).dumps({"d": browser.device_id or secrets.token_urlsafe(16),
                                            "a": [*accounts, account_id]})
    state: AdminState = current_app.extensions["tsunagu_admin"]
    response.set_cookie(KNOWN_BROWSER_COOKIE, value, max_age=int(state.known_browser_for.total_seconds()),
                        path="/admin/", httponly=True, samesite="Lax",
                        secure=bool(current_app.config.get("SESSION_COOKIE_SECURE")))
    return response
