"""What a handler or flow step gets: the resident, the session, and a way to answer."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from huey.api import TaskWrapper
from sqlalchemy.orm import Session

from bot.i18n import Translator
from bot.messaging.outbox import Outbox
from bot.models import InboxEvent, Resident
from bot.services.residents import ConversationService, ResidentService

if TYPE_CHECKING:
    from bot.container import Tsunagu


@dataclass
class EventContext:
    tsunagu: Tsunagu
    session: Session
    row: InboxEvent
    event: Any  # the SDK's parsed webhook event
    resident: Resident | None
    outbox: Outbox
    answers: list[dict] = field(default_factory=list)
    tasks_after_commit: list[tuple[TaskWrapper, tuple]] = field(default_factory=list)

    @property
    def profile(self):  # noqa: ANN201
        return self.tsunagu.profile

    @property
    def config(self) -> dict[str, Any]:
        return self.tsunagu.config

    @property
    def t(self) -> Translator:
        locale = self.resident.locale if self.resident else self.config["DEFAULT_LOCALE"]
        return Translator(locale, self.config["TIMEZONE"])

    def _(self, message: str, **params: object) -> str:
        """Translate into the resident's stored language."""
        return self.t._(message, **params)

    @property
    def residents(self) -> ResidentService:
        return ResidentService(self.session)

    @property
    def conversations(self) -> ConversationService:
        return ConversationService(self.session, self.config["CONVERSATION_TTL_MINUTES"])

    def enqueue_after_commit(self, task: TaskWrapper, *args: Any) -> None:
        """Queue a worker task (``task(*args)``) once this event's transaction has committed, never inside it."""
        self.tasks_after_commit.append((task, args))

    def answer(self, *messages: dict) -> None:
        """Add messages to this event's reply; sent together after commit."""
        self.answers.extend(messages)

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
