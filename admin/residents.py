"""The resident page (本人ページ) and households (世帯).

One resident's whole story as the staff member's scope allows: every
record's receipt number, centre and status (contents only of those in
scope), the thread across the records in scope, event sign-ups, flags,
consents and the household. The rules live in services
(bot/services/residents.py, households.py); who may read what in
admin/scope.py. Views and changes are audited with codes only.
"""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext
from flask_login import current_user

from admin import names
from admin.audit import audit, register_action
from admin.blueprint import bp, transaction, tsunagu
from admin.event_pages import SIGNUP_STATUS_LABELS
from admin.forms import HouseholdForm, LeaveHouseholdForm
from admin.records import SAFE_CONTACT_LABELS, STAFF_LANGUAGE_LABELS, _interpreter_label, _language_label
from admin.scope import VIEW_RECORDS, current_scope, requires
from admin.mutual_aid import resident_help
from admin.watch import resident_watch
from bot.i18n import N_
from bot.models.intake import LegalBasis
from bot.services.households import RELATIONSHIPS, HouseholdError, Households
from bot.services.notices import NoticeSettings
from bot.services.residents import ResidentFiles
from bot.services.workflow import STATUS_LABELS

for _action, _label in [("residents.view", N_("本人ページの閲覧")), ("residents.household", N_("世帯への登録")),
                        ("residents.household_leave", N_("世帯からの削除"))]:
    register_action(_action, _label, "residents", N_("本人"))


@bp.get("/residents/<dbid:resident_id>")
@requires(VIEW_RECORDS)
def resident_view(resident_id: int):  # noqa: ANN201
    """Show one resident's consultations, thread, sign-ups, flags, consents and household."""
    return _render_resident(resident_id)


def _render_resident(resident_id: int, form: HouseholdForm | None = None, status: int = 200):  # noqa: ANN202
    profile = tsunagu().profile
    with transaction() as db_session:
        story = ResidentFiles(db_session, profile).story(current_scope(), resident_id)
        if story is None:
            abort(404)
        audit("residents.view", story.resident, session=db_session, records=len(story.records),
              readable=len(story.readable))
        form = form or HouseholdForm(formdata=None)
        form.with_relationships()
        readable = story.readable_records
        return render_template(
            "admin/residents/resident.html", story=story, resident=story.resident, readable=readable,
            form=form, leave_form=LeaveHouseholdForm(formdata=None),
            status_labels=STATUS_LABELS, signup_status_labels=SIGNUP_STATUS_LABELS, relationships=RELATIONSHIPS,
            centre_name=lambda code: names.centre_name(profile, code, True) if code else gettext("未振り分け"),
            language=_language_label(story.resident.locale),
            interpreters=sorted({label for r in readable if (label := _interpreter_label(r.interpreter))
                                 and r.interpreter != "none"}),
            safe_contacts=sorted({gettext(SAFE_CONTACT_LABELS[r.safe_contact]) for r in readable
                                  if r.safe_contact in SAFE_CONTACT_LABELS}),
            no_contact=any(r.contact_method == "none" for r in readable),
            consents=[r for r in readable if r.consent_at is not None],
            vital_interest=[r for r in readable if r.legal_basis == LegalBasis.VITAL_INTEREST],
            languages=STAFF_LANGUAGE_LABELS,
            notice_settings=NoticeSettings(db_session, profile).described(story.resident),
            **resident_watch(db_session, resident_id),
            **resident_help(db_session, resident_id),
        ), status


@bp.post("/residents/<dbid:resident_id>/household")
@requires(VIEW_RECORDS)
def resident_household(resident_id: int):  # noqa: ANN201
    """Put the resident in a new household, or in the household of another record's resident."""
    form = HouseholdForm().with_relationships()
    if not form.validate_on_submit():
        flash(gettext("入力内容を確認してください。"), "error")
        return _render_resident(resident_id, form, 400)
    scope = current_scope()
    try:
        with transaction() as db_session:
            story = ResidentFiles(db_session, tsunagu().profile).story(scope, resident_id)
            if story is None:
                abort(404)
            member = Households(db_session, tsunagu().profile).link(
                scope, story.resident, form.relationship.data, current_user.id, form.receipt.data or "")
            audit("residents.household", story.resident, session=db_session, household_id=member.household_id,
                  relationship=member.relationship_code, joined=bool(form.receipt.data))
    except HouseholdError as error:
        form.receipt.errors = [gettext(error.message)]
        flash(gettext(error.message), "error")
        return _render_resident(resident_id, form, 400)
    flash(gettext("世帯に登録しました。"), "success")
    return redirect(url_for("admin.resident_view", resident_id=resident_id))


@bp.post("/residents/<dbid:resident_id>/household/leave")
@requires(VIEW_RECORDS)
def resident_household_leave(resident_id: int):  # noqa: ANN201
    """Take the resident out of their household (linked by mistake, or moved out)."""
    if not LeaveHouseholdForm().validate_on_submit():
        flash(gettext("入力内容を確認してください。"), "error")
        return _render_resident(resident_id, status=400)
    try:
        with transaction() as db_session:
            story = ResidentFiles(db_session, tsunagu().profile).story(current_scope(), resident_id)
            if story is None:
                abort(404)
            member = Households(db_session, tsunagu().profile).leave(story.resident)
            audit("residents.household_leave", story.resident, session=db_session, household_id=member.household_id)
    except HouseholdError as error:
        flash(gettext(error.message), "error")
        return _render_resident(resident_id, status=400)
    flash(gettext("世帯から外しました。"), "success")
    return redirect(url_for("admin.resident_view", resident_id=resident_id))
