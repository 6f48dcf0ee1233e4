"""The staff workflow of a consultation record, as a state machine declared as data.

    new 新規 ─triage─▶ triaged 確認中 ─forward─▶ forwarded センターへ転送 ─accept─▶ in_progress 対応中 ─close─▶ closed 完了
      │                   │  ▲                     │                                   ▲   │                     │
      │                   │  └──────reject─────────┘ (back to the sender: its centre,   │   └──────reopen─────────┘
      │                   │                          or the coordinator's triage)       │
      │ close (重複・誤り: an outcome the profile allows from 新規) ─────────────────────────────▶ closed
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

Who reads a record: its centre's staff and the coordinators, and (read-only)
the centres it was forwarded away from (:class:`RecordHolder`); the rule is
``admin.scope.Scope.filter_records``. Who changes it: :meth:`Workflow._check_scope`.

Closing records an outcome from the profile and tells the resident, unless
staff close quietly with a reason (duplicates, spam); reopening tells them
only when staff choose to.

Nothing here logs what residents or staff wrote.
"""
from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session
from transitions import Machine

from bot.i18n import N_, S_, Translator
from bot.messaging.build import text
from bot.messaging.outbox import Outbox
from bot.models import Resident, StaffAccount, StaffCentre, utcnow
from bot.models.intake import IntakeMessage, IntakeRecord, LegalBasis, RecordStatus
from bot.models.staff import CENTRE_STAFF, COORDINATOR
from bot.models.workflow import RecordEvent, RecordHolder, RecordNote, RecordWorkflow, StaffMessage, SupportPlan
from bot.municipality import Municipality
from bot.services.record_queue import RecordQueue, ScopeLike
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
    # From 新規 only with an outcome the profile allows there (a duplicate, a message sent by mistake).
    {"trigger": "close", "source": [NEW, TRIAGED, IN_PROGRESS], "dest": CLOSED, "roles": STAFF_ROLES},
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
    "reopen": N_("対応を再開する"),
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
    "reopen_notice": S_("再開のお知らせをLINEで送信"),
    "reopen_notice_skipped": S_("再開のお知らせは送れませんでした（ブロック中など）"),
}
# Why staff closed a record without telling the resident (kept as a code on the timeline and in the audit log).
QUIET_REASONS = {
    "duplicate": S_("重複した受付"),
    "spam": S_("いたずら・迷惑な送信"),
    "unsafe": S_("本人の安全のため（LINEを家族などに見られるおそれ）"),
    "no_contact": S_("本人が連絡を望んでいない"),
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
REOPEN_NOTICE = N_(
    "受付番号 {receipt} のご相談を、もう一度お受けすることにしました。引き続き{desk}が担当します。"
    "何かあれば、このトークでお知らせください。"
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


class OutcomeRequired(WorkflowError):
    message = S_("完了の理由（結果）を選んでください。")


class OutcomeNeedsTriage(WorkflowError):
    """Only some outcomes (duplicates, mistakes) may close a record that nobody has triaged."""

    message = S_("新規の受付をそのまま完了にできるのは、重複・誤りのときだけです。先に確認済みにしてください。")


class QuietReasonRequired(WorkflowError):
    message = S_("本人に知らせずに完了にする理由を選んでください。")


class UnknownCentre(WorkflowError):
    message = N_("転送先のセンターを選んでください。")


class SameCentre(WorkflowError):
    message = N_("この受付は、すでにそのセンターの担当です。")


class NotInScope(WorkflowError):
    """A member of staff acted on a record outside their centres (the views answer 404 first)."""

    message = N_("この受付は担当外です。")


class InvalidAssignee(WorkflowError):
    message = N_("この受付を担当できる職員を選んでください。")


class ReviewDateInPast(WorkflowError):
    message = S_("見直し日は今日以降の日付にしてください。")


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
        self.returned: list[int] = []  # rejected forwards back at the sending centre (it is emailed)

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

    def plan_version(self, record: IntakeRecord, number: int) -> SupportPlan | None:
        """Version ``number`` of the record's plan (第1版 is the first written), or None."""
        if number < 1:
            return None
        return self.session.scalars(
            select(SupportPlan).where(SupportPlan.record_id == record.id)
            .order_by(SupportPlan.id).offset(number - 1).limit(1)).first()

    def plans_due_for_review(self, scope: ScopeLike, today: date) -> list[tuple[IntakeRecord, SupportPlan]]:
        """Open records in scope whose current plan's review date (見直し日) is today or has passed; oldest first.

        Only the newest version of each plan counts: a revision with a later date
        (or none) takes the record off the list.
        """
        newest = (select(SupportPlan.record_id, func.max(SupportPlan.id).label("plan_id"))
                  .group_by(SupportPlan.record_id).subquery())
        records = RecordQueue(self.session, self.profile).scoped(scope).subquery()
        stmt = (select(IntakeRecord, SupportPlan)
                .join(records, records.c.id == IntakeRecord.id)
                .join(newest, newest.c.record_id == IntakeRecord.id)
                .join(SupportPlan, SupportPlan.id == newest.c.plan_id)
                .where(SupportPlan.review_on.is_not(None), SupportPlan.review_on <= today,
                       IntakeRecord.status.in_(RecordStatus.OPEN))
                .order_by(SupportPlan.review_on, IntakeRecord.id))
        return [(record, plan) for record, plan in self.session.execute(stmt)]

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

        Params: ``centre_code`` and ``note`` (forward), ``reason`` (reject, escalate); ``outcome``,
        ``tell`` (default True) and, when not telling, ``quiet_reason`` (close); ``tell`` (reopen, default False).
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
        if trigger == "close":
            return self._prepare_close(record, params)
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

    def _prepare_close(self, record: IntakeRecord, params: dict[str, Any]) -> dict[str, Any]:
        """An outcome from the profile; closing quietly (no LINE message) needs a reason."""
        try:
            outcome = self.profile.outcome(params.get("outcome") or "")
        except KeyError:
            raise OutcomeRequired() from None
        if record.status == NEW and not outcome.from_new:
            raise OutcomeNeedsTriage()
        params["tell"] = bool(params.get("tell", True))
        details: dict[str, Any] = {"outcome": outcome.code, "told": params["tell"]}
        if not params["tell"]:
            if params.get("quiet_reason") not in QUIET_REASONS:
                raise QuietReasonRequired()
            details["quiet_reason"] = params["quiet_reason"]
        return details

    def _after_forward(self, record: IntakeRecord, actor: Actor, params: dict[str, Any]) -> None:
        facts = self.facts(record)
        facts.forwarded_from, facts.forwarded_at, facts.forward_note = record.centre_code, utcnow(), params["note"]
        facts.assignee_id = None  # the receiving centre decides who takes it
        if record.centre_code is not None:
            self._keep_holder(record, record.centre_code)
        record.centre_code = params["centre_code"]
        self.forwarded.append(record.id)

    def _after_reject(self, record: IntakeRecord, actor: Actor, params: dict[str, Any]) -> dict[str, Any]:
        facts = self.facts(record)
        rejected_from = record.centre_code
        facts.rejected_from, facts.rejected_at, facts.rejection_reason = rejected_from, utcnow(), params["reason"]
        facts.assignee_id = None
        # Back to the centre that forwarded it; a forward from the coordinator's triage goes back there.
        record.centre_code = facts.forwarded_from
        if record.centre_code is not None:
            self.returned.append(record.id)
        return {"from_centre": rejected_from, "to_centre": record.centre_code}

    def _after_escalate(self, record: IntakeRecord, actor: Actor, params: dict[str, Any]) -> None:
        facts = self.facts(record)
        facts.escalated_at, facts.escalation_reason = utcnow(), params["reason"]

    def _after_close(self, record: IntakeRecord, actor: Actor, params: dict[str, Any]) -> None:
        record.closed_at = utcnow()
        self.facts(record).outcome = params["outcome"]
        if params["tell"]:
            self._tell_closed(record, actor)

    def _after_reopen(self, record: IntakeRecord, actor: Actor, params: dict[str, Any]) -> dict[str, Any]:
        record.closed_at = None
        self.facts(record).outcome = None
        from bot.services.watch import WatchService  # 見守り builds on records: imported here, not at the top

        WatchService(self.session, self.profile).stop_for_record(record)  # the centre is in touch again
        if params.get("tell"):
            self._tell_reopened(record, actor)
        return {"told": bool(params.get("tell"))}

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
                  agencies: Iterable[str] = (), review_on: date | None = None, today: date | None = None) -> SupportPlan:
        """Record a new version of the 多機関協働 support plan (the coordinator's), with its review date.

        ``today`` (the city's date) refuses a review date already past.
        """
        self._check_open(record, actor, closed_ok=True)
        if actor.role != COORDINATOR or not self.plannable(record):
            raise TransitionRefused("plan", record.status, actor.role)
        if review_on is not None and today is not None and review_on < today:
            raise ReviewDateInPast()
        chosen = [code for code in AGENCIES if code in set(agencies)]
        plan = SupportPlan(record_id=record.id, author_id=actor.id, policy=_required_text(policy, EmptyText),
                           services=_optional_text(services), agencies=chosen, review_on=review_on)
        self.session.add(plan)
        self.session.flush()
        details: dict[str, Any] = {"plan_id": plan.id, "agencies": chosen}
        if review_on is not None:
            details["review_on"] = review_on.isoformat()
        self._event(record, actor, "plan", None, None, details)
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

    def _tell_reopened(self, record: IntakeRecord, actor: Actor) -> None:
        """Tell the resident the consultation is open again, and who carries it on."""
        if not self.reachable(record):
            self._event(record, actor, "reopen_notice_skipped", None, None, {})
            return
        translator = Translator(record.resident.locale or "ja", self.profile.timezone)
        desk = self.router.desk_name(record.centre_code, translator.locale)
        notice = translator._(REOPEN_NOTICE, receipt=record.receipt_number, desk=desk)
        sent = self._push(record, notice, notice, actor, "reopening")
        self._event(record, actor, "reopen_notice", None, None, {"staff_message_id": sent.id})

    def _keep_holder(self, record: IntakeRecord, centre_code: str) -> None:
        """The centre the record leaves keeps reading it (転送元)."""
        held = self.session.get(RecordHolder, (record.id, centre_code))
        if held is None:
            self.session.add(RecordHolder(record_id=record.id, centre_code=centre_code))
        else:
            held.until = utcnow()

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


@dataclass(frozen=True)
class DiffLine:
    """One line of a comparison of two plan versions: ``kind`` is same, added or removed."""

    kind: str
    text: str


def plan_diff(before: str, after: str) -> list[DiffLine]:
    """Line by line, what changed from ``before`` to ``after`` (text only; the page escapes it)."""
    old, new = before.splitlines(), after.splitlines()
    lines: list[DiffLine] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=old, b=new, autojunk=False).get_opcodes():
        if tag == "equal":
            lines += [DiffLine("same", line) for line in old[i1:i2]]
            continue
        lines += [DiffLine("removed", line) for line in old[i1:i2]]
        lines += [DiffLine("added", line) for line in new[j1:j2]]
    return lines


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
