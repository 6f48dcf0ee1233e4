"""Forms of the intake queue and the record page. Every posted form carries a CSRF token."""
from __future__ import annotations

from flask_babel import gettext
from flask_babel import lazy_gettext as _
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional

from admin import names
from admin.forms import DayField, _at_most, _required
from bot.models.intake import RecordStatus
from bot.municipality import Municipality
from bot.services.record_queue import ALL, ME, NO_CENTRE, NOBODY, OPEN, OVERDUE, URGENT
from bot.services.workflow import AGENCIES, MAX_MESSAGE, MAX_TEXT, QUIET_REASONS, STATUS_LABELS

URGENCY_LABELS = {"now": _("今すぐ"), "days": _("数日のうちに"), "anytime": _("いつでもよい")}


class QueueFilterForm(FlaskForm):
    """The queue's filters, sent by GET (no CSRF token: it changes nothing)."""

    class Meta:
        csrf = False

    status = SelectField(_("状態"), choices=[], validate_choice=False)
    centre = SelectField(_("センター"), choices=[], validate_choice=False)
    category = SelectField(_("分類"), choices=[], validate_choice=False)
    urgency = SelectField(_("緊急度"), choices=[], validate_choice=False)
    assignee = SelectField(_("担当者"), choices=[], validate_choice=False)
    date_from = DayField(_("受付日（から）"), validators=[Optional()])
    date_to = DayField(_("受付日（まで）"), validators=[Optional()])
    q = StringField(_("受付番号・内容・名前・電話番号で検索"), validators=[Optional(), Length(max=100)])
    triage = BooleanField(_("振り分け待ちのみ"))
    due = SelectField(_("次回確認日"), choices=[], validate_choice=False)

    def with_choices(self, profile: Municipality, centre_codes: frozenset[str], triage: bool,
                     staff: list[tuple[int, str]]) -> QueueFilterForm:
        self.status.choices = [SelectChoice(OPEN, gettext("未完了（すべて）")), SelectChoice(ALL, gettext("すべての状態"))] + [
            SelectChoice(status, gettext(STATUS_LABELS[status])) for status in RecordStatus.ALL]
        self.centre.choices = [SelectChoice("", gettext("すべてのセンター"))] + [
            SelectChoice(c.code, names.centre_name(profile, c.code, short=True))
            for c in profile.centres if c.code in centre_codes]
        if triage:
            self.centre.choices.append(SelectChoice(NO_CENTRE, gettext("未振り分け（地区不明・差し戻し）")))
        self.category.choices = [SelectChoice("", gettext("すべての分類"))] + [
            SelectChoice(c.code, names.category_label(profile, c.code)) for c in profile.categories]
        self.urgency.choices = [SelectChoice("", gettext("すべての緊急度")), SelectChoice(URGENT, gettext("緊急のみ"))] + [
            SelectChoice(code, str(label)) for code, label in URGENCY_LABELS.items()]
        self.assignee.choices = [SelectChoice("", gettext("すべての担当者")), SelectChoice(ME, gettext("自分")),
                                 SelectChoice(NOBODY, gettext("未設定"))] + [
            SelectChoice(str(ident), name) for ident, name in staff]
        self.due.choices = [SelectChoice("", gettext("指定しない")), SelectChoice(OVERDUE, gettext("確認日を過ぎたもの"))]
        return self


class TransitionForm(FlaskForm):
    """A workflow button without anything to type (確認済み, 受け入れ, 完了, 再開...)."""


class CloseForm(FlaskForm):
    """完了, on its own confirmation page: the outcome, and whether the resident is told by LINE."""

    outcome = SelectField(_("完了の理由（結果）"), choices=[], validate_choice=True,
                          validators=[DataRequired(message=_("完了の理由（結果）を選んでください。"))])
    tell = SelectField(_("本人へのお知らせ"), default="yes", validate_choice=True, choices=[
        SelectChoice("yes", _("LINEで本人に完了を知らせる")), SelectChoice("no", _("知らせない"))])
    quiet_reason = SelectField(_("知らせない理由"), choices=[], default="", validate_choice=True)

    def with_outcomes(self, profile: Municipality, status: str) -> CloseForm:
        """The profile's outcomes; a record still 新規 offers only those allowed there (duplicates)."""
        locale = names.staff_locale()
        self.outcome.choices = [SelectChoice("", gettext("（選んでください）"))] + [
            SelectChoice(o.code, o.text_in(locale)) for o in profile.outcomes
            if status != RecordStatus.NEW or o.from_new]
        self.quiet_reason.choices = [SelectChoice("", gettext("（知らせるときは選びません）"))] + [
            SelectChoice(code, gettext(label)) for code, label in QUIET_REASONS.items()]
        return self


class ReopenForm(FlaskForm):
    """再開: the resident is told only when staff choose to."""

    tell = BooleanField(_("本人にLINEで再開を知らせる"))


class ForwardForm(FlaskForm):
    centre = SelectField(_("転送先のセンター"), choices=[], validate_choice=True,
                         validators=[DataRequired(message=_("転送先のセンターを選んでください。"))])
    note = TextAreaField(_("転送先へのメモ（任意）"), validators=[Optional(), _at_most(MAX_TEXT)])

    def with_centres(self, profile: Municipality, current: str | None, suggested: str | None) -> ForwardForm:
        """Offer the other centres, the suggested one marked; none is chosen until staff choose one."""
        self.centre.choices = [SelectChoice("", gettext("（転送先を選んでください）"))] + [
            SelectChoice(c.code, c.name + (gettext("（地区からの候補）") if c.code == suggested else ""))
            for c in profile.centres if c.code != current]
        return self


class ReasonForm(FlaskForm):
    """差し戻し and エスカレーション: a reason is required."""

    reason = TextAreaField(_("理由"), validators=[_required(), _at_most(MAX_TEXT)])


class AssignForm(FlaskForm):
    assignee = SelectField(_("担当者"), choices=[], validate_choice=True)

    def with_staff(self, staff: list[tuple[int, str]]) -> AssignForm:
        self.assignee.choices = [SelectChoice("", gettext("未設定"))] + [
            SelectChoice(str(ident), name) for ident, name in staff]
        return self


class FollowUpForm(FlaskForm):
    """次回確認日: the day to look at the record again (empty: none)."""

    on = DayField(_("次回確認日"), validators=[Optional()])


class NoteForm(FlaskForm):
    body = TextAreaField(_("職員メモ（本人には見えません）"), validators=[_required(), _at_most(MAX_TEXT)])


class PlanForm(FlaskForm):
    """支援プラン: 支援方針, 提供サービス, 関係機関, 見直し日."""

    policy = TextAreaField(_("支援方針"), validators=[_required(), _at_most(MAX_TEXT)])
    services = TextAreaField(_("提供サービス・制度・事業"), validators=[Optional(), _at_most(MAX_TEXT)])
    agencies = SelectMultipleField(_("関係機関"), choices=[], validate_choice=True)
    review_on = DayField(_("見直し日（任意）"), validators=[Optional()])

    def with_agencies(self) -> PlanForm:
        self.agencies.choices = [SelectChoice(code, gettext(label)) for code, label in AGENCIES.items()]
        return self


class MessageForm(FlaskForm):
    template = SelectField(_("定型文"), choices=[], validate_choice=False)
    body = TextAreaField(_("本人へのメッセージ（LINE）"), validators=[_required(), _at_most(MAX_MESSAGE)])
