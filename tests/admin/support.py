"""A member of staff in a browser (a test client that sends CSRF tokens like the pages do), page
helpers, and a database snapshot for tests that share one app."""
from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from html import unescape

import pyotp
from sqlalchemy import create_engine, event, select, text

from bot.models import StaffAccount

_CSRF_META = re.compile(r'<meta name="csrf-token" content="([^"]+)">')


@dataclass
class Clock:
    """The admin view's clock, moved by hand (sessions, lockouts and the audit log read it)."""

    now: datetime

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@dataclass(frozen=True)
class StaffMember:
    id: int
    email: str
    name: str
    role: str
    password: str
    centres: tuple[str, ...] = ()


@dataclass
class StaffBrowser:
    """Wraps a Flask test client: ``get``, ``post`` (with the CSRF token) and ``log_in``."""

    client: object
    _token: str | None = field(default=None, repr=False)

    def get(self, url: str, **kwargs):  # noqa: ANN003, ANN201
        response = self.client.get(url, **kwargs)
        self._remember_token(response)
        return response

    def post(self, url: str, data: dict | None = None, *, csrf: bool = True, **kwargs):  # noqa: ANN003, ANN201
        """Send a form as the page would, with its CSRF token unless ``csrf=False``."""
        data = dict(data or {})
        if csrf:
            token = self.csrf_token()
            data.setdefault("csrf_token", token)
            for prefix in {key.split("-", 1)[0] for key in data if "-" in key}:
                data.setdefault(f"{prefix}-csrf_token", token)
        response = self.client.post(url, data=data, **kwargs)
        self._remember_token(response)
        return response

    def csrf_token(self) -> str:
        if self._token is None:
            response = self.client.get("/admin/settings")
            if response.status_code != 200:
                response = self.client.get("/admin/login")
            self._remember_token(response)
        assert self._token, "no page offered a CSRF token"
        return self._token

    def log_in(self, email: str, password: str, **kwargs):  # noqa: ANN003, ANN201
        """Log in as staff do: the password, then (when the account has one) the authenticator app's code."""
        response = self.enter_password(email, password, **kwargs)
        if response.status_code == 302 and response.location.startswith("/admin/login/code"):
            kwargs.pop("query_string", None)  # the code page's address carries it on
            response = self.post(response.location, {"code": authenticator_code(self.client.application, email)},
                                 **kwargs)
            self._token = None
        return response

    def enter_password(self, email: str, password: str, **kwargs):  # noqa: ANN003, ANN201
        """The login form's first step only."""
        self._token = None
        response = self.post("/admin/login", {"email": email, "password": password}, **kwargs)
        self._token = None  # logging in starts a new session, with a new token
        return response

    def enrol(self, email: str):  # noqa: ANN201
        """Set up the second factor as a member of staff does: open the page, scan, type the app's first code."""
        self.get("/admin/settings/two-factor")
        response = self.post("/admin/settings/two-factor",
                             {"enrol-code": authenticator_code(self.client.application, email, pending=True)})
        assert "回復コード" in response.get_data(as_text=True), response.get_data(as_text=True)
        return response

    def log_out(self):  # noqa: ANN201
        response = self.post("/admin/logout")
        self._token = None
        return response

    def _remember_token(self, response) -> None:  # noqa: ANN001
        if response.mimetype == "text/html" and (match := _CSRF_META.search(response.get_data(as_text=True))):
            self._token = unescape(match.group(1))


def authenticator_code(app, email: str, *, pending: bool = False) -> str:  # noqa: ANN001
    """What the member's authenticator app shows now (pyotp with the secret they scanned).

    A code works once, so a second login in the same 30 seconds waits for the
    next one: the test clock moves on (or, on the real clock, the test sleeps).
    """
    with app.extensions["tsunagu"].db.transaction() as session:
        account = session.scalars(select(StaffAccount).where(StaffAccount.email == email.strip().lower())).one()
        stored = account.totp_pending_secret if pending else account.totp_secret
        last_step = account.totp_last_step
    assert stored, f"{email} has no second factor to enter"
    secret = app.extensions["tsunagu_admin"].secrets.open(stored)  # what the app showed as a QR code
    totp = pyotp.TOTP(secret)
    state = app.extensions["tsunagu_admin"]
    step = int(state.now().timestamp()) // totp.interval
    if not pending and last_step is not None and last_step >= step:
        # The next step's code is accepted too (clock drift); beyond it, wait.
        step = last_step + 1
        wait = (step - 1) * totp.interval - state.now().timestamp()
        if wait > 0:
            if hasattr(state.clock, "advance"):
                state.clock.advance(seconds=wait)
            else:
                time.sleep(wait + 0.05)
    return totp.generate_otp(step)


def page_text(response) -> str:  # noqa: ANN001
    """The page's visible text, roughly: tags removed, entities decoded, spaces squeezed."""
    html = response.get_data(as_text=True)
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    text = unescape(re.sub(r"<[^>]+>", " ", html))
    return " ".join(text.split())


def table_rows(response) -> list[str]:  # noqa: ANN001
    """The text of each row in the page's table bodies."""
    html = response.get_data(as_text=True)
    bodies = re.findall(r"<tbody>(.*?)</tbody>", html, flags=re.S)
    rows = [row for body in bodies for row in re.findall(r"<tr\b.*?</tr>", body, flags=re.S)]
    return [" ".join(unescape(re.sub(r"<[^>]+>", " ", row)).split()) for row in rows]


class DatabaseSnapshot:
    """Every row of every table, copied aside once and written back before each test that shares the database.

    The copy stays on the database server: a schema ``test_snapshot`` on
    PostgreSQL (with the sequences' positions), an attached file on SQLite.
    Rows go back by plain SQL (``INSERT ... SELECT *``), so every value, JSON
    nulls included, comes back exactly as it was.
    """

    SCHEMA = "test_snapshot"

    def __init__(self, database_url: str, tables: list[str], copy_file: str | None = None) -> None:
        self.tables = tables  # parents before children
        self.is_sqlite = database_url.startswith("sqlite")
        self.engine = create_engine(database_url, pool_size=1)
        self._restore: list[str] = []
        if self.is_sqlite:
            @event.listens_for(self.engine, "connect")
            def _attach(dbapi_connection, _record) -> None:  # noqa: ANN001
                dbapi_connection.execute(f"ATTACH DATABASE '{copy_file}' AS {self.SCHEMA}")

    def take(self) -> None:
        """Copy what is in the database now: each later ``restore`` brings this back."""
        statements = [f'DELETE FROM "{table}"' for table in reversed(self.tables)]
        statements += [f'INSERT INTO "{table}" SELECT * FROM {self.SCHEMA}."{table}"' for table in self.tables]
        with self.engine.begin() as connection:
            if not self.is_sqlite:
                connection.execute(text(f"DROP SCHEMA IF EXISTS {self.SCHEMA} CASCADE"))
                connection.execute(text(f"CREATE SCHEMA {self.SCHEMA}"))
                sequences = connection.execute(text("SELECT quote_ident(sequencename), last_value FROM pg_sequences"
                                                    " WHERE schemaname = current_schema()"))
                statements += [f"SELECT setval('{name}', {value or 1}, {value is not None})"
                               for name, value in sequences]
            for table in self.tables:
                connection.execute(text(f'DROP TABLE IF EXISTS {self.SCHEMA}."{table}"'))
                connection.execute(text(f'CREATE TABLE {self.SCHEMA}."{table}" AS SELECT * FROM "{table}"'))
        self._restore = statements

    def restore(self) -> None:
        """Put every table back as it was when the copy was taken (in one round trip on PostgreSQL)."""
        with self.engine.begin() as connection:
            if self.is_sqlite:  # Python's sqlite3 runs one statement per call
                for statement in self._restore:
                    connection.exec_driver_sql(statement)
            else:
                # The audit log refuses DELETE (migration 0015); tests put it back as the database's superuser.
                connection.exec_driver_sql(";\n".join(["SET LOCAL session_replication_role = replica",
                                                        *self._restore]))

    def drop(self) -> None:
        if not self.is_sqlite:
            with self.engine.begin() as connection:
                connection.execute(text(f"DROP SCHEMA IF EXISTS {self.SCHEMA} CASCADE"))
        self.engine.dispose()
