"""Pages of the response templates (定型文): the texts staff can start a LINE message to a
resident from. Administrators keep them; the record page offers them (see
:class:`ResponseTemplates` for which ones it offers).
"""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_babel import lazy_gettext as _
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectChoice, SelectField, StringField, TextAreaField

from admin import names
from admin.audit import audit, register_action
from admin.forms import _at_most, _required
from admin.scope import MANAGE_ACCOUNTS, requires
from admin.blueprint import bp, transaction, tsunagu
from bot.i18n import DEFAULT_LOCALE, LANGUAGE_NAMES, N_, SUPPORTED_LOCALES
from bot.municipality import Municipality
from bot.services.response_templates import ResponseTemplates, TemplateError
from bot.services.workflow import MAX_MESSAGE

register_action("templates.list", N_("定型文一覧の閲覧"))
register_action("templates.create", N_("定型文の作成"))
register_action("templates.update", N_("定型文の変更"), "response_templates", N_("定型文"))


class TemplateForm(FlaskForm):
    """A response template (定型文), as an administrator edits it."""

    category = SelectField(_("分類"), choices=[], validate_choice=True)
    language = SelectField(_("言語"), choices=[SelectChoice(code, LANGUAGE_NAMES[code]) for code in SUPPORTED_LOCALES],
                           default=DEFAULT_LOCALE, validate_choice=True,
                           description=_("相談者の言語の定型文が記録の画面に出ます（なければ日本語のもの）。"))
    title = StringField(_("題名"), validators=[_required(), _at_most(100)])
    body = TextAreaField(_("本文"), validators=[_required(), _at_most(MAX_MESSAGE)])
    active = BooleanField(_("使用する"), default=True)

    def with_categories(self, profile: Municipality) -> TemplateForm:
        self.category.choices = [SelectChoice("", gettext("すべての分類"))] + [
            SelectChoice(c.code, names.category_label(profile, c.code)) for c in profile.categories]
        return self


@bp.get("/templates/")
@requires(MANAGE_ACCOUNTS)
def template_list():  # noqa: ANN201
    """List the response templates (定型文)."""
    profile = tsunagu().profile
    with transaction() as db_session:
        templates = ResponseTemplates(db_session, profile).all()
        audit("templates.list", session=db_session, count=len(templates))
        labels = {c.code: names.category_label(profile, c.code) for c in profile.categories}
        return render_template("admin/response_templates/list.html", templates=templates, labels=labels,
                               languages=LANGUAGE_NAMES)


@bp.route("/templates/new", methods=["GET", "POST"])
@bp.route("/templates/<dbid:template_id>", methods=["GET", "POST"])
@requires(MANAGE_ACCOUNTS)
def template_edit(template_id: int | None = None):  # noqa: ANN201
    """Create or change a response template."""
    profile = tsunagu().profile
    with transaction() as db_session:
        template = ResponseTemplates(db_session, profile).get(template_id) if template_id else None
        if template_id and template is None:
            abort(404)
        data = ({"category": template.category_code or "", "title": template.title, "body": template.body,
                 "active": template.active, "language": template.locale} if template else None)
    form = TemplateForm(data=data if request.method == "GET" else None).with_categories(profile)
    if form.validate_on_submit():
        try:
            with transaction() as db_session:
                templates = ResponseTemplates(db_session, profile)
                saved = templates.save(templates.get(template_id) if template_id else None,
                                       category=form.category.data or None, title=form.title.data,
                                       body=form.body.data, active=form.active.data, locale=form.language.data)
                audit("templates.update" if template_id else "templates.create", saved, session=db_session,
                      category=saved.category_code, active=saved.active)
        except TemplateError as error:
            flash(gettext(error.message), "error")
        else:
            flash(gettext("定型文を保存しました。"), "success")
            return redirect(url_for("admin.template_list"))
    return render_template("admin/response_templates/form.html", form=form, template_id=template_id)
