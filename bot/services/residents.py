"""Residents (LINE users) and their conversations."""
from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.i18n import normalise_locale
from bot.models import Conversation, Resident, utcnow


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
