"""見守り (staying in touch): plans, the check-in schedule, answers and the escalation of silence.

Shared by the worker (bot/tasks/watch.py), the bot (bot/handlers/watch.py)
and the admin view. Exactly once per slot: a slot is claimed (``FOR UPDATE
SKIP LOCKED`` on PostgreSQL; SQLite has one writer) and marked sent in the
same transaction that queues its push in the outbox, and the push's retry
key is derived from the slot, so LINE never delivers it twice either.
"""
from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from bot.i18n import S_, Translator
from bot.messaging.outbox import Outbox
from bot.models import IntakeRecord, Resident, utcnow
from bot.models.watch import WatchConsent, WatchContact, WatchPlan, WatchSlot, WatchStep
from bot.municipality import Municipality
from bot.services.hours import MAX_CLOSED_DAYS, OpeningHours
from bot.services.intake import Answers, IntakeService
from bot.services.routing import flag
from bot.services.watch_notices import WatchNotices

# The version of the 見守り consent text residents agree to (separate from the consultation consent).
CONSENT_VERSION = "watch-2026-12"
RETRY_KEYS = uuid.UUID("6f1d1c3e-8a52-4d0e-9a51-5e0f3a7c2b10")
# An answer counts for the latest check-in sent within this time.
ANSWER_WINDOW = timedelta(days=3)
CLAIM_BATCH = 50
# Why a plan stopped, for staff.
STOP_REASONS = {
    "ended": S_("終了日を過ぎた"),
    "resident": S_("本人が終了"),
    "staff": S_("職員が終了"),
    "reopened": S_("相談記録が再開された"),
    "blocked": S_("本人がブロックした"),
    "moved": S_("転出"),
    "died": S_("死亡"),
    "replaced": S_("新しいプランに変更"),
}
WATCH_FLAG = "watch"
ANSWER_WORDS = {WatchSlot.WORRIED: S_("見守り：「少し心配なことがある」と返事"), WatchSlot.TALK: S_("見守り：「話したい」と返事")}


def retry_key(*parts: object) -> str:
    """The outbox retry key of one push about a slot: the same every time it is computed."""
    return str(uuid.uuid5(RETRY_KEYS, ":".join(str(part) for part in parts)))


# What a staff member's call or visit found.
CONTACT_RESULTS = {"safe": S_("無事を確認"), "no_answer": S_("応答なし"), "help": S_("支援が必要"),
                   "hospital": S_("入院・不在")}


@dataclass
class Board:
    due_today: list[WatchPlan]
    unanswered: list[WatchSlot]
    wishes: list[WatchSlot]
    paused: list[WatchPlan]
    phones: dict[int, list[WatchContact]]  # plan id -> the phone-only contacts, for the staff's task
    overdue: set[int]
    forecast: int


@dataclass
class Answered:
    slot: WatchSlot
    record: IntakeRecord | None
    first_look: datetime | None = None  # when staff first read it, if not today
    told: list[str] = field(default_factory=list)


class WatchService:
    """One city's 見守り plans and check-ins."""

    def __init__(self, session: Session, profile: Municipality, clock: Callable[[], datetime] | None = None,
                 outbox: Outbox | None = None) -> None:
        self.session = session
        self.profile = profile
        self.settings = profile.watch
        self.tz = ZoneInfo(profile.timezone)
        self.clock = clock or utcnow
        self.outbox = outbox or Outbox(session)
        self.recipients: set[str] = set()  # LINE user ids with pushes queued, to deliver after commit

    def now(self) -> datetime:
        return self.clock()

    def today(self) -> date:
        return self.now().astimezone(self.tz).date()

    # -- plans ---------------------------------------------------------------------------------

    def start_plan(self, resident: Resident, *, interval_days: int, hour: int, starts_on: date | None = None,
                   ends_on: date | None = None, channel: str = WatchPlan.LINE, record: IntakeRecord | None = None,
                   centre_code: str | None = None, staff_id: int | None = None,
                   weekdays_only: bool = False) -> WatchPlan:
        """Start a plan with the resident's agreement (recorded with its text version); ends the one before."""
        if interval_days < 1 or not 0 <= hour <= 23 or channel not in WatchPlan.CHANNELS:
            raise ValueError("interval, hour or channel out of range")
        previous = self.active_plan(resident)
        if previous is not None:
            self.stop(previous, "replaced", staff_id=staff_id)
        if centre_code is None:
            intake = IntakeService(self.session, self.profile)
            source = record or next(iter(intake.records_of(resident, limit=1)), None)  # the centre that knows them
            centre_code = source.centre_code if source is not None else intake.router.route(
                resident.area_code, []).centre_code
        plan = WatchPlan(resident_id=resident.id, record_id=record.id if record is not None else None,
                         centre_code=centre_code, interval_days=interval_days, hour=hour, weekdays_only=weekdays_only,
                         starts_on=starts_on or self.today(), ends_on=ends_on, channel=channel,
                         state=WatchPlan.ACTIVE, created_by=staff_id)
        self.session.add(plan)
        self.session.flush()
        self.session.add(WatchConsent(resident_id=resident.id, plan_id=plan.id, text_version=CONSENT_VERSION,
                                      via="staff" if staff_id else "line", staff_id=staff_id, agreed_at=self.now()))
        return plan

    def first_check_in(self, plan: WatchPlan) -> datetime:
        """When a plan a resident just registered sends its first check-in: today at its hour if that is still
        to come, else the next day; for 平日のみ the first working day from then. The plan starts that day."""
        day = self.today()
        if datetime.combine(day, time(plan.hour), tzinfo=self.tz) <= self.now():
            day += timedelta(days=1)
        plan.starts_on = self.working_day(plan, day)
        return datetime.combine(plan.starts_on, time(plan.hour), tzinfo=self.tz)

    def active_plan(self, resident: Resident) -> WatchPlan | None:
        return self.session.scalars(
            select(WatchPlan).where(WatchPlan.resident_id == resident.id, WatchPlan.state != WatchPlan.ENDED)
            .order_by(WatchPlan.id.desc()).limit(1)
        ).first()

    def plans_of(self, resident_id: int) -> list[WatchPlan]:
        """Every plan of the resident, newest first: the 本人ページ's history."""
        return list(self.session.scalars(
            select(WatchPlan).where(WatchPlan.resident_id == resident_id).order_by(WatchPlan.id.desc())))

    def pause(self, plan: WatchPlan, until: date, reason: str = "other") -> None:
        """No check-in up to and including ``until`` (入院・旅行)."""
        plan.state, plan.paused_until, plan.pause_reason = WatchPlan.PAUSED, until, reason[:40]
        self._close_open_slots(plan, WatchSlot.SKIPPED)

    def resume(self, plan: WatchPlan) -> None:
        plan.state, plan.paused_until, plan.pause_reason = WatchPlan.ACTIVE, None, None

    def stop(self, plan: WatchPlan, reason: str, *, staff_id: int | None = None) -> None:
        """End the plan; check-ins not sent yet are skipped and any escalation stops."""
        if plan.state == WatchPlan.ENDED:
            return
        plan.state, plan.stop_reason, plan.stopped_at = WatchPlan.ENDED, reason, self.now()
        self._close_open_slots(plan, WatchSlot.SKIPPED)

    def stop_for_resident(self, resident: Resident, reason: str, *, staff_id: int | None = None) -> WatchPlan | None:
        """Blocked, moved out, died: the resident's plan stops."""
        plan = self.active_plan(resident)
        if plan is not None:
            self.stop(plan, reason, staff_id=staff_id)
        return plan

    def stop_for_record(self, record: IntakeRecord) -> None:
        """A record reopened: the plan made when it closed stops (the centre is in touch again)."""
        for plan in self.session.scalars(select(WatchPlan).where(WatchPlan.record_id == record.id,
                                                                 WatchPlan.state != WatchPlan.ENDED)):
            self.stop(plan, "reopened")

    def _close_open_slots(self, plan: WatchPlan, state: str) -> None:
        for slot in self.session.scalars(select(WatchSlot).where(
                WatchSlot.plan_id == plan.id, WatchSlot.state.in_((WatchSlot.DUE, WatchSlot.SENT)))):
            slot.state, slot.next_step_at = state, None

    # -- the schedule --------------------------------------------------------------------------

    def next_due(self, plan: WatchPlan, last_due: datetime | None) -> datetime | None:
        """The plan's next check-in time at or before now (the latest of the rhythm), or None when none is due."""
        today = self.today()
        day = plan.starts_on if last_due is None else self._rhythm_day(plan, last_due.astimezone(self.tz).date()) + \
            timedelta(days=plan.interval_days)
        if day < today:  # the worker was down: keep the rhythm, send only the latest
            day += timedelta(days=(today - day).days // plan.interval_days * plan.interval_days)
        day = self.working_day(plan, day)
        if plan.paused_until is not None and day <= plan.paused_until:
            return None
        if plan.ends_on is not None and day > plan.ends_on:
            return None
        due = datetime.combine(day, time(plan.hour), tzinfo=self.tz)
        return due if due <= self.now() else None

    @staticmethod
    def _rhythm_day(plan: WatchPlan, day: date) -> date:
        """The day of the plan's rhythm on or before ``day`` (a check-in moved to a working day keeps the rhythm)."""
        return day - timedelta(days=max(0, (day - plan.starts_on).days) % plan.interval_days)

    def working_day(self, plan: WatchPlan, day: date) -> date:
        """``day``, or for a 平日のみ plan the first day from it that is not a weekend, holiday or closed day."""
        if not plan.weekdays_only:
            return day
        opening = OpeningHours(self.profile, self.clock)
        for _ in range(MAX_CLOSED_DAYS):
            if day.weekday() < 5 and not opening.is_closed_day(day):
                break
            day += timedelta(days=1)
        return day

    def schedule(self) -> int:
        """Create the slot rows that are due now (unique per plan and time); returns how many are new."""
        now, today = self.now(), self.today()
        last = (select(WatchSlot.plan_id, func.max(WatchSlot.due_at).label("last"))
                .group_by(WatchSlot.plan_id).subquery())
        rows = self.session.execute(
            select(WatchPlan, last.c.last).outerjoin(last, last.c.plan_id == WatchPlan.id)
            .where(WatchPlan.state != WatchPlan.ENDED, WatchPlan.starts_on <= today)
        ).all()
        new = []
        for plan, last_due in rows:
            if plan.state == WatchPlan.PAUSED and plan.paused_until is not None and plan.paused_until < today:
                self.resume(plan)
            if plan.ends_on is not None and plan.ends_on < today:
                self.stop(plan, "ended")
                continue
            due = self.next_due(plan, last_due)
            if due is not None and (last_due is None or due > last_due):
                new.append({"plan_id": plan.id, "due_at": due.astimezone(now.tzinfo), "state": WatchSlot.DUE,
                            "stage": WatchSlot.NONE, "created_at": now})
        if not new:
            return 0
        insert = pg_insert if self.session.get_bind().dialect.name == "postgresql" else sqlite_insert
        result = self.session.execute(insert(WatchSlot).values(new).on_conflict_do_nothing(
            index_elements=["plan_id", "due_at"]))
        return result.rowcount

    def claim_due(self, limit: int = CLAIM_BATCH) -> list[WatchSlot]:
        """Slots due and not sent, locked for this transaction (others skip them)."""
        return list(self.session.scalars(
            select(WatchSlot).where(WatchSlot.state == WatchSlot.DUE, WatchSlot.due_at <= self.now())
            .order_by(WatchSlot.due_at, WatchSlot.id).limit(limit).with_for_update(skip_locked=True)
        ))

    def send_check_in(self, slot: WatchSlot) -> None:
        """Queue the slot's check-in (LINE) or put it on the board (phone, visit); the slot is then sent."""
        plan, now = slot.plan, self.now()
        resident = plan.resident
        if plan.state != WatchPlan.ACTIVE:
            slot.state = WatchSlot.SKIPPED
            return
        for earlier in self.session.scalars(select(WatchSlot).where(
                WatchSlot.plan_id == plan.id, WatchSlot.state == WatchSlot.SENT, WatchSlot.id != slot.id)):
            # Still unanswered when the next check-in is due: two in a row go to the centre's staff.
            earlier.state, earlier.next_step_at = WatchSlot.MISSED, None
            if earlier.stage < WatchSlot.STAFF_TASK:
                earlier.stage = WatchSlot.STAFF_TASK
                self.session.add(WatchStep(slot_id=earlier.id, kind=WatchStep.STAFF_TASK, at=now))
        slot.state, slot.sent_at = WatchSlot.SENT, now
        if plan.channel != WatchPlan.LINE or resident.is_blocked:
            slot.stage = WatchSlot.STAFF_TASK
            self.session.add(WatchStep(slot_id=slot.id, kind=WatchStep.STAFF_TASK, at=now))
            return
        self._push(resident, self.notices(resident).check_in(), "watch_check_in", retry_key("slot", slot.id))
        slot.next_step_at = self.after_quiet(now + timedelta(hours=self.settings.reminder_after_hours))

    def send_due(self, limit: int = CLAIM_BATCH) -> int:
        """Claim and send one batch of due check-ins in this transaction; returns how many were claimed."""
        slots = self.claim_due(limit)
        for slot in slots:
            self.send_check_in(slot)
        return len(slots)

    # -- silence ---------------------------------------------------------------------------------

    def quiet(self, at: datetime) -> bool:
        hour = at.astimezone(self.tz).hour
        start, end = self.settings.quiet_from, self.settings.quiet_until
        return (start <= hour or hour < end) if start > end else start <= hour < end

    def after_quiet(self, at: datetime) -> datetime:
        """``at``, or the end of the quiet hours it falls in: no push at night."""
        if not self.quiet(at):
            return at
        local = at.astimezone(self.tz)
        day = local.date() if local.hour < self.settings.quiet_until else local.date() + timedelta(days=1)
        return datetime.combine(day, time(self.settings.quiet_until), tzinfo=self.tz)

    def escalate_due(self, limit: int = CLAIM_BATCH) -> int:
        """Take the next escalation step of each unanswered check-in whose time has come; returns how many."""
        now = self.now()
        slots = list(self.session.scalars(
            select(WatchSlot).where(WatchSlot.state == WatchSlot.SENT, WatchSlot.next_step_at <= now)
            .order_by(WatchSlot.next_step_at, WatchSlot.id).limit(limit).with_for_update(skip_locked=True)
        ))
        for slot in slots:
            if self.quiet(now):
                slot.next_step_at = self.after_quiet(now)
                continue
            self.escalate(slot)
        return len(slots)

    def escalate(self, slot: WatchSlot) -> None:
        """One step up: a reminder, then the LINE contacts, then a task for centre staff."""
        plan, now, settings = slot.plan, self.now(), self.settings
        resident = plan.resident
        if slot.stage == WatchSlot.NONE and not resident.is_blocked:
            self._push(resident, self.notices(resident).reminder(), "watch_reminder", retry_key("reminder", slot.id))
            slot.stage, slot.next_step_at = WatchSlot.REMINDED, now + timedelta(hours=settings.contacts_after_hours)
            self.session.add(WatchStep(slot_id=slot.id, kind=WatchStep.REMINDER, at=now))
            return
        contacts = self.line_contacts(plan)
        if slot.stage < WatchSlot.CONTACTS_ALERTED and contacts:
            for contact in contacts:
                self._push(contact.contact_resident, self.notices(contact.contact_resident).no_answer(resident),
                           "watch_contact", retry_key("contacts", slot.id, contact.id))
            slot.stage, slot.next_step_at = WatchSlot.CONTACTS_ALERTED, now + timedelta(hours=settings.staff_after_hours)
            self.session.add(WatchStep(slot_id=slot.id, kind=WatchStep.CONTACTS, at=now))
            return
        slot.stage, slot.next_step_at = WatchSlot.STAFF_TASK, None
        self.session.add(WatchStep(slot_id=slot.id, kind=WatchStep.STAFF_TASK, at=now))

    def line_contacts(self, plan: WatchPlan) -> list[WatchContact]:
        """The contacts who accepted on their own LINE and can still be reached."""
        return [contact for contact in self.session.scalars(select(WatchContact).where(
                    WatchContact.plan_id == plan.id, WatchContact.kind == WatchContact.LINE,
                    WatchContact.accepted_at.is_not(None), WatchContact.removed_at.is_(None)))
                if contact.contact_resident is not None and not contact.contact_resident.is_blocked]

    # -- answers ---------------------------------------------------------------------------------

    def open_slot(self, resident: Resident) -> WatchSlot | None:
        """The resident's latest check-in waiting for an answer, if one was sent recently."""
        return self.session.scalars(
            select(WatchSlot).join(WatchPlan).where(
                WatchPlan.resident_id == resident.id, WatchSlot.state == WatchSlot.SENT,
                WatchSlot.sent_at >= self.now() - ANSWER_WINDOW)
            .order_by(WatchSlot.sent_at.desc()).limit(1)
        ).first()

    def answer(self, resident: Resident, answer: str, typed: str | None = None) -> Answered | None:
        """Record the answer to the open check-in; tell those alerted; anything but 元気 reaches the centre."""
        slot = self.open_slot(resident)
        if slot is None or answer not in WatchSlot.ANSWERS:
            return None
        now = self.now()
        alerted = slot.stage >= WatchSlot.CONTACTS_ALERTED
        slot.state, slot.answer, slot.answered_at, slot.next_step_at = WatchSlot.ANSWERED, answer, now, None
        answered = Answered(slot, None)
        if alerted:
            for contact in self.line_contacts(slot.plan):
                self._push(contact.contact_resident, self.notices(contact.contact_resident).all_clear(resident),
                           "watch_contact", retry_key("all_clear", slot.id, contact.id))
                answered.told.append(contact.contact_resident.line_user_id)
            self.session.add(WatchStep(slot_id=slot.id, kind=WatchStep.ALL_CLEAR, at=now))
        if answer != WatchSlot.FINE:
            answered.record = self.reach_centre(slot.plan, answer, typed)
            opening = OpeningHours(self.profile, self.clock)
            look = opening.first_look(opening.desk(answered.record.centre_code))
            answered.first_look = None if look.today else look.opens
        return answered

    def reach_centre(self, plan: WatchPlan, answer: str, typed: str | None) -> IntakeRecord:
        """A message on the plan's open record, else a new record for the plan's centre; flagged for staff."""
        intake = IntakeService(self.session, self.profile)
        record = self.session.get(IntakeRecord, plan.record_id) if plan.record_id else None
        if record is None or not record.is_open:
            resident = plan.resident
            answers = Answers(area_code=resident.area_code, area_source="remembered" if resident.area_code else None)
            record = intake.submit(resident, answers, consent_at=self.now(), consent_version=CONSENT_VERSION)
            record.source = "watch"
            if plan.centre_code:
                record.centre_code = plan.centre_code
        intake.add_message(record, text=typed or ANSWER_WORDS[answer])
        record.flags = [*(item for item in record.flags or [] if item.get("code") != WATCH_FLAG),
                        flag(WATCH_FLAG, reason=ANSWER_WORDS[answer])]
        self.session.flush()
        return record

    # -- the staff board -----------------------------------------------------------------------

    def board(self, centre_codes: list[str] | None) -> Board:
        """見守りボード: due today, unanswered (with their escalation stage), 「話したい」, paused, tasks overdue."""
        today, now = self.today(), self.now()
        day_start = datetime.combine(today, time(), tzinfo=self.tz)
        in_scope = [WatchPlan.centre_code.in_(centre_codes)] if centre_codes is not None else []
        slots = select(WatchSlot).join(WatchPlan).where(*in_scope)
        plans = select(WatchPlan).where(WatchPlan.state != WatchPlan.ENDED, *in_scope)
        due_today = [plan for plan in self.session.scalars(plans.where(WatchPlan.state == WatchPlan.ACTIVE))
                     if self._due_on(plan, today)]
        unanswered = list(self.session.scalars(slots.where(
            WatchSlot.state.in_((WatchSlot.SENT, WatchSlot.MISSED)), WatchSlot.handled_at.is_(None),
            WatchSlot.sent_at >= now - timedelta(days=14)).order_by(WatchSlot.stage.desc(), WatchSlot.sent_at)))
        wishes = list(self.session.scalars(slots.where(
            WatchSlot.answer.in_((WatchSlot.TALK, WatchSlot.WORRIED)), WatchSlot.handled_at.is_(None),
            WatchSlot.answered_at >= now - timedelta(days=14)).order_by(WatchSlot.answered_at.desc())))
        paused = list(self.session.scalars(plans.where(WatchPlan.state == WatchPlan.PAUSED)
                                           .order_by(WatchPlan.paused_until)))
        month_start = today.replace(day=1)
        month_end = (month_start + timedelta(days=32)).replace(day=1) - timedelta(days=1)
        staff_tasks = {slot.plan_id for slot in unanswered if slot.stage == WatchSlot.STAFF_TASK}
        phones: dict[int, list[WatchContact]] = {}
        for contact in self.session.scalars(select(WatchContact).where(
                WatchContact.plan_id.in_(staff_tasks), WatchContact.kind == WatchContact.PHONE,
                WatchContact.removed_at.is_(None)).order_by(WatchContact.id)):
            phones.setdefault(contact.plan_id, []).append(contact)
        return Board(due_today=due_today, unanswered=unanswered, wishes=wishes, paused=paused, phones=phones,
                     overdue={slot.id for slot in unanswered
                              if slot.stage == WatchSlot.STAFF_TASK or slot.state == WatchSlot.MISSED
                              or (slot.sent_at and slot.sent_at < day_start)},
                     forecast=self.forecast(centre_codes, month_start, month_end))

    def _due_on(self, plan: WatchPlan, day: date) -> bool:
        if plan.starts_on > day or (plan.ends_on is not None and day > plan.ends_on):
            return False
        return self.working_day(plan, self._rhythm_day(plan, day)) == day

    def log_contact(self, slot: WatchSlot, kind: str, result: str, note: str, staff_id: int) -> WatchStep:
        """A staff member phoned or visited for a check-in: the result is logged and the task leaves the board."""
        if kind not in (WatchStep.CALL, WatchStep.VISIT) or result not in CONTACT_RESULTS:
            raise ValueError("unknown contact kind or result")
        now = self.now()
        slot.handled_at, slot.next_step_at = now, None
        if slot.state == WatchSlot.SENT:
            slot.state = WatchSlot.ANSWERED if result == "safe" else WatchSlot.MISSED
        step = WatchStep(slot_id=slot.id, kind=kind, result=result, note=note[:1000] or None, staff_id=staff_id, at=now)
        self.session.add(step)
        return step

    # -- figures ---------------------------------------------------------------------------------

    def forecast(self, centre_codes: list[str] | None, month_start: date, month_end: date) -> int:
        """Check-in pushes expected from ``month_start`` to ``month_end`` (inclusive) by LINE plans."""
        plans = self.session.scalars(select(WatchPlan).where(
            WatchPlan.state != WatchPlan.ENDED, WatchPlan.channel == WatchPlan.LINE,
            *([WatchPlan.centre_code.in_(centre_codes)] if centre_codes is not None else [])))
        count = 0
        for plan in plans:
            day, days = plan.starts_on, set()
            while day <= month_end and (plan.ends_on is None or day <= plan.ends_on):
                sent = self.working_day(plan, day)
                if month_start <= sent <= month_end and (plan.ends_on is None or sent <= plan.ends_on) and (
                        plan.paused_until is None or sent > plan.paused_until):
                    days.add(sent)
                day += timedelta(days=plan.interval_days)
            count += len(days)
        return count

    # -- pushes ----------------------------------------------------------------------------------

    def notices(self, resident: Resident) -> WatchNotices:
        return WatchNotices(Translator(resident.locale, self.profile.timezone))

    def _push(self, resident: Resident, messages: list[dict], purpose: str, key: str) -> None:
        [row] = self.outbox.push(resident, messages, purpose)
        row.retry_key = key  # derived from the slot: a second queuing of the same push would break the unique key
        self.recipients.add(resident.line_user_id)


def figures(session: Session, start: date, end: date, centre_codes: list[str] | None) -> list[tuple[str, int]]:
    """見守り for the figures page: check-ins sent, answered and escalated to staff from ``start`` to ``end``."""
    tz = ZoneInfo("Asia/Tokyo")
    since = datetime.combine(start, time(), tzinfo=tz)
    until = datetime.combine(end + timedelta(days=1), time(), tzinfo=tz)
    base = select(func.count()).select_from(WatchSlot).join(WatchPlan).where(
        WatchSlot.sent_at >= since, WatchSlot.sent_at < until,
        *([WatchPlan.centre_code.in_(centre_codes)] if centre_codes is not None else []))
    return [
        (S_("見守り：送った確認"), session.scalar(base) or 0),
        (S_("見守り：返事あり"), session.scalar(base.where(WatchSlot.answered_at.is_not(None))) or 0),
        (S_("見守り：職員の確認へ"), session.scalar(base.where(WatchSlot.stage == WatchSlot.STAFF_TASK)) or 0),
    ]
