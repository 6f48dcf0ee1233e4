"""The admin view's settings and the state it keeps per application.

Each setting comes from the config passed to ``create_app``, else the
environment, else the default below.
"""
from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from flask import current_app
from werkzeug.security import check_password_hash, generate_password_hash

from bot.models import utcnow

DEFAULTS: dict[str, Any] = {
    "ADMIN_IDLE_MINUTES": 30,  # a session ends after this long without a request
    "ADMIN_MAX_FAILED_LOGINS": 5,  # wrong passwords in a row before an account is locked
    "ADMIN_LOCKOUT_MINUTES": 15,  # how long it stays locked; also the per-address window
    "ADMIN_MAX_FAILED_LOGINS_PER_IP": 20,  # failed logins from one address within the window
    "ADMIN_PAGE_SIZE": 50,
    "ADMIN_PASSWORD_METHOD": "scrypt",  # werkzeug.security method, e.g. "scrypt" or "pbkdf2"
}
MIN_PASSWORD_LENGTH = 12
MAX_PASSWORD_LENGTH = 128


def read_setting(config: Mapping[str, Any], key: str) -> Any:
    """The value of an admin setting: config, else environment, else default."""
    default = DEFAULTS[key]
    value = config.get(key, os.environ.get(key) or default)
    return int(value) if isinstance(default, int) else value


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
    lockout: timedelta
    max_failed_logins_per_ip: int
    page_size: int
    passwords: Passwords
    clock: Callable[[], datetime] = field(default=utcnow)

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> AdminState:
        return cls(
            idle=timedelta(minutes=read_setting(config, "ADMIN_IDLE_MINUTES")),
            max_failed_logins=read_setting(config, "ADMIN_MAX_FAILED_LOGINS"),
            lockout=timedelta(minutes=read_setting(config, "ADMIN_LOCKOUT_MINUTES")),
            max_failed_logins_per_ip=read_setting(config, "ADMIN_MAX_FAILED_LOGINS_PER_IP"),
            page_size=read_setting(config, "ADMIN_PAGE_SIZE"),
            passwords=Passwords(read_setting(config, "ADMIN_PASSWORD_METHOD")),
        )

    def now(self) -> datetime:
        return self.clock()


def admin_state() -> AdminState:
    return current_app.extensions["tsunagu_admin"]
