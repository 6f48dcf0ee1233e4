"""One's own settings: the admin view's language and one's password."""
from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import force_locale, gettext
from flask_login import current_user

from admin import browser_locale
from admin.accounts import AccountError
from admin.audit import audit
from admin.auth import refresh_session_user
from admin.blueprint import bp, transaction
from admin.forms import LocaleForm, PasswordChangeForm
from admin.staff import account_or_404, accounts_service


@bp.route("/settings", methods=["GET", "POST"])
def settings():  # noqa: ANN201
    """Choose the admin view's language."""
    locale_form = LocaleForm(prefix="locale", data={"locale": current_user.locale or ""})
    if locale_form.validate_on_submit():
        with transaction() as db_session:
            account = account_or_404(db_session, current_user.id)
            accounts_service(db_session).set_locale(account, locale_form.locale.data or None)
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
                account = account_or_404(db_session, current_user.id)
                accounts_service(db_session).change_own_password(account, form.current.data, form.password.data)
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
