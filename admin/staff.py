"""Staff accounts (administrators): list, create, edit, reset a password, deactivate, unlock."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user

from admin.accounts import AccountError, StaffAccounts
from admin.audit import audit
from admin.blueprint import bp, transaction, tsunagu
from admin.forms import ConfirmForm, NewStaffForm, PasswordResetForm, StaffForm
from admin.names import centre_name
from admin.scope import MANAGE_ACCOUNTS, requires
from admin.settings import admin_state
from bot.models import StaffAccount


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
    with transaction() as db_session:
        accounts = accounts_service(db_session).all()
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
    """Lift a lockout after failed logins before it runs out."""
    return _staff_action(account_id, lambda staff, account: staff.unlock(account),
                         "staff.unlock", gettext("ロックを解除しました。"))


def _staff_form(account: StaffAccount) -> StaffForm:
    form = StaffForm(formdata=None, obj=account).with_centres(tsunagu().profile)
    form.centres.data = account.centre_codes
    return form


def _render_staff_page(account_id: int, *, form: StaffForm | None = None,
                       reset_form: PasswordResetForm | None = None):  # noqa: ANN202
    """The account page, showing the forms as sent when one of them was refused."""
    with transaction() as db_session:
        account = account_or_404(db_session, account_id)
    return render_template(
        "admin/staff_form.html",
        form=form or _staff_form(account),
        account=account,
        reset_form=reset_form or PasswordResetForm(prefix="reset", formdata=None),
        locked=account.is_locked(admin_state().now()),
        is_self=account.id == current_user.id,
    )
