"""The start page: what waits for one (counts that open the queue), one's centres, and what the role can open."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from flask import render_template, session

from admin.audit import AuditLogQuery
from admin.auth import PREVIOUS_LOGIN
from admin.blueprint import bp, transaction, tsunagu
from admin.mutual_aid import board_counts
from admin.names import area_name
from admin.dates import city_today
from admin.scope import MANAGE_ACCOUNTS, MATCH_HELP, VIEW_RECORDS, current_scope
from admin.settings import admin_state
from admin.staff import accounts_service
from admin.throttle import ACCOUNT, LoginThrottles
from bot.services.record_queue import RecordQueue


@bp.get("/")
def dashboard():  # noqa: ANN201
    """Show the start page: one's centres, and what the role can open."""
    scope = current_scope()
    profile = tsunagu().profile
    centres = [centre for centre in profile.centres if centre.code in scope.centre_codes]
    areas = {area.code: area_name(profile, area.code) for area in profile.areas}
    accounts = counts = None
    if scope.can(VIEW_RECORDS):
        with transaction() as db_session:
            counts = RecordQueue(db_session, profile).summary(scope, scope.account_id, city_today())
    help_counts = board_counts() if scope.can(MATCH_HELP) else None
    if scope.can(MANAGE_ACCOUNTS):
        now = admin_state().now()
        with transaction() as db_session:
            staff = accounts_service(db_session)
            waiting = [int(row.value) for row in LoginThrottles(db_session, admin_state()).waiting(now)
                       if row.kind == ACCOUNT and row.value.isdigit()]
            accounts = {
                "by_role": staff.counts_by_role(),
                "locked": [(a.id, a.name) for a in staff.all() if a.id in waiting],
                "failed_logins": AuditLogQuery(db_session, profile.timezone).failures_since(now - timedelta(days=1)),
            }
    previous_login = session.get(PREVIOUS_LOGIN)
    return render_template(
        "admin/dashboard.html",
        centres=centres,
        areas=areas,
        coordinator=profile.coordinator if scope.is_coordinator else None,
        accounts=accounts,
        counts=counts,
        help_counts=help_counts,
        city=profile.name,
        previous_login=datetime.fromtimestamp(previous_login, timezone.utc) if previous_login else None,
    )

