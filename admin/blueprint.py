"""The admin blueprint and what every admin page shares.

Every page needs a logged-in member of staff except the login page; pages
for one role check its permission with :func:`admin.scope.requires`. Each
screen family has its own module (``admin/login.py``, ``records.py``,
``events.py`` ...) that adds its pages to :data:`bp`.
"""
from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from markupsafe import Markup
from werkzeug.datastructures import ImmutableMultiDict

from admin.audit import audit
from admin.auth import enforce_idle_timeout
from admin.form_stash import keep_posted_form, restore_kept_form
from admin.names import staff_locale
from admin.pagination import url_for_page
from admin.scope import MANAGE_ACCOUNTS, ROLE_LABELS, VIEW_AUDIT, VIEW_RECORDS, current_scope
from bot.container import Tsunagu
from bot.services.phone import format_phone
from bot.text import has_controls, visible_controls, without_controls

bp = Blueprint("admin", __name__, url_prefix="/admin", template_folder="templates", static_folder="static")

# Reachable without logging in (the second step of a login has no session yet).
PUBLIC_ENDPOINTS = {"admin.login", "admin.login_code", "admin.static"}
# Reachable while the password chosen by an administrator has not been replaced yet.
BEFORE_PASSWORD_CHANGE = {"admin.settings", "admin.change_password", "admin.logout"}
# Reachable by a coordinator or administrator who has not set up the second factor yet.
BEFORE_ENROLMENT = {"admin.two_factor", "admin.logout"}
# Browser features no admin page uses, switched off for the pages and anything they embed.
PERMISSIONS_POLICY = ", ".join(f"{feature}=()" for feature in (
    "camera", "microphone", "geolocation", "payment", "usb", "serial", "hid", "midi", "display-capture",
    "accelerometer", "gyroscope", "magnetometer"))


def tsunagu() -> Tsunagu:
    """The application's shared objects (the database, the profile, the tasks), for any admin page."""
    return current_app.extensions["tsunagu"]


def transaction():  # noqa: ANN201
    """A database session in one transaction, committed when the block ends."""
    return tsunagu().db.transaction()


@bp.before_request
def guard():  # noqa: ANN201
    """Check the session, then the login, then the CSRF token, on every admin request."""
    if request.endpoint == "admin.static":
        return None
    if (refused := _refuse_control_characters()) is not None:
        return refused
    if (expired := enforce_idle_timeout()) is not None:
        return expired
    if not current_user.is_authenticated and request.endpoint not in PUBLIC_ENDPOINTS:
        if request.method == "POST" and request.endpoint != "admin.logout":  # e.g. logged out in another tab
            return keep_posted_form()
        return current_app.login_manager.unauthorized()
    current_app.extensions["csrf"].protect()
    if current_user.is_authenticated:
        # One step at a time, each page saying why: first their own password, then the second factor.
        if current_user.must_change_password:
            if request.endpoint not in BEFORE_PASSWORD_CHANGE:
                flash(gettext("管理者が決めたパスワードのままです。ほかの画面を使う前に、ご自身のパスワードに変更してください。"),
                      "info")
                return redirect(url_for("admin.settings"))
        elif current_user.must_enrol and request.endpoint not in BEFORE_ENROLMENT:
            return redirect(url_for("admin.two_factor"))
        else:
            restore_kept_form(current_user.id)
    return None


def _refuse_control_characters():  # noqa: ANN202
    """Refuse a query string with control characters; drop them from a posted form.

    No address of ours carries a NUL or a line break (``?next=`` with CR/LF
    would end in a header), so such a request is answered 400. A form's text
    loses its control characters (tabs and line breaks stay) before anything
    reads it: PostgreSQL refuses NUL in text, and nobody means to type one.
    """
    if any(has_controls(key) or has_controls(value) for key, value in request.args.items(multi=True)):
        return render_template("admin/error.html", title=gettext("もう一度お試しください"),
                               message=gettext("ページのアドレスに使えない文字が含まれています。")), 400
    if request.method == "POST" and any(has_controls(key) or has_controls(value, kept="\t\n\r")
                                        for key, value in request.form.items(multi=True)):
        request.form = ImmutableMultiDict([(without_controls(key), without_controls(value))
                                           for key, value in request.form.items(multi=True)])
    return None


def show_invisible(value):  # noqa: ANN001, ANN201
    """Every value a page prints (Jinja's ``finalize``), with bidi and other invisible characters as [U+202E].

    Set on the application's templates by ``init_admin``, so resident text,
    display names, notes and event fields are covered wherever they appear.
    """
    if isinstance(value, Markup):
        return Markup(visible_controls(str(value)))
    if isinstance(value, str):
        return visible_controls(value)
    return value


@bp.after_request
def protect_responses(response):  # noqa: ANN001, ANN201
    """Forbid caching, framing, any script or style not served by us, and plain HTTP once HTTPS was used."""
    response.headers.setdefault(
        "Content-Security-Policy",
        "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; "
        "form-action 'self'; frame-ancestors 'none'",
    )
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
    if request.is_secure:  # the scheme ProxyFix took from X-Forwarded-Proto when TRUST_PROXY_HOPS is set
        response.headers.setdefault("Strict-Transport-Security",
                                    f"max-age={tsunagu().config['HSTS_MAX_AGE_SECONDS']}")
    if request.endpoint != "admin.static":
        # Pages hold personal data: no copy stays in a shared tablet's cache.
        response.headers["Cache-Control"] = "no-store"
    return response


@bp.app_template_filter("phone")
def phone_filter(stored: str | None) -> str:
    """A stored phone number as staff read it: 0246-22-1111, 090-1234-5678 (bot/services/phone.py)."""
    return format_phone(stored)


@bp.context_processor
def page_context() -> dict:
    scope = current_scope() if current_user.is_authenticated else None
    return {
        "scope": scope,
        "locale": staff_locale(),
        "role_label": lambda role: gettext(ROLE_LABELS.get(role, role)),
        "url_for_page": url_for_page,
        "MANAGE_ACCOUNTS": MANAGE_ACCOUNTS,
        "VIEW_AUDIT": VIEW_AUDIT,
        "VIEW_RECORDS": VIEW_RECORDS,
    }


# The id in a refused URL, by the name of the route's argument, and what it names.
_TARGETS = {"record_id": "intake_records", "event_id": "events", "series_id": "event_series",
            "signup_id": "event_signups", "account_id": "staff_accounts", "template_id": "response_templates",
            "resident_id": "residents"}


def audit_refusal(status: int) -> None:
    """Write down a logged-in member's refused request: who, which page, which record; the answer stays the same.

    A 404 inside the admin view is a record, event or account out of the
    member's scope (or one that does not exist); a 403 is a page their role
    may not use. Addresses that match no page are not written down.
    """
    if not current_user.is_authenticated or request.endpoint is None:
        return
    arguments = request.view_args or {}
    name = next((name for name in _TARGETS if name in arguments), None)
    # An id too long for any row names nothing (the page refused it before reading it).
    target = (_TARGETS[name], arguments[name]) if name and len(str(arguments[name])) <= 20 else None
    photo = arguments.get("attachment_id")
    audit("access.denied", target, status=status, page=request.endpoint, method=request.method,
          **({"photo_id": photo} if photo is not None else {}))


@bp.errorhandler(403)
def forbidden(error):  # noqa: ANN001, ANN201
    audit_refusal(403)
    return render_template("admin/error.html", title=gettext("このページは表示できません"),
                           message=gettext("この操作を行う権限がありません。")), 403


@bp.errorhandler(404)
def not_found(error):  # noqa: ANN001, ANN201
    audit_refusal(404)
    return render_template("admin/error.html", title=gettext("ページが見つかりません"),
                           message=gettext("お探しのページは、存在しないか、表示する権限がありません。")), 404


@bp.errorhandler(CSRFError)
def csrf_refused(error):  # noqa: ANN001, ANN201
    return render_template("admin/error.html", title=gettext("もう一度お試しください"),
                           message=gettext("画面を開いてから時間がたったため、送信できませんでした。"
                                           "ページを開き直して、もう一度操作してください。")), 400
