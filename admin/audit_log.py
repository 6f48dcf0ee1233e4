"""The audit log page (administrators)."""
from __future__ import annotations

from datetime import date

from flask import render_template, request
from flask_babel import gettext
from wtforms import SelectChoice

from admin.audit import ACTION_LABELS, TARGET_LABELS, AuditFilter, AuditLogQuery, audit, receipt_number
from admin.blueprint import bp, transaction, tsunagu
from admin.forms import AuditFilterForm
from admin.pagination import paginate, requested_page
from admin.scope import VIEW_AUDIT, requires
from admin.settings import admin_state
from admin.staff import accounts_service


@bp.get("/audit/")
@requires(VIEW_AUDIT)
def audit_log():  # noqa: ANN201
    """Browse the audit log, newest first, filtered by who, what, when and which record."""
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
        # Only values the page offers reach the query and the audit entry: a forged one is dropped.
        actor_ids = {str(a.id): a.id for a in accounts}
        receipt = receipt_number(form.receipt.data)
        example = f"{tsunagu().profile.receipt_prefix}-{admin_state().now().year}-000010"
        if form.receipt.data and receipt is None:
            form.receipt.errors = [gettext("受付番号の形式が正しくありません（例：%(example)s）。", example=example)]
        wanted = AuditFilter(
            actor_id=actor_ids.get(form.actor.data or ""),
            action=form.action.data if form.action.data in actions else None,
            date_from=_day(form.date_from),
            date_to=_day(form.date_to),
            receipt=receipt,
        )
        page = paginate(db_session, query.statement(wanted), requested_page(), admin_state().page_size)
        audit("audit.view", session=db_session, page=page.number, **wanted.as_details())
    return render_template("admin/audit.html", form=form, page=page, action_labels=ACTION_LABELS,
                           target_labels=TARGET_LABELS, receipt_example=example)


# Days the audit log can hold; a date outside them is a typing slip (or a probe), not a filter.
_FIRST_DAY, _LAST_DAY = date(2000, 1, 1), date(2999, 12, 31)


def _day(field) -> date | None:  # noqa: ANN001
    """The field's date when it is a real one within the log's years; else None, marked as an error."""
    if field.errors or field.data is None:
        return None
    if not _FIRST_DAY <= field.data <= _LAST_DAY:
        field.errors = [gettext("日付の形式が正しくありません。")]
        return None
    return field.data
