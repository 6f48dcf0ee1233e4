"""Demo accounts never open a real channel's admin view.

``make run`` creates one account per role with a published password
(bot/demo/staff.py). A database that once held a trial run may still have
them when the city goes live; whenever the app talks to LINE's real API,
logging in as one is refused like a wrong password (and audited), and
``flask demo-remove`` takes them away for good.
"""
from __future__ import annotations

from flask import current_app
from sqlalchemy.orm import Session

from admin.audit import audit
from admin.auth import LoginRefused, normalise_email
from bot.demo.staff import DEMO_EMAILS


def refuse_demo_account(session: Session, email: str) -> None:
    """Raise LoginRefused for a demo account's email on a real LINE channel."""
    if current_app.config["REAL_CHANNEL"] and normalise_email(email or "") in DEMO_EMAILS:
        audit("login.failure", session=session, reason="demo")
        raise LoginRefused()
