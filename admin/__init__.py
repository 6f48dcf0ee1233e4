"""The staff admin view, mounted at ``/admin/``.

``init_admin(app)`` is called by the application factory. It sets up the
session cookie, Flask-Login, CSRF protection (for the admin pages only: the
LINE webhook and the simulator are not browser forms), Flask-Babel for the
staff's language, the blueprint and the ``create-staff`` command.
"""
from __future__ import annotations

from typing import Any

from flask import Flask, has_request_context, request
from flask_babel import Babel
from flask_login import current_user
from flask_wtf.csrf import CSRFProtect

from bot.i18n import DEFAULT_LOCALE, LOCALES_DIR, STAFF_LOCALES

_TRUE = {"1", "true", "yes", "on"}


def init_admin(app: Flask) -> None:
    """Wire the admin view into the application."""
    from admin.auth import init_login
    from admin.cli import audit_group, create_staff_command
    from admin.settings import AdminState
    from admin.blueprint import bp, show_invisible
    # Each screen family's pages join the blueprint when its module is imported.
    from admin import (  # noqa: F401
        alerts, audit_log, dashboard, event_series, events, login, own_settings, records, residents,
        response_templates, staff,
        figures,
    )
    from admin import notices  # noqa: F401
    from admin import watch  # noqa: F401 - 見守り
    from admin import mutual_aid  # noqa: F401 - 住民支え合い
    from admin import record_entry  # noqa: F401 - 電話・窓口の相談

    state = AdminState.from_config(app.config)
    app.extensions["tsunagu_admin"] = state
    _configure_session(app, state)

    # The admin blueprint checks CSRF itself (admin.blueprint.guard); nothing else
    # in the app takes browser forms, and /callback must never ask for a token.
    app.config["WTF_CSRF_CHECK_DEFAULT"] = False
    # A form stays valid as long as the session does (which ends when idle).
    app.config.setdefault("WTF_CSRF_TIME_LIMIT", None)
    CSRFProtect(app)

    init_login(app)

    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", str(LOCALES_DIR))
    app.config.setdefault("BABEL_DEFAULT_LOCALE", DEFAULT_LOCALE)
    app.config.setdefault("BABEL_DEFAULT_TIMEZONE", app.config.get("TIMEZONE", "Asia/Tokyo"))
    Babel(app, locale_selector=select_locale)

    # One place for every page: a right-to-left override in a resident's text cannot reorder what staff read.
    app.jinja_env.finalize = show_invisible
    app.register_blueprint(bp)
    app.cli.add_command(create_staff_command)
    app.cli.add_command(audit_group)


def _configure_session(app: Flask, state: Any) -> None:
    """HttpOnly, SameSite=Lax, Secure over HTTPS, and expiring with the idle time."""
    app.config["SESSION_COOKIE_HTTPONLY"] = True
    app.config["SESSION_COOKIE_SAMESITE"] = "Lax"
    app.config["PERMANENT_SESSION_LIFETIME"] = state.idle
    app.config["SESSION_COOKIE_SECURE"] = _cookie_secure(app)


def _cookie_secure(app: Flask) -> bool:
    """Secure cookies when set so, when URLs are https, or on a real LINE channel (LINE requires HTTPS)."""
    config = app.extensions["tsunagu"].config
    explicit = config["SESSION_COOKIE_SECURE"]
    if explicit is not None and explicit != "":
        return explicit if isinstance(explicit, bool) else str(explicit).strip().lower() in _TRUE
    return config["PREFERRED_URL_SCHEME"] == "https" or bool(app.config.get("REAL_CHANNEL"))


def select_locale() -> str:
    """The staff member's own language, else the browser's, else Japanese."""
    if not has_request_context():
        return DEFAULT_LOCALE
    if current_user.is_authenticated and current_user.locale in STAFF_LOCALES:
        return current_user.locale
    return browser_locale()


def browser_locale() -> str:
    """The supported language the browser prefers (Accept-Language), else Japanese."""
    return request.accept_languages.best_match(STAFF_LOCALES, default=DEFAULT_LOCALE)
