"""The audit log page (administrators)."""
from __future__ import annotations

from flask import render_template, request
from flask_babel import gettext
from wtforms import SelectChoice

from admin.audit import ACTION_LABELS, TARGET_LABELS, AuditFilter, AuditLogQuery, audit
from admin.blueprint import bp, transaction, tsunagu
from admin.forms import AuditFilterForm
from admin.pagination import paginate, requested_page
from admin.scope import VIEW_AUDIT, requires
from admin.settings import admin_state
from admin.staff import accounts_service
from bot.bounds import database_id


@bp.get("/audit/")
@requires(VIEW_AUDIT)
def audit_log():  # noqa: ANN201
    """Browse the audit log, newest first, filtered by who, what and when."""
    form = AuditFilterForm(formdata=request.args)
    form.validate()
    with transaction() as db_session:
        accounts = accounts_service(db_session).all()
        query = AuditLogQuery(db_session, tsunagu().profile.timezone)
        form.actor.choices = [SelectChoice("", gettext("すべての職員"))] + [
            SelectChoice(str(a.id), a.name) for a in accounts]
        actions = sorted(set(ACTION_LABELS) | set(query.actions_in_use()))
        form.action.choices = [SelectChoice("", gettext("すべての操作"))] + [
            SelectChoice(code, gettext(ACTION_LABELS[code]) if code in ACTION_LABELS else code) for code in actions]
        wanted = AuditFilter(
            actor_id=database_id(form.actor.data),
            action=form.action.data if form.action.data in actions else None,
            date_from=None if form.date_from.errors else form.date_from.data,
            date_to=None if form.date_to.errors else form.date_to.data,
        )
        page = paginate(db_session, query.statement(wanted), requested_page(), admin_state().page_size)
        audit("audit.view", session=db_session, page=page.number, **wanted.as_details())
    return render_template("admin/audit.html", form=form, page=page, action_labels=ACTION_LABELS,
                           target_labels=TARGET_LABELS)
