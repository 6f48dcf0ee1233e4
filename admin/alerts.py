"""Alerts on every admin page: a record in one's scope became urgent (緊急).

Each page of staff who see records polls :func:`alert_poll` (admin/static/admin/alerts.js):
a danger message on a record, or a new urgent record, shows a banner with
the receipt number and a link, and a browser notification when the member
of staff allowed them. The email to the desk is the worker's
(``bot.tasks.workflow.email_urgent_record``).
"""
from __future__ import annotations

from flask import jsonify, request, url_for
from flask_babel import gettext
from flask_login import current_user

from admin.audit import audit, register_action
from admin.auth import passive
from admin.blueprint import bp, transaction, tsunagu
from admin.scope import VIEW_RECORDS, current_scope, requires
from bot.bounds import database_id
from bot.i18n import N_
from bot.services.record_queue import RecordQueue

register_action("records.alert", N_("緊急の受付の通知"), "intake_records", N_("相談記録"))


@bp.context_processor
def alert_context() -> dict:
    """Where the pages of staff who see records ask for alerts, and how often."""
    if not current_user.is_authenticated or not current_scope().can(VIEW_RECORDS):
        return {"alert_poll": None}
    return {"alert_poll": {"url": url_for("admin.alert_poll"),
                           "seconds": tsunagu().config["ALERT_POLL_SECONDS"]}}


@bp.get("/alerts")
@passive
@requires(VIEW_RECORDS)
def alert_poll():  # noqa: ANN201
    """Say which records in scope became urgent since the page last asked (polled; not activity)."""
    after_message = _cursor("m")
    after_record = _cursor("r")
    with transaction() as db_session:
        records, message_cursor, record_cursor = RecordQueue(db_session, tsunagu().profile).alerts(
            current_scope(), after_message, after_record)
        alerts = [{"id": record.id, "receipt": record.receipt_number, "url": url_for("admin.record_view", record_id=record.id),
                   "text": gettext("緊急：受付 %(receipt)s に身の危険を示すメッセージが届いています。",
                                   receipt=record.receipt_number)}
                  for record in records]
        if alerts:
            audit("records.alert", session=db_session, receipts=[alert["receipt"] for alert in alerts])
    return jsonify(m=message_cursor, r=record_cursor, alerts=alerts, title=gettext("つなぐ：緊急の受付"),
                   open=gettext("開く"))


def _cursor(name: str) -> int | None:
    """A cursor the page was given (0 is a real one: nothing yet); None when absent or not an id."""
    value = request.args.get(name)
    if value == "0":
        return 0
    return database_id(value)
