"""The intake queue (受付一覧): consultation records as staff find them, within their scope.

Every query takes the staff member's scope (admin.scope.Scope or anything
with ``filter_by_centre`` and ``filter_records``), so a record outside it is
never returned: not in the list, not by id, not in the export, not as a
photo. Lists hold the records each centre has now; a record its centre
forwarded on is still read by id (read-only).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from sqlalchemy import (
    ColumnElement, CompoundSelect, Integer, Select, String, and_, bindparam, cast, exists, func, inspect, or_, select,
    text, union,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session, aliased, selectinload

from bot.bounds import database_id
from bot.models import Resident
from bot.models.intake import IntakeAttachment, IntakeMessage, IntakeRecord, RecordStatus
from bot.models import utcnow
from bot.models.workflow import RecordRead, RecordWorkflow, SupportPlan
from bot.municipality import Municipality
from bot.services.phone import phone_digits
from bot.text import kana_spellings

ALL = "all"
OPEN = ""  # the default: every record still open
NO_CENTRE = "none"  # records in the coordinator's triage queue (no centre yet)
URGENT = "urgent"
ME = "me"
NOBODY = "none"
MIN_PHONE_DIGITS = 4  # fewer digits (a year, a count) would find most numbers
OVERDUE = "overdue"  # the queue's ``due`` filter: the follow-up day has come


class ScopeLike(Protocol):
    def filter_by_centre(self, stmt: Select, centre_column: ColumnElement) -> Select: ...

    def filter_records(self, stmt: Select, record_id: ColumnElement, centre_column: ColumnElement) -> Select: ...


@dataclass(frozen=True)
class QueueFilter:
    """What the queue is asked to show; dates are local calendar days, inclusive."""

    status: str = OPEN  # OPEN, ALL or one status
    centre: str = ""  # a centre code, NO_CENTRE, or "" for all in scope
    category: str = ""
    urgency: str = ""  # URGENT, or one of the resident's urgency answers
    date_from: date | None = None
    date_to: date | None = None
    assignee: str = ""  # "", ME, NOBODY or a staff id
    q: str = ""  # a receipt number or words the resident wrote
    triage: bool = False  # the coordinator's triage queue: no centre yet, or 多機関協働
    follow_up_by: date | None = None  # the overdue view: a follow-up date on or before this day

    def as_details(self) -> dict[str, Any]:
        """The filter for the audit log; the search words are not kept, only that there were some."""
        details = {key: value for key, value in self.__dict__.items() if value not in (None, "", False) and key != "q"}
        if self.q:
            details["search"] = True
        return details


@dataclass(frozen=True)
class Activity:
    """What one queue line says about a record's life: when anything last happened, and unread replies."""

    last_at: datetime | None
    unread: bool


@dataclass(frozen=True)
class Summary:
    """The counts on the start page, for one member of staff."""

    mine: int  # open records assigned to them
    unread: int  # open records in scope with resident messages they have not seen
    urgent: int  # open urgent records in scope
    new: int  # records in scope nobody has looked at yet (新規)
    overdue: int  # open records in scope whose follow-up day has come


class RecordQueue:
    """Reads consultation records for the admin view, and notes which ones each member of staff has opened."""

    def __init__(self, session: Session, profile: Municipality) -> None:
        self.session = session
        self.profile = profile
        self.tz = ZoneInfo(profile.timezone)

    def scoped(self, scope: ScopeLike) -> Select:
        stmt = select(IntakeRecord).where(IntakeRecord.municipality == self.profile.code)
        return scope.filter_by_centre(stmt, IntakeRecord.centre_code)

    def statement(self, scope: ScopeLike, wanted: QueueFilter, me: int | None = None) -> Select:
        """Records matching the filter within the scope: urgent first, then the oldest.

        A search on PostgreSQL also sets how the rest of the transaction is planned (see ``_found``).
        """
        stmt = self.scoped(scope)
        if wanted.status == OPEN:
            stmt = stmt.where(IntakeRecord.status.in_(RecordStatus.OPEN))
        elif wanted.status in RecordStatus.ALL:
            stmt = stmt.where(IntakeRecord.status == wanted.status)
        if wanted.triage:
            stmt = stmt.where(or_(IntakeRecord.centre_code.is_(None), IntakeRecord.status == RecordStatus.ESCALATED))
        if wanted.centre == NO_CENTRE:
            stmt = stmt.where(IntakeRecord.centre_code.is_(None))
        elif wanted.centre:
            stmt = stmt.where(IntakeRecord.centre_code == wanted.centre)
        if wanted.category:
            # The codes are stored as a JSON list; its text holds each code in quotes.
            stmt = stmt.where(cast(IntakeRecord.categories, String).like(f'%"{_like_safe(wanted.category)}"%',
                                                                         escape="\\"))
        if wanted.urgency == URGENT:
            stmt = stmt.where(IntakeRecord.urgent.is_(True))
        elif wanted.urgency:
            stmt = stmt.where(IntakeRecord.urgency == wanted.urgency)
        if wanted.date_from is not None:
            stmt = stmt.where(IntakeRecord.created_at >= self._start_of(wanted.date_from))
        if wanted.date_to is not None:
            stmt = stmt.where(IntakeRecord.created_at < self._start_of(wanted.date_to + timedelta(days=1)))
        if wanted.assignee:
            stmt = stmt.outerjoin(RecordWorkflow, RecordWorkflow.record_id == IntakeRecord.id)
            if wanted.assignee == NOBODY:
                stmt = stmt.where(RecordWorkflow.assignee_id.is_(None))
            else:
                assignee = me if wanted.assignee == ME else _int(wanted.assignee)
                stmt = stmt.where(RecordWorkflow.assignee_id == assignee)
        if wanted.q.strip():
            found = self._found(wanted.q.strip())
            if self._postgresql:
                # Found once, as one array: the page's count and its rows then read it instead of searching twice.
                ids = list(self.session.scalars(found))
                stmt = stmt.where(IntakeRecord.id == func.any(bindparam("found_ids", ids, type_=ARRAY(Integer))))
            else:
                stmt = stmt.where(IntakeRecord.id.in_(found))
        if wanted.follow_up_by is not None:
            # A follow-up day that has come, or a support plan whose current version's review day (見直し日) has.
            current_plans = select(func.max(SupportPlan.id)).group_by(SupportPlan.record_id)
            stmt = stmt.where(or_(
                IntakeRecord.id.in_(select(RecordWorkflow.record_id).where(
                    RecordWorkflow.follow_up_on <= wanted.follow_up_by)),
                IntakeRecord.id.in_(select(SupportPlan.record_id).where(
                    SupportPlan.id.in_(current_plans), SupportPlan.review_on <= wanted.follow_up_by)),
            ))
        # Each line shows the assignee, whether the record was sent back and the resident's language:
        # one query for the page, not one per line.
        workflow = inspect(IntakeRecord).attrs["workflow"].class_attribute
        return stmt.options(selectinload(workflow), selectinload(IntakeRecord.resident)).order_by(
            IntakeRecord.urgent.desc(), IntakeRecord.created_at, IntakeRecord.id)

    def counts(self, scope: ScopeLike) -> dict[str, int]:
        """How many records of each status the scope holds."""
        base = self.scoped(scope).subquery()
        rows = self.session.execute(select(base.c.status, func.count()).group_by(base.c.status))
        found = dict(rows.all())
        return {status: found.get(status, 0) for status in RecordStatus.ALL}

    def triage_count(self, scope: ScopeLike) -> int:
        stmt = self.statement(scope, QueueFilter(triage=True))
        return self.session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery())) or 0

    def newer_than(self, scope: ScopeLike, wanted: QueueFilter, after_id: int, me: int | None = None,
                   limit: int = 20) -> list[IntakeRecord]:
        """Records matching the filter that arrived after the newest one the page shows."""
        stmt = self.statement(scope, wanted, me).where(IntakeRecord.id > after_id)
        return list(self.session.scalars(stmt.limit(limit)))

    def latest_id(self, scope: ScopeLike) -> int:
        scoped = self.scoped(scope).subquery()
        return self.session.scalar(select(func.max(scoped.c.id))) or 0

    def mark_seen(self, record_id: int, staff_id: int) -> None:
        """Note that a member of staff opened the record now: its resident messages so far are read."""
        insert = pg_insert if self.session.get_bind().dialect.name == "postgresql" else sqlite_insert
        now = utcnow()
        self.session.execute(insert(RecordRead).values(record_id=record_id, staff_id=staff_id, seen_at=now)
                             .on_conflict_do_update(index_elements=["record_id", "staff_id"], set_={"seen_at": now}))

    def activity(self, record_ids: list[int], staff_id: int) -> dict[int, Activity]:
        """For one page of the queue: each record's last activity and whether it has unread replies."""
        if not record_ids:
            return {}
        last_message = dict(self.session.execute(
            select(IntakeMessage.record_id, func.max(IntakeMessage.created_at))
            .where(IntakeMessage.record_id.in_(record_ids)).group_by(IntakeMessage.record_id)).all())
        rows = self.session.execute(select(IntakeRecord.id, IntakeRecord.updated_at, _unread(staff_id))
                                    .where(IntakeRecord.id.in_(record_ids)))
        return {ident: Activity(max(filter(None, (updated, last_message.get(ident))), default=None), bool(unread))
                for ident, updated, unread in rows}

    def summary(self, scope: ScopeLike, staff_id: int, today: date) -> Summary:
        """The start page's counts within the scope (one query each, on indexed columns)."""
        open_records = self.scoped(scope).where(IntakeRecord.status.in_(RecordStatus.OPEN))

        def count(stmt: Select) -> int:
            return self.session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery())) or 0

        return Summary(
            mine=count(self.statement(scope, QueueFilter(assignee=ME), staff_id)),
            unread=count(open_records.where(_unread(staff_id))),
            urgent=count(open_records.where(IntakeRecord.urgent.is_(True))),
            new=count(self.scoped(scope).where(IntakeRecord.status == RecordStatus.NEW)),
            overdue=count(self.statement(scope, QueueFilter(follow_up_by=today))),
        )

    def alerts(self, scope: ScopeLike, after_message: int | None, after_record: int | None,
               limit: int = 20) -> tuple[list[IntakeRecord], int, int]:
        """Open records in scope that became urgent since the cursors: (records, message cursor, record cursor).

        A danger message newer than ``after_message`` (also on a record that
        was already urgent), or an urgent record newer than ``after_record``
        (「今すぐ」 with no danger words). Without cursors (a page just opened)
        only the cursors are returned: an alert is news, not a list.
        """
        danger = self.scoped(scope).join(IntakeMessage, IntakeMessage.record_id == IntakeRecord.id).where(
            IntakeMessage.phase == IntakeMessage.DANGER)
        urgent = self.scoped(scope).where(IntakeRecord.urgent.is_(True))
        newest_message = self.session.scalar(danger.with_only_columns(func.max(IntakeMessage.id))) or 0
        newest_record = self.session.scalar(urgent.with_only_columns(func.max(IntakeRecord.id))) or 0
        if after_message is None or after_record is None:
            return [], newest_message, newest_record
        open_now = IntakeRecord.status.in_(RecordStatus.OPEN)
        found = [*self.session.scalars(danger.where(IntakeMessage.id > after_message, open_now).limit(limit)),
                 *self.session.scalars(urgent.where(IntakeRecord.id > after_record, open_now).limit(limit))]
        records = list({record.id: record for record in found}.values())
        return records, max(after_message, newest_message), max(after_record, newest_record)

    def get(self, scope: ScopeLike, record_id: int, *, for_update: bool = False) -> IntakeRecord | None:
        """One record the scope reads (also one its centre forwarded on); None also when it exists outside it."""
        stmt = select(IntakeRecord).where(IntakeRecord.municipality == self.profile.code, IntakeRecord.id == record_id)
        stmt = scope.filter_records(stmt, IntakeRecord.id, IntakeRecord.centre_code)
        if for_update:
            stmt = stmt.with_for_update()
        return self.session.scalars(stmt).first()

    def photo(self, scope: ScopeLike, record_id: int, attachment_id: int) -> IntakeAttachment | None:
        """A stored photo of a record within the scope."""
        record = self.get(scope, record_id)
        if record is None:
            return None
        photo = self.session.get(IntakeAttachment, attachment_id)
        if photo is None or photo.record_id != record.id or photo.status != IntakeAttachment.STORED:
            return None
        return photo

    def _found(self, words: str) -> CompoundSelect:
        """Ids of the records whose receipt number, thread, phone number or names contain the words.

        Case is ignored; a phone number is found however it is written
        (090-3333-4444, 09033334444, full-width, or a part of it), a name in
        kanji or in either kana (the person concerned's name on the record,
        or the resident's LINE display name). Lookups joined by UNION rather
        than one OR, so that each can use its own index. On PostgreSQL the words' characters (one character) or
        pairs of characters must first be among those indexed for the receipt
        number or the message (migration 0010): Japanese words are often two
        characters (家賃, 介護), too short for trigrams. ILIKE then decides.
        """
        receipt = aliased(IntakeRecord)
        by_receipt = select(receipt.id).where(receipt.receipt_number.icontains(words, autoescape=True))
        in_thread = select(IntakeMessage.record_id).where(IntakeMessage.text.icontains(words, autoescape=True))
        if self.session.get_bind().dialect.name == "postgresql":
            by_receipt = by_receipt.where(_indexed(receipt.receipt_number, words))
            in_thread = in_thread.where(_indexed(IntakeMessage.text, words))
            # How many records match depends on the words (家賃: one in ten; です: most), so each
            # search is planned for its own words, also once the driver has prepared the statement
            # (psycopg does from the fifth run: the polling page repeats it). Until the transaction ends.
            self.session.execute(text("SET LOCAL plan_cache_mode = force_custom_plan"))
        lookups = [by_receipt, in_thread, *self._by_name(words)]
        digits = phone_digits(words)
        if len(digits) >= MIN_PHONE_DIGITS:
            by_phone = IntakeRecord.phone.contains(digits, autoescape=True)
            if self._postgresql:
                by_phone = and_(_indexed(IntakeRecord.phone, digits), by_phone)
            lookups.append(select(IntakeRecord.id).where(by_phone))
        return union(*(lookup.correlate(None) for lookup in lookups))

    def _by_name(self, words: str) -> list[Select]:
        """Lookups of the records whose person's name or resident's display name holds the words, spaces ignored.

        On PostgreSQL the names' grams are indexed (migration 0021) as the words' are for the thread.
        """
        spellings = [spelling for spelling in kana_spellings(words) if spelling]
        if not spellings:
            return []

        def holds(column: ColumnElement) -> ColumnElement[bool]:
            key = func.intake_name_key(column) if self._postgresql else _without_spaces(column)
            spelt = or_(*(key.icontains(s, autoescape=True) for s in spellings))
            if not self._postgresql:
                return spelt
            # The index finds the candidates (any spelling's grams); ILIKE alone then decides. Pairing each
            # spelling's grams with its ILIKE instead made PostgreSQL compute every candidate's grams again.
            return and_(or_(*(_indexed(key, s) for s in spellings)), spelt)

        return [
            select(IntakeRecord.id).where(holds(IntakeRecord.person_name)),
            select(IntakeRecord.id).join(Resident, Resident.id == IntakeRecord.resident_id).where(
                holds(Resident.display_name)),
        ]

    @property
    def _postgresql(self) -> bool:
        return self.session.get_bind().dialect.name == "postgresql"

    def _start_of(self, day: date) -> datetime:
        return datetime.combine(day, time.min, tzinfo=self.tz)


def _without_spaces(column: ColumnElement) -> ColumnElement[str]:
    """A name as fold() writes the words searched for: without spaces, half- or full-width."""
    return func.replace(func.replace(column, " ", ""), "\u3000", "")


def _unread(staff_id: int) -> ColumnElement[bool]:
    """The record has a message the resident wrote after it was made (a reply, a danger message) that this
    member of staff has not seen: sent after they last opened the record, or they never did."""
    seen = select(RecordRead.seen_at).where(RecordRead.record_id == IntakeRecord.id,
                                            RecordRead.staff_id == staff_id).scalar_subquery()
    return exists().where(
        IntakeMessage.record_id == IntakeRecord.id,
        IntakeMessage.direction == IntakeMessage.FROM_RESIDENT,
        IntakeMessage.phase.in_((IntakeMessage.THREAD, IntakeMessage.DANGER)),
        or_(seen.is_(None), IntakeMessage.created_at > seen),
    )


def _indexed(column: ColumnElement, words: str) -> ColumnElement[bool]:
    """The column's indexed characters and pairs include those of the words (PostgreSQL, migration 0010)."""
    return func.intake_search_grams(column).op("@>", is_comparison=True)(func.intake_search_keys(words))


def _like_safe(value: str) -> str:
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_").replace('"', "")


def _int(value: str) -> int:
    return database_id(value) or -1  # an id no row has: nothing matches
