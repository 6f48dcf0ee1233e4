"""The inbox: webhook events stored durably before LINE gets its 200."""
from __future__ import annotations

import functools
import hashlib
import json
from datetime import datetime, timezone
from typing import Any

from sqlalchemy import Insert, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from bot.models import InboxEvent, utcnow

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


class InboxService:
    """Stores and finds webhook events; takes an ORM session or, on the webhook's hot path, a bare connection."""

    def __init__(self, session: Session | Connection) -> None:
        self.session = session

    def store(self, events: list[dict[str, Any]]) -> set[str]:
        """Store new events; returns the source keys that have new pending work.

        A duplicate (same key, e.g. a redelivery) is skipped by the database's
        unique index, so concurrent deliveries cannot both insert it.
        """
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
                "event_at": _event_time(event),
                "received_at": utcnow(),
                # Standby events belong to another channel's module: keep, never answer.
                "status": InboxEvent.PENDING if mode == "active" else InboxEvent.IGNORED,
            })
        if not rows:
            return set()
        # One compiled statement, cached per dialect, run for the whole delivery
        # (SQLAlchemy batches the rows into one INSERT); RETURNING names only the
        # rows actually inserted, so duplicates and redeliveries start no work.
        connection = self.session if isinstance(self.session, Connection) else self.session.connection()
        inserted = connection.execute(_insert_new(connection.dialect.name), list(rows.values()))
        return {source for source, status in inserted if status == InboxEvent.PENDING}

    def sources_with_stale_pending(self, older_than: datetime) -> list[str]:
        """Sources whose events were stored but not processed in time (sweeper)."""
        return list(
            self.session.scalars(
                select(InboxEvent.source_key)
                .where(InboxEvent.status == InboxEvent.PENDING, InboxEvent.received_at < older_than)
                .distinct()
            )
        )


@functools.cache
def _insert_new(dialect: str) -> Insert:
    """INSERT ... ON CONFLICT (event_key) DO NOTHING RETURNING source_key, status."""
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    table = InboxEvent.__table__
    return (
        insert(table)
        .on_conflict_do_nothing(index_elements=[table.c.event_key])
        .returning(table.c.source_key, table.c.status)
    )


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
