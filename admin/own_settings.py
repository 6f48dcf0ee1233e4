"""One's own settings: the admin view's language, one's password and the second factor."""
from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import force_locale, gettext
from flask_login import current_user
from markupsafe import Markup

from admin import browser_locale
from admin.accounts import AccountError
from admin.audit import audit, register_action
from admin.blueprint import bp, transaction, tsunagu
from admin.forms import CodeForm, LocaleForm, PasswordChangeForm
from admin.settings import admin_state
from admin.staff import account_or_404, accounts_service
from admin.two_factor import SecondFactorError, SecondFactors, WrongCode, enrolment_qr_svg, grouped
from bot.i18n import N_

register_action("settings.two_factor_on", N_("二段階認証の設定"))
register_action("settings.two_factor_off", N_("二段階認証の停止"))
register_action("settings.recovery_codes", N_("回復コードの作り直し"))


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
                accounts_service(db_session).change_own_password(
                    account, form.current.data, form.password.data, session_key=current_user.session_key)
                audit("settings.password", account, session=db_session)
        except AccountError as error:
            flash(gettext(error.message), "error")
        else:
            flash(gettext("パスワードを変更しました。ほかの端末でのログインは終了しました。"), "success")
            return redirect(url_for("admin.dashboard"))
    locale_form = LocaleForm(prefix="locale", formdata=None, data={"locale": current_user.locale or ""})
    return render_template("admin/settings.html", locale_form=locale_form, password_form=form)


@bp.route("/settings/two-factor", methods=["GET", "POST"])
def two_factor():  # noqa: ANN201
    """Set up the second factor: scan the QR code, confirm with a code, keep the recovery codes."""
    form = CodeForm(prefix="enrol")
    with transaction() as db_session:
        account = account_or_404(db_session, current_user.id)
        factors = SecondFactors(db_session, admin_state().secrets)
        if account.two_factor_enabled:
            return render_template("admin/two_factor.html", account=account, codes_form=CodeForm(prefix="codes"),
                                   off_form=CodeForm(prefix="off"), codes_left=factors.recovery_codes_left(account))
        if form.validate_on_submit():
            try:
                codes = factors.enrol(account, form.code.data, admin_state().now())
            except SecondFactorError as error:
                flash(gettext(error.message), "error")
            else:
                audit("settings.two_factor_on", account, session=db_session)
                # Shown once, in this answer only: not kept in the session or anywhere else.
                return render_template("admin/recovery_codes.html", codes=codes, first=True)
        secret = factors.offer(account)
        qr = Markup(enrolment_qr_svg(secret, account.email, _issuer()))
    return render_template("admin/two_factor.html", account=account, form=form, qr=qr, secret=grouped(secret))


@bp.post("/settings/two-factor/recovery-codes")
def two_factor_recovery_codes():  # noqa: ANN201
    """Replace one's recovery codes (the old ones stop working), after a code from the app."""
    return _with_code(_new_recovery_codes, prefix="codes")


@bp.post("/settings/two-factor/off")
def two_factor_off():  # noqa: ANN201
    """Stop using the second factor (centre staff only), after a code from the app."""
    return _with_code(_turn_off, prefix="off")


def _new_recovery_codes(factors: SecondFactors, account, code: str):  # noqa: ANN001, ANN202
    if factors.verify(account, code, admin_state().now()) is None:
        raise WrongCode()
    codes = factors.new_recovery_codes(account)
    audit("settings.recovery_codes", account, session=factors.session)
    return render_template("admin/recovery_codes.html", codes=codes, first=False)


def _turn_off(factors: SecondFactors, account, code: str):  # noqa: ANN001, ANN202
    factors.turn_off(account, code, admin_state().now())
    audit("settings.two_factor_off", account, session=factors.session)
    flash(gettext("二段階認証を停止しました。"), "success")
    return redirect(url_for("admin.settings"))


def _with_code(change, *, prefix: str):  # noqa: ANN001, ANN202
    """Apply a change to one's second factor if the code sent with it is right."""
    form = CodeForm(prefix=prefix)
    if form.validate_on_submit():
        try:
            with transaction() as db_session:
                account = account_or_404(db_session, current_user.id)
                return change(SecondFactors(db_session, admin_state().secrets), account, form.code.data)
        except SecondFactorError as error:
            flash(gettext(error.message), "error")
    else:
        flash(gettext("確認コードを入力してください。"), "error")
    return redirect(url_for("admin.two_factor"))


def _issuer() -> str:
    """How the authenticator app names this account's entry: the service and the city."""
    return f"Tsunagu {tsunagu().profile.name}"
