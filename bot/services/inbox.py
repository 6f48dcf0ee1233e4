"""The inbox: webhook events stored durably before LINE gets its 200."""
from __future__ import annotations

import hashlib
import json
import logging
import threading
from collections.abc import Callable
from datetime import datetime, timezone
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from bot.db import Database
from bot.models import InboxEvent, utcnow

log = logging.getLogger(__name__)

MESSAGE_CONTENT_KEYS = ("text", "title", "address", "fileName")


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


def _event_time(event: dict[str, Any]) -> datetime | None:
    timestamp = event.get("timestamp")
    if isinstance(timestamp, (int, float)) and 0 < timestamp < 1e14:
        return datetime.fromtimestamp(timestamp / 1000, tz=timezone.utc)
    return None


def inbox_rows(events: list[Any], received_at: datetime, *, storable: bool = False) -> dict[str, dict[str, Any]]:
    """The rows a delivery's events become, by event key (a key repeated within it is stored once).

    ``storable``: the caller knows the events hold no text a database refuses
    (see :func:`may_hold_unstorable_text`), so they need no cleaned copy.
    """
    rows: dict[str, dict[str, Any]] = {}
    for event in events:
        if not isinstance(event, dict):
            continue
        if not storable:
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
            "payload": event,
            "event_at": _event_time(event),
            "received_at": received_at,
            # Standby events belong to another channel's module: keep, never answer.
            "status": InboxEvent.PENDING if mode == "active" else InboxEvent.IGNORED,
        })
    return rows


def insert_new(cursor: Any, dialect: str, rows: list[dict[str, Any]]) -> set[str]:
    """Insert the rows no earlier delivery stored; returns the keys of those inserted as pending work.

    One statement for all the rows, run on the driver's own cursor (see
    :meth:`bot.db.Database.driver_cursor`); a duplicate key (a redelivery)
    is skipped by the unique index, so concurrent deliveries cannot both
    insert it, and RETURNING names only the rows actually inserted.
    """
    statement, timestamp = _INSERT_NEW[dialect]
    cursor.execute(statement, (json.dumps(rows, ensure_ascii=False, separators=(",", ":"), default=timestamp),))
    return {key for key, status in cursor.fetchall() if status == InboxEvent.PENDING}


# The rows go as one JSON document, so the statement's text is the same for
# any number of rows: the driver converts it once and the server prepares it
# once. A multi-row VALUES list is instead a new statement of up to hundreds
# of parameters at each size of batch (and has a limit on their number): that
# and SQLAlchemy's handling of each parameter were most of the webhook's time.
# Timestamps are written as each database reads them: ISO 8601 with the
# offset for PostgreSQL, the naive UTC text SQLAlchemy keeps in SQLite.
_COLUMNS = {"event_key": "varchar", "source_key": "varchar", "event_type": "varchar", "mode": "varchar",
            "is_redelivery": "boolean", "payload": "jsonb", "event_at": "timestamptz",
            "received_at": "timestamptz", "status": "varchar"}
_SQLITE_FIELDS = ", ".join(f"json_extract(value, '$.{column}')" for column in _COLUMNS)
_INSERT_NEW: dict[str, tuple[str, Callable[[datetime], str]]] = {
    "postgresql": (
        f"INSERT INTO inbox_events ({', '.join(_COLUMNS)}, attempts) "
        f"SELECT {', '.join(_COLUMNS)}, 0 FROM json_to_recordset(%s::json) "
        f"AS r({', '.join(f'{column} {kind}' for column, kind in _COLUMNS.items())}) "
        "ON CONFLICT (event_key) DO NOTHING RETURNING event_key, status",
        datetime.isoformat,
    ),
    "sqlite": (
        # "WHERE true": SQLite's grammar needs it before ON CONFLICT in INSERT ... SELECT.
        f"INSERT INTO inbox_events ({', '.join(_COLUMNS)}, attempts) "
        f"SELECT {_SQLITE_FIELDS}, 0 "
        "FROM json_each(?) WHERE true "
        "ON CONFLICT (event_key) DO NOTHING RETURNING event_key, status",
        lambda moment: moment.astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M:%S.%f"),
    ),
}


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

    __slots__ = ("rows", "written", "fresh", "error")

    def __init__(self, rows: dict[str, dict[str, Any]]) -> None:
        self.rows = rows
        self.written = threading.Event()
        self.fresh: set[str] = set()
        self.error: BaseException | None = None


class InboxWriter:
    """Stores webhook deliveries durably, several at once: group commit.

    Under a burst, each of a web process's threads would otherwise open its
    own transaction and wait its turn for the database. Instead, the first
    thread to arrive writes every delivery waiting at that moment in one
    transaction, then the ones that arrived meanwhile, and so on; the others
    wait for their rows to be committed. No request is answered before its
    own rows are committed, and an error (the database is down) reaches every
    request of the batch, so each answers 503 and LINE redelivers.

    After each commit, ``start_work`` is called once with every source that
    has new pending events (the worker's task), not once per request. If it
    fails, the events are safe in the inbox and the sweeper starts them.
    """

    def __init__(self, db: Database, start_work: Callable[[list[str]], None]) -> None:
        self.db = db
        self.start_work = start_work
        self._lock = threading.Lock()
        self._waiting: list[_Delivery] = []
        self._writing = False

    def store(self, events: list[Any], *, storable: bool = False) -> set[str]:
        """Store a delivery's new events and start the work; returns the sources that have new pending work."""
        rows = inbox_rows(events, utcnow(), storable=storable)
        if not rows:
            return set()
        delivery = _Delivery(rows)
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

    def _insert(self, rows: list[dict[str, Any]]) -> set[str]:
        try:
            with self.db.driver_cursor() as cursor:
                return insert_new(cursor, self.db.dialect, rows)
        except DBAPIError as exc:
            if not exc.connection_invalidated:
                raise
        # The database dropped the connection (it restarted): once more on a new
        # one. Had the first insert committed, this one finds its rows stored and
        # returns none of them, and the sweeper starts their work.
        with self.db.driver_cursor() as cursor:
            return insert_new(cursor, self.db.dialect, rows)

    def _write_until_none_wait(self) -> None:
        while True:
            with self._lock:
                batch, self._waiting = self._waiting, []
                if not batch:
                    self._writing = False
                    return
            try:
                merged: dict[str, dict[str, Any]] = {}
                for delivery in batch:
                    for key, row in delivery.rows.items():
                        merged.setdefault(key, row)
                fresh = self._insert(list(merged.values()))
                for delivery in batch:
                    delivery.fresh = fresh
                sources = sorted({merged[key]["source_key"] for key in fresh})
            except Exception as exc:  # noqa: BLE001 - every request of the batch answers for it
                sources = []
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
            if sources:
                try:
                    self.start_work(sources)
                except Exception:  # noqa: BLE001 - the sweeper picks the events up
                    log.exception("could not enqueue events; the sweeper will pick them up")


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
