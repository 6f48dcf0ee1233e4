"""The retention period (保存期間): what happens to a consultation when it ends.

A record that was closed (終結) or withdrawn more than the profile's
``retention.years`` ago is anonymised or deleted, as the profile's
``retention.mode`` says; the consent text residents agreed to states the
same period (bot/flows/intake_questions.py).

住民支え合い's finished requests (done, cancelled, or turned into a
consultation) that ended as long ago lose the requester's name, phone, LINE
link and words, and the residents' answers after the help; the tasks, area,
dates and the supporters' hours (their points and the figures) stay.

Anonymised, a record keeps only what the city's figures count: its receipt
number (the audit log names it), centre, categories, status, source, legal
basis, and the months it was received and ended. Its thread, photos, notes,
support plans, the messages staff sent, the resident's link, phone, area,
answers and the reasons staff typed are removed. Deleted, nothing is left
but the audit log's entries, which name the receipt number only.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from bot.models import AuditLog, HelpRequest, OutboundMessage
from bot.models.intake import IntakeAttachment, IntakeMessage, IntakeRecord, RecordStatus
from bot.models.workflow import RecordEvent, RecordNote, RecordWorkflow, StaffMessage, SupportPlan
from bot.municipality import Municipality
from bot.services import audit_chain

# What a timeline step keeps: the codes of centres and the legal basis, not the reasons staff typed.
_EVENT_CODES = ("from_centre", "to_centre", "legal_basis")


@dataclass(frozen=True)
class Expired:
    """A record whose retention period is over: what the dry run lists (no content)."""

    record_id: int
    receipt_number: str
    ended_on: date


@dataclass
class RetentionRun:
    """What one run did (or, dry, would do): the counts its audit entry keeps."""

    mode: str
    dry_run: bool
    expired: list[Expired] = field(default_factory=list)
    messages: int = 0
    photos: int = 0
    help_requests: int = 0

    def counts(self) -> dict[str, int | str | bool]:
        return {"mode": self.mode, "dry_run": self.dry_run, "records": len(self.expired),
                "messages": self.messages, "photos": self.photos, "help_requests": self.help_requests}


def _ended():  # noqa: ANN202
    """When a finished record ended: closed, or withdrawn (the last change, for a record from before either was kept)."""
    return func.coalesce(IntakeRecord.closed_at, IntakeRecord.withdrawn_at, IntakeRecord.updated_at)


class RetentionService:
    """Finds the records whose retention period is over and anonymises or deletes them."""

    def __init__(self, session: Session, profile: Municipality, now: datetime) -> None:
        self.session = session
        self.profile = profile
        self.now = now
        self.tz = ZoneInfo(profile.timezone)

    @property
    def cutoff(self) -> datetime:
        """Records that ended before this moment have been kept long enough."""
        years = self.profile.retention.years
        local = self.now.astimezone(self.tz)
        try:
            earlier = local.replace(year=local.year - years)
        except ValueError:  # 29 February
            earlier = local.replace(year=local.year - years, day=28)
        return earlier.astimezone(timezone.utc)

    def expired(self) -> list[Expired]:
        """The finished records kept longer than the period and not yet anonymised, oldest first."""
        rows = self.session.execute(
            select(IntakeRecord.id, IntakeRecord.receipt_number, _ended())
            .where(IntakeRecord.municipality == self.profile.code,
                   IntakeRecord.status.in_(sorted(RecordStatus.FINISHED)),
                   IntakeRecord.anonymised_at.is_(None),
                   _ended() < self.cutoff)
            .order_by(_ended(), IntakeRecord.id))
        return [Expired(ident, receipt, ended.astimezone(self.tz).date()) for ident, receipt, ended in rows]

    def run(self, *, dry_run: bool = False, via: str = "worker") -> RetentionRun:
        """Anonymise or delete every expired record (or only count them, dry); one audit entry either way.

        ``via`` says who ran it in the audit log: the daily task (``worker``) or a command (``cli``).
        """
        mode = self.profile.retention.mode
        result = RetentionRun(mode=mode, dry_run=dry_run, expired=self.expired())
        ids = [item.record_id for item in result.expired]
        if ids:
            result.messages = self._count(IntakeMessage, ids)
            result.photos = self._count(IntakeAttachment, ids)
        if ids and not dry_run:
            self._remove_sent_messages(ids)
            if mode == "delete":
                self.session.execute(delete(IntakeRecord).where(IntakeRecord.id.in_(ids)))
            else:
                self._anonymise(ids)
        help_ids = self._expired_help_requests()
        result.help_requests = len(help_ids)
        if help_ids and not dry_run:
            self.session.execute(update(HelpRequest).where(HelpRequest.id.in_(help_ids)).values(
                name="", phone=None, details="", check_words="", resident_id=None, created_by=None))
        audit_chain.append(self.session, AuditLog(at=self.now, action="retention.run",
                                                  details={**result.counts(), "via": via}))
        return result

    def _expired_help_requests(self) -> list[int]:
        """Finished help requests whose last change is older than the period and that still name someone."""
        return list(self.session.scalars(select(HelpRequest.id).where(
            HelpRequest.status.in_((HelpRequest.DONE, HelpRequest.CANCELLED, HelpRequest.CONSULTATION)),
            HelpRequest.updated_at < self.cutoff,
            (HelpRequest.name != "") | HelpRequest.phone.is_not(None) | (HelpRequest.details != "")
            | (HelpRequest.check_words != "") | HelpRequest.resident_id.is_not(None))))

    def _count(self, model, ids: list[int]) -> int:  # noqa: ANN001
        return self.session.scalar(select(func.count()).select_from(model).where(model.record_id.in_(ids))) or 0

    def _remove_sent_messages(self, ids: list[int]) -> None:
        """The outbox rows of what staff sent from these records hold its text: delete those already handled."""
        outbound = select(StaffMessage.outbound_id).where(StaffMessage.record_id.in_(ids),
                                                          StaffMessage.outbound_id.is_not(None))
        self.session.execute(delete(OutboundMessage).where(
            OutboundMessage.id.in_(outbound),
            OutboundMessage.status.in_((OutboundMessage.SENT, OutboundMessage.FAILED, OutboundMessage.SKIPPED))))

    def _anonymise(self, ids: list[int]) -> None:
        for model in (StaffMessage, IntakeMessage, IntakeAttachment, RecordNote, SupportPlan):
            self.session.execute(delete(model).where(model.record_id.in_(ids)))
        self.session.execute(update(RecordWorkflow).where(RecordWorkflow.record_id.in_(ids)).values(
            assignee_id=None, forward_note=None, rejection_reason=None, escalation_reason=None))
        for event in self.session.scalars(select(RecordEvent).where(RecordEvent.record_id.in_(ids))):
            event.details = {key: value for key, value in (event.details or {}).items() if key in _EVENT_CODES}
        for record in self.session.scalars(select(IntakeRecord).where(IntakeRecord.id.in_(ids))):
            record.created_at = self._month_of(record.created_at)
            if record.closed_at is not None:
                record.closed_at = self._month_of(record.closed_at)
            if record.withdrawn_at is not None:
                record.withdrawn_at = self._month_of(record.withdrawn_at)
            record.urgent_at = record.consent_at = record.thread_notice_at = None
            record.resident_id = None
            record.subject = record.area_code = record.area_source = record.urgency = None
            record.contact_method = record.phone = record.contact_times = None
            record.urgent = False
            record.danger_kinds, record.flags = [], []
            record.anonymised_at = self.now

    def _month_of(self, moment: datetime) -> datetime:
        """The first instant of the moment's month in the city's calendar: the figures count by month."""
        local = moment.astimezone(self.tz)
        return local.replace(day=1, hour=0, minute=0, second=0, microsecond=0).astimezone(timezone.utc)
