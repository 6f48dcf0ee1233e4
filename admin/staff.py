"""Staff accounts (administrators): list, create, edit, reset a password or the second factor,
deactivate, and lift login delays."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user

from admin.accounts import AccountError, StaffAccounts
from admin.audit import audit, register_action
from admin.blueprint import bp, transaction, tsunagu
from admin.forms import ConfirmForm, NewStaffForm, PasswordResetForm, StaffForm
from admin.names import centre_name
from admin.scope import MANAGE_ACCOUNTS, requires
from admin.settings import admin_state
from admin.throttle import ACCOUNT, ADDRESS, DEVICE, UNKNOWN_PREFIX, LoginThrottles, account_key
from bot.i18n import N_
from bot.models import StaffAccount

register_action("staff.two_factor_reset", N_("二段階認証のリセット"))
register_action("login.delay_cleared", N_("ログイン待ち時間の解除"))


def accounts_service(db_session) -> StaffAccounts:  # noqa: ANN001
    """The staff accounts service on this session."""
    return StaffAccounts(db_session, tsunagu().profile, admin_state().passwords)


def account_or_404(db_session, account_id: int) -> StaffAccount:  # noqa: ANN001
    """The account, or 404."""
    account = accounts_service(db_session).get(account_id)
    if account is None:
        abort(404)
    return account


@bp.get("/staff/")
@requires(MANAGE_ACCOUNTS)
def staff_list():  # noqa: ANN201
    """List every staff account."""
    now = admin_state().now()
    with transaction() as db_session:
        accounts = accounts_service(db_session).all()
        waits = LoginThrottles(db_session, admin_state()).waiting(now)
        audit("staff.list", session=db_session, count=len(accounts))
    profile = tsunagu().profile
    centre_names = {centre.code: centre_name(profile, centre.code, short=True) for centre in profile.centres}
    names = {str(account.id): account.name for account in accounts}
    return render_template("admin/staff_list.html", accounts=accounts, centre_names=centre_names, now=now,
                           waits=waits, waiting_accounts=_waiting_accounts(waits), names=names,
                           UNKNOWN_PREFIX=UNKNOWN_PREFIX)


@bp.post("/staff/login-delays/clear")
@requires(MANAGE_ACCOUNTS)
def staff_clear_login_delay():  # noqa: ANN201
    """Lift the wait after failed logins of one account or from one address."""
    form = ConfirmForm()
    kind, value = request.form.get("kind", ""), request.form.get("value", "")[:64]
    if form.validate_on_submit() and kind in (ACCOUNT, ADDRESS, DEVICE) and value:
        with transaction() as db_session:
            throttles = LoginThrottles(db_session, admin_state())
            if kind == ACCOUNT and value.isdigit():
                throttles.forget_account(int(value))
                audit("login.delay_cleared", ("staff_accounts", value), session=db_session, kind=kind)
            else:
                throttles.forget([(kind, value)])
                # An address is not personal content; an unknown account is recorded only as such.
                audit("login.delay_cleared", session=db_session, kind=kind,
                      address=value if kind == ADDRESS else None)
        flash(gettext("ログインの待ち時間を解除しました。"), "success")
    return redirect(url_for("admin.staff_list"))


@bp.route("/staff/new", methods=["GET", "POST"])
@requires(MANAGE_ACCOUNTS)
def staff_new():  # noqa: ANN201
    """Create a staff account with a first password its owner must change."""
    form = NewStaffForm().with_centres(tsunagu().profile)
    if form.validate_on_submit():
        try:
            with transaction() as db_session:
                account = accounts_service(db_session).create(
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


@bp.route("/staff/<dbid:account_id>", methods=["GET", "POST"])
@requires(MANAGE_ACCOUNTS)
def staff_edit(account_id: int):  # noqa: ANN201
    """Show a staff account and change its details."""
    if request.method == "GET":
        with transaction() as db_session:
            account = account_or_404(db_session, account_id)
            audit("staff.view", account, session=db_session)
        return _render_staff_page(account_id)
    form = StaffForm().with_centres(tsunagu().profile)
    if form.validate_on_submit():
        try:
            with transaction() as db_session:
                account = account_or_404(db_session, account_id)
                changed = accounts_service(db_session).update(
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


@bp.post("/staff/<dbid:account_id>/password")
@requires(MANAGE_ACCOUNTS)
def staff_reset_password(account_id: int):  # noqa: ANN201
    """Set a new password for a member of staff who forgot theirs."""
    form = PasswordResetForm(prefix="reset")
    if form.validate_on_submit():
        try:
            with transaction() as db_session:
                account = account_or_404(db_session, account_id)
                accounts_service(db_session).reset_password(account, form.password.data)
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
                account = account_or_404(db_session, account_id)
                change(accounts_service(db_session), account)
                audit(action, account, session=db_session)
        except AccountError as error:
            flash(gettext(error.message), "error")
        else:
            flash(done, "success")
    return redirect(url_for("admin.staff_edit", account_id=account_id))


@bp.post("/staff/<dbid:account_id>/deactivate")
@requires(MANAGE_ACCOUNTS)
def staff_deactivate(account_id: int):  # noqa: ANN201
    """Stop an account from logging in (it stays in the audit log)."""
    return _staff_action(account_id, lambda staff, account: staff.deactivate(account, by=current_user.id),
                         "staff.deactivate", gettext("アカウントを無効にしました。"))


@bp.post("/staff/<dbid:account_id>/reactivate")
@requires(MANAGE_ACCOUNTS)
def staff_reactivate(account_id: int):  # noqa: ANN201
    """Let a deactivated account log in again."""
    return _staff_action(account_id, lambda staff, account: staff.reactivate(account),
                         "staff.reactivate", gettext("アカウントを再び有効にしました。"))


@bp.post("/staff/<dbid:account_id>/unlock")
@requires(MANAGE_ACCOUNTS)
def staff_unlock(account_id: int):  # noqa: ANN201
    """Lift the wait after failed logins of this account before it runs out."""
    return _staff_action(account_id,
                         lambda staff, account: LoginThrottles(staff.session, admin_state()).forget_account(account.id),
                         "staff.unlock", gettext("ログインの待ち時間を解除しました。"))


@bp.post("/staff/<dbid:account_id>/two-factor/reset")
@requires(MANAGE_ACCOUNTS)
def staff_reset_two_factor(account_id: int):  # noqa: ANN201
    """Forget a colleague's second factor (a lost phone); they set it up again at their next login."""
    return _staff_action(account_id, lambda staff, account: staff.reset_second_factor(account, by=current_user.id),
                         "staff.two_factor_reset",
                         gettext("二段階認証をリセットしました。本人は次のログインで設定し直します。"))


def _staff_form(account: StaffAccount) -> StaffForm:
    form = StaffForm(formdata=None, obj=account).with_centres(tsunagu().profile)
    form.centres.data = account.centre_codes
    return form


def _render_staff_page(account_id: int, *, form: StaffForm | None = None,
                       reset_form: PasswordResetForm | None = None):  # noqa: ANN202
    """The account page, showing the forms as sent when one of them was refused."""
    with transaction() as db_session:
        account = account_or_404(db_session, account_id)
        throttles = LoginThrottles(db_session, admin_state())
        wait = throttles.wait([account_key(account.id, account.email)], admin_state().now())
    return render_template(
        "admin/staff_form.html",
        form=form or _staff_form(account),
        account=account,
        reset_form=reset_form or PasswordResetForm(prefix="reset", formdata=None),
        locked=wait is not None,
        is_self=account.id == current_user.id,
    )


def _waiting_accounts(waits) -> set[int]:  # noqa: ANN001
    """The ids of the accounts whose logins wait now."""
    return {int(row.value) for row in waits if row.kind == ACCOUNT and row.value.isdigit()}
