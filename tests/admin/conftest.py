"""Fixtures for the admin view: staff of every role, logged in, and a clock to move.

``staff`` creates, on the test's database:
  taira        センター職員 of 平 (taira)
  onahama      センター職員 of 小名浜 (onahama)
  coordinator  コーディネーター
  admin        管理者
``browser(key)`` returns a StaffBrowser logged in as one of them (``None``: not logged in).

Tests that ask for ``site`` instead share one app per module (see SharedSite):
the access matrices, where hundreds of cases differ only in route and role.
"""
from __future__ import annotations

import shutil
from collections.abc import Iterator

import pyotp
import pytest
from sqlalchemy import select

from admin.accounts import StaffAccounts
from admin.two_factor import SecondFactors
from bot import create_app
from bot.models import AuditLog, Base, utcnow
from bot.models.staff import TWO_FACTOR_ROLES
from simulator.platform import LinePlatform, serve
from tests.admin.support import Clock, DatabaseSnapshot, StaffBrowser, StaffMember
from tests.conftest import ACCESS_TOKEN, TEMPLATES, _base_config, _truncate_all

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
                 *, enrol: bool | None = None, **options) -> StaffMember:  # noqa: ANN003
    """Create an account; coordinators and administrators also set up their second factor, as they
    would at their first login (the code their app shows confirms the secret), unless ``enrol=False``."""
    tsunagu = app.extensions["tsunagu"]
    state = app.extensions["tsunagu_admin"]
    if enrol is None:
        enrol = role in TWO_FACTOR_ROLES and not options.get("must_change_password")
    with app.app_context(), tsunagu.db.transaction() as session:
        account = StaffAccounts(session, tsunagu.profile, state.passwords).create(
            email=email, name=name, role=role, centres=centres, password=password, **options)
        if enrol:
            factors = SecondFactors(session, state.secrets)
            factors.enrol(account, pyotp.TOTP(factors.offer(account)).at(state.now()), state.now())
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
    return lambda action=None: read_audit_log(app, action)


def read_audit_log(app, action: str | None = None) -> list[dict]:  # noqa: ANN001
    with app.extensions["tsunagu"].db.transaction() as session:
        stmt = select(AuditLog).order_by(AuditLog.id)
        if action:
            stmt = stmt.where(AuditLog.action == action)
        return [
            {"action": e.action, "actor_id": e.actor_id, "target": (e.target_type, e.target_id),
             "ip": e.ip, "details": e.details, "at": e.at}
            for e in session.scalars(stmt)
        ]


class SharedSite:
    """One app for a whole test module, with its staff logged in once.

    ``keep()`` marks what is in the database now as the state every test
    starts from; the ``site`` fixture puts it back (rows, sequences, the
    queue) before each test, so a case sees what a fresh app would, without
    building one. ``browser(key)`` is a new browser in the member's session
    (``None``: an anonymous visitor's); ``log_in(key)`` logs in anew.
    """

    def __init__(self, app, database_url: str, copy_file: str | None) -> None:  # noqa: ANN001
        self.app = app
        self.clock = Clock(utcnow())
        app.extensions["tsunagu_admin"].clock = self.clock
        self.staff = {key: create_staff(app, *fields) for key, fields in STAFF.items()}
        self._cookie = app.config["SESSION_COOKIE_NAME"]
        self._sessions = {key: self._open_session(key) for key in (None, *STAFF)}
        self._snapshot = DatabaseSnapshot(database_url, [table.name for table in Base.metadata.sorted_tables],
                                          copy_file)
        self.keep()

    def keep(self) -> None:
        self._snapshot.take()

    def restore(self) -> None:
        self._snapshot.restore()
        self.app.extensions["tsunagu"].huey.flush()

    def browser(self, key: str | None) -> StaffBrowser:
        cookie, token = self._sessions[key]
        client = self.app.test_client()
        client.set_cookie(self._cookie, cookie)
        return StaffBrowser(client, token)

    def audit_entries(self, action: str | None = None) -> list[dict]:
        return read_audit_log(self.app, action)

    def log_in(self, key: str) -> StaffBrowser:
        person = StaffBrowser(self.app.test_client())
        response = person.log_in(self.staff[key].email, self.staff[key].password)
        assert response.status_code == 302, response.get_data(as_text=True)
        return person

    def _open_session(self, key: str | None) -> tuple[str, str]:
        person = self.log_in(key) if key is not None else StaffBrowser(self.app.test_client())
        token = person.csrf_token()
        return person.client.get_cookie(self._cookie).value, token

    def close(self) -> None:
        self._snapshot.drop()
        tsunagu = self.app.extensions["tsunagu"]
        tsunagu.huey.flush()
        tsunagu.line.close()
        tsunagu.db.dispose()


@pytest.fixture(scope="module")
def shared_site(tmp_path_factory, migrated_template, external_database_url) -> Iterator[SharedSite]:  # noqa: ANN001
    """The module's app, on its own database (or the external one, emptied first)."""
    folder = tmp_path_factory.mktemp("site")
    if external_database_url:
        database_url, copy_file = external_database_url, None
        _truncate_all(database_url)
    else:
        shutil.copy(migrated_template, folder / "tsunagu.db")
        database_url, copy_file = f"sqlite:///{folder / 'tsunagu.db'}", str(folder / "snapshot.db")
    # The admin view only queues what goes to LINE; a platform that hears nothing proves it.
    platform = LinePlatform(ACCESS_TOKEN)
    server = serve(platform)
    app = create_app({**_base_config(server.url, database_url, str(folder / "queue.db")), **FAST_HASHING})
    app.jinja_env.bytecode_cache = TEMPLATES
    app.extensions["tsunagu"].huey.flush()  # a Redis queue outlives the module before
    site = SharedSite(app, database_url, copy_file)
    yield site
    site.close()
    server.shutdown()
    assert not platform.sent and not platform.loading_animations, "the admin view called LINE during a request"


@pytest.fixture
def site(shared_site) -> SharedSite:  # noqa: ANN001
    """The module's shared app, its database as ``keep()`` last left it."""
    shared_site.restore()
    return shared_site
