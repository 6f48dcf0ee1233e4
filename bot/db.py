"""Database engine and sessions.

SQLite is the embedded default, PostgreSQL the production database. On
SQLite every transaction starts with ``BEGIN IMMEDIATE`` so that two
workers never both read and then fail to upgrade to a write lock; on
PostgreSQL row locks (``SELECT ... FOR UPDATE``) serialise one resident's
events while other residents proceed in parallel.
"""
from __future__ import annotations

import fcntl
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from typing import ContextManager

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker


class Database:
    """Owns the engine and hands out sessions.

    ``hide_parameters``: an error the database raises (logged with its
    traceback) names the statement but not the values, which can be a
    consultation's text or the words staff searched for.
    """

    def __init__(self, url: str) -> None:
        self.url = url
        self.is_sqlite = url.startswith("sqlite")
        if self.is_sqlite:
            self.engine = create_engine(
                url, connect_args={"timeout": 30, "check_same_thread": False}, hide_parameters=True
            )
            _make_sqlite_transactions_immediate(self.engine)
            database = self.engine.url.database
            self._writers = WriterTurns(database + ".writers") if database and database != ":memory:" else None
        else:
            self._writers = None
            # A connection the server dropped (a restart, a failover) is replaced
            # when it is taken from the pool, not found broken by a request.
            self.engine = create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=10, hide_parameters=True)
        self.sessionmaker = sessionmaker(self.engine, expire_on_commit=False)

    def session(self) -> Session:
        return self.sessionmaker()

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """A session in one transaction: committed on success, rolled back on error."""
        with self._turn(), self.sessionmaker() as session, session.begin():
            yield session

    def _turn(self) -> ContextManager[None]:
        return self._writers.turn() if self._writers is not None else nullcontext()

    def dispose(self) -> None:
        self.engine.dispose()


class WriterTurns:
    """One SQLite transaction at a time across threads and processes, queued by the kernel.

    Every transaction here writes (``BEGIN IMMEDIATE``), so SQLite lets one in
    at a time anyway; but a transaction that finds the database locked sleeps
    in SQLite's busy handler (1, 2, 5, 10 ms ... up to 100 ms) and polls, so
    under load requests wait while the CPU is idle. Waiting for an exclusive
    ``flock`` on a lock file beside the database instead wakes the next
    writer the moment the last one finishes. A killed process's lock goes
    with it. A transaction opened inside another on the same thread does not
    wait here (it meets SQLite's own busy timeout, as it always has).

    With short transactions it still beats the busy timeout alone (medians
    of five interleaved runs on 2 busy cores): the webhook's p99 under a
    burst 95-119 ms against 136-460 ms, and 210 ms against 837 ms with the
    worker writing too (bench/e2e.py, 100 events/s).
    """

    def __init__(self, path: str) -> None:
        self.path = path
        self._local = threading.local()

    @contextmanager
    def turn(self) -> Iterator[None]:
        local = self._local
        if getattr(local, "depth", 0):
            local.depth += 1
            try:
                yield
            finally:
                local.depth -= 1
            return
        if getattr(local, "fd", None) is None:
            # One descriptor per thread: flock locks belong to an open file, so
            # threads of one process queue behind each other like processes do.
            local.fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
        fcntl.flock(local.fd, fcntl.LOCK_EX)
        local.depth = 1
        try:
            yield
        finally:
            local.depth = 0
            fcntl.flock(local.fd, fcntl.LOCK_UN)


def _make_sqlite_transactions_immediate(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):  # noqa: ANN001
        # Let SQLAlchemy, not pysqlite, decide where transactions begin.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        # With WAL, NORMAL survives a crash of the process; only power loss can drop the last commits.
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection):  # noqa: ANN001
        connection.exec_driver_sql("BEGIN IMMEDIATE")
