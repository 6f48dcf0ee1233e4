"""Logging in and out."""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user

from admin.auth import Authenticator, LoginRefused, TooManyAttempts, end_session, start_session
from admin.blueprint import bp, transaction
from admin.demo_guard import refuse_demo_account
from admin.forms import LoginForm
from admin.settings import admin_state


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
                refuse_demo_account(db_session, form.email.data)
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
