"""Logging in (the password, then the second factor when the account has one) and out."""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import flash, redirect, render_template, request, session, url_for
from flask_babel import gettext
from flask_login import current_user

from admin.auth import (
    PENDING_LOGIN, Authenticator, LoginRefused, TooManyAttempts, end_session, start_session,
)
from admin.blueprint import bp, transaction
from admin.demo_guard import refuse_demo_account
from admin.form_stash import STASH_KEY, carried_over, opens_with_get
from admin.forms import CodeForm, LoginForm
from admin.settings import admin_state
from admin.throttle import known_browser, remember_browser
from admin.two_factor import RECOVERY_CODE


def _authenticator(db_session) -> Authenticator:  # noqa: ANN001
    return Authenticator(db_session, admin_state(), request.remote_addr, known_browser())


def _refused(refusal: LoginRefused) -> int:
    """Say why a step was refused; return the status to answer with."""
    if isinstance(refusal, TooManyAttempts):
        flash(gettext(refusal.message, seconds=refusal.seconds), "error")
        return 429
    flash(gettext(refusal.message), "error")
    return 200


@bp.route("/login", methods=["GET", "POST"])
def login():  # noqa: ANN201
    """Log a member of staff in: check the password, then ask for the second factor if they use one."""
    if current_user.is_authenticated:
        return redirect(_safe_next() or url_for("admin.dashboard"))
    form = LoginForm()
    status = 200
    if form.validate_on_submit():
        refusal = granted = pending = None
        with transaction() as db_session:
            authenticator = _authenticator(db_session)
            try:
                refuse_demo_account(db_session, form.email.data)
                account = authenticator.check_password(form.email.data, form.password.data)
                if account.two_factor_enabled:
                    pending = account.id
                else:
                    granted = authenticator.complete(account)
            except LoginRefused as refused:
                # The failure was counted and audited: commit it, do not roll it back.
                refusal = refused
        if pending is not None:
            kept_form = carried_over()
            session.clear()
            if kept_form is not None:
                session[STASH_KEY] = kept_form
            session[PENDING_LOGIN] = {"id": pending, "at": admin_state().now().timestamp()}
            return redirect(url_for("admin.login_code", next=_safe_next()))
        if granted is not None:
            start_session(granted)
            return remember_browser(redirect(_safe_next() or url_for("admin.dashboard")), granted.account.id)
        status = _refused(refusal)
    return render_template("admin/login.html", form=form), status


@bp.route("/login/code", methods=["GET", "POST"])
def login_code():  # noqa: ANN201
    """Ask for the code from the authenticator app (or a recovery code), after the password."""
    if current_user.is_authenticated:
        return redirect(_safe_next() or url_for("admin.dashboard"))
    pending = session.get(PENDING_LOGIN)
    state = admin_state()
    if (not isinstance(pending, dict) or not isinstance(pending.get("id"), int)
            or state.now().timestamp() - float(pending.get("at", 0)) > state.second_factor_within.total_seconds()):
        session.pop(PENDING_LOGIN, None)
        flash(gettext("もう一度、メールアドレスとパスワードを入力してください。"), "info")
        return redirect(url_for("admin.login", next=_safe_next()))
    form = CodeForm()
    status = 200
    if form.validate_on_submit():
        refusal = granted = None
        with transaction() as db_session:
            authenticator = _authenticator(db_session)
            try:
                account, method = authenticator.check_second_factor(pending["id"], form.code.data)
                granted = authenticator.complete(account, method)
            except LoginRefused as refused:
                refusal = refused
        if granted is not None:
            start_session(granted)
            if granted.second_factor == RECOVERY_CODE:
                flash(gettext("回復コードを1つ使いました。残りが少なくなったら、設定画面で新しい回復コードを作ってください。"),
                      "info")
            return remember_browser(redirect(_safe_next() or url_for("admin.dashboard")), granted.account.id)
        status = _refused(refusal)
    return render_template("admin/login_code.html", form=form), status


@bp.post("/logout")
def logout():  # noqa: ANN201
    """Log the member of staff out."""
    end_session("logout")
    flash(gettext("ログアウトしました。"), "info")
    return redirect(url_for("admin.login"))


def _safe_next() -> str | None:
    """The page to return to after logging in, if it is one of our pages (a form's target would answer 405)."""
    target = request.args.get("next", "")
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or "\\" in target or not opens_with_get(target):
        return None
    return target
