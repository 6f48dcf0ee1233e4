"""What a handler or flow step gets: the resident, the session, and ways to answer.

Everything a handler does runs inside the event's transaction (on SQLite,
in the database's one writer turn): a call to LINE, SMTP or the queue from
there would hold every other writer, the webhook's too, until the network
answered. So the context carries no LINE client and no task queue. What an
event needs from LINE is fetched before its transaction opens
(``line_profile``, see bot/handlers/processing.py); what a step wants done
on the network it queues with ``enqueue_after_commit``, and the worker
queues it once the transaction has committed. Replies go to the outbox and
are sent after commit too.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from huey.api import TaskWrapper
from sqlalchemy.orm import Session

from bot.i18n import Translator
from bot.messaging.line_api import Profile
from bot.messaging.outbox import Outbox
from bot.models import InboxEvent, Resident, utcnow
from bot.municipality import Municipality
from bot.services.residents import ConversationService, ResidentService


@dataclass
class EventContext:
    config: dict[str, Any]
    profile: Municipality  # the city's profile: centres, areas, hotlines
    session: Session
    row: InboxEvent
    event: Any  # the SDK's parsed webhook event
    resident: Resident | None
    outbox: Outbox
    # follow: the resident's LINE profile, fetched before the transaction (None when LINE did not answer).
    line_profile: Profile | None = None
    answers: list[dict] = field(default_factory=list)
    # True when a step chose not to answer: the message joins a burst already acknowledged.
    covered: bool = False
    # True when the answer is an acknowledgement of a message joining a record (bot/flows/thread.py).
    acknowledged: bool = False
    tasks_after_commit: list[tuple[TaskWrapper, tuple]] = field(default_factory=list)

    @property
    def t(self) -> Translator:
        locale = self.resident.locale if self.resident else self.config["DEFAULT_LOCALE"]
        return Translator(locale, self.config["TIMEZONE"])

    def _(self, message: str, **params: object) -> str:
        """Translate into the resident's stored language."""
        return self.t._(message, **params)

    @property
    def clock(self) -> Callable[[], datetime]:
        """The app's clock: the ``CLOCK`` setting (tests and demos), else the real time."""
        return self.config.get("CLOCK") or utcnow

    @property
    def residents(self) -> ResidentService:
        return ResidentService(self.session)

    @property
    def conversations(self) -> ConversationService:
        return ConversationService(self.session, self.config["CONVERSATION_TTL_MINUTES"])

    def enqueue_after_commit(self, task: TaskWrapper, *args: Any) -> None:
        """Queue a worker task (``task(*args)``) once this event's transaction has committed, never inside it."""
        if not isinstance(task, TaskWrapper):
            raise TypeError(f"only worker tasks run after commit, not {task!r}")
        self.tasks_after_commit.append((task, args))

    def answer(self, *messages: dict) -> None:
        """Add messages to this event's reply; sent together after commit."""
        self.answers.extend(messages)

    def covered_by_earlier_answer(self) -> None:
        """Send no answer to this message: an acknowledgement a moment ago already covers it."""
        self.covered = True

    def flush_answers(self) -> None:
        if not self.answers:
            return
        self.outbox.reply(
            self.row.source_key,
            self.resident,
            getattr(self.event, "reply_token", None),
            self.row.event_at,
            self.answers,
            source_event_id=self.row.id,
        )
        self.answers = []
