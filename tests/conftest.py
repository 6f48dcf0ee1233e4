"""Fixtures: an app on a throw-away database, a fake LINE platform on
loopback, and residents who talk to the bot through signed webhooks.

Every fake LINE platform a test uses judges each request body with LINE's own
schema (:mod:`simulator.line_schema`); a body it refuses fails the test that
sent it, unless the test is marked ``invalid_bodies``.

Set DATABASE_URL (PostgreSQL) and/or REDIS_URL to run the same suite on
real servers; otherwise SQLite is used for both.
"""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from bot import create_app
from bot.cli import migrate
from bot.models import Base
from simulator.platform import LinePlatform, serve
from tests.support import Chat, CompiledTemplates, Worker, compile_catalogs

CHANNEL_SECRET = "test-channel-secret"
ACCESS_TOKEN = "test-access-token"
TEMPLATES = CompiledTemplates()


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "invalid_bodies: the test sends LINE request bodies LINE refuses, on purpose"
    )
    worker = os.environ.get("PYTEST_XDIST_WORKER")  # gw0, gw1, ... when the suite runs in parallel
    if worker:
        _give_worker_its_own_servers(int(worker.removeprefix("gw")))


def _give_worker_its_own_servers(number: int) -> None:
    """Parallel workers (pytest -n) each get a PostgreSQL database and Redis numbers of their own.

    Set in the environment before any test reads it, so the fault harness and the
    subprocesses the tests start see the worker's servers too: ``<db>_gw1`` and,
    for the second worker of a suite on Redis database 15, database 13 (the fault
    tests take the number below, tests/faults/harness.py).
    """
    from urllib.parse import urlsplit, urlunsplit

    if url := os.environ.get("DATABASE_URL"):
        import psycopg

        parts = urlsplit(url)
        name = f"{parts.path.strip('/')}_gw{number}"
        plain = urlunsplit(parts._replace(scheme="postgresql"))
        with psycopg.connect(plain, autocommit=True) as connection:  # start from an empty database
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            connection.execute(f'CREATE DATABASE "{name}"')
        os.environ["DATABASE_URL"] = urlunsplit(parts._replace(path=f"/{name}"))
    if url := os.environ.get("REDIS_URL"):
        parts = urlsplit(url)
        base = int(parts.path.strip("/") or 0)
        os.environ["REDIS_URL"] = urlunsplit(parts._replace(path=f"/{(base - 2 * number) % 16}"))


@pytest.fixture(scope="session", autouse=True)
def _catalogs() -> None:
    compile_catalogs()


@pytest.fixture(autouse=True)
def judged_platforms(request: pytest.FixtureRequest):
    """The test's fake LINE platforms: a body LINE's schema refused on any of them fails the test.

    Fixtures that build a platform append it. Checked after every other
    fixture has finished (an autouse fixture is torn down last), so messages
    the worker sent while shutting down are judged too.
    """
    platforms: list[LinePlatform] = []
    yield platforms
    if request.node.get_closest_marker("invalid_bodies"):
        return
    refused = [violation for platform in platforms for violation in platform.invalid_bodies]
    if refused:
        pytest.fail("LINE would refuse these request bodies:\n" + "\n".join(refused), pytrace=False)


@pytest.fixture(scope="session")
def external_database_url() -> str | None:
    return os.environ.get("DATABASE_URL") or None


@pytest.fixture(scope="session")
def migrated_template(tmp_path_factory, external_database_url) -> Path | None:  # noqa: ANN001
    """Migrate once per session: a SQLite template file, or the external database."""
    if external_database_url:
        migrate(external_database_url)
        return None
    template = tmp_path_factory.mktemp("template") / "template.db"
    migrate(f"sqlite:///{template}")
    return template


@pytest.fixture
def line(judged_platforms):  # noqa: ANN001
    """The fake LINE platform, served on loopback for the real SDK to call."""
    platform = LinePlatform(ACCESS_TOKEN)
    judged_platforms.append(platform)
    server = serve(platform)
    platform.url = server.url
    yield platform
    server.shutdown()


def _base_config(endpoint: str, database_url: str, huey_file: str | None) -> dict:
    return {
        "LINE_CHANNEL_SECRET": CHANNEL_SECRET,
        "LINE_CHANNEL_ACCESS_TOKEN": ACCESS_TOKEN,
        "LINE_API_ENDPOINT": endpoint,
        "DATABASE_URL": database_url,
        "HUEY_FILE": huey_file or "",
        "REDIS_URL": os.environ.get("REDIS_URL", ""),
        "SECRET_KEY": "test-secret-key",
        "SIMULATOR": False,
        "LINE_REQUEST_TIMEOUT": 1.0,
        "OUTBOX_BACKOFF_BASE": 0.01,
        "OUTBOX_BACKOFF_CAP": 0.05,
        "TESTING": True,
    }


@pytest.fixture
def make_app(tmp_path, line, migrated_template, external_database_url, judged_platforms):  # noqa: ANN001
    """Build apps on this test's database (several apps share it, like several processes)."""
    if external_database_url:
        database_url = external_database_url
        _truncate_all(database_url)
    else:
        db_file = tmp_path / "tsunagu.db"
        shutil.copy(migrated_template, db_file)
        database_url = f"sqlite:///{db_file}"
    huey_file = str(tmp_path / "queue.db")
    apps = []

    def factory(**overrides):  # noqa: ANN003, ANN202
        app = create_app({**_base_config(line.url, database_url, huey_file), **overrides})
        app.jinja_env.bytecode_cache = TEMPLATES
        if not apps:
            app.extensions["tsunagu"].huey.flush()  # a Redis queue outlives the test before
        apps.append(app)
        if "simulator" in app.extensions:  # the simulator's own platform, under /simulator/api
            judged_platforms.append(app.extensions["simulator"].platform)
        return app

    yield factory
    for app in apps:
        tsunagu = app.extensions["tsunagu"]
        tsunagu.huey.flush()
        tsunagu.line.close()
        tsunagu.db.dispose()


def _truncate_all(database_url: str) -> None:
    """Empty every table and restart the ids used, in one round trip.

    DELETE on the few rows a test leaves is several times faster than
    TRUNCATE of every table (which rewrites each one), and this runs before
    every test on PostgreSQL.
    """
    import psycopg

    tables = "".join(f'DELETE FROM "{table.name}";' for table in reversed(Base.metadata.sorted_tables))
    with psycopg.connect(database_url.replace("postgresql+psycopg://", "postgresql://")) as connection:
        used = connection.execute(
            "SELECT format('%I.%I', schemaname, sequencename) FROM pg_sequences "
            "WHERE schemaname = current_schema() AND last_value IS NOT NULL"
        ).fetchall()
        restarts = "".join(f"ALTER SEQUENCE {name} RESTART;" for (name,) in used)
        # The audit log refuses DELETE and TRUNCATE (migration 0015); tests clear it as the database's
        # superuser, with triggers and foreign keys off for this transaction.
        connection.execute(f"SET LOCAL session_replication_role = replica;{tables}{restarts}")


@pytest.fixture
def app(make_app):  # noqa: ANN001
    return make_app()


@pytest.fixture
def client(app):  # noqa: ANN001
    return app.test_client()


@pytest.fixture
def worker(app):  # noqa: ANN001
    return Worker(app)


@pytest.fixture
def chat(app, client, line, worker):  # noqa: ANN001
    """A resident who has added the account: ``chat.says("相談")``."""

    def start(user_id: str = "U" + "a" * 32, display_name: str = "山田花子", language: str = "ja") -> Chat:
        line.set_profile(user_id, display_name, language)
        return Chat(client, line, worker, user_id, CHANNEL_SECRET)

    return start
