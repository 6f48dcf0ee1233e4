"""The inbox: webhook events stored durably before LINE gets its 200."""
from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable
from datetime import datetime, timezone
from typing import Any

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from bot.db import Database
from bot.models import InboxEvent, utcnow

log = logging.getLogger(__name__)

MESSAGE_CONTENT_KEYS = ("text", "title", "address", "fileName")
_INSERT = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}  # both have ON CONFLICT ... DO NOTHING


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


def _event_at(event: dict[str, Any]) -> datetime | None:
    """When the event happened (LINE's ``timestamp``, milliseconds since 1970), if it says so plausibly."""
    timestamp = event.get("timestamp")
    if isinstance(timestamp, (int, float)) and not isinstance(timestamp, bool) and 0 < timestamp < 1e14:
        return datetime.fromtimestamp(timestamp / 1000, tz=timezone.utc)
    return None


def inbox_rows(events: list[Any], received_at: datetime) -> list[dict[str, Any]]:
    """The rows a delivery's events become (an event key repeated within it is stored once)."""
    rows: dict[str, dict[str, Any]] = {}
    for event in events:
        if not isinstance(event, dict):
            continue
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
            "event_at": _event_at(event),
            "received_at": received_at,
            # Standby events belong to another channel's module: keep, never answer.
            "status": InboxEvent.PENDING if mode == "active" else InboxEvent.IGNORED,
        })
    return list(rows.values())


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


class InboxWriter:
    """Stores a webhook delivery's events and starts the worker on them."""

    def __init__(self, db: Database, start_work: Callable[[list[str]], None]) -> None:
        self.db = db
        self.start_work = start_work
        # A redelivered event (same key) is skipped by the unique index, so
        # concurrent deliveries cannot both insert it, and RETURNING names only
        # the rows actually inserted.
        self._insert_new = (
            _INSERT[db.engine.dialect.name](InboxEvent)
            .on_conflict_do_nothing(index_elements=[InboxEvent.event_key])
            .returning(InboxEvent.source_key, InboxEvent.status)
        )

    def store(self, events: list[Any]) -> set[str]:
        """Store the events no earlier delivery stored; returns the sources that have new pending work.

        The rows are committed before this returns, so LINE's 200 follows a
        durable write; the worker is started after the commit. If that fails,
        the events are safe in the inbox and the sweeper starts them.
        """
        rows = inbox_rows(events, utcnow())
        if not rows:
            return set()
        with self.db.transaction() as session:
            # One INSERT ... VALUES for all the rows (SQLAlchemy's "insertmanyvalues").
            inserted = session.connection().execute(self._insert_new, rows).all()
        sources = {source for source, status in inserted if status == InboxEvent.PENDING}
        if sources:
            try:
                self.start_work(sorted(sources))
            except Exception:  # noqa: BLE001 - the sweeper picks the events up
                log.exception("could not enqueue events; the sweeper will pick them up")
        return sources


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
