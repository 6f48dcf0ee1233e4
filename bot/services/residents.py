"""Residents (LINE users), their conversations, and their whole story as staff read it (本人ページ)."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any, Protocol

from sqlalchemy import ColumnElement, Select, select
from sqlalchemy.orm import Session, selectinload

from bot.i18n import normalise_locale
from bot.models import Conversation, Resident, utcnow
from bot.models.events import Event, SignUp
from bot.models.households import HouseholdMember
from bot.models.intake import IntakeMessage, IntakeRecord
from bot.municipality import Municipality


class ResidentService:
    def __init__(self, session: Session) -> None:
        self.session = session

    def get_or_create(self, line_user_id: str) -> Resident:
        resident = self.session.scalars(
            select(Resident).where(Resident.line_user_id == line_user_id)
        ).first()
        if resident is None:
            resident = Resident(line_user_id=line_user_id, locale="ja", is_following=True)
            self.session.add(resident)
            self.session.flush()
        return resident

    def followed(self, resident: Resident, display_name: str | None, language: str | None, locale: str) -> None:
        resident.is_following = True
        resident.blocked_at = None
        resident.followed_at = utcnow()
        if display_name:
            resident.display_name = display_name[:200]
        if language:
            # A language the resident chose from the menu (やさしい日本語, or English on a
            # Japanese phone) outlives blocking and re-adding the account.
            chosen = resident.profile_language is not None and resident.locale != normalise_locale(
                resident.profile_language)
            resident.profile_language = language[:16]
            if not chosen:
                resident.locale = locale

    def blocked(self, resident: Resident) -> None:
        resident.is_following = False
        resident.blocked_at = utcnow()


class ConversationService:
    """One active flow per resident, kept in the database between events."""

    def __init__(self, session: Session, ttl_minutes: int) -> None:
        self.session = session
        self.ttl = timedelta(minutes=ttl_minutes)

    def active(self, resident: Resident) -> Conversation | None:
        conversation = self.session.scalars(
            select(Conversation)
            .where(Conversation.resident_id == resident.id, Conversation.ended_at.is_(None))
            .order_by(Conversation.id.desc())
            .limit(1)
        ).first()
        if conversation is not None and conversation.expires_at <= utcnow():
            self.end(conversation, "expired")
            return None
        return conversation

    def start(self, resident: Resident, flow: str, state: str, data: dict[str, Any] | None = None) -> Conversation:
        current = self.active(resident)
        if current is not None:
            self.end(current, "replaced")
        now = utcnow()
        conversation = Conversation(
            resident_id=resident.id,
            flow=flow,
            state=state,
            data=data or {},
            started_at=now,
            updated_at=now,
            expires_at=now + self.ttl,
        )
        self.session.add(conversation)
        self.session.flush()
        return conversation

    def save(self, conversation: Conversation, state: str, data: dict[str, Any]) -> None:
        now = utcnow()
        conversation.state = state
        conversation.data = dict(data)  # a new object, so the JSON column is marked dirty
        conversation.updated_at = now
        conversation.expires_at = now + self.ttl

    def resume(self, resident: Resident, conversation_id: int | None) -> Conversation | None:
        """Make the resident's flow that another replaced active again (after a question that interrupted it).

        None when there is no such flow, or it is too old to take up again.
        """
        conversation = self.session.get(Conversation, conversation_id) if conversation_id else None
        if (conversation is None or conversation.resident_id != resident.id
                or conversation.end_reason != "replaced" or conversation.expires_at <= utcnow()):
            return None
        current = self.active(resident)
        if current is not None:
            self.end(current, "completed")
        conversation.ended_at = None
        conversation.end_reason = None
        return conversation

    def end(self, conversation: Conversation, reason: str) -> None:
        conversation.ended_at = utcnow()
        conversation.end_reason = reason


class ResidentScope(Protocol):
    """What the resident page asks of a staff member's scope (admin.scope.Scope)."""

    def can_see_centre(self, centre_code: str | None) -> bool: ...
    def can_open_resident(self, record_centres: Any) -> bool: ...
    def filter_by_centre(self, stmt: Select, centre_column: ColumnElement) -> Select: ...


@dataclass
class HouseholdMate:
    """Another member of the resident's household and the records of theirs the staff member sees."""

    member: HouseholdMember
    records: list[IntakeRecord]

    @property
    def visible(self) -> bool:
        return bool(self.records)


@dataclass
class ResidentStory:
    """One resident as a staff member's scope allows: every record listed, contents only of those in scope."""

    resident: Resident
    records: list[IntakeRecord]  # all of the resident's records, oldest first
    readable: set[int]  # ids of the records in scope
    thread: list[IntakeMessage]  # messages of the readable records, oldest first
    signups: list[SignUp]  # sign-ups for events of centres in scope
    membership: HouseholdMember | None = None
    household: list[HouseholdMate] = field(default_factory=list)

    @property
    def readable_records(self) -> list[IntakeRecord]:
        return [record for record in self.records if record.id in self.readable]


class ResidentFiles:
    """Reads one resident's story for the admin view (本人ページ), within the staff member's scope."""

    def __init__(self, session: Session, profile: Municipality) -> None:
        self.session = session
        self.profile = profile

    def story(self, scope: ResidentScope, resident_id: int) -> ResidentStory | None:
        """The resident's story, or None when they do not exist or none of their records is in scope."""
        resident = self.session.get(Resident, resident_id)
        if resident is None:
            return None
        records = self._records_of(resident.id)
        if not scope.can_open_resident(record.centre_code for record in records):
            return None
        readable = {record.id for record in records if scope.can_see_centre(record.centre_code)}
        thread = sorted((message for record in records if record.id in readable for message in record.messages),
                        key=lambda message: (message.created_at, message.id))
        signups = self.session.scalars(scope.filter_by_centre(
            select(SignUp).join(Event, Event.id == SignUp.event_id).where(SignUp.resident_id == resident.id)
            .options(selectinload(SignUp.event)).order_by(Event.starts_at.desc()), Event.centre_code)).all()
        story = ResidentStory(resident=resident, records=records, readable=readable, thread=thread,
                              signups=list(signups))
        story.membership = self.session.scalars(
            select(HouseholdMember).where(HouseholdMember.resident_id == resident.id)).first()
        if story.membership is not None:
            story.household = [
                HouseholdMate(member, [record for record in self._records_of(member.resident_id)
                                       if scope.can_see_centre(record.centre_code)])
                for member in story.membership.household.members if member.resident_id != resident.id]
        return story

    def _records_of(self, resident_id: int) -> list[IntakeRecord]:
        return list(self.session.scalars(
            select(IntakeRecord).where(IntakeRecord.municipality == self.profile.code,
                                       IntakeRecord.resident_id == resident_id)
            .options(selectinload(IntakeRecord.messages)).order_by(IntakeRecord.created_at, IntakeRecord.id)))
