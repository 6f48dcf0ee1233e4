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
from typing import Any, ContextManager

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker


class Database:
    """Owns the engine and hands out sessions."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.is_sqlite = url.startswith("sqlite")
        if self.is_sqlite:
            self.engine = create_engine(
                url, connect_args={"timeout": 30, "check_same_thread": False}
            )
            _make_sqlite_transactions_immediate(self.engine)
            database = self.engine.url.database
            self._writers = WriterTurns(database + ".writers") if database and database != ":memory:" else None
        else:
            self._writers = None
            self.engine = create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=10)
            # For single statements that need no transaction around them (the
            # webhook's insert): no BEGIN, no COMMIT, no ping, one round trip.
            self._statements = create_engine(url, isolation_level="AUTOCOMMIT", pool_size=2, max_overflow=8)
        self.sessionmaker = sessionmaker(self.engine, expire_on_commit=False)
        self._held: Any = None  # driver_cursor's connection, kept between statements
        self._held_lock = threading.Lock()

    def session(self) -> Session:
        return self.sessionmaker()

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """A session in one transaction: committed on success, rolled back on error."""
        with self._turn(), self.sessionmaker() as session, session.begin():
            yield session

    @contextmanager
    def driver_cursor(self) -> Iterator[Any]:
        """The driver's own cursor, for one statement that stands alone on a hot path (the webhook's insert).

        There SQLAlchemy's handling of a statement costs more than the
        statement. On PostgreSQL the statement commits by itself (autocommit),
        on a connection that is not pinged first; on SQLite it runs in a
        transaction of its own (``BEGIN IMMEDIATE``), in its writer turn. The
        connection is kept for the next statement (one at a time) and given
        up after any error. Driver errors come out as SQLAlchemy's
        (``OperationalError`` ...), with ``connection_invalidated`` set when
        the server dropped the connection: the caller may then run the
        statement again on a new one.
        """
        engine = self.engine if self.is_sqlite else self._statements
        dialect = engine.dialect
        with self._turn(), self._held_lock:
            raw = self._held
            if raw is None:
                try:
                    raw = self._held = engine.raw_connection()
                except dialect.loaded_dbapi.Error as exc:  # the database does not answer
                    raise DBAPIError.instance(None, None, exc, dialect.loaded_dbapi.Error, dialect=dialect) from exc
            try:
                cursor = raw.cursor()
                try:
                    if self.is_sqlite:
                        cursor.execute("BEGIN IMMEDIATE")
                    yield cursor
                    if self.is_sqlite:
                        cursor.execute("COMMIT")
                finally:
                    cursor.close()
            except BaseException as exc:
                self._held = None
                dropped = isinstance(exc, dialect.loaded_dbapi.Error) and dialect.is_disconnect(
                    exc, raw.dbapi_connection, None)
                if dropped:
                    raw.invalidate(exc)
                    engine.dispose()  # the server's other connections of the pool went with it
                raw.close()  # back to the pool, which rolls back what was left open
                if isinstance(exc, dialect.loaded_dbapi.Error):
                    raise DBAPIError.instance(None, None, exc, dialect.loaded_dbapi.Error,
                                              connection_invalidated=dropped, dialect=dialect) from exc
                raise

    def _turn(self) -> ContextManager[None]:
        return self._writers.turn() if self._writers is not None else nullcontext()

    def dispose(self) -> None:
        with self._held_lock:
            if self._held is not None:
                self._held.close()
                self._held = None
        self.engine.dispose()
        if not self.is_sqlite:
            self._statements.dispose()


class WriterTurns:
    """One SQLite transaction at a time across threads and processes, queued by the kernel.

    Every transaction here writes (``BEGIN IMMEDIATE``), so SQLite lets one in
    at a time anyway; but a transaction that finds the database locked sleeps
    in SQLite's busy handler (1, 2, 5, 10 ms ...) and polls, which under load
    leaves the CPU idle while requests wait. Waiting for an exclusive
    ``flock`` on a lock file beside the database instead wakes the next
    writer the moment the last one finishes. A killed process's lock goes
    with it. A transaction opened inside another on the same thread does not
    wait here (it meets SQLite's own busy timeout, as it always has).
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
        # A checkpoint runs inside the commit that crosses this many WAL pages, holding
        # every writer up; under a burst the same index pages change over and over.
        # 10,000 pages (about 40 MB of WAL) copies each of them once instead of ten
        # times and stops writers a tenth as often (SQLite's default is 1,000).
        cursor.execute("PRAGMA wal_autocheckpoint=10000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection):  # noqa: ANN001
        connection.exec_driver_sql("BEGIN IMMEDIATE")
