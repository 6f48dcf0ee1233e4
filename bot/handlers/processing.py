"""The worker's side of the webhook: process one source's events in order.

Each event is handled in one transaction that also records it as
processed and queues its answers in the outbox, so a worker killed at any
point leaves the event either untouched (processed again later) or done.

Nothing in that transaction waits on the network: a transaction held while
LINE answers holds every writer behind it (on SQLite, the webhook's too).
What an event needs from LINE (a follower's profile) is fetched before its
transaction opens, and the tasks its handler queued (rich menu, photos)
are queued after it committed; the answers go out through the outbox.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta

from linebot.v3.webhooks import Event
from sqlalchemy import Select, select

from bot.flows.context import EventContext
from bot.handlers.dispatch import dispatch
from bot.inbox.store import InboxService, redact
from bot.messaging.line_api import LineApiError, Profile
from bot.messaging.outbox import Outbox
from bot.models import InboxEvent, utcnow
from bot.services.residents import ResidentService

log = logging.getLogger(__name__)


def _pending(source: str, *columns) -> Select:  # noqa: ANN002
    """The source's events still waiting to be processed."""
    return select(*columns).where(InboxEvent.source_key == source, InboxEvent.status == InboxEvent.PENDING)


@dataclass(frozen=True)
class FromLine:
    """What one event needs from LINE, fetched before its transaction: a follower's profile."""

    event_id: int
    user_id: str
    profile: Profile | None  # None: LINE did not answer


@dataclass(frozen=True)
class Step:
    """How one turn of the loop went: whom to send to, and the event to take next (None: no more)."""

    recipients: set[str]
    next_event: tuple[int, str] | None  # (id, event type)


def needs_profile(event_type: str) -> bool:
    """Whether handling this event needs the resident's LINE profile (name and language)."""
    return event_type == "follow"


class EventProcessor:
    def __init__(self, tsunagu) -> None:  # noqa: ANN001
        self.tsunagu = tsunagu
        self.db = tsunagu.db

    def process_source(self, source: str) -> set[str]:
        """Process the source's pending events oldest first; return recipients with new outbox messages."""
        recipients: set[str] = set()
        fetched: FromLine | None = None
        while True:
            step = self._process_next(source, fetched)
            recipients |= step.recipients
            if step.next_event is None:
                return recipients
            event_id, event_type = step.next_event
            if needs_profile(event_type) and (fetched is None or fetched.event_id != event_id):
                # Outside any transaction: LINE may take seconds to answer.
                fetched = FromLine(event_id, source, self._line_profile(source))

    def _line_profile(self, user_id: str) -> Profile | None:
        try:
            return self.tsunagu.line.get_profile(user_id)
        except LineApiError as error:
            log.warning("profile lookup failed: %s", error.status)
            return None

    def _oldest_pending(self, session, source: str) -> InboxEvent | None:  # noqa: ANN001
        # Locking the oldest pending event serialises this source's
        # processing across workers; other sources go on in parallel.
        return session.scalars(
            _pending(source, InboxEvent).order_by(InboxEvent.event_at, InboxEvent.id).limit(1).with_for_update()
        ).first()

    def _process_next(self, source: str, fetched: FromLine | None) -> Step:
        """Process the oldest pending event, unless it needs from LINE what ``fetched`` does not hold."""
        with self.db.transaction() as session:
            row = self._oldest_pending(session, source)
            if row is None:
                # On PostgreSQL, a worker that waited for another's lock on the
                # oldest event gets no row once that event is done, even when a
                # newer one is pending: look once more.
                row = self._oldest_pending(session, source)
            if row is None:
                return Step(set(), None)
            if needs_profile(row.event_type) and (fetched is None or fetched.event_id != row.id):
                return Step(set(), (row.id, row.event_type))  # nothing changed: fetch first, then come back
            row.attempts += 1
            outbox = Outbox(session, self.tsunagu.config["REPLY_TOKEN_FRESH_SECONDS"])
            ctx = None
            try:
                with session.begin_nested():
                    ctx = self._context(session, row, outbox, fetched)
                    if ctx is not None:
                        dispatch(ctx)
                        ctx.flush_answers()
                row.status = InboxEvent.PROCESSED if ctx is not None else InboxEvent.IGNORED
                row.error = None
            except Exception as exc:  # noqa: BLE001 - one bad event must not stop the others
                # Never log the event itself: it may carry what a resident wrote.
                log.exception("event %s (%s) failed on attempt %s", row.id, row.event_type, row.attempts)
                row.error = f"{type(exc).__name__}"[:300]
                if row.attempts < self.tsunagu.config["INBOX_MAX_ATTEMPTS"]:
                    return Step(set(), (row.id, row.event_type))  # left pending: tried again at once
                row.status = InboxEvent.FAILED
                self._apologise(session, row, outbox)
            row.processed_at = utcnow()
            row.payload = redact(row.payload)
            later = ctx.tasks_after_commit if ctx is not None and row.status == InboxEvent.PROCESSED else []
            recipients = {message.to for message in outbox.queued}
            # Asked in this transaction, so the loop needs no extra one to find
            # nothing; an event stored after this look comes with its own task.
            following = session.execute(
                _pending(source, InboxEvent.id, InboxEvent.event_type)
                .where(InboxEvent.id != row.id)
                .order_by(InboxEvent.event_at, InboxEvent.id)
                .limit(1)
            ).first()
        for task, args in later:
            task(*args)
        return Step(recipients, tuple(following) if following is not None else None)

    def _context(self, session, row: InboxEvent, outbox: Outbox,  # noqa: ANN001
                 fetched: FromLine | None = None) -> EventContext | None:
        # Fields LINE sometimes leaves out (older or hand-made events) but the SDK requires.
        payload = {"webhookEventId": row.event_key, "deliveryContext": {"isRedelivery": False}, **row.payload}
        try:
            event = Event.from_dict(payload)
        except (ValueError, KeyError, TypeError, AttributeError):
            # An event type this SDK does not know, or a shape it rejects (the SDK
            # raises KeyError/TypeError on missing or wrong-typed fields): keep it, ignore it.
            return None
        resident = None
        user_id = getattr(getattr(event, "source", None), "user_id", None)
        if user_id and getattr(getattr(event, "source", None), "type", None) == "user":
            resident = ResidentService(session).get_or_create(user_id)
        line_profile = None
        if fetched is not None and fetched.event_id == row.id and fetched.user_id == user_id:
            line_profile = fetched.profile
        return EventContext(self.tsunagu.config, self.tsunagu.profile, session, row, event, resident, outbox,
                            line_profile=line_profile)

    def _apologise(self, session, row: InboxEvent, outbox: Outbox) -> None:  # noqa: ANN001
        """Tell the resident something went wrong instead of staying silent."""
        from bot.flows.menu import apology

        try:
            with session.begin_nested():
                ctx = self._context(session, row, outbox)
                if ctx is not None and ctx.resident is not None:
                    ctx.answer(*apology(ctx))
                    ctx.flush_answers()
        except Exception:  # noqa: BLE001
            log.exception("could not queue an apology for event %s", row.id)

    def stale_sources(self) -> list[str]:
        grace = timedelta(seconds=self.tsunagu.config["SWEEP_GRACE_SECONDS"])
        with self.db.transaction() as session:
            return InboxService(session).sources_with_stale_pending(utcnow() - grace)
