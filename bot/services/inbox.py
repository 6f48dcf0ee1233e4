"""The inbox: webhook events stored durably before LINE gets its 200."""
from __future__ import annotations

import hashlib
import json
from datetime import datetime, timezone
from typing import Any

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from bot.models import InboxEvent

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
    def __init__(self, session: Session) -> None:
        self.session = session

    def store(self, events: list[dict[str, Any]]) -> set[str]:
        """Store new events; returns the source keys that have new pending work.

        A duplicate (same key, e.g. a redelivery) is skipped by the database's
        unique index, so concurrent deliveries cannot both insert it.
        """
        dialect = self.session.get_bind().dialect.name
        insert = pg_insert if dialect == "postgresql" else sqlite_insert
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
                # Standby events belong to another channel's module: keep, never answer.
                "status": InboxEvent.PENDING if mode == "active" else InboxEvent.IGNORED,
            })
        if not rows:
            return set()
        # One statement for the whole delivery; RETURNING names only the rows
        # actually inserted, so duplicates and redeliveries start no work.
        inserted = self.session.execute(
            insert(InboxEvent)
            .values(list(rows.values()))
            .on_conflict_do_nothing(index_elements=["event_key"])
            .returning(InboxEvent.source_key, InboxEvent.status)
        )
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
