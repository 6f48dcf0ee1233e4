"""Configuration: defaults, the environment, and explicit overrides.

Nothing here runs at import time; :func:`load_config` is called by the
application factory.
"""
from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

PROJECT_ROOT = Path(__file__).resolve().parent.parent
INSTANCE_DIR = PROJECT_ROOT / "instance"

DEFAULTS: dict[str, Any] = {
    "LINE_CHANNEL_SECRET": "",
    "LINE_CHANNEL_ACCESS_TOKEN": "",
    "LINE_API_ENDPOINT": "https://api.line.me",
    "LINE_DATA_API_ENDPOINT": "",  # empty: https://api-data.line.me, or LINE_API_ENDPOINT when that is not LINE's
    "LINE_REQUEST_TIMEOUT": 5.0,  # seconds, for every Messaging API call
    # The account's basic ID (@123abcde, LINE Official Account Manager): 見守り invites then carry a link
    # that opens the chat with the code typed in. Empty: the code only.
    "LINE_BOT_BASIC_ID": "",
    "DATABASE_URL": "",  # empty: sqlite file under instance/
    "REDIS_URL": "",  # empty: the queue runs on SQLite
    "HUEY_FILE": "",  # SQLite queue file; empty: instance/queue.db
    "HUEY_IMMEDIATE": False,
    "SECRET_KEY": "",
    "MUNICIPALITY": "iwaki",
    "TIMEZONE": "Asia/Tokyo",
    # What time it is for opening hours (bot/services/hours.py): a function returning an aware datetime,
    # set by tests and demos to try a night or a holiday; None: the real time. Not read from the environment.
    "CLOCK": None,
    "DEFAULT_LOCALE": "ja",
    "CONVERSATION_TTL_MINUTES": 60 * 24,
    # After a receipt: a resident's later messages get one short acknowledgement per this many minutes
    # while staff have not answered (a burst of photos is answered once).
    "THREAD_ACK_MINUTES": 5,
    # With several open records, later messages go to the one staff wrote on or the resident chose within
    # this many hours (or one made within the hour); otherwise the resident is asked which they mean.
    "THREAD_FOCUS_HOURS": 72,
    "REPLY_TOKEN_FRESH_SECONDS": 50,
    "OUTBOX_MAX_ATTEMPTS": 8,
    "OUTBOX_BACKOFF_BASE": 2.0,  # seconds; attempt n waits base * 2**(n-1), capped
    "OUTBOX_BACKOFF_CAP": 600.0,
    "INBOX_MAX_ATTEMPTS": 3,  # tries at processing a received event before it fails (and the resident is told)
    "PHOTO_FETCH_MAX_ATTEMPTS": 6,  # tries at downloading a resident's photo from LINE (outbox backoff between)
    "SWEEP_GRACE_SECONDS": 30,
    "MAX_WEBHOOK_BYTES": 1024 * 1024,
    "TRUST_PROXY_HOPS": 0,  # how many reverse proxies in front set X-Forwarded-For/-Proto
    "SIMULATOR": None,  # None: on when no real channel is configured
    "EVENT_REMINDER_HOUR": 10,  # event reminders go out the day before at this local time (TIMEZONE)
    "EVENT_REMINDER_MINUTE": 0,
    # Email to a centre when a record is forwarded to it, and to the desk's address (profile) when a record
    # becomes urgent; empty SMTP_HOST: no email.
    "SMTP_HOST": "", "SMTP_PORT": 587, "SMTP_USER": "", "SMTP_PASSWORD": "", "SMTP_STARTTLS": True,
    "MAIL_FROM": "", "ADMIN_BASE_URL": "",  # e.g. https://tsunagu.city.example.jp (links in emails)
    "MAIL_RETRY_SECONDS": 60,  # wait before trying a failed email again (5 retries)
    "RICH_MENU_RETRY_SECONDS": 30,  # wait before linking a resident's rich menu again (5 retries)
    # The staff admin view.
    "ADMIN_IDLE_MINUTES": 30,  # a session ends after this long without a request
    "ALERT_POLL_SECONDS": 20,  # every admin page asks this often whether a record in scope became urgent
    # Failed logins never lock anyone out: after this many failures of one account
    # (or from one address), each next attempt waits, twice as long each time.
    "ADMIN_MAX_FAILED_LOGINS": 5,
    "ADMIN_MAX_FAILED_LOGINS_PER_IP": 20,
    "ADMIN_LOGIN_DELAY_SECONDS": 15,  # the first wait
    "ADMIN_LOGIN_MAX_DELAY_MINUTES": 5,  # the longest wait
    "ADMIN_PAGE_SIZE": 50,
    "ADMIN_PASSWORD_METHOD": "scrypt",  # werkzeug.security method, e.g. "scrypt" or "pbkdf2"
    "SESSION_COOKIE_SECURE": None,  # None: on with a real channel or PREFERRED_URL_SCHEME=https
    "PREFERRED_URL_SCHEME": "http",  # Flask's own default; "https" behind TLS
    "HSTS_MAX_AGE_SECONDS": 365 * 24 * 3600,  # Strict-Transport-Security on HTTPS responses; 0 makes browsers forget it
    "NOTICE_MULTICASTS_PER_SECOND": 100.0,  # pace of a notice's multicasts (LINE allows 200 a second)
}

_BOOL_KEYS = {"HUEY_IMMEDIATE", "SIMULATOR", "SMTP_STARTTLS", "SESSION_COOKIE_SECURE"}
_FLOAT_KEYS = {"LINE_REQUEST_TIMEOUT", "OUTBOX_BACKOFF_BASE", "OUTBOX_BACKOFF_CAP", "NOTICE_MULTICASTS_PER_SECOND"}
_INT_KEYS = {
    "TRUST_PROXY_HOPS",
    "SMTP_PORT",
    "EVENT_REMINDER_HOUR",
    "EVENT_REMINDER_MINUTE",
    "CONVERSATION_TTL_MINUTES",
    "THREAD_ACK_MINUTES",
    "THREAD_FOCUS_HOURS",
    "REPLY_TOKEN_FRESH_SECONDS",
    "OUTBOX_MAX_ATTEMPTS",
    "INBOX_MAX_ATTEMPTS",
    "PHOTO_FETCH_MAX_ATTEMPTS",
    "SWEEP_GRACE_SECONDS",
    "MAX_WEBHOOK_BYTES",
    "MAIL_RETRY_SECONDS",
    "RICH_MENU_RETRY_SECONDS",
    "ADMIN_IDLE_MINUTES",
    "ALERT_POLL_SECONDS",
    "ADMIN_MAX_FAILED_LOGINS",
    "ADMIN_MAX_FAILED_LOGINS_PER_IP",
    "ADMIN_LOGIN_DELAY_SECONDS",
    "ADMIN_LOGIN_MAX_DELAY_MINUTES",
    "ADMIN_PAGE_SIZE",
    "HSTS_MAX_AGE_SECONDS",
}


class ConfigError(RuntimeError):
    """A setting is missing or malformed."""


def _coerce(key: str, value: str) -> Any:
    if key in _BOOL_KEYS:
        return value.strip().lower() in {"1", "true", "yes", "on"}
    try:
        if key in _FLOAT_KEYS:
            return float(value)
        if key in _INT_KEYS:
            return int(value)
    except ValueError:
        raise ConfigError(f"{key} must be a number, got {value!r}") from None
    return value


def load_config(
    overrides: Mapping[str, Any] | None = None,
    environ: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """Merge defaults, the environment and overrides (highest wins)."""
    environ = os.environ if environ is None else environ
    config = dict(DEFAULTS)
    for key in DEFAULTS:
        if key in environ and key != "CLOCK" and environ[key] != "":
            config[key] = _coerce(key, environ[key])
    if overrides:
        config.update(overrides)

    if not config["DATABASE_URL"]:
        INSTANCE_DIR.mkdir(exist_ok=True)
        config["DATABASE_URL"] = f"sqlite:///{INSTANCE_DIR / 'tsunagu.db'}"
    if not config["HUEY_FILE"]:
        INSTANCE_DIR.mkdir(exist_ok=True)
        config["HUEY_FILE"] = str(INSTANCE_DIR / "queue.db")
    config["REAL_CHANNEL"] = is_line_host(config["LINE_API_ENDPOINT"])
    if not config["LINE_DATA_API_ENDPOINT"]:
        config["LINE_DATA_API_ENDPOINT"] = (
            "https://api-data.line.me" if config["REAL_CHANNEL"] else config["LINE_API_ENDPOINT"].rstrip("/")
        )
    if config["SIMULATOR"] is None:
        # The simulator plays the LINE platform, so it only makes sense when
        # the bot talks to something other than LINE itself.
        config["SIMULATOR"] = not config["REAL_CHANNEL"]
    return config


def is_line_host(url: str) -> bool:
    """Whether ``url`` points at LINE itself: any host under line.me, in any case, with any port.

    This decides whether the app is on a real channel (no simulator, secure
    cookies, no demo logins), so it reads the parsed host, never the spelling:
    ``https://api.line.me:443`` and ``https://API.LINE.ME/`` are LINE too.
    """
    try:
        host = (urlsplit(url.strip()).hostname or "").rstrip(".")
    except ValueError:  # e.g. an unclosed IPv6 bracket: not LINE, and the first API call says so
        return False
    return host == "line.me" or host.endswith(".line.me")


def validate_for_production(config: Mapping[str, Any]) -> None:
    """Refuse to start a real channel with an unsafe configuration."""
    problems = []
    if config["REAL_CHANNEL"]:
        for key in ("LINE_CHANNEL_SECRET", "LINE_CHANNEL_ACCESS_TOKEN", "SECRET_KEY"):
            if not config[key]:
                problems.append(f"{key} is not set")
        if config["SIMULATOR"]:
            problems.append("SIMULATOR cannot be enabled with a real LINE channel")
        if config.get("CLOCK") is not None:
            problems.append("CLOCK (a fixed time for tests and demos) cannot be set with a real LINE channel")
    if problems:
        raise ConfigError("; ".join(problems))
