"""Demo staff accounts for trying the admin view locally (``make run``)."""
from __future__ import annotations

from flask import Flask

from admin.accounts import StaffAccounts
from bot.models.staff import ADMIN, CENTRE_STAFF, COORDINATOR

# Printed by `make run`. Demo data is refused on a real LINE channel, so this
# password never opens a production system.
DEMO_PASSWORD = "tsunagu-demo-2026"


def load_demo_staff(app: Flask) -> list[str]:
    """Create one account per role (idempotently) and say how to log in."""
    if app.config["REAL_CHANNEL"]:
        return ["demo staff accounts: not created, a real LINE channel is configured"]
    tsunagu = app.extensions["tsunagu"]
    profile = tsunagu.profile
    first_centre = profile.centres[0]
    wanted = [
        ("centre@example.jp", f"{first_centre.short_name} センター職員（デモ）", CENTRE_STAFF, [first_centre.code]),
        ("coordinator@example.jp", "コーディネーター（デモ）", COORDINATOR, []),
        ("admin@example.jp", "管理者（デモ）", ADMIN, []),
    ]
    lines = [f"Staff admin demo accounts (password: {DEMO_PASSWORD}):"]
    with tsunagu.db.transaction() as session:
        staff = StaffAccounts(session, profile, app.extensions["tsunagu_admin"].passwords)
        for email, name, role, centres in wanted:
            if staff.by_email(email) is None:
                staff.create(email=email, name=name, role=role, centres=centres, password=DEMO_PASSWORD)
            lines.append(f"  {role:<13} {email}")
    return lines
