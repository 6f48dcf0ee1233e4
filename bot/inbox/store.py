"""The inbox: webhook events stored durably before LINE gets its 200."""
from __future__ import annotations

import functools
import hashlib
import json
import logging
import threading
import time
from collections.abc import Callable
from datetime import datetime, timezone
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Dialect
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from bot.db import Database
from bot.models import InboxEvent, utcnow

log = logging.getLogger(__name__)

MESSAGE_CONTENT_KEYS = ("text", "title", "address", "fileName")
START_WITHIN = 0.05  # seconds: the longest a stored event waits for its work to be enqueued under a burst


def source_key(event: dict[str, Any]) -> str:
    """Whose events these are: one resident (or group) is processed in order."""
    source = event.get("source")
    source = source if isinstance(source, dict) else {}
    for key in ("userId", "groupId", "roomId"):
        if isinstance(source.get(key), str):
            return source[key][:80]
    return "-"


def event_key(event: dict[str, Any]) -> str:
    """LINE's ``webhookEventId``, or a digest of the event when it has none."""
    key = event.get("webhookEventId")
    if isinstance(key, str) and key:
        return key[:128]
    canonical = json.dumps(event, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return "sha256:" + hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _event_ms(event: dict[str, Any]) -> int | float | None:
    """When the event happened (LINE's ``timestamp``, milliseconds since 1970), if it says so plausibly."""
    timestamp = event.get("timestamp")
    if isinstance(timestamp, (int, float)) and not isinstance(timestamp, bool) and 0 < timestamp < 1e14:
        return timestamp
    return None


def inbox_rows(events: list[Any], *, in_body: bool = False) -> dict[str, dict[str, Any]]:
    """The rows a delivery's events become, by event key (a key repeated within it is stored once).

    ``in_body``: the database takes each event's payload from the delivery's
    body itself (``at`` is the event's place in it), which the caller knows
    lets it read them as Python did (see :func:`payloads_readable_in`).
    Otherwise the payload is a cleaned copy of the event.
    """
    rows: dict[str, dict[str, Any]] = {}
    for at, event in enumerate(events):
        if not isinstance(event, dict):
            continue
        if not in_body:
            event = _storable(event)
        mode = str(event.get("mode") or "active")
        key = event_key(event)
        rows.setdefault(key, {
            "event_key": key,
            "source_key": source_key(event),
            "event_type": (event.get("type") if isinstance(event.get("type"), str) else "")[:40] or "unknown",
            "mode": mode[:16],
            "is_redelivery": isinstance(event.get("deliveryContext"), dict)
            and bool(event["deliveryContext"].get("isRedelivery")),
            "payload": None if in_body else event,
            "at": at,
            "body": None,  # the delivery's place in its batch, set by the writer
            "event_ms": _event_ms(event),
            # Standby events belong to another channel's module: keep, never answer.
            "status": InboxEvent.PENDING if mode == "active" else InboxEvent.IGNORED,
        })
    return rows


def insert_new(cursor: Any, dialect: Dialect, rows: list[dict[str, Any]], bodies: list[str | None],
               received_at: datetime) -> set[str]:
    """Insert the rows no earlier delivery stored; returns the keys of those inserted as pending work.

    ``bodies``: the batch's webhook bodies, by the rows' ``body``, for the
    rows whose payload the database is to take from them. Runs on the
    driver's own cursor (see :meth:`bot.db.Database.driver_cursor`); a
    duplicate key (a redelivery) is skipped by the unique index, so
    concurrent deliveries cannot both insert it, and RETURNING names only
    the rows actually inserted.
    """
    if dialect.name == "postgresql":
        cursor.execute(_PG_INSERT_NEW, {
            "rows": json.dumps(rows, ensure_ascii=False, separators=(",", ":")),
            "received_at": received_at,
            # The bodies as they came (each already checked to be JSON): not parsed and written again.
            "bodies": "[" + ",".join(body or "null" for body in bodies) + "]",
        })
        return {key for key, status in cursor.fetchall() if status == InboxEvent.PENDING}
    fresh: set[str] = set()
    timestamp = _timestamp_writer(dialect)
    received = timestamp(received_at)
    for start in range(0, len(rows), _SQLITE_ROWS_PER_STATEMENT):
        chunk = rows[start:start + _SQLITE_ROWS_PER_STATEMENT]
        values: list[Any] = []
        for row in chunk:
            in_body = row["payload"] is None
            values += (
                row["event_key"], row["source_key"], row["event_type"], row["mode"], row["is_redelivery"],
                None if in_body else json.dumps(row["payload"], ensure_ascii=False, separators=(",", ":")),
                bodies[row["body"]] if in_body else None, f"$.events[{row['at']}]" if in_body else None,
                None if row["event_ms"] is None else timestamp(
                    datetime.fromtimestamp(row["event_ms"] / 1000, tz=timezone.utc)),
                received, row["status"],
            )
        cursor.execute(_sqlite_insert_new(len(chunk)), values)
        fresh.update(key for key, status in cursor.fetchall() if status == InboxEvent.PENDING)
    return fresh


# PostgreSQL: the rows go as one JSON document, so the statement's text is
# the same for any number of rows: the driver converts it once and the
# server prepares it once. A multi-row VALUES list is instead a new
# statement of up to hundreds of parameters at each size of batch, which
# psycopg converts in Python each time: that and SQLAlchemy's handling of
# each parameter were most of the webhook's time. Each payload is taken by
# the database from the body it came in, unless the row carries a cleaned
# copy; the bodies are parsed once (MATERIALIZED), not once per row.
_COLUMNS = {"event_key": "varchar", "source_key": "varchar", "event_type": "varchar", "mode": "varchar",
            "is_redelivery": "boolean", "payload": "jsonb", "event_at": "timestamptz",
            "received_at": "timestamptz", "status": "varchar"}
_ROW_TYPES = {**{column: kind for column, kind in _COLUMNS.items() if column not in ("event_at", "received_at")},
              "event_ms": "float8", "body": "int", "at": "int"}
_PG_VALUES = {
    "payload": "coalesce(r.payload, b.bodies -> r.body -> 'events' -> r.at)",
    "event_at": "to_timestamp(r.event_ms / 1000)",
    "received_at": "%(received_at)s::timestamptz",  # one time for the batch: when it was stored
}
_PG_FIELDS = ", ".join(_PG_VALUES.get(column, f"r.{column}") for column in _COLUMNS)
_PG_INSERT_NEW = (
    "WITH b AS MATERIALIZED (SELECT %(bodies)s::jsonb AS bodies) "
    f"INSERT INTO inbox_events ({', '.join(_COLUMNS)}, attempts) "
    f"SELECT {_PG_FIELDS}, 0 FROM b, json_to_recordset(%(rows)s::json) "
    f"AS r({', '.join(f'{column} {kind}' for column, kind in _ROW_TYPES.items())}) "
    "ON CONFLICT (event_key) DO NOTHING RETURNING event_key, status"
)

# SQLite: plain parameters (the sqlite3 module keeps the prepared statement of
# each size), the payload a cleaned copy or the event read from its body.
# SQLite allows 32,766 parameters in a statement: 11 a row.
_SQLITE_ROWS_PER_STATEMENT = 2000
_SQLITE_ROW = "(?, ?, ?, ?, ?, coalesce(?, json_extract(?, ?)), ?, ?, ?, 0)"


@functools.cache
def _timestamp_writer(dialect: Dialect) -> Callable[[datetime], Any]:
    """A timestamp as SQLAlchemy writes it in this database (the column type's own bind processing)."""
    column_type = InboxEvent.__table__.c.received_at.type
    return column_type.dialect_impl(dialect).bind_processor(dialect)


@functools.lru_cache(maxsize=64)
def _sqlite_insert_new(rows: int) -> str:
    return (
        f"INSERT INTO inbox_events ({', '.join(_COLUMNS)}, attempts) VALUES {', '.join([_SQLITE_ROW] * rows)} "
        "ON CONFLICT (event_key) DO NOTHING RETURNING event_key, status"
    )


class InboxService:
    """Finds webhook events in the caller's transaction (the webhook stores them through :class:`InboxWriter`)."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def sources_with_stale_pending(self, older_than: datetime) -> list[str]:
        """Sources whose events were stored but not processed in time (sweeper)."""
        return list(
            self.session.scalars(
                select(InboxEvent.source_key)
                .where(InboxEvent.status == InboxEvent.PENDING, InboxEvent.received_at < older_than)
                .distinct()
            )
        )


class _Delivery:
    """One webhook request's rows, waiting to be written with others."""

    __slots__ = ("rows", "body", "written", "fresh", "error")

    def __init__(self, rows: dict[str, dict[str, Any]], body: str | None) -> None:
        self.rows = rows
        self.body = body
        self.written = threading.Event()
        self.fresh: set[str] = set()
        self.error: BaseException | None = None


class InboxWriter:
    """Stores webhook deliveries durably, several at once: group commit.

    Under a burst, each of a web process's threads would otherwise open its
    own transaction and wait its turn for the database. Instead, the first
    thread to arrive writes every delivery waiting at that moment in one
    statement, then the ones that arrived meanwhile, and so on; the others
    wait for their rows to be committed. No request is answered before its
    own rows are committed, and an error (the database is down) reaches every
    request of the batch, so each answers 503 and LINE redelivers.

    ``start_work`` (the worker's task) is called with every source that has
    new pending events once the thread has no batch left to write, or sooner
    when its oldest has waited START_WITHIN: one enqueue serves several
    batches under a burst. If it fails, or the process dies first, the
    events are safe in the inbox and the sweeper starts them.
    """

    def __init__(self, db: Database, start_work: Callable[[list[str]], None]) -> None:
        self.db = db
        self.start_work = start_work
        self._lock = threading.Lock()
        self._waiting: list[_Delivery] = []
        self._writing = False

    def store(self, events: list[Any], *, body: str | None = None) -> set[str]:
        """Store a delivery's new events and start the work; returns the sources that have new pending work.

        ``body``: the webhook body ``events`` were read from. When the database
        can read them from it as Python did (:func:`payloads_readable_in`), it
        takes the payloads from there; otherwise they go as cleaned copies.
        """
        if body is not None and not payloads_readable_in(body):
            body = None
        rows = inbox_rows(events, in_body=body is not None)
        if not rows:
            return set()
        delivery = _Delivery(rows, body)
        with self._lock:
            self._waiting.append(delivery)
            lead = not self._writing
            self._writing = True
        if lead:
            self._write_until_none_wait()
        else:
            delivery.written.wait()
        if delivery.error is not None:
            raise delivery.error
        return {row["source_key"] for key, row in rows.items() if key in delivery.fresh}

    def _insert(self, rows: list[dict[str, Any]], bodies: list[str | None]) -> set[str]:
        try:
            return self._insert_once(rows, bodies)
        except DBAPIError as exc:
            if not exc.connection_invalidated:
                raise
        # The database dropped the connection (it restarted): once more on a new
        # one. Had the first insert committed, this one finds its rows stored and
        # returns none of them, and the sweeper starts their work.
        return self._insert_once(rows, bodies)

    def _insert_once(self, rows: list[dict[str, Any]], bodies: list[str | None]) -> set[str]:
        with self.db.driver_cursor() as cursor:
            return insert_new(cursor, self.db.engine.dialect, rows, bodies, utcnow())

    def _write_until_none_wait(self) -> None:
        unstarted: set[str] = set()  # sources stored by this run of batches, work not started yet
        since = 0.0
        while True:
            with self._lock:
                batch, self._waiting = self._waiting, []
                if not batch:
                    self._writing = False
                    break
            try:
                merged: dict[str, dict[str, Any]] = {}
                for place, delivery in enumerate(batch):
                    for key, row in delivery.rows.items():
                        if key not in merged:
                            row["body"] = place
                            merged[key] = row
                fresh = self._insert(list(merged.values()), [delivery.body for delivery in batch])
                for delivery in batch:
                    delivery.fresh = fresh
                sources = {merged[key]["source_key"] for key in fresh}
            except Exception as exc:  # noqa: BLE001 - every request of the batch answers for it
                sources = set()
                for delivery in batch:
                    delivery.error = exc
            except BaseException:
                # The process is being stopped: nobody may wait for a writer that is gone.
                with self._lock:
                    stranded, self._waiting, self._writing = self._waiting, [], False
                for delivery in batch + stranded:
                    delivery.error = RuntimeError("the web process is stopping")
                    delivery.written.set()
                raise
            for delivery in batch:
                delivery.written.set()
            if sources and not unstarted:
                since = time.monotonic()
            unstarted |= sources
            # While deliveries keep coming, one enqueue serves several batches,
            # but none waits for its work to start longer than START_WITHIN.
            if unstarted and time.monotonic() - since >= START_WITHIN:
                self._start(unstarted)
                unstarted = set()
        if unstarted:
            self._start(unstarted)

    def _start(self, sources: set[str]) -> None:
        try:
            self.start_work(sorted(sources))
        except Exception:  # noqa: BLE001 - the sweeper picks the events up
            log.exception("could not enqueue events; the sweeper will pick them up")


def payloads_readable_in(body: str) -> bool:
    """Whether the database may take the events' payloads from the body itself.

    Not when the body may hold text a database refuses, nor when it names
    "events" more than once: JSON lets a key repeat, Python keeps the last,
    a database may read the first.
    """
    return not may_hold_unstorable_text(body) and body.count('"events"') == 1


def may_hold_unstorable_text(body: str) -> bool:
    """Whether a JSON body's strings may hold a NUL or a lone surrogate, which databases refuse.

    A JSON text can only carry those as ``\\u`` escapes: raw control characters
    are invalid JSON and a strictly decoded UTF-8 body has no surrogates. LINE
    writes text as UTF-8, so its bodies almost never contain ``\\u`` at all.
    """
    return "\\u" in body


def _storable(value: Any) -> Any:
    """The value without what databases cannot store: NUL characters, lone surrogates (``"\\ud800"``)."""
    if isinstance(value, str):
        return value.encode("utf-8", "replace").decode("utf-8").replace("\x00", "")
    if isinstance(value, list):
        return [_storable(item) for item in value]
    if isinstance(value, dict):
        return {_storable(key): _storable(item) for key, item in value.items()}
    return value


def redact(payload: dict[str, Any]) -> dict[str, Any]:
    """The payload without what the resident wrote (kept in the owning record, if anywhere)."""
    message = payload.get("message")
    if not isinstance(message, dict):
        return payload
    cleaned = dict(message)
    for key in MESSAGE_CONTENT_KEYS:
        if key in cleaned:
            cleaned[key] = "[redacted]"
    cleaned.pop("emojis", None)
    cleaned.pop("mention", None)
    return {**payload, "message": cleaned}
