"""The audit log's hash chain: each entry sealed with the one before it.

Every entry's ``chain_hash`` is ``SHA-256(previous entry's hash + this entry's
canonical content)``. Changing, removing or reordering an entry after it was
written breaks the chain at that point, and :func:`verify` names the first
entry where it breaks. The database refuses UPDATE and DELETE on the table
(a trigger, migration 0015); the chain is what still shows tampering by
someone who can switch the trigger off.

Entries join the chain one at a time, as the transaction that writes them
commits: on PostgreSQL a transaction-scoped advisory lock orders writers
from every web process and the worker (the lock is held until commit, so
the next writer reads the committed tail); on SQLite every transaction
already holds the database's one write lock (``BEGIN IMMEDIATE``, bot/db.py).
"""
from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timezone

from sqlalchemy import event, select, text
from sqlalchemy.orm import Session

from bot.models import AuditLog, utcnow

GENESIS = "0" * 64
_PENDING = "audit_chain.pending"  # the session's entries waiting for its commit
# Any constant the application uses for nothing else: the key of the advisory lock.
_LOCK_KEY = 0x7473_756E_6167_75  # "tsunagu"


def content_of(entry: AuditLog) -> bytes:
    """The entry's content in one fixed form: what the hash covers (every column but the id and the hash)."""
    at = entry.at.astimezone(timezone.utc).isoformat(timespec="microseconds") if entry.at else None
    fields = [at, entry.actor_id, entry.action, entry.target_type, entry.target_id, entry.ip, entry.user_agent,
              entry.details or {}]
    return json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def seal(previous_hash: str, entry: AuditLog) -> str:
    return hashlib.sha256(previous_hash.encode("ascii") + content_of(entry)).hexdigest()


def append(session: Session, entry: AuditLog) -> AuditLog:
    """Add an entry to the session's transaction; it joins the end of the chain as the transaction commits.

    The entry is held back until then so that the chain's lock is the last
    one the transaction takes: a writer holding it waits for nothing but its
    own commit, so it cannot deadlock with one holding a row it needs.
    """
    if _PENDING not in session.info:
        session.info[_PENDING] = []
        event.listen(session, "before_commit", _seal_pending)
        event.listen(session, "after_rollback", _forget_pending)
    session.info[_PENDING].append(entry)
    return entry


def _seal_pending(session: Session) -> None:
    pending, session.info[_PENDING] = session.info[_PENDING], []
    if not pending:
        return
    session.flush()  # the change being audited first: its row locks are taken before the chain's
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _LOCK_KEY})
    tail = session.scalar(select(AuditLog.chain_hash).order_by(AuditLog.id.desc()).limit(1)) or GENESIS
    for entry in pending:
        entry.at = entry.at or utcnow()  # the column's default would come after the hash
        tail = entry.chain_hash = seal(tail, entry)
        session.add(entry)
        session.flush()  # one at a time: the ids follow the chain's order


def _forget_pending(session: Session) -> None:
    session.info[_PENDING] = []


@dataclass
class Verification:
    """What :func:`verify` found: how many entries it checked and which ones break the chain."""

    checked: int = 0
    broken: list[int] = field(default_factory=list)
    unchained: int = 0  # entries from before the chain began
    last_hash: str = GENESIS

    @property
    def intact(self) -> bool:
        return not self.broken


def verify(session: Session, batch: int = 1000) -> Verification:
    """Recompute the chain from the first entry; each entry is checked against the hash stored before it.

    A changed entry breaks at itself; a removed one breaks at the entry after it.
    """
    result = Verification()
    previous: str | None = None
    for entry in _in_order(session, batch):
        if entry.chain_hash is None and previous is None:
            result.unchained += 1
            continue
        result.checked += 1
        if entry.chain_hash != seal(previous or GENESIS, entry):
            result.broken.append(entry.id)
        previous = entry.chain_hash or ""
    result.last_hash = previous or GENESIS
    return result


def _in_order(session: Session, batch: int) -> Iterator[AuditLog]:
    last_id = 0
    while True:
        rows = list(session.scalars(select(AuditLog).where(AuditLog.id > last_id).order_by(AuditLog.id).limit(batch)))
        if not rows:
            return
        yield from rows
        last_id = rows[-1].id
        session.expunge_all()
