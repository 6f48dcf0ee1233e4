"""Pages of the admin view: login, the start page, staff accounts, the audit log, settings.

Every page needs a logged-in member of staff except the login page; pages
for one role check its permission with :func:`admin.scope.requires`.
"""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from urllib.parse import urlsplit

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import force_locale, gettext
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from wtforms import SelectChoice

from admin import browser_locale
from admin.accounts import AccountError, StaffAccounts
from admin.audit import ACTION_LABELS, TARGET_LABELS, AuditFilter, AuditLogQuery, audit
from admin.auth import (
    PREVIOUS_LOGIN,
    Authenticator,
    LoginRefused,
    TooManyAttempts,
    end_session,
    enforce_idle_timeout,
    refresh_session_user,
    start_session,
)
from admin.forms import (
    AuditFilterForm,
    ConfirmForm,
    LocaleForm,
    LoginForm,
    NewStaffForm,
    PasswordChangeForm,
    PasswordResetForm,
    StaffForm,
)
from admin.pagination import paginate, requested_page, url_for_page
from admin.scope import MANAGE_ACCOUNTS, ROLE_LABELS, VIEW_AUDIT, VIEW_RECORDS, current_scope, requires
from admin.names import area_name, centre_name, staff_locale
from admin.settings import admin_state
from bot.container import Tsunagu
from bot.models import StaffAccount

bp = Blueprint("admin", __name__, url_prefix="/admin", template_folder="templates", static_folder="static")

# Reachable without logging in.
PUBLIC_ENDPOINTS = {"admin.login", "admin.static"}
# Reachable while the password chosen by an administrator has not been replaced yet.
BEFORE_PASSWORD_CHANGE = {"admin.settings", "admin.change_password", "admin.logout"}


def tsunagu() -> Tsunagu:
    """The application's shared objects (the database, the profile, the tasks), for any admin page."""
    return current_app.extensions["tsunagu"]


def transaction():  # noqa: ANN201
    """A session in one transaction: committed on success, rolled back on error."""
    return tsunagu().db.transaction()


def _accounts(db_session) -> StaffAccounts:  # noqa: ANN001
    return StaffAccounts(db_session, tsunagu().profile, admin_state().passwords)


@bp.before_request
def guard():  # noqa: ANN201
    """Check the session, then the login, then the CSRF token, on every admin request."""
    if request.endpoint == "admin.static":
        return None
    if (expired := enforce_idle_timeout()) is not None:
        return expired
    if not current_user.is_authenticated and request.endpoint not in PUBLIC_ENDPOINTS:
        return current_app.login_manager.unauthorized()
    current_app.extensions["csrf"].protect()
    if (current_user.is_authenticated and current_user.must_change_password
            and request.endpoint not in BEFORE_PASSWORD_CHANGE):
        return redirect(url_for("admin.settings"))  # the page says why
    return None


@bp.after_request
def protect_responses(response):  # noqa: ANN001, ANN201
    """Forbid caching, framing and any script or style not served by us."""
    response.headers.setdefault(
        "Content-Security-Policy",
        "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; "
        "form-action 'self'; frame-ancestors 'none'",
    )
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    if request.endpoint != "admin.static":
        # Pages hold personal data: no copy stays in a shared tablet's cache.
        response.headers["Cache-Control"] = "no-store"
    return response


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


@bp.errorhandler(403)
def forbidden(error):  # noqa: ANN001, ANN201
    return render_template("admin/error.html", title=gettext("このページは表示できません"),
                           message=gettext("この操作を行う権限がありません。")), 403


@bp.errorhandler(404)
def not_found(error):  # noqa: ANN001, ANN201
    return render_template("admin/error.html", title=gettext("ページが見つかりません"),
                           message=gettext("お探しのページは、存在しないか、表示する権限がありません。")), 404


@bp.errorhandler(CSRFError)
def csrf_refused(error):  # noqa: ANN001, ANN201
    return render_template("admin/error.html", title=gettext("もう一度お試しください"),
                           message=gettext("画面を開いてから時間がたったため、送信できませんでした。"
                                           "ページを開き直して、もう一度操作してください。")), 400


# --- login and logout ------------------------------------------------------

@bp.route("/login", methods=["GET", "POST"])
def login():  # noqa: ANN201
    """Log a member of staff in."""
    if current_user.is_authenticated:
        return redirect(_safe_next() or url_for("admin.dashboard"))
    form = LoginForm()
    status = 200
    if form.validate_on_submit():
        refusal = None
        with transaction() as db_session:
            try:
                granted = Authenticator(db_session, admin_state()).log_in(
                    form.email.data, form.password.data, request.remote_addr)
            except LoginRefused as refused:
                # The failure was counted and audited: commit it, do not roll it back.
                refusal = refused
        if refusal is None:
            start_session(granted)
            return redirect(_safe_next() or url_for("admin.dashboard"))
        flash(gettext(refusal.message), "error")
        status = 429 if isinstance(refusal, TooManyAttempts) else 200
    return render_template("admin/login.html", form=form), status


@bp.post("/logout")
def logout():  # noqa: ANN201
    """Log the member of staff out."""
    end_session("logout")
    flash(gettext("ログアウトしました。"), "info")
    return redirect(url_for("admin.login"))


def _safe_next() -> str | None:
    """The page to return to after logging in, if it is one of ours."""
    target = request.args.get("next", "")
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or "\\" in target or not parts.path.startswith("/admin/"):
        return None
    return target


# --- the start page --------------------------------------------------------

@bp.get("/")
def dashboard():  # noqa: ANN201
    """Show the start page: one's centres, and what the role can open."""
    scope = current_scope()
    profile = tsunagu().profile
    centres = [centre for centre in profile.centres if centre.code in scope.centre_codes]
    areas = {area.code: area_name(profile, area.code) for area in profile.areas}
    accounts = None
    if scope.can(MANAGE_ACCOUNTS):
        now = admin_state().now()
        with transaction() as db_session:
            staff = _accounts(db_session)
            accounts = {
                "by_role": staff.counts_by_role(),
                "locked": [(a.id, a.name) for a in staff.locked(now)],
                "failed_logins": AuditLogQuery(db_session, profile.timezone).failures_since(now - timedelta(days=1)),
            }
    previous_login = session.get(PREVIOUS_LOGIN)
    return render_template(
        "admin/dashboard.html",
        centres=centres,
        areas=areas,
        coordinator=profile.coordinator if scope.is_coordinator else None,
        accounts=accounts,
        city=profile.name,
        previous_login=datetime.fromtimestamp(previous_login, timezone.utc) if previous_login else None,
    )


# --- staff accounts (administrators) ---------------------------------------

@bp.get("/staff/")
@requires(MANAGE_ACCOUNTS)
def staff_list():  # noqa: ANN201
    """List every staff account."""
    with transaction() as db_session:
        accounts = _accounts(db_session).all()
        audit("staff.list", session=db_session, count=len(accounts))
    profile = tsunagu().profile
    centre_names = {centre.code: centre_name(profile, centre.code, short=True) for centre in profile.centres}
    return render_template("admin/staff_list.html", accounts=accounts, centre_names=centre_names,
                           now=admin_state().now())


@bp.route("/staff/new", methods=["GET", "POST"])
@requires(MANAGE_ACCOUNTS)
def staff_new():  # noqa: ANN201
    """Create a staff account with a first password its owner must change."""
    form = NewStaffForm().with_centres(tsunagu().profile)
    if form.validate_on_submit():
        try:
            with transaction() as db_session:
                account = _accounts(db_session).create(
                    email=form.email.data, name=form.name.data, role=form.role.data,
                    centres=form.centres.data, password=form.password.data, must_change_password=True,
                )
                audit("staff.create", account, session=db_session, role=account.role,
                      centres=account.centre_codes)
        except AccountError as error:
            flash(gettext(error.message), "error")
        else:
            flash(gettext("職員アカウントを作成しました。初期パスワードを本人にお伝えください。"), "success")
            return redirect(url_for("admin.staff_edit", account_id=account.id))
    return render_template("admin/staff_form.html", form=form, account=None)


@bp.route("/staff/<int:account_id>", methods=["GET", "POST"])
@requires(MANAGE_ACCOUNTS)
def staff_edit(account_id: int):  # noqa: ANN201
    """Show a staff account and change its details."""
    if request.method == "GET":
        with transaction() as db_session:
            account = _account_or_404(db_session, account_id)
            audit("staff.view", account, session=db_session)
        return _render_staff_page(account_id)
    form = StaffForm().with_centres(tsunagu().profile)
    if form.validate_on_submit():
        try:
            with transaction() as db_session:
                account = _account_or_404(db_session, account_id)
                changed = _accounts(db_session).update(
                    account, email=form.email.data, name=form.name.data, role=form.role.data,
                    centres=form.centres.data)
                if changed:
                    audit("staff.update", account, session=db_session, fields=changed, role=account.role,
                          centres=account.centre_codes)
        except AccountError as error:
            flash(gettext(error.message), "error")
        else:
            flash(gettext("変更を保存しました。") if changed else gettext("変更はありませんでした。"), "success")
            return redirect(url_for("admin.staff_edit", account_id=account_id))
    return _render_staff_page(account_id, form=form)


@bp.post("/staff/<int:account_id>/password")
@requires(MANAGE_ACCOUNTS)
def staff_reset_password(account_id: int):  # noqa: ANN201
    """Set a new password for a member of staff who forgot theirs."""
    form = PasswordResetForm(prefix="reset")
    if form.validate_on_submit():
        try:
            with transaction() as db_session:
                account = _account_or_404(db_session, account_id)
                _accounts(db_session).reset_password(account, form.password.data)
                audit("staff.password_reset", account, session=db_session)
        except AccountError as error:
            flash(gettext(error.message), "error")
        else:
            flash(gettext("パスワードを再設定しました。本人は次のログインで変更します。"), "success")
            return redirect(url_for("admin.staff_edit", account_id=account_id))
    return _render_staff_page(account_id, reset_form=form)


def _staff_action(account_id: int, change, action: str, done: str):  # noqa: ANN001, ANN202
    """Apply a one-button change (deactivate, reactivate, unlock) and audit it."""
    form = ConfirmForm()
    if form.validate_on_submit():
        try:
            with transaction() as db_session:
                account = _account_or_404(db_session, account_id)
                change(_accounts(db_session), account)
                audit(action, account, session=db_session)
        except AccountError as error:
            flash(gettext(error.message), "error")
        else:
            flash(done, "success")
    return redirect(url_for("admin.staff_edit", account_id=account_id))


@bp.post("/staff/<int:account_id>/deactivate")
@requires(MANAGE_ACCOUNTS)
def staff_deactivate(account_id: int):  # noqa: ANN201
    """Stop an account from logging in (it stays in the audit log)."""
    return _staff_action(account_id, lambda staff, account: staff.deactivate(account, by=current_user.id),
                         "staff.deactivate", gettext("アカウントを無効にしました。"))


@bp.post("/staff/<int:account_id>/reactivate")
@requires(MANAGE_ACCOUNTS)
def staff_reactivate(account_id: int):  # noqa: ANN201
    """Let a deactivated account log in again."""
    return _staff_action(account_id, lambda staff, account: staff.reactivate(account),
                         "staff.reactivate", gettext("アカウントを再び有効にしました。"))


@bp.post("/staff/<int:account_id>/unlock")
@requires(MANAGE_ACCOUNTS)
def staff_unlock(account_id: int):  # noqa: ANN201
    """Lift a lockout after failed logins before it runs out."""
    return _staff_action(account_id, lambda staff, account: staff.unlock(account),
                         "staff.unlock", gettext("ロックを解除しました。"))


def _account_or_404(db_session, account_id: int) -> StaffAccount:  # noqa: ANN001
    account = _accounts(db_session).get(account_id)
    if account is None:
        abort(404)
    return account


def _staff_form(account: StaffAccount) -> StaffForm:
    form = StaffForm(formdata=None, obj=account).with_centres(tsunagu().profile)
    form.centres.data = account.centre_codes
    return form


def _render_staff_page(account_id: int, *, form: StaffForm | None = None,
                       reset_form: PasswordResetForm | None = None):  # noqa: ANN202
    """The account page, showing the forms as sent when one of them was refused."""
    with transaction() as db_session:
        account = _account_or_404(db_session, account_id)
    return render_template(
        "admin/staff_form.html",
        form=form or _staff_form(account),
        account=account,
        reset_form=reset_form or PasswordResetForm(prefix="reset", formdata=None),
        locked=account.is_locked(admin_state().now()),
        is_self=account.id == current_user.id,
    )


# --- the audit log (administrators) ----------------------------------------

@bp.get("/audit/")
@requires(VIEW_AUDIT)
def audit_log():  # noqa: ANN201
    """Browse the audit log, newest first, filtered by who, what and when."""
    form = AuditFilterForm(formdata=request.args)
    form.validate()
    with transaction() as db_session:
        accounts = _accounts(db_session).all()
        query = AuditLogQuery(db_session, tsunagu().profile.timezone)
        form.actor.choices = [SelectChoice("", gettext("すべて"))] + [
            SelectChoice(str(a.id), a.name) for a in accounts]
        actions = sorted(set(ACTION_LABELS) | set(query.actions_in_use()))
        form.action.choices = [SelectChoice("", gettext("すべて"))] + [
            SelectChoice(code, gettext(ACTION_LABELS[code]) if code in ACTION_LABELS else code) for code in actions]
        wanted = AuditFilter(
            actor_id=int(form.actor.data) if (form.actor.data or "").isdigit() else None,
            action=form.action.data if form.action.data in actions else None,
            date_from=None if form.date_from.errors else form.date_from.data,
            date_to=None if form.date_to.errors else form.date_to.data,
        )
        page = paginate(db_session, query.statement(wanted), requested_page(), admin_state().page_size)
        audit("audit.view", session=db_session, page=page.number, **wanted.as_details())
    return render_template("admin/audit.html", form=form, page=page, action_labels=ACTION_LABELS,
                           target_labels=TARGET_LABELS)


# --- one's own settings ----------------------------------------------------

@bp.route("/settings", methods=["GET", "POST"])
def settings():  # noqa: ANN201
    """Choose the admin view's language."""
    locale_form = LocaleForm(prefix="locale", data={"locale": current_user.locale or ""})
    if locale_form.validate_on_submit():
        with transaction() as db_session:
            account = _account_or_404(db_session, current_user.id)
            _accounts(db_session).set_locale(account, locale_form.locale.data or None)
            audit("settings.locale", account, session=db_session, locale=account.locale)
        with force_locale(locale_form.locale.data or browser_locale()):  # say it in the new language
            flash(gettext("表示言語を変更しました。"), "success")
        return redirect(url_for("admin.settings"))
    return render_template("admin/settings.html", locale_form=locale_form,
                           password_form=PasswordChangeForm(prefix="password", formdata=None))


@bp.post("/settings/password")
def change_password():  # noqa: ANN201
    """Replace one's own password."""
    form = PasswordChangeForm(prefix="password")
    if form.validate_on_submit():
        try:
            with transaction() as db_session:
                account = _account_or_404(db_session, current_user.id)
                _accounts(db_session).change_own_password(account, form.current.data, form.password.data)
                audit("settings.password", account, session=db_session)
        except AccountError as error:
            flash(gettext(error.message), "error")
        else:
            # The new session token ended every other session; keep this one.
            refresh_session_user(account)
            flash(gettext("パスワードを変更しました。"), "success")
            return redirect(url_for("admin.dashboard"))
    locale_form = LocaleForm(prefix="locale", formdata=None, data={"locale": current_user.locale or ""})
    return render_template("admin/settings.html", locale_form=locale_form, password_form=form)
