"""Server-side login sessions: one row per logged-in browser (see ``StaffSession``).

The signed cookie names the session by a random key; the row decides
whether it is still open. Ending a session deletes its row, so a copy of the
cookie taken before logout opens nothing afterwards.
"""
from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from bot.models import StaffAccount, StaffSession

# The last-seen time is written at most this often (a write per page would be wasted).
_TOUCH_EVERY = timedelta(minutes=1)


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


class StaffSessions:
    """Opens, finds and ends staff sessions in one database session."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def open(self, account: StaffAccount, now: datetime, idle: timedelta) -> str:
        """Open a session for the account; return its key (for the cookie only). Purges long-idle ones."""
        self.session.execute(delete(StaffSession).where(StaffSession.last_seen_at < now - idle - _TOUCH_EVERY))
        key = secrets.token_urlsafe(32)
        self.session.add(StaffSession(staff_id=account.id, key_hash=_digest(key), created_at=now, last_seen_at=now))
        self.session.flush()
        return key

    def find(self, account_id: int, key: str) -> tuple[StaffSession, StaffAccount] | None:
        """The open session with this key and the account, if it belongs to that account and it is active."""
        row = self.session.execute(
            select(StaffSession, StaffAccount).join(StaffAccount, StaffAccount.id == StaffSession.staff_id)
            .where(StaffSession.key_hash == _digest(key))
        ).first()
        if row is None or row[1].id != account_id or not row[1].active:
            return None
        return row[0], row[1]

    def touch(self, key: str, now: datetime) -> None:
        """Note activity (at most once a minute)."""
        row = self.session.scalars(select(StaffSession).where(StaffSession.key_hash == _digest(key))).first()
        if row is not None and now - row.last_seen_at >= _TOUCH_EVERY:
            row.last_seen_at = now

    def end(self, key: str) -> None:
        self.session.execute(delete(StaffSession).where(StaffSession.key_hash == _digest(key)))

    def end_all(self, account: StaffAccount, *, keep: str | None = None) -> int:
        """End every session of the account (but ``keep``, the one making the change); return how many."""
        statement = delete(StaffSession).where(StaffSession.staff_id == account.id)
        if keep is not None:
            statement = statement.where(StaffSession.key_hash != _digest(keep))
        return self.session.execute(statement).rowcount or 0
