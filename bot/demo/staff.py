"""Demo staff accounts for trying the admin view locally (``make run``)."""
from __future__ import annotations

from flask import Flask
from sqlalchemy import select

from admin.accounts import StaffAccounts
from admin.sessions import StaffSessions
from bot.models import StaffAccount
from bot.models.staff import ADMIN, CENTRE_STAFF, COORDINATOR

# Printed by `make run`. Demo data is refused on a real LINE channel, and so
# are logins to these accounts (admin/demo_guard.py): this password never
# opens a production system.
DEMO_PASSWORD = "tsunagu-demo-2026"
DEMO_EMAILS = ("centre@example.jp", "coordinator@example.jp", "admin@example.jp")
DEMO_EMAILS += ("sc@example.jp",)  # 住民支え合い's SC (生活支援コーディネーター), made by bot/demo/mutual_aid.py
# Not a hash werkzeug can match: no password opens a removed demo account.
_NO_PASSWORD = "!removed-demo-account"


def load_demo_staff(app: Flask) -> list[str]:
    """Create one account per role (idempotently) and say how to log in."""
    if app.config["REAL_CHANNEL"]:
        return ["demo staff accounts: not created, a real LINE channel is configured"]
    tsunagu = app.extensions["tsunagu"]
    profile = tsunagu.profile
    first_centre = profile.centres[0]
    wanted = [
        (DEMO_EMAILS[0], f"{first_centre.short_name} センター職員（デモ）", CENTRE_STAFF, [first_centre.code]),
        (DEMO_EMAILS[1], "コーディネーター（デモ）", COORDINATOR, []),
        (DEMO_EMAILS[2], "管理者（デモ）", ADMIN, []),
    ]
    lines = [f"Staff admin demo accounts (password: {DEMO_PASSWORD}):"]
    with tsunagu.db.transaction() as session:
        staff = StaffAccounts(session, profile, app.extensions["tsunagu_admin"].passwords)
        for email, name, role, centres in wanted:
            if staff.by_email(email) is None:
                staff.create(email=email, name=name, role=role, centres=centres, password=DEMO_PASSWORD)
            lines.append(f"  {role:<13} {email}")
    lines.append("  (coordinator and admin set up a second factor at first login: any authenticator app)")
    return lines


def remove_demo_staff(app: Flask) -> list[str]:
    """Close the demo accounts for good: deactivated, no password opens them, their sessions ended.

    They are kept, not deleted, like every account (the audit log keeps
    naming who did what during the trial).
    """
    tsunagu = app.extensions["tsunagu"]
    with tsunagu.db.transaction() as session:
        accounts = list(session.scalars(select(StaffAccount).where(StaffAccount.email.in_(DEMO_EMAILS))))
        for account in accounts:
            account.active = False
            account.password_hash = _NO_PASSWORD
            StaffSessions(session).end_all(account)
    if not accounts:
        return ["demo staff accounts: none found"]
    return [f"demo staff accounts removed (deactivated, no password opens them): "
            f"{', '.join(sorted(account.email for account in accounts))}"]
