"""Consultation records: created with consent, numbered, threaded, withdrawn, marked urgent.

Used by the intake conversation (bot/flows/intake.py), the status flow, the
worker (photos) and the admin view. Nothing here logs what residents wrote.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import delete, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from bot.i18n import N_
from bot.models import Conversation, Resident, utcnow
from bot.models.intake import (
    ContactMethod,
    IntakeAttachment,
    IntakeMessage,
    IntakeRecord,
    LegalBasis,
    ReceiptCounter,
    RecordStatus,
    Subject,
    Urgency,
)
from bot.models.workflow import RecordEvent
from bot.municipality import Municipality
from bot.services.phone import normalise_phone
from bot.services.routing import Route, Router
from bot.services.safety import detect_danger, ordered
from bot.services.threads import CHOICE_FLOW
from bot.services.workflow import Workflow

__all__ = [
    "CALLBACK_CONSENT_VERSION",
    "CONSENT_VERSION",
    "DRAFT_ANSWER_KEYS",
    "Answers",
    "ConsentRequired",
    "IntakeError",
    "IntakeService",
    "NotWithdrawable",
    "RecordStatus",
    "held_answers",
    "plain_status",
    "remove_unsent_message",
]

# The version of the consent text residents agree to (CONSENT_SUMMARY and CONSENT_TEXT in
# bot/flows/intake_questions.py). Change it whenever that text changes, so
# each record says which wording the resident saw.
CONSENT_VERSION = "2026-12"  # 2026-12: a short summary, the whole text behind 「詳しく」
# The one line a resident agrees to when asking to be called back (CALLBACK_CONSENT in bot/flows/callback.py).
CALLBACK_CONSENT_VERSION = "callback-2026-12"
# A consultation staff took by phone or at the counter: the person agreed, in words, to the record.
SPOKEN_CONSENT_VERSION = "spoken-2026-12"
STAFF_CHANNELS = ("phone", "counter")  # IntakeRecord.source of a record staff entered (the figures' 受付経路)
# How long an unfinished consultation (a draft) is kept.
DRAFT_TTL = timedelta(hours=24)
INTAKE_FLOW = "intake"
# What a purged draft keeps: that the resident has not yet been told it is gone.
UNTOLD_EXPIRY = "expired_untold"
# Why a resident withdrew an urgent record (the timeline's ``because``): it was a misunderstanding.
MISUNDERSTANDING = "misunderstanding"
# The keys of a draft (the intake flow's data, bot/flows/intake.py) that hold what the resident
# answered: a draft holding any of them is worth resuming, and 戻る after a change restores them.
DRAFT_ANSWER_KEYS = ("subject", "categories", "area", "area_source", "details", "urgency", "contact", "phone",
                     "ask_phone", "times", "times_text", "relation", "person_name", "safe_contact", "interpreter",
                     "welfare_check")


def held_answers(data: dict[str, Any] | None) -> bool:
    """True when a draft holds anything the resident gave (worth resuming, or telling them it expired)."""
    return bool(data) and any(data.get(key) for key in DRAFT_ANSWER_KEYS)


# Categories a danger signal puts on a minimal record, by support field.
DANGER_FIELDS = {
    "suicide": ("health",),
    "medical": ("health",),
    "dv": ("violence",),
    "violence": ("violence",),
    "child_abuse": ("children", "violence"),
}

# What residents see as the status of their record (相談の状況): 受付済み → 担当者が確認しています → 対応中 → 完了.
PLAIN_STATUS = {
    RecordStatus.NEW: N_("受付済み"),
    RecordStatus.TRIAGED: N_("担当者が確認しています"),
    RecordStatus.FORWARDED: N_("担当者が確認しています"),  # the receiving centre reads it before accepting
    RecordStatus.IN_PROGRESS: N_("対応中"),
    RecordStatus.ESCALATED: N_("対応中"),  # several agencies together (多機関協働): still 対応中 to the resident
    RecordStatus.CLOSED: N_("完了"),
    RecordStatus.WITHDRAWN: N_("取り下げ済み"),
}


def plain_status(status: str, *, seen: bool = False) -> str:
    """The status as residents read it (a message id); a status staff add later reads as 対応中.

    ``seen``: staff have already acted on a new record (given it to someone,
    written a note or a message) without moving it on: 担当者が確認しています.
    """
    if status == RecordStatus.NEW and seen:
        return PLAIN_STATUS[RecordStatus.TRIAGED]
    return PLAIN_STATUS.get(status, N_("対応中"))


class IntakeError(Exception):
    """A consultation cannot be created or changed as asked."""


class ConsentRequired(IntakeError):
    """A record is created only after the resident agreed to the consent text."""


class NotWithdrawable(IntakeError):
    """The record is closed, already withdrawn, or not the resident's."""


@dataclass
class Answers:
    """What the resident answered in the consultation conversation."""

    subject: str | None = None
    categories: list[str] = field(default_factory=list)
    area_code: str | None = None
    area_source: str | None = None
    urgency: str | None = None
    contact_method: str | None = None
    phone: str | None = None
    contact_times: str | None = None
    # [{"kind": "text", "id": <LINE message id>, "text": ...}, {"kind": "image", "id": ..., "attachment": <id>}]
    details: list[dict[str, Any]] = field(default_factory=list)
    danger_kinds: list[str] = field(default_factory=list)
    # About someone else (family, a neighbour): their name if known, and who the resident is to them.
    person_name: str | None = None
    relation: str | None = None
    safe_contact: str | None = None  # SafeContact, asked when the consultation is about violence
    interpreter: str | None = None  # a language, or "none"; asked of non-Japanese residents who want a call
    welfare_check: bool = False  # the details suggest the person may have collapsed at home


class IntakeService:
    """Consultation records of one municipality."""

    def __init__(self, session: Session, profile: Municipality, *, draft_ttl: timedelta = DRAFT_TTL) -> None:
        self.session = session
        self.profile = profile
        self.router = Router(profile)
        self.draft_ttl = draft_ttl

    # -- creating ------------------------------------------------------------------

    def submit(
        self,
        resident: Resident,
        answers: Answers,
        *,
        consent_at: datetime | None,
        consent_version: str | None = CONSENT_VERSION,
        urgent_record_id: int | None = None,
    ) -> IntakeRecord:
        """Create the record from the answers; only with the resident's consent.

        A minimal urgent record made earlier in the same conversation (a
        danger signal) is completed instead, keeping its receipt number.
        """
        if consent_at is None or not consent_version:
            raise ConsentRequired()
        if answers.contact_method == ContactMethod.PHONE:
            answers.phone = normalise_phone(answers.phone or "")
        else:
            answers.phone = None  # only kept when the resident asked to be called
        record = self._own_open_record(resident, urgent_record_id) if urgent_record_id else None
        if record is None or record.consent_at is not None:
            # Only a minimal record made for a danger signal is completed; an
            # earlier consultation that was marked urgent stays as it was.
            record = self._new_record(resident)
        record.source = "intake"
        record.subject = answers.subject
        record.categories = list(dict.fromkeys(answers.categories))
        record.area_code = answers.area_code
        record.area_source = answers.area_source
        record.urgency = answers.urgency
        record.contact_method = answers.contact_method
        record.phone = answers.phone
        record.contact_times = (answers.contact_times or "")[:200] or None
        about_someone_else = answers.subject not in (None, Subject.SELF)
        record.person_name = ((answers.person_name or "")[:100] or None) if about_someone_else else None
        record.relation = ((answers.relation or "")[:50] or None) if about_someone_else else None
        record.safe_contact = answers.safe_contact
        record.interpreter = (answers.interpreter or "")[:40] or None
        record.welfare_check = answers.welfare_check and about_someone_else
        record.legal_basis = LegalBasis.CONSENT
        record.consent_at = consent_at
        record.consent_version = consent_version
        record.danger_kinds = sorted(set(record.danger_kinds or []) | set(answers.danger_kinds))
        if answers.urgency == Urgency.NOW or record.danger_kinds:
            self._set_urgent(record)
        route = self._route(record)
        record.centre_code = route.centre_code
        record.flags = route.flags
        self._add_details(record, answers.details)
        if answers.area_code and not about_someone_else:
            resident.area_code = answers.area_code  # offered first next time; another person's area is theirs
        self.session.flush()
        return record

    def take_by_staff(self, channel: str, answers: Answers, details: str, *, centre_code: str | None) -> IntakeRecord:
        """A consultation taken by phone or at the counter (電話・窓口): the person need not use LINE.

        The person agreed to the record in words (``SPOKEN_CONSENT_VERSION``).
        It goes to ``centre_code`` (the centre that took it), else where its
        area routes it (the coordinator's triage when the area is unknown).
        """
        if channel not in STAFF_CHANNELS or not details.strip():
            raise IntakeError("a channel and what the person said are needed")
        record = self._new_record(None)
        record.source = channel
        record.subject = answers.subject
        record.categories = list(dict.fromkeys(answers.categories))
        record.area_code = answers.area_code
        record.area_source = "staff" if answers.area_code else None
        record.urgency = answers.urgency
        record.phone = normalise_phone(answers.phone) if answers.phone else None
        record.contact_method = ContactMethod.PHONE if record.phone else None
        record.person_name = (answers.person_name or "")[:100] or None
        record.relation = (answers.relation or "")[:50] or None
        record.legal_basis = LegalBasis.CONSENT
        record.consent_at = record.created_at
        record.consent_version = SPOKEN_CONSENT_VERSION
        # A danger signal wins here too: words of suicide or violence in what was said make it urgent.
        record.danger_kinds = ordered(detect_danger(details))
        if answers.urgency == Urgency.NOW or record.danger_kinds:
            self._set_urgent(record)
        route = self._route(record)
        record.centre_code = centre_code or route.centre_code
        record.flags = route.flags
        self.add_message(record, text=details.strip(), phase=IntakeMessage.DETAILS)
        self.session.flush()
        return record

    def request_callback(self, resident: Resident, phone: str, *, consent_at: datetime,
                         details: list[dict[str, Any]] = ()) -> IntakeRecord:
        """A minimal record for 「電話してほしい」: call this number back, the area's desk if we know it.

        Routed like any consultation (the resident's remembered area -> its
        centre, else the coordinator); what the resident wrote to ask is kept.
        """
        answers = Answers(
            area_code=resident.area_code,
            area_source="remembered" if resident.area_code else None,
            contact_method=ContactMethod.PHONE,
            phone=phone,
            details=list(details),
        )
        record = self.submit(resident, answers, consent_at=consent_at, consent_version=CALLBACK_CONSENT_VERSION)
        record.source = "callback"
        return record

    def known_phone(self, resident: Resident) -> str | None:
        """The number the resident gave us last for a call back, if any (digits only)."""
        return next((record.phone for record in self.records_of(resident, limit=5) if record.phone), None)

    def raise_alarm(
        self, resident: Resident, text: str, line_message_id: str | None, kinds: Iterable[str],
        *, record_id: int | None = None, area: tuple[str, str | None] | None = None,
    ) -> tuple[IntakeRecord, bool]:
        """Mark a record urgent for a danger signal; returns (record, created).

        The record is ``record_id`` (a draft's own urgent record, or the open
        record the conversation is about: bot/services/threads.py), else a new
        minimal one, never silently another open record, which may be another
        centre's. A minimal record is kept without
        consent: 個人情報保護法 allows it to protect someone's life or body
        when consent cannot be asked first (legal basis ``vital_interest``).
        ``area`` (code, source): the area the resident already chose in the
        consultation, so a new record goes to that area's desk at once and
        every message names the same desk.
        """
        kinds = sorted(set(kinds))
        record = self._own_open_record(resident, record_id) if record_id else None
        created = record is None
        if created:
            record = self._new_record(resident)
            record.source = "danger_signal"
            record.legal_basis = LegalBasis.VITAL_INTEREST
            record.categories = self._categories_for_danger(kinds)
            if area is not None:
                record.area_code, record.area_source = area
            elif resident.area_code:
                record.area_code, record.area_source = resident.area_code, "remembered"
        record.danger_kinds = sorted(set(record.danger_kinds or []) | set(kinds))
        self._set_urgent(record)
        route = self._route(record)
        if created:
            record.centre_code = route.centre_code
        record.flags = route.flags
        if text or line_message_id:
            self.add_message(record, text=text, line_message_id=line_message_id, phase=IntakeMessage.DANGER)
        self.session.flush()
        return record, created

    def retract_alarm(self, resident: Resident, record_id: int) -> IntakeRecord | None:
        """The resident says an urgent record made without consent was a misunderstanding: withdraw it.

        Only a record the bot made for a danger signal alone (``vital_interest``,
        no consent, still open) can be retracted this way; a consultation the
        resident agreed to is withdrawn through 相談の状況. The record is not
        deleted: staff may already have read it or called, and a signal about
        someone's life is for a professional to weigh, so it stays readable,
        closed to any further step, with 「本人が『まちがい』と答えた」 on its
        timeline. Returns None when the record cannot be retracted.
        """
        record = self.record_of(resident, record_id)
        if (record is None or not record.is_open or record.source != "danger_signal"
                or record.legal_basis != LegalBasis.VITAL_INTEREST or record.consent_at is not None):
            return None
        Workflow(self.session, self.profile).withdraw(record, because=MISUNDERSTANDING)
        return record

    def next_receipt_number(self, now: datetime | None = None) -> str:
        """Allocate the next readable receipt number, e.g. ``IW-2026-000123``.

        The year is the calendar year in the city's time zone. One upsert
        increments the counter: concurrent callers never get the same number.
        """
        year = (now or utcnow()).astimezone(ZoneInfo(self.profile.timezone)).year
        dialect = self.session.get_bind().dialect.name
        insert = pg_insert if dialect == "postgresql" else sqlite_insert
        statement = (
            insert(ReceiptCounter)
            .values(municipality=self.profile.code, year=year, last_number=1)
            .on_conflict_do_update(
                index_elements=["municipality", "year"],
                set_={"last_number": ReceiptCounter.last_number + 1},
            )
            .returning(ReceiptCounter.last_number)
        )
        number = self.session.execute(statement).scalar_one()
        return f"{self.profile.receipt_prefix}-{year}-{number:06d}"

    # -- reading -----------------------------------------------------------------------

    def records_of(self, resident: Resident, limit: int = 20) -> list[IntakeRecord]:
        """The resident's records, newest first."""
        return list(
            self.session.scalars(
                select(IntakeRecord)
                .where(IntakeRecord.resident_id == resident.id, IntakeRecord.municipality == self.profile.code)
                .order_by(IntakeRecord.created_at.desc(), IntakeRecord.id.desc())
                .limit(limit)
            )
        )

    def open_record(self, resident: Resident) -> IntakeRecord | None:
        """The resident's newest record that is still open (thread messages go there)."""
        return self.session.scalars(
            select(IntakeRecord)
            .where(
                IntakeRecord.resident_id == resident.id,
                IntakeRecord.municipality == self.profile.code,
                IntakeRecord.status.not_in(RecordStatus.FINISHED),
            )
            .order_by(IntakeRecord.created_at.desc(), IntakeRecord.id.desc())
            .limit(1)
        ).first()

    def record_of(self, resident: Resident, record_id: int) -> IntakeRecord | None:
        """One of the resident's own records; None for anybody else's."""
        record = self.session.get(IntakeRecord, record_id)
        if record is None or record.resident_id != resident.id:
            return None
        return record

    def status_words(self, record: IntakeRecord) -> str:
        """The record's status as the resident reads it (a message id), counting what staff did on a new record."""
        seen = record.status == RecordStatus.NEW and self.session.scalar(
            select(RecordEvent.id).where(RecordEvent.record_id == record.id,
                                         RecordEvent.actor_kind == RecordEvent.STAFF).limit(1)) is not None
        return plain_status(record.status, seen=seen)

    def desk_contact(self, record: IntakeRecord, locale: str = "ja") -> tuple[str, str, str]:
        """(name, phone, hours) of the desk that has the record, in the resident's language."""
        return self.router.desk_contact(record.centre_code, locale)

    # -- changing ------------------------------------------------------------------------

    def withdraw(self, resident: Resident, record_id: int) -> IntakeRecord:
        """The resident takes a consultation back; staff see it as withdrawn."""
        record = self.record_of(resident, record_id)
        if record is None or not record.is_open:
            raise NotWithdrawable(record_id)
        Workflow(self.session, self.profile).withdraw(record)  # every status change goes through the workflow
        return record

    def add_message(
        self,
        record: IntakeRecord,
        *,
        text: str | None = None,
        line_message_id: str | None = None,
        attachment: IntakeAttachment | None = None,
        phase: str = IntakeMessage.THREAD,
    ) -> IntakeMessage:
        """Add what the resident sent to the record's thread."""
        message = IntakeMessage(
            record=record,
            phase=phase,
            kind=IntakeMessage.IMAGE if attachment is not None else IntakeMessage.TEXT,
            text=text,
            line_message_id=line_message_id,
            attachment=attachment,
        )
        if attachment is not None:
            attachment.record = record
            attachment.conversation_id = None
        self.session.add(message)
        record.updated_at = utcnow()
        return message

    def first_thread_notice(self, record: IntakeRecord) -> bool:
        """True the first time: the resident is told once that their messages reach staff."""
        if record.thread_notice_at is not None:
            return False
        record.thread_notice_at = utcnow()
        return True

    def remove_unsent(self, resident: Resident, line_message_id: str) -> int:
        """Erase a message the resident took back (送信取り消し); see :func:`remove_unsent_message`."""
        return remove_unsent_message(self.session, resident, line_message_id)

    # -- photos ----------------------------------------------------------------------------

    def new_photo(
        self, resident: Resident, line_message_id: str, *, conversation_id: int | None = None,
        record: IntakeRecord | None = None,
    ) -> IntakeAttachment:
        """Keep a photo's place; the worker fetches its content from LINE."""
        photo = IntakeAttachment(
            resident_id=resident.id, line_message_id=line_message_id, conversation_id=conversation_id,
            record=record,
        )
        self.session.add(photo)
        self.session.flush()
        return photo

    def photo_to_fetch(self, attachment_id: int) -> IntakeAttachment | None:
        photo = self.session.get(IntakeAttachment, attachment_id)
        return photo if photo is not None and photo.status == IntakeAttachment.PENDING else None

    def store_photo(self, photo: IntakeAttachment, content: bytes, content_type: str | None) -> None:
        photo.content = content
        photo.content_type = (content_type or "application/octet-stream")[:100]
        photo.size = len(content)
        photo.status = IntakeAttachment.STORED
        photo.fetched_at = utcnow()

    def delete_photo(self, attachment_id: int | None) -> None:
        """Delete a draft's photo (the resident rewrote the details)."""
        photo = self.session.get(IntakeAttachment, attachment_id) if attachment_id else None
        if photo is not None and photo.record_id is None:
            self.session.delete(photo)

    def discard_draft_photos(self, conversation_id: int) -> None:
        """Delete the photos of a draft that was cancelled, declined or expired."""
        self.session.execute(
            delete(IntakeAttachment).where(
                IntakeAttachment.conversation_id == conversation_id, IntakeAttachment.record_id.is_(None)
            )
        )

    # -- drafts ----------------------------------------------------------------------------

    def resumable_draft(self, resident: Resident) -> Conversation | None:
        """The resident's unfinished consultation, if it is younger than 24 hours.

        Active, or left for the menu or another flow; cancelled and
        submitted ones are not drafts any more.
        """
        conversation = self._latest_intake(resident)
        if conversation is None or not held_answers(conversation.data) or utcnow() - conversation.updated_at >= self.draft_ttl:
            return None
        if conversation.ended_at is None or conversation.end_reason in ("left", "replaced"):
            return conversation
        return None

    def expired_draft(self, resident: Resident) -> Conversation | None:
        """The resident's latest draft if it expired holding answers and they were not yet told so."""
        conversation = self._latest_intake(resident)
        if conversation is None or utcnow() - conversation.updated_at > timedelta(days=7):
            return None
        data = conversation.data or {}
        if data.get(UNTOLD_EXPIRY):
            return conversation  # deleted by the worker while the resident was away
        unfinished = conversation.ended_at is None or conversation.end_reason in ("left", "replaced", "expired")
        if unfinished and utcnow() - conversation.updated_at >= self.draft_ttl and held_answers(data):
            return conversation
        return None

    def purge_drafts(self, now: datetime | None = None) -> int:
        """Delete the content of drafts older than 24 hours; returns how many."""
        now = now or utcnow()
        stale = self.session.scalars(
            select(Conversation).where(
                Conversation.flow == INTAKE_FLOW,
                Conversation.updated_at < now - self.draft_ttl,
                (Conversation.ended_at.is_(None)) | Conversation.end_reason.in_(("left", "replaced", "expired")),
            )
        ).all()
        for conversation in stale:
            # Only the fact is kept, so a returning resident can be told their answers are gone.
            self.forget_draft(conversation, "purged", keep={UNTOLD_EXPIRY: True} if held_answers(conversation.data) else {})
        return len(stale)

    def forget_draft(self, conversation: Conversation, reason: str, keep: dict[str, Any] | None = None) -> None:
        """End a draft and delete what it held (answers, text, photos)."""
        self.discard_draft_photos(conversation.id)
        conversation.data = dict(keep or {})
        if conversation.ended_at is None or reason == "purged":
            conversation.ended_at = conversation.ended_at or utcnow()
            conversation.end_reason = reason

    # -- internals -------------------------------------------------------------------------

    def _latest_intake(self, resident: Resident) -> Conversation | None:
        return self.session.scalars(
            select(Conversation)
            .where(Conversation.resident_id == resident.id, Conversation.flow == INTAKE_FLOW)
            .order_by(Conversation.id.desc())
            .limit(1)
        ).first()

    def _new_record(self, resident: Resident | None) -> IntakeRecord:
        """A new record with its receipt number; ``resident`` None: taken by staff, not on LINE."""
        now = utcnow()
        record = IntakeRecord(
            municipality=self.profile.code,
            receipt_number=self.next_receipt_number(now),
            resident_id=resident.id if resident is not None else None,
            status=RecordStatus.NEW,
            created_at=now,
            updated_at=now,
            categories=[],
            danger_kinds=[],
            flags=[],
        )
        self.session.add(record)
        return record

    def _own_open_record(self, resident: Resident, record_id: int) -> IntakeRecord | None:
        record = self.record_of(resident, record_id)
        return record if record is not None and record.is_open else None

    def _set_urgent(self, record: IntakeRecord) -> None:
        if not record.urgent:
            record.urgent = True
            record.urgent_at = utcnow()

    def _route(self, record: IntakeRecord) -> Route:
        return self.router.route(
            record.area_code,
            record.categories or [],
            urgency=record.urgency,
            urgent=record.urgent,
            subject=record.subject,
            danger_kinds=record.danger_kinds or [],
        )

    def _categories_for_danger(self, kinds: Iterable[str]) -> list[str]:
        fields = [f for kind in kinds for f in DANGER_FIELDS.get(kind, ())]
        return [c.code for f in dict.fromkeys(fields) for c in self.profile.categories if c.field == f][:3]

    def _add_details(self, record: IntakeRecord, details: list[dict[str, Any]]) -> None:
        known = {m.line_message_id for m in record.messages if m.line_message_id and m.kind != IntakeMessage.UNSENT}
        for item in details:
            if item.get("id") in known and item.get("kind") == "text":
                continue  # already kept as the message that signalled danger
            if item.get("kind") == "image":
                photo = self.session.get(IntakeAttachment, item.get("attachment"))
                if photo is None:
                    continue  # taken back by the resident
                self.add_message(record, line_message_id=item.get("id"), attachment=photo, phase=IntakeMessage.DETAILS)
            elif item.get("text"):
                self.add_message(record, text=item["text"], line_message_id=item.get("id"), phase=IntakeMessage.DETAILS)


def remove_unsent_message(session: Session, resident: Resident, line_message_id: str) -> int:
    """Erase a message the resident took back (送信取り消し) from drafts, records and photos.

    In a record's thread a tombstone stays, so staff who read it know it was
    taken back; its text and photo are gone. Returns how many places held it.
    """
    removed = 0
    messages = session.scalars(
        select(IntakeMessage)
        .join(IntakeRecord, IntakeMessage.record_id == IntakeRecord.id)
        .where(IntakeRecord.resident_id == resident.id, IntakeMessage.line_message_id == line_message_id)
    ).all()
    for message in messages:
        message.text = None
        message.kind = IntakeMessage.UNSENT
        if message.attachment is not None:
            session.delete(message.attachment)
            message.attachment = None
        removed += 1
    photos = session.scalars(
        select(IntakeAttachment).where(
            IntakeAttachment.resident_id == resident.id, IntakeAttachment.line_message_id == line_message_id
        )
    ).all()
    for photo in photos:
        session.delete(photo)
        removed += 1
    drafts = session.scalars(
        select(Conversation).where(
            Conversation.resident_id == resident.id,
            Conversation.flow == INTAKE_FLOW,
            (Conversation.ended_at.is_(None)) | Conversation.end_reason.in_(("left", "replaced")),
        )
    ).all()
    for draft in drafts:
        details = (draft.data or {}).get("details") or []
        kept = [item for item in details if item.get("id") != line_message_id]
        if len(kept) != len(details):
            draft.data = {**draft.data, "details": kept}
            removed += 1
    choices = session.scalars(
        select(Conversation).where(Conversation.resident_id == resident.id, Conversation.flow == CHOICE_FLOW)
    ).all()
    for choice in choices:  # messages held until the resident says which consultation they are about
        held = (choice.data or {}).get("held") or []
        kept = [item for item in held if item.get("id") != line_message_id]
        if len(kept) != len(held):
            choice.data = {**choice.data, "held": kept}
            removed += 1
    return removed
