"""The staff workflow of a consultation record, as a state machine declared as data.

    new 新規 ─triage─▶ triaged 確認中 ─forward─▶ forwarded センターへ転送 ─accept─▶ in_progress 対応中 ─close─▶ closed 完了
      │                   │  ▲                     │                                   ▲   │                     │
      │                   │  └──────reject─────────┘ (back to the coordinator's triage) │   └──────reopen─────────┘
      └─start / forward───┴─start (a record already at the centre) ─────────────────────┘
    escalate (多機関協働): new / triaged / forwarded / in_progress ─▶ escalated; the coordinator then
    writes the support plan (支援プラン), and forwards, takes on (take_on) or closes it.
    withdraw: the resident takes the consultation back; terminal, staff can only read it.

Diagram: workflow.mmd, drawn from TRANSITIONS (with each transition's roles) by ``make diagrams``.

Every code path that changes a record's status goes through :class:`Workflow`
(the admin view, and the resident's withdrawal in bot/services/intake.py). It
offers the transitions a role may use on a record (:meth:`Workflow.available`)
and refuses others with :class:`TransitionRefused`. Each change writes the
timeline (:class:`RecordEvent`) in the caller's transaction.

Consent: forwarding shares the record with another desk, so it needs the
resident's recorded consent. A record made without consent because a message
signalled danger (``legal_basis == vital_interest``) may be forwarded only by
the coordinator, to protect the person (個人情報保護法 第27条第1項第2号); the
timeline and the audit log say so. Centre staff escalate such a record instead.

Nothing here logs what residents or staff wrote.
"""
from __future__ import annotations

from datetime import date
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session
from transitions import Machine

from bot.i18n import N_, Translator
from bot.messaging.build import text
from bot.messaging.outbox import Outbox
from bot.models import Resident, StaffAccount, StaffCentre, utcnow
from bot.models.intake import IntakeMessage, IntakeRecord, LegalBasis, RecordStatus
from bot.models.staff import CENTRE_STAFF, COORDINATOR
from bot.models.workflow import RecordEvent, RecordNote, RecordWorkflow, StaffMessage, SupportPlan
from bot.municipality import Municipality
from bot.services.routing import Router
from bot.services.threads import ThreadService

NEW, TRIAGED, FORWARDED, IN_PROGRESS, ESCALATED, CLOSED, WITHDRAWN = RecordStatus.ALL

RESIDENT = "resident"  # the role of the resident, who may only withdraw
STAFF_ROLES = frozenset({CENTRE_STAFF, COORDINATOR})
ONLY_COORDINATOR = frozenset({COORDINATOR})

# -- the workflow as data ---------------------------------------------------------------

TRANSITIONS: list[dict[str, Any]] = [
    {"trigger": "triage", "source": NEW, "dest": TRIAGED, "roles": STAFF_ROLES},
    {"trigger": "forward", "source": [NEW, TRIAGED], "dest": FORWARDED, "roles": STAFF_ROLES,
     "conditions": "may_share"},
    {"trigger": "forward", "source": ESCALATED, "dest": FORWARDED, "roles": ONLY_COORDINATOR,
     "conditions": "may_share"},
    # The receiving centre accepts a forward, or starts on a record routed to it directly.
    {"trigger": "accept", "source": FORWARDED, "dest": IN_PROGRESS, "roles": STAFF_ROLES},
    {"trigger": "start", "source": [NEW, TRIAGED], "dest": IN_PROGRESS, "roles": STAFF_ROLES,
     "conditions": "has_centre"},
    {"trigger": "reject", "source": FORWARDED, "dest": TRIAGED, "roles": frozenset({CENTRE_STAFF})},
    {"trigger": "escalate", "source": [NEW, TRIAGED, FORWARDED, IN_PROGRESS], "dest": ESCALATED,
     "roles": STAFF_ROLES},
    {"trigger": "take_on", "source": ESCALATED, "dest": IN_PROGRESS, "roles": ONLY_COORDINATOR},
    {"trigger": "close", "source": [TRIAGED, IN_PROGRESS], "dest": CLOSED, "roles": STAFF_ROLES},
    {"trigger": "close", "source": ESCALATED, "dest": CLOSED, "roles": ONLY_COORDINATOR},
    {"trigger": "reopen", "source": CLOSED, "dest": IN_PROGRESS, "roles": STAFF_ROLES},
    {"trigger": "withdraw", "source": list(RecordStatus.OPEN), "dest": WITHDRAWN, "roles": frozenset({RESIDENT})},
]
TRIGGERS = list(dict.fromkeys(t["trigger"] for t in TRANSITIONS))
# Triggers that need a reason typed by staff.
NEEDS_REASON = frozenset({"reject", "escalate"})

STATUS_LABELS = {
    NEW: N_("新規"),
    TRIAGED: N_("確認中"),
    FORWARDED: N_("センターへ転送"),
    IN_PROGRESS: N_("対応中"),
    ESCALATED: N_("多機関協働"),
    CLOSED: N_("完了"),
    WITHDRAWN: N_("取り下げ"),
}
TRIGGER_LABELS = {
    "triage": N_("確認済みにする"),
    "forward": N_("センターへ転送"),
    "accept": N_("受け入れる"),
    "start": N_("対応を開始"),
    "reject": N_("差し戻す"),
    "escalate": N_("多機関協働へ（コーディネーターへ）"),
    "take_on": N_("コーディネーターが対応"),
    "close": N_("完了にする"),
    "reopen": N_("再開する"),
    "withdraw": N_("取り下げ"),
}
# What the timeline says for each action (transitions and the rest).
EVENT_LABELS = {
    "triage": N_("確認済み"),
    "forward": N_("転送"),
    "accept": N_("受け入れ"),
    "start": N_("対応開始"),
    "reject": N_("差し戻し"),
    "escalate": N_("多機関協働へエスカレーション"),
    "take_on": N_("コーディネーターが対応"),
    "close": N_("完了"),
    "reopen": N_("再開"),
    "withdraw": N_("本人が取り下げ"),
    "assign": N_("担当者の設定"),
    "follow_up": N_("次回確認日の設定"),
    "note": N_("メモの追加"),
    "plan": N_("支援プランの記録"),
    "message": N_("LINEでメッセージを送信"),
    "closing_notice": N_("完了のお知らせをLINEで送信"),
    "closing_notice_skipped": N_("完了のお知らせは送れませんでした（ブロック中など）"),
}
# 関係機関: the agencies a support plan can involve.
AGENCIES = {
    "medical": N_("医療機関"),
    "advocacy": N_("権利擁護"),
    "legal": N_("司法関係"),
    "education": N_("教育機関"),
    "comprehensive": N_("地域包括支援センター"),
    "shakyo": N_("社会福祉協議会"),
    "minsei": N_("民生委員"),
    "centre": N_("地区保健福祉センター"),
    "livelihood": N_("生活・就労支援"),
    "disability": N_("障がい者相談支援"),
}
MAX_TEXT = 2000
MAX_MESSAGE = 1000  # LINE allows 5000; a staff message is short, and the desk's name is added

CLOSING_NOTICE = N_(
    "受付番号 {receipt} のご相談は、いったん完了とさせていただきます。ご相談いただき、ありがとうございました。\n"
    "また困ったことがあれば、いつでもメニューの「相談する」からお知らせください。"
    "急ぐときは{desk}（☎ {phone}、{hours}）へお電話ください。"
)
# The receipt number tells a resident with several consultations which one a message is about.
STAFF_MESSAGE = N_("【{desk}より・受付番号 {receipt}】\n{body}")


# -- errors -----------------------------------------------------------------------------

class WorkflowError(Exception):
    """A change to a record that cannot be made; ``message`` is a msgid for staff."""

    message = N_("この操作はできません。")


class TransitionRefused(WorkflowError):
    """The record's status and the role do not allow this transition."""

    message = N_("この受付の今の状態では、その操作はできません。画面を開き直してください。")

    def __init__(self, trigger: str, status: str, role: str) -> None:
        super().__init__(f"{trigger} from {status} as {role}")
        self.trigger, self.status, self.role = trigger, status, role


class ConsentMissing(TransitionRefused):
    """Forwarding shares the record: it needs the resident's consent, or the coordinator's decision."""

    message = N_("本人の同意がない受付（緊急時の保護のための記録）は、コーディネーターだけが転送できます。"
                 "多機関協働としてコーディネーターへ送ってください。")


class ReasonRequired(WorkflowError):
    message = N_("理由を入力してください。")


class UnknownCentre(WorkflowError):
    message = N_("転送先のセンターを選んでください。")


class SameCentre(WorkflowError):
    message = N_("この受付は、すでにそのセンターの担当です。")


class NotInScope(WorkflowError):
    """A member of staff acted on a record outside their centres (the views answer 404 first)."""

    message = N_("この受付は担当外です。")


class InvalidAssignee(WorkflowError):
    message = N_("この受付を担当できる職員を選んでください。")


class EmptyText(WorkflowError):
    message = N_("内容を入力してください。")


class TextTooLong(WorkflowError):
    message = N_("長すぎます。短くしてください。")


class ResidentUnreachable(WorkflowError):
    """The resident blocked the account (or their LINE account is gone): nothing can be pushed."""

    message = N_("この方はLINE公式アカウントをブロックしているため、メッセージを送れません。電話などでご連絡ください。")


class RecordFinished(WorkflowError):
    message = N_("取り下げられた受付は、閲覧のみできます。")


# -- the machine ------------------------------------------------------------------------

@dataclass
class _Step:
    """The model the machine moves: one record, one role."""

    record: IntakeRecord
    role: str
    state: str = field(init=False)
    machine: Machine = field(init=False)

    def may_share(self, *_: Any) -> bool:
        """With consent anyone may forward; a vital-interest record only the coordinator."""
        return self.record.legal_basis == LegalBasis.CONSENT and self.record.consent_at is not None \
            or self.role == COORDINATOR

    def has_centre(self, *_: Any) -> bool:
        return self.record.centre_code is not None


def _machine(record: IntakeRecord, role: str) -> _Step:
    """A fresh machine for this record and role, starting from the stored status."""
    step = _Step(record, role)
    allowed = [{key: value for key, value in t.items() if key != "roles"} for t in TRANSITIONS if role in t["roles"]]
    step.machine = Machine(model=step, states=list(RecordStatus.ALL), transitions=allowed, initial=record.status,
                           auto_transitions=False, send_event=True)
    return step


@dataclass
class Actor:
    """Who changes a record: a member of staff (``id``, ``role``, ``centre_codes``) or the resident."""

    id: int | None
    role: str
    centre_codes: tuple[str, ...] = ()

    @classmethod
    def of(cls, account: Any) -> Actor:
        return cls(account.id, account.role, tuple(account.centre_codes))

    @classmethod
    def resident(cls) -> Actor:
        return cls(None, RESIDENT)


# -- the service ------------------------------------------------------------------------

class Workflow:
    """Changes to consultation records, by staff (and the resident's withdrawal)."""

    def __init__(self, session: Session, profile: Municipality, outbox: Outbox | None = None) -> None:
        self.session = session
        self.profile = profile
        self.router = Router(profile)
        self.outbox = outbox or Outbox(session)
        # Filled by changes, for the caller to act on after commit.
        self.recipients: list[str] = []  # LINE users with pushes queued
        self.forwarded: list[int] = []  # records forwarded (the receiving centre is emailed)

    # -- reading ------------------------------------------------------------------------

    def available(self, record: IntakeRecord, role: str) -> list[str]:
        """The transitions ``role`` may use on the record now, in the workflow's order."""
        step = _machine(record, role)
        offered = set(step.machine.get_triggers(step.state))
        return [trigger for trigger in TRIGGERS if trigger in offered and step.may_trigger(trigger)]

    def facts(self, record: IntakeRecord) -> RecordWorkflow:
        """The record's workflow row (created on first use)."""
        facts = record.workflow
        if facts is None:
            facts = RecordWorkflow(record=record)
            self.session.add(facts)
        return facts

    def timeline(self, record: IntakeRecord) -> list[RecordEvent]:
        return list(self.session.scalars(
            select(RecordEvent).where(RecordEvent.record_id == record.id).order_by(RecordEvent.at, RecordEvent.id)))

    def notes(self, record: IntakeRecord) -> list[RecordNote]:
        return list(self.session.scalars(
            select(RecordNote).where(RecordNote.record_id == record.id).order_by(RecordNote.id.desc())))

    def plans(self, record: IntakeRecord) -> list[SupportPlan]:
        """Versions of the support plan, newest first."""
        return list(self.session.scalars(
            select(SupportPlan).where(SupportPlan.record_id == record.id).order_by(SupportPlan.id.desc())))

    def staff_messages(self, record: IntakeRecord) -> dict[int, StaffMessage]:
        """Staff messages of the record by their thread item's id (for the delivery status)."""
        rows = self.session.scalars(select(StaffMessage).where(StaffMessage.record_id == record.id))
        return {row.message_id: row for row in rows}

    def assignable(self, record: IntakeRecord) -> list[StaffAccount]:
        """Active staff who see the record: its centre's staff and the coordinators."""
        stmt = select(StaffAccount).where(StaffAccount.active.is_(True))
        coordinators = StaffAccount.role == COORDINATOR
        if record.centre_code is None:
            stmt = stmt.where(coordinators)
        else:
            members = select(StaffCentre.staff_id).where(StaffCentre.centre_code == record.centre_code)
            stmt = stmt.where(coordinators | ((StaffAccount.role == CENTRE_STAFF) & StaffAccount.id.in_(members)))
        return list(self.session.scalars(stmt.order_by(StaffAccount.role, StaffAccount.name, StaffAccount.id)))

    def receiving_staff(self, centre_code: str) -> list[StaffAccount]:
        """Active centre staff of a centre (emailed when a record is forwarded to it)."""
        members = select(StaffCentre.staff_id).where(StaffCentre.centre_code == centre_code)
        return list(self.session.scalars(
            select(StaffAccount).where(StaffAccount.active.is_(True), StaffAccount.role == CENTRE_STAFF,
                                       StaffAccount.id.in_(members)).order_by(StaffAccount.id)))

    def reachable(self, record: IntakeRecord) -> bool:
        """Whether a LINE message can be pushed to the resident of the record."""
        resident = record.resident
        return resident is not None and not resident.is_blocked

    # -- transitions --------------------------------------------------------------------

    def apply(self, record: IntakeRecord, trigger: str, actor: Actor, **params: Any) -> RecordEvent:
        """Move the record with ``trigger`` as ``actor``; refuse what the workflow does not allow.

        Params: ``centre_code`` and ``note`` (forward), ``reason`` (reject, escalate).
        """
        self._check_scope(record, actor)
        step = _machine(record, actor.role)
        if trigger not in step.machine.get_triggers(step.state):
            raise TransitionRefused(trigger, record.status, actor.role)
        if not step.may_trigger(trigger):
            if trigger == "forward":
                raise ConsentMissing(trigger, record.status, actor.role)
            raise TransitionRefused(trigger, record.status, actor.role)
        details = self._prepare(record, trigger, params)
        before = record.status
        step.trigger(trigger)
        record.status = step.state
        record.updated_at = utcnow()
        after = self.AFTER.get(trigger)
        if after is not None:
            details.update(after(self, record, actor, params) or {})
        return self._event(record, actor, trigger, before, record.status, details)

    def forward(self, record: IntakeRecord, actor: Actor, centre_code: str, note: str = "") -> RecordEvent:
        return self.apply(record, "forward", actor, centre_code=centre_code, note=note)

    def reject(self, record: IntakeRecord, actor: Actor, reason: str) -> RecordEvent:
        return self.apply(record, "reject", actor, reason=reason)

    def escalate(self, record: IntakeRecord, actor: Actor, reason: str) -> RecordEvent:
        return self.apply(record, "escalate", actor, reason=reason)

    def withdraw(self, record: IntakeRecord, because: str | None = None) -> RecordEvent:
        """The resident takes the consultation back (from the bot's status flow).

        ``because``: a code staff read on the timeline (``misunderstanding``: an
        urgent record the resident said was a misunderstanding, see
        ``IntakeService.retract_alarm``).
        """
        return self.apply(record, "withdraw", Actor.resident(), because=because)

    def _prepare(self, record: IntakeRecord, trigger: str, params: dict[str, Any]) -> dict[str, Any]:
        """Check the params before anything changes; return the timeline's details."""
        if trigger in NEEDS_REASON:
            params["reason"] = _required_text(params.get("reason"), ReasonRequired)
            return {"reason": params["reason"]}
        if trigger == "withdraw" and params.get("because"):
            return {"because": params["because"]}
        if trigger == "forward":
            code = params.get("centre_code")
            try:
                centre = self.router.centre(code or None)
            except KeyError:
                raise UnknownCentre() from None
            if centre is None:
                raise UnknownCentre()
            if centre.code == record.centre_code:
                raise SameCentre()
            params["note"] = _optional_text(params.get("note"))
            details = {"from_centre": record.centre_code, "to_centre": centre.code}
            if params["note"]:
                details["note"] = params["note"]
            if record.legal_basis != LegalBasis.CONSENT:
                details["legal_basis"] = record.legal_basis  # forwarded to protect the person, by the coordinator
            return details
        return {}

    def _after_forward(self, record: IntakeRecord, actor: Actor, params: dict[str, Any]) -> None:
        facts = self.facts(record)
        facts.forwarded_from, facts.forwarded_at, facts.forward_note = record.centre_code, utcnow(), params["note"]
        facts.assignee_id = None  # the receiving centre decides who takes it
        record.centre_code = params["centre_code"]
        self.forwarded.append(record.id)

    def _after_reject(self, record: IntakeRecord, actor: Actor, params: dict[str, Any]) -> dict[str, Any]:
        facts = self.facts(record)
        rejected_from = record.centre_code
        facts.rejected_from, facts.rejected_at, facts.rejection_reason = rejected_from, utcnow(), params["reason"]
        facts.assignee_id = None
        record.centre_code = None  # back to the coordinator's triage queue
        return {"from_centre": rejected_from}

    def _after_escalate(self, record: IntakeRecord, actor: Actor, params: dict[str, Any]) -> None:
        facts = self.facts(record)
        facts.escalated_at, facts.escalation_reason = utcnow(), params["reason"]

    def _after_close(self, record: IntakeRecord, actor: Actor, params: dict[str, Any]) -> None:
        record.closed_at = utcnow()
        self._tell_closed(record, actor)

    def _after_reopen(self, record: IntakeRecord, actor: Actor, params: dict[str, Any]) -> None:
        record.closed_at = None

    def _after_withdraw(self, record: IntakeRecord, actor: Actor, params: dict[str, Any]) -> None:
        record.withdrawn_at = utcnow()

    # What a transition changes besides the status (and may add to the timeline's details), by trigger.
    AFTER = {
        "forward": _after_forward,
        "reject": _after_reject,
        "escalate": _after_escalate,
        "close": _after_close,
        "reopen": _after_reopen,
        "withdraw": _after_withdraw,
    }

    # -- the rest of the staff's work ------------------------------------------------------

    def set_follow_up(self, record: IntakeRecord, actor: Actor, day: date | None) -> RecordEvent:
        """Set the day to look at the open record again (次回確認日); None clears it."""
        self._check_open(record, actor)
        self.facts(record).follow_up_on = day
        return self._event(record, actor, "follow_up", None, None, {"follow_up_on": day.isoformat() if day else None})

    def assign(self, record: IntakeRecord, actor: Actor, assignee_id: int | None) -> RecordEvent:
        """Give the record to a member of staff who sees it (None: nobody)."""
        self._check_open(record, actor)
        if assignee_id is not None and assignee_id not in {a.id for a in self.assignable(record)}:
            raise InvalidAssignee()
        self.facts(record).assignee_id = assignee_id
        record.updated_at = utcnow()
        return self._event(record, actor, "assign", None, None, {"assignee_id": assignee_id})

    def add_note(self, record: IntakeRecord, actor: Actor, body: str) -> RecordNote:
        """Add an internal note (職員メモ)."""
        self._check_open(record, actor, closed_ok=True)
        note = RecordNote(record_id=record.id, author_id=actor.id, body=_required_text(body, EmptyText))
        self.session.add(note)
        self.session.flush()
        self._event(record, actor, "note", None, None, {"note_id": note.id})
        return note

    def save_plan(self, record: IntakeRecord, actor: Actor, *, policy: str, services: str = "",
                  agencies: Iterable[str] = ()) -> SupportPlan:
        """Record a new version of the 多機関協働 support plan (the coordinator's)."""
        self._check_open(record, actor, closed_ok=True)
        if actor.role != COORDINATOR or not self.plannable(record):
            raise TransitionRefused("plan", record.status, actor.role)
        chosen = [code for code in AGENCIES if code in set(agencies)]
        plan = SupportPlan(record_id=record.id, author_id=actor.id, policy=_required_text(policy, EmptyText),
                           services=_optional_text(services), agencies=chosen)
        self.session.add(plan)
        self.session.flush()
        self._event(record, actor, "plan", None, None, {"plan_id": plan.id, "agencies": chosen})
        return plan

    def plannable(self, record: IntakeRecord) -> bool:
        """A support plan belongs to a 多機関協働 case: escalated now, or before."""
        return record.status == ESCALATED or (record.workflow is not None and record.workflow.escalated_at is not None)

    def send_message(self, record: IntakeRecord, actor: Actor, body: str) -> StaffMessage:
        """Push a message to the resident through the outbox; it joins the record's thread."""
        self._check_open(record, actor, closed_ok=True)
        body = _required_text(body, EmptyText, limit=MAX_MESSAGE)
        if not self.reachable(record):
            raise ResidentUnreachable()
        translator = Translator(record.resident.locale or "ja", self.profile.timezone)
        desk = self.router.desk_name(record.centre_code, translator.locale)
        line_text = translator._(STAFF_MESSAGE, desk=desk, receipt=record.receipt_number, body=body)
        sent = self._push(record, line_text, body, actor, "message")
        # The resident's answer belongs here: the conversation is now about this record.
        ThreadService(self.session, self.profile).focus(record)
        self._event(record, actor, "message", None, None, {"staff_message_id": sent.id})
        return sent

    # -- internals ---------------------------------------------------------------------

    def _tell_closed(self, record: IntakeRecord, actor: Actor) -> None:
        """Tell the resident, kindly, that the consultation is closed and how to ask again."""
        if not self.reachable(record):
            self._event(record, actor, "closing_notice_skipped", None, None, {})
            return
        translator = Translator(record.resident.locale or "ja", self.profile.timezone)
        desk, phone, hours = self.router.desk_contact(record.centre_code, translator.locale)
        notice = translator._(CLOSING_NOTICE, receipt=record.receipt_number, desk=desk, phone=phone, hours=hours)
        sent = self._push(record, notice, notice, actor, "closing")
        self._event(record, actor, "closing_notice", None, None, {"staff_message_id": sent.id})

    def _push(self, record: IntakeRecord, line_text: str, thread_text: str, actor: Actor, purpose: str) -> StaffMessage:
        resident: Resident = record.resident
        rows = self.outbox.push(resident, [text(line_text)], f"record_{purpose}")
        item = IntakeMessage(record=record, direction=IntakeMessage.FROM_STAFF, phase=IntakeMessage.THREAD,
                             kind=IntakeMessage.TEXT, text=thread_text)
        self.session.add(item)
        self.session.flush()
        sent = StaffMessage(record_id=record.id, message_id=item.id, author_id=actor.id,
                            outbound_id=rows[0].id if rows else None, purpose=purpose)
        self.session.add(sent)
        self.session.flush()
        if resident.line_user_id not in self.recipients:
            self.recipients.append(resident.line_user_id)
        return sent

    def _check_scope(self, record: IntakeRecord, actor: Actor) -> None:
        if actor.role == CENTRE_STAFF and record.centre_code not in actor.centre_codes:
            raise NotInScope()
        if actor.role not in STAFF_ROLES | {RESIDENT}:
            raise NotInScope()

    def _check_open(self, record: IntakeRecord, actor: Actor, closed_ok: bool = False) -> None:
        self._check_scope(record, actor)
        if actor.role == RESIDENT:
            raise NotInScope()
        if record.status == WITHDRAWN or (record.status == CLOSED and not closed_ok):
            raise RecordFinished()

    def _event(self, record: IntakeRecord, actor: Actor, action: str, before: str | None, after: str | None,
               details: dict[str, Any]) -> RecordEvent:
        event = RecordEvent(
            record_id=record.id, at=utcnow(), action=action, from_status=before, to_status=after, details=details,
            actor_kind=RecordEvent.RESIDENT if actor.role == RESIDENT else RecordEvent.STAFF, actor_id=actor.id,
        )
        self.session.add(event)
        self.session.flush()
        return event


def _required_text(value: str | None, error: type[WorkflowError], limit: int = MAX_TEXT) -> str:
    cleaned = (value or "").strip()
    if not cleaned:
        raise error()
    if len(cleaned) > limit:
        raise TextTooLong()
    return cleaned


def _optional_text(value: str | None, limit: int = MAX_TEXT) -> str:
    cleaned = (value or "").strip()
    if len(cleaned) > limit:
        raise TextTooLong()
    return cleaned
