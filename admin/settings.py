"""The admin view's settings and the state it keeps per application.

The settings are read with the rest of the configuration (``bot/config.py``:
defaults, the environment, the overrides given to ``create_app``).
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from flask import current_app
from werkzeug.security import check_password_hash, generate_password_hash

from admin.secret_box import SecretBox
from bot.models import utcnow

MIN_PASSWORD_LENGTH = 12
MAX_PASSWORD_LENGTH = 128


@dataclass(frozen=True)
class Passwords:
    """Password hashing through werkzeug.security (scrypt by default)."""

    method: str

    def hash(self, password: str) -> str:
        return generate_password_hash(password, method=self.method)

    def verify(self, password_hash: str, password: str) -> bool:
        return check_password_hash(password_hash, password)

    def waste_time(self, password: str) -> None:
        """Spend as long as a real check, so a missing account cannot be told by timing."""
        check_password_hash(self._dummy_hash, password)

    @property
    def _dummy_hash(self) -> str:
        cached = _DUMMY_HASHES.get(self.method)
        if cached is None:
            cached = _DUMMY_HASHES[self.method] = self.hash("not-a-password")
        return cached


_DUMMY_HASHES: dict[str, str] = {}


@dataclass
class AdminState:
    """Settings read once by ``init_admin``, and the clock (replaceable in tests)."""

    idle: timedelta
    max_failed_logins: int
    max_failed_logins_per_ip: int
    first_delay: timedelta
    max_delay: timedelta
    page_size: int
    passwords: Passwords
    secrets: SecretBox  # seals the staff's TOTP secrets in the database
    clock: Callable[[], datetime] = field(default=utcnow)
    # Failures are forgotten after this long without another one.
    forget_failures_after: timedelta = timedelta(hours=1)
    # A browser an account logged in from is known (not slowed by others' failures) this long.
    known_browser_for: timedelta = timedelta(days=90)
    # Between the password and the second factor.
    second_factor_within: timedelta = timedelta(minutes=5)

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> AdminState:
        return cls(
            idle=timedelta(minutes=config["ADMIN_IDLE_MINUTES"]),
            max_failed_logins=config["ADMIN_MAX_FAILED_LOGINS"],
            max_failed_logins_per_ip=config["ADMIN_MAX_FAILED_LOGINS_PER_IP"],
            first_delay=timedelta(seconds=config["ADMIN_LOGIN_DELAY_SECONDS"]),
            max_delay=timedelta(minutes=config["ADMIN_LOGIN_MAX_DELAY_MINUTES"]),
            page_size=config["ADMIN_PAGE_SIZE"],
            passwords=Passwords(config["ADMIN_PASSWORD_METHOD"]),
            secrets=SecretBox(config["SECRET_KEY"], "totp"),
        )

    def now(self) -> datetime:
        return self.clock()


def admin_state() -> AdminState:
    return current_app.extensions["tsunagu_admin"]
