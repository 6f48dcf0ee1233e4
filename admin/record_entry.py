"""相談の登録（電話・窓口）: staff enter a consultation taken by phone or at the counter.

Not everyone uses LINE: an elderly resident phones the centre, or comes to
the counter. The record then joins the same queue and workflow as those from
LINE, counted under its channel (受付経路) in the figures. Centre staff file
it at their own centre; the coordinator at a centre, or where the area routes
it. The person's spoken agreement to the record is required, as on LINE.
"""
from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext
from flask_babel import lazy_gettext as _
from flask_wtf import FlaskForm
from wtforms import BooleanField, RadioField, SelectChoice, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, Optional, ValidationError

from admin import names
from admin.audit import audit, register_action
from admin.blueprint import bp, transaction, tsunagu
from admin.forms import _at_most, _required
from admin.record_forms import URGENCY_LABELS
from admin.records import SUBJECT_LABELS
from admin.scope import VIEW_RECORDS, current_scope, requires
from bot.i18n import N_
from bot.services.intake import Answers, IntakeService
from bot.services.phone import InvalidPhone, normalise_phone
from bot.services.workflow import MAX_TEXT
from bot.tasks.workflow import email_urgent_record, smtp_configured

register_action("records.create", N_("電話・窓口の相談を登録"), "intake_records", N_("相談記録"))
BY_AREA = ""  # the coordinator's choice: the centre the area routes to


def _phone(form: FlaskForm, field: StringField) -> None:
    if field.data:
        try:
            normalise_phone(field.data)
        except InvalidPhone:
            raise ValidationError(gettext("電話番号を確かめてください（例：0246-22-1111）。")) from None


class RecordEntryForm(FlaskForm):
    channel = RadioField(_("受付経路"), choices=[SelectChoice("phone", _("電話")), SelectChoice("counter", _("窓口"))],
                         validators=[DataRequired(message=_("電話か窓口かを選んでください。"))])
    centre = SelectField(_("受け付けたセンター"), choices=[], validate_choice=True)
    subject = SelectField(_("誰の相談か"), choices=[SelectChoice(code, _(label)) for code, label in SUBJECT_LABELS.items()],
                          validators=[DataRequired()])
    person_name = StringField(_("ご本人の名前（任意）"), validators=[Optional(), _at_most(100)])
    relation = StringField(_("相談した人（ご本人以外のとき：続柄や名前）"), validators=[Optional(), _at_most(50)])
    phone = StringField(_("連絡先の電話番号（任意）"), validators=[Optional(), _at_most(20), _phone])
    area = SelectField(_("地区"), choices=[], validate_choice=True)
    categories = SelectMultipleField(_("分類（いくつでも）"), choices=[], validate_choice=True)
    urgency = SelectField(_("緊急度"), choices=[SelectChoice(code, label) for code, label in URGENCY_LABELS.items()],
                          default="days", validators=[DataRequired()])
    details = TextAreaField(_("相談の内容"), validators=[_required(), _at_most(MAX_TEXT)])
    consent = BooleanField(_("相談を記録することに、ご本人（または相談した人）が同意した"),
                           validators=[DataRequired(message=_("記録への同意を確かめてから登録してください。"))])

    def with_choices(self) -> RecordEntryForm:
        profile, scope = tsunagu().profile, current_scope()
        centres = [SelectChoice(c.code, names.centre_name(profile, c.code)) for c in profile.centres
                   if c.code in scope.centre_codes]
        self.centre.choices = ([SelectChoice(BY_AREA, gettext("地区から振り分ける"))] if scope.sees_all_centres
                               else []) + centres
        self.area.choices = [SelectChoice("", gettext("わからない"))] + [
            SelectChoice(a.code, names.area_name(profile, a.code)) for a in profile.areas]
        self.categories.choices = [SelectChoice(c.code, names.category_label(profile, c.code))
                                   for c in profile.categories]
        return self


@bp.route("/records/new", methods=["GET", "POST"])
@requires(VIEW_RECORDS)
def record_new():  # noqa: ANN201
    form = RecordEntryForm(prefix="entry").with_choices()
    if not form.centre.choices:  # centre staff with no centre: nowhere to file it
        flash(gettext("所属センターが設定されていません。管理者に連絡してください。"), "error")
        return redirect(url_for("admin.record_list"))
    if not form.validate_on_submit():
        status = 400 if form.is_submitted() else 200
        return render_template("admin/records/new.html", form=form), status
    answers = Answers(subject=form.subject.data, categories=form.categories.data, area_code=form.area.data or None,
                      urgency=form.urgency.data, phone=form.phone.data or None,
                      person_name=form.person_name.data, relation=form.relation.data)
    with transaction() as db_session:
        record = IntakeService(db_session, tsunagu().profile).take_by_staff(
            form.channel.data, answers, form.details.data, centre_code=form.centre.data or None)
        audit("records.create", record, session=db_session, channel=form.channel.data)
        record_id, receipt, urgent = record.id, record.receipt_number, record.urgent
    if urgent and smtp_configured(tsunagu().config):
        email_urgent_record(record_id)
    flash(gettext("受け付けました（受付番号 %(receipt)s）。", receipt=receipt), "success")
    return redirect(url_for("admin.record_view", record_id=record_id))
