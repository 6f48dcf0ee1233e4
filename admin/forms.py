"""Forms of the admin view. Every form posted carries a CSRF token (Flask-WTF).

Labels and messages are lazy: they are translated when a page is drawn, in
the language of the member of staff who reads it.
"""
from __future__ import annotations

from flask_babel import gettext
from flask_babel import lazy_gettext as _
from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    DateTimeLocalField,
    PasswordField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
)
from wtforms.validators import DataRequired, EqualTo, Length, Optional, ValidationError

from admin.scope import ROLE_LABELS
from admin.settings import MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH
from bot.bounds import EARLIEST_DATE, LATEST_DATE, within_dates
from bot.i18n import LANGUAGE_NAMES, STAFF_LOCALES
from bot.models.staff import ROLES
from bot.services.households import RELATIONSHIPS


def _required() -> DataRequired:
    return DataRequired(message=_("入力してください。"))


def _at_most(characters: int) -> Length:
    return Length(max=characters, message=_("%(max)d文字以内で入力してください。"))


def _password_length() -> Length:
    return Length(min=MIN_PASSWORD_LENGTH, max=MAX_PASSWORD_LENGTH,
                  message=_("パスワードは%(min)d文字以上、%(max)d文字以内にしてください。"))


class _WithinDates:
    """A date the service can handle: a day in year 1 or 9999 is refused on the field, not a 500."""

    def pre_validate(self, form) -> None:  # noqa: ANN001
        super().pre_validate(form)
        if not within_dates(self.data):
            raise ValidationError(_("%(first)d年から%(last)d年までの日付を入力してください。",
                                    first=EARLIEST_DATE.year, last=LATEST_DATE.year))


class DayField(_WithinDates, DateField):
    """A date (YYYY-MM-DD) within the years the service handles."""

    def __init__(self, *args, invalid_value_message=None, **kwargs) -> None:  # noqa: ANN001, ANN002, ANN003
        super().__init__(*args, invalid_value_message=invalid_value_message or _("日付の形式が正しくありません。"),
                         **kwargs)


class MomentField(_WithinDates, DateTimeLocalField):
    """A date and time within the years the service handles."""


class ConfirmForm(FlaskForm):
    """A button that changes something (log out, deactivate): only the CSRF token."""


class LoginForm(FlaskForm):
    email = StringField(_("メールアドレス"), validators=[_required(), Length(max=254)])
    password = PasswordField(_("パスワード"), validators=[_required(), Length(max=MAX_PASSWORD_LENGTH)])


class CodeForm(FlaskForm):
    """A code from the authenticator app (6 digits), or at login also a recovery code."""

    code = StringField(_("確認コード"), validators=[_required(), Length(max=32)])


class StaffForm(FlaskForm):
    """An account's details, as an administrator edits them."""

    name = StringField(_("氏名"), validators=[_required(), _at_most(100)])
    email = StringField(_("メールアドレス"), validators=[_required(), _at_most(254)])
    role = SelectField(_("役割"), choices=[SelectChoice(role, _(ROLE_LABELS[role])) for role in ROLES],
                       validators=[_required()])
    centres = SelectMultipleField(_("所属センター"), choices=[], validate_choice=True)

    def with_centres(self, profile) -> StaffForm:  # noqa: ANN001
        """Offer the city's centres as choices."""
        self.centres.choices = [SelectChoice(centre.code, centre.name) for centre in profile.centres]
        return self


class NewStaffForm(StaffForm):
    password = PasswordField(_("初期パスワード"), validators=[_required(), _password_length()])


class PasswordResetForm(FlaskForm):
    password = PasswordField(_("新しいパスワード"), validators=[_required(), _password_length()])
    confirm = PasswordField(_("新しいパスワード（確認）"), validators=[
        _required(), EqualTo("password", message=_("確認のパスワードが一致しません。"))])


class PasswordChangeForm(PasswordResetForm):
    current = PasswordField(_("現在のパスワード"), validators=[_required()])


class LocaleForm(FlaskForm):
    locale = SelectField(
        _("表示言語"),
        choices=[SelectChoice("", _("ブラウザーの設定に合わせる"))]
        + [SelectChoice(code, LANGUAGE_NAMES[code]) for code in STAFF_LOCALES],
        validate_choice=True,
    )


class AuditFilterForm(FlaskForm):
    """The audit browser's filters, sent by GET (no CSRF token: it changes nothing)."""

    class Meta:
        csrf = False

    actor = SelectField(_("職員"), choices=[], coerce=str, validate_choice=False)
    action = SelectField(_("操作"), choices=[], coerce=str, validate_choice=False)
    date_from = DayField(_("開始日"), validators=[Optional()])
    date_to = DayField(_("終了日"), validators=[Optional()])
    receipt = StringField(_("受付番号"), validators=[Optional(), Length(max=32)])


class HouseholdForm(FlaskForm):
    """世帯への登録: the resident's relationship, and a receipt number to join that resident's household."""

    relationship = SelectField(_("続柄"), choices=[], validate_choice=True)
    receipt = StringField(_("同じ世帯の方の受付番号（空欄なら新しい世帯を作成）"),
                          validators=[Optional(), Length(max=32, message=_("受付番号を確認してください。"))])

    def with_relationships(self) -> HouseholdForm:
        self.relationship.choices = [SelectChoice(code, gettext(label)) for code, label in RELATIONSHIPS.items()]
        return self


class LeaveHouseholdForm(FlaskForm):
    """世帯から外す: a button without anything to type."""
