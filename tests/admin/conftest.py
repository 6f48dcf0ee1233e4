"""Fixtures for the admin view: staff of every role, logged in, and a clock to move.

``staff`` creates, on the test's database:
  taira        センター職員 of 平 (taira)
  onahama      センター職員 of 小名浜 (onahama)
  coordinator  コーディネーター
  admin        管理者
``browser(key)`` returns a StaffBrowser logged in as one of them (``None``: not logged in).
"""
from __future__ import annotations

import pytest

from admin.accounts import StaffAccounts
from bot.models import utcnow
from tests.admin.support import Clock, StaffBrowser, StaffMember

STAFF_PASSWORD = "correct-horse-battery"
# The same algorithm as production with cheaper parameters, so logging in
# dozens of times per test run stays fast.
FAST_HASHING = {"ADMIN_PASSWORD_METHOD": "scrypt:1024:8:1"}

STAFF = {
    "taira": ("taira@city.example.jp", "平 太郎", "centre_staff", ("taira",)),
    "onahama": ("onahama@city.example.jp", "小名浜 花子", "centre_staff", ("onahama",)),
    "coordinator": ("coordinator@city.example.jp", "調整 一郎", "coordinator", ()),
    "admin": ("admin@city.example.jp", "管理 さくら", "admin", ()),
}
ROLES = ("taira", "coordinator", "admin")


@pytest.fixture
def app(make_app):  # noqa: ANN001
    return make_app(**FAST_HASHING)


@pytest.fixture
def clock(app):  # noqa: ANN001
    """Replace the admin view's clock; ``clock.advance(minutes=31)`` moves time on."""
    fake = Clock(utcnow())
    app.extensions["tsunagu_admin"].clock = fake
    return fake


def create_staff(app, email: str, name: str, role: str, centres=(), password: str = STAFF_PASSWORD,  # noqa: ANN001
                 **options) -> StaffMember:  # noqa: ANN003
    tsunagu = app.extensions["tsunagu"]
    with app.app_context(), tsunagu.db.transaction() as session:
        account = StaffAccounts(session, tsunagu.profile, app.extensions["tsunagu_admin"].passwords).create(
            email=email, name=name, role=role, centres=centres, password=password, **options)
        return StaffMember(account.id, account.email, account.name, account.role, password,
                           tuple(account.centre_codes))


@pytest.fixture
def staff(app, clock) -> dict[str, StaffMember]:  # noqa: ANN001
    return {key: create_staff(app, *fields) for key, fields in STAFF.items()}


@pytest.fixture
def browser(app, staff):  # noqa: ANN001
    """``browser("admin")``: a fresh browser logged in as that member of staff."""

    def open_as(key: str | None) -> StaffBrowser:
        person = StaffBrowser(app.test_client())
        if key is not None:
            response = person.log_in(staff[key].email, staff[key].password)
            assert response.status_code == 302, response.get_data(as_text=True)
        return person

    return open_as


@pytest.fixture
def as_centre_staff(browser) -> StaffBrowser:  # noqa: ANN001
    return browser("taira")


@pytest.fixture
def as_coordinator(browser) -> StaffBrowser:  # noqa: ANN001
    return browser("coordinator")


@pytest.fixture
def as_admin(browser) -> StaffBrowser:  # noqa: ANN001
    return browser("admin")


@pytest.fixture
def audit_entries(app):  # noqa: ANN001
    """``audit_entries(action=None)``: the audit log, oldest first, as plain dicts."""
    from sqlalchemy import select

    from bot.models import AuditLog

    def read(action: str | None = None) -> list[dict]:
        with app.extensions["tsunagu"].db.transaction() as session:
            stmt = select(AuditLog).order_by(AuditLog.id)
            if action:
                stmt = stmt.where(AuditLog.action == action)
            return [
                {"action": e.action, "actor_id": e.actor_id, "target": (e.target_type, e.target_id),
                 "ip": e.ip, "details": e.details, "at": e.at}
                for e in session.scalars(stmt)
            ]

    return read
