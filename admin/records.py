"""Pages of the intake queue (受付一覧) and the consultation record (相談記録).

The views only ask the services: :class:`RecordQueue` finds records within
the staff member's scope (a record outside it is 404, in every route),
:class:`Workflow` changes them (and offers only the transitions the role may
use). Every view of a record, change, export, message and photo is audited,
with codes only. LINE pushes and emails are queued after the change commits.
"""
from __future__ import annotations

from datetime import date, datetime
from typing import Any

from flask import Response, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import format_datetime, gettext
from flask_login import current_user
from sqlalchemy import select

from admin import names
from admin.audit import ACTION_LABELS, AuditLogQuery, audit, register_action
from admin.auth import passive
from admin.dates import city_zone
from admin.pagination import paginate, requested_page
from admin.record_forms import (
    URGENCY_LABELS,
    AssignForm,
    CloseForm,
    FollowUpForm,
    ForwardForm,
    MessageForm,
    NoteForm,
    PlanForm,
    QueueFilterForm,
    ReasonForm,
    ReopenForm,
    TransitionForm,
)
from admin.scope import VIEW_RECORDS, current_scope, requires
from admin.dates import city_today
from admin.settings import admin_state
from admin.blueprint import bp, transaction, tsunagu
from bot.bounds import database_id
from bot.flows.intake_questions import RELATIONS, TIMES
from bot.i18n import LANGUAGE_NAMES, N_
from bot.models import StaffAccount
from bot.models.intake import IntakeMessage, IntakeRecord, LegalBasis, RecordStatus
from bot.services.record_queue import OVERDUE, Activity, QueueFilter, RecordQueue
from bot.services.response_templates import ResponseTemplates, filled
from bot.services.routing import flag_reason, is_collaboration_candidate
from bot.services.spreadsheet import excel_csv
from bot.services.workflow import (
    AGENCIES,
    EVENT_LABELS,
    NEEDS_REASON,
    QUIET_REASONS,
    STATUS_LABELS,
    TRIGGER_LABELS,
    TRIGGERS,
    Actor,
    Workflow,
    WorkflowError,
    plan_diff,
)
from bot.tasks.delivery import deliver_to
from bot.tasks.workflow import email_forwarded_record, email_returned_record, smtp_configured

SUBJECT_LABELS = {"self": N_("本人"), "family": N_("家族"), "neighbour": N_("近所・知り合い")}
CONTACT_LABELS = {"line": N_("LINE"), "phone": N_("電話"), "meet": N_("面談（来所・訪問）"),
                  "none": N_("不要（相談者が連絡を望まない）")}
SAFE_CONTACT_LABELS = {"line": N_("LINEなら安全（電話は避ける）"), "phone": N_("電話なら安全（LINEは避ける）"),
                       "both": N_("LINE・電話とも安全"), "neither": N_("LINE・電話とも避ける")}
# The resident's language as staff name it (the badge on the queue and the record).
STAFF_LANGUAGE_LABELS = {"ja_Hira": N_("やさしい日本語"), "en": N_("英語"), "zh_Hans": N_("中国語（簡体字）"),
                         "vi": N_("ベトナム語")}
AREA_SOURCE_LABELS = {"chosen": N_("選択"), "typed": N_("入力"), "location": N_("位置情報"),
                      "remembered": N_("前回の回答"), "unknown": N_("不明")}

# What staff read once a workflow action is done.
DONE = {
    "triage": N_("確認済みにしました。"),
    "forward": N_("転送しました。"),
    "accept": N_("受け入れました。"),
    "start": N_("対応を開始しました。"),
    "reject": N_("差し戻しました。"),
    "escalate": N_("多機関協働としてコーディネーターへ送りました。"),
    "take_on": N_("コーディネーターが対応することにしました。"),
    "close": N_("完了にしました。"),
    "reopen": N_("再開しました。"),
}

for _action, _label in [
    ("records.list", N_("受付一覧の閲覧")), ("records.poll", N_("受付一覧の自動更新")),
    ("records.export", N_("受付一覧のCSV出力")), ("records.view", N_("相談記録の閲覧")),
    ("records.photo", N_("写真の閲覧")), ("records.assign", N_("担当者の設定")),
    ("records.note", N_("職員メモの追加")), ("records.plan", N_("支援プランの記録")),
    ("records.message", N_("本人へのLINE送信")), ("records.plan_version", N_("支援プランの版の閲覧")),
    ("records.print", N_("相談記録の印刷")),
    ("records.message", N_("本人へのLINE送信")), ("records.follow_up", N_("次回確認日の設定")),
    *[(f"records.{trigger}", EVENT_LABELS[trigger]) for trigger in TRIGGERS if trigger != "withdraw"],
]:
    register_action(_action, _label, "intake_records", N_("相談記録"))


def _actor() -> Actor:
    return Actor(current_user.id, current_user.role, tuple(current_user.centre_codes))


def _record_or_404(db_session, record_id: int, *, for_update: bool = False) -> IntakeRecord:  # noqa: ANN001
    record = RecordQueue(db_session, tsunagu().profile).get(current_scope(), record_id, for_update=for_update)
    if record is None:
        abort(404)
    return record


def _after_commit(workflow: Workflow) -> None:
    """Deliver the pushes the change queued, and email the centres records were forwarded or returned to."""
    for recipient in workflow.recipients:
        deliver_to(recipient)
    if smtp_configured(tsunagu().config):
        for record_id in workflow.forwarded:
            email_forwarded_record(record_id)
        for record_id in workflow.returned:
            email_returned_record(record_id)


# --- the queue -------------------------------------------------------------------

def _queue_filter() -> tuple[QueueFilterForm, QueueFilter]:
    scope = current_scope()
    form = QueueFilterForm(formdata=request.args)
    with transaction() as db_session:
        staff = _visible_staff(db_session)
    form.with_choices(tsunagu().profile, scope.centre_codes, scope.is_coordinator, staff)
    form.validate()
    wanted = QueueFilter(
        status=form.status.data or "",
        centre=form.centre.data or "",
        category=form.category.data or "",
        urgency=form.urgency.data or "",
        date_from=None if form.date_from.errors else form.date_from.data,
        date_to=None if form.date_to.errors else form.date_to.data,
        assignee=form.assignee.data or "",
        q=(form.q.data or "")[:100],
        triage=bool(form.triage.data) and scope.is_coordinator,
        follow_up_by=city_today() if form.due.data == OVERDUE else None,
    )
    return form, wanted


def _audited(form: QueueFilterForm, wanted: QueueFilter) -> dict[str, Any]:
    """The filter as the audit log keeps it: values the page offers; any other value (it could be any text,
    e.g. a forged sentence) only named as refused."""
    details = wanted.as_details()
    refused = sorted(name for name in ("status", "centre", "category", "urgency", "assignee")
                     if name in details and details[name] not in {choice.value for choice in getattr(form, name).choices})
    for name in refused:
        del details[name]
    return {**details, "refused": refused} if refused else details


def _visible_staff(db_session) -> list[tuple[int, str]]:  # noqa: ANN001
    """Staff who can hold records the current member sees (for the assignee filter)."""
    scope = current_scope()
    accounts = db_session.scalars(select(StaffAccount).where(StaffAccount.active.is_(True)).order_by(StaffAccount.name))
    return [(a.id, a.name) for a in accounts
            if a.role == "coordinator" or (a.role == "centre_staff" and set(a.centre_codes) & scope.centre_codes)]


@bp.get("/records/")
@requires(VIEW_RECORDS)
def record_list():  # noqa: ANN201
    """List the records in scope: urgent first, then the oldest; filtered and searched."""
    form, wanted = _queue_filter()
    scope = current_scope()
    with transaction() as db_session:
        queue = RecordQueue(db_session, tsunagu().profile)
        page = paginate(db_session, queue.statement(scope, wanted, current_user.id), requested_page(),
                        admin_state().page_size)
        counts = queue.counts(scope)
        triage_count = queue.triage_count(scope) if scope.is_coordinator else None
        latest = queue.latest_id(scope)
        activity = queue.activity([record.id for record in page.items], current_user.id)
        rows = [_row(record, activity.get(record.id)) for record in page.items]
        audit("records.list", session=db_session, page=page.number, count=len(rows), **_audited(form, wanted))
    return render_template("admin/records/list.html", form=form, page=page, rows=rows, counts=counts,
                           triage_count=triage_count, latest=latest, status_labels=STATUS_LABELS,
                           export_url=url_for("admin.record_export", **request.args.to_dict()),
                           poll_url=url_for("admin.record_poll", **request.args.to_dict()))


@bp.get("/records/poll")
@passive
@requires(VIEW_RECORDS)
def record_poll():  # noqa: ANN201
    """Say which new records arrived since the page was drawn (polled; not activity)."""
    _, wanted = _queue_filter()
    after = database_id(request.args.get("after")) or 0
    scope = current_scope()
    with transaction() as db_session:
        queue = RecordQueue(db_session, tsunagu().profile)
        fresh = queue.newer_than(scope, wanted, after, current_user.id)
        counts = queue.counts(scope)
        rows = [render_template("admin/records/_row.html", row=_row(record)) for record in fresh]
        latest = max([after, *(record.id for record in fresh)])
        if fresh:
            audit("records.poll", session=db_session, count=len(fresh))
    return jsonify(latest=latest, rows=rows, counts=counts,
                   message=gettext("新しい受付が%(count)d件届きました。", count=len(rows)) if rows else "")


def _row(record: IntakeRecord, activity: Activity | None = None) -> dict[str, Any]:
    """What one line of the queue shows (no consultation text, no names); ``activity`` for this member of staff."""
    profile = tsunagu().profile
    facts = record.workflow
    return {
        "id": record.id,
        "receipt": record.receipt_number,
        "created_at": record.created_at,
        "status": record.status,
        "status_label": gettext(STATUS_LABELS.get(record.status, record.status)),
        "urgent": record.urgent,
        "collaboration": is_collaboration_candidate(record.flags or []),
        "categories": [_category_label(code) for code in record.categories or []],
        "area": _area_name(record.area_code),
        "centre": _centre_name(record.centre_code, short=True) if record.centre_code else None,
        "rejected": facts is not None and facts.rejected_at is not None and record.status == RecordStatus.TRIAGED,
        "assignee": facts.assignee.name if facts is not None and facts.assignee is not None else None,
        "updated_at": record.updated_at,
        "language": _language_label(record.resident.locale if record.resident else None),
        "interpreter": _interpreter_label(record.interpreter),
        "welfare_check": record.welfare_check,
        "profile": profile.code,
        "resident_id": record.resident_id,
        "last_activity": activity.last_at if activity else record.updated_at,
        "unread": activity is not None and activity.unread,
        "follow_up_on": facts.follow_up_on if facts is not None else None,
        "overdue": facts is not None and facts.follow_up_on is not None and record.is_open
                   and facts.follow_up_on <= city_today(),
    }


def _language_label(locale: str | None) -> str | None:
    """The resident's language for the badge; None for Japanese (no badge)."""
    label = STAFF_LANGUAGE_LABELS.get(locale or "ja")
    return gettext(label) if label else None


def _interpreter_label(value: str | None) -> str | None:
    """The interpreter the resident asked for (a language), 不要, or None when not asked."""
    if not value:
        return None
    if value == "none":
        return gettext("不要")
    return gettext(STAFF_LANGUAGE_LABELS[value]) if value in STAFF_LANGUAGE_LABELS else value


def _relation_label(value: str | None) -> str | None:
    """Who the resident is to the person concerned: a chosen relation in the staff's language, else as typed."""
    return gettext(RELATIONS[value]) if value in RELATIONS else value


def _category_label(code: str) -> str:
    return names.category_label(tsunagu().profile, code)


def _area_name(code: str | None) -> str | None:
    return names.area_name(tsunagu().profile, code)


def _centre_name(code: str | None, short: bool = False) -> str:
    return names.centre_name(tsunagu().profile, code, short)


# --- CSV ---------------------------------------------------------------------------

CSV_COLUMNS = [N_("受付番号"), N_("受付日時"), N_("状態"), N_("センター"), N_("地区"), N_("分類"), N_("緊急"),
               N_("多機関協働の候補"), N_("担当者"), N_("最終更新"), N_("言語"), N_("通訳"), N_("安否確認")]


@bp.get("/records/export.csv")
@requires(VIEW_RECORDS)
def record_export():  # noqa: ANN201
    """Download the filtered queue as CSV (UTF-8 with BOM for Excel), within scope; audited."""
    form, wanted = _queue_filter()
    scope = current_scope()
    with transaction() as db_session:
        records = list(db_session.scalars(RecordQueue(db_session, tsunagu().profile).statement(
            scope, wanted, current_user.id)))
        rows = []
        for record in records:
            row = _row(record)
            rows.append((
                row["receipt"], _local(row["created_at"]), row["status_label"],
                row["centre"] or gettext("未振り分け"), row["area"] or gettext("不明"), "、".join(row["categories"]),
                gettext("緊急") if row["urgent"] else "", gettext("候補") if row["collaboration"] else "",
                row["assignee"] or "", _local(row["updated_at"]), row["language"] or gettext("日本語"),
                row["interpreter"] or "", gettext("要確認") if record.welfare_check else "",
            ))
        body = excel_csv([gettext(column) for column in CSV_COLUMNS], rows)
        # The receipt numbers exported, so each record's access history (and the audit log) shows the export.
        audit("records.export", session=db_session, count=len(records), receipts=[r.receipt_number for r in records],
              **_audited(form, wanted))
    stamp = admin_state().now().astimezone(city_zone()).strftime("%Y%m%d-%H%M")
    return Response(body, mimetype="text/csv", headers={
        "Content-Type": "text/csv; charset=utf-8",
        "Content-Disposition": f'attachment; filename="records-{stamp}.csv"',
    })


def _local(value: datetime | None) -> str:
    return format_datetime(value, "yyyy-MM-dd HH:mm") if value else ""


# --- the record ------------------------------------------------------------------

@bp.get("/records/<dbid:record_id>")
@requires(VIEW_RECORDS)
def record_view(record_id: int):  # noqa: ANN201
    """Show a record: the answers, the thread, flags, notes, timeline and what can be done."""
    return _render_record(record_id)


def _render_record(record_id: int, *, forms: dict[str, Any] | None = None, status: int = 200,  # noqa: ANN202
                   printing: bool = False):
    scope = current_scope()
    profile = tsunagu().profile
    forms = forms or {}
    with transaction() as db_session:
        record = _record_or_404(db_session, record_id)
        RecordQueue(db_session, profile).mark_seen(record.id, current_user.id)  # its replies are read now
        workflow = Workflow(db_session, profile)
        # A centre that forwarded the record on still reads it, but the work is the other centre's now.
        mine = scope.can_see_centre(record.centre_code)
        available = workflow.available(record, current_user.role) if mine else []
        suggested = workflow.router.route(record.area_code).centre_code
        staff = [(a.id, a.name) for a in workflow.assignable(record)]
        templates = ResponseTemplates(db_session, profile).for_categories(
            record.categories or [], record.resident.locale if record.resident else None)
        facts = record.workflow
        page = {
            "record": record,
            "row": _row(record),
            "resident": record.resident,
            "languages": LANGUAGE_NAMES,
            "thread": list(record.messages),
            # Why the record is urgent: the messages that signalled danger (the flags say which kinds).
            "danger_messages": [m for m in record.messages if m.phase == IntakeMessage.DANGER],
            "staff_messages": workflow.staff_messages(record),
            "photos": {a.id: a for a in record.attachments},
            "notes": workflow.notes(record),
            "timeline": workflow.timeline(record),
            "plans": workflow.plans(record),
            "facts": facts,
            "available": available,
            "reachable": workflow.reachable(record),
            "plannable": workflow.plannable(record) and scope.is_coordinator,
            "finished": record.status == RecordStatus.WITHDRAWN,
            "mine": mine,
            "read_only": record.status == RecordStatus.WITHDRAWN or not mine,
            "outcome": profile.outcome_label(facts.outcome, names.staff_locale()) if facts and facts.outcome else None,
            "templates": [(template.id, filled(template, record)) for template in templates],
            "suggested": _centre_name(suggested) if suggested else None,
            "flag_reasons": [(item.get("code"), flag_reason(item, profile, gettext, names.staff_locale()))
                             for item in record.flags or []],
            "contact_times": _contact_times(record.contact_times),
            "relation": _relation_label(record.relation),
            "safe_contact": gettext(SAFE_CONTACT_LABELS[record.safe_contact])
            if record.safe_contact in SAFE_CONTACT_LABELS else None,
        }
        audit("records.print" if printing else "records.view", record, session=db_session,
              receipt=record.receipt_number, status=record.status)
        # Who has read or changed this record before (this view joins it on commit): staff who see it see who else did.
        history = AuditLogQuery(db_session, profile.timezone).about_record(record)
        forward = forms.get("forward") or ForwardForm(prefix="forward", formdata=None)
        forward.with_centres(profile, record.centre_code, suggested)
        assign = forms.get("assign") or AssignForm(
            prefix="assign", formdata=None,
            data={"assignee": str(facts.assignee_id) if facts and facts.assignee_id else ""})
        assign.with_staff(staff)
        plan = forms.get("plan") or _plan_form(page["plans"][0] if page["plans"] else None)
        plan.with_agencies()
        message = forms.get("message") or MessageForm(prefix="message", formdata=None)
        message.template.choices = [("", gettext("（定型文を選ぶ）"))] + [(str(t.id), t.title) for t in templates]
        return render_template(
            "admin/records/record.html", **page,
            forward_form=forward, assign_form=assign, plan_form=plan, message_form=message,
            note_form=forms.get("note") or NoteForm(prefix="note", formdata=None),
            follow_up_form=forms.get("follow_up") or FollowUpForm(
                prefix="follow_up", formdata=None, data={"on": facts.follow_up_on if facts else None}),
            reason_forms={trigger: forms.get(trigger) or ReasonForm(prefix=trigger, formdata=None)
                          for trigger in NEEDS_REASON},
            transition_form=TransitionForm(formdata=None),
            reopen_form=forms.get("reopen") or ReopenForm(prefix="reopen", formdata=None),
            quiet_reasons=QUIET_REASONS,
            outcome_label=lambda code: profile.outcome_label(code, names.staff_locale()),
            status_labels=STATUS_LABELS, trigger_labels=TRIGGER_LABELS, event_labels=EVENT_LABELS,
            agency_labels=AGENCIES, subject_labels=SUBJECT_LABELS, contact_labels=CONTACT_LABELS,
            urgency_labels=URGENCY_LABELS, area_source_labels=AREA_SOURCE_LABELS,
            centre_name=_centre_name, vital_interest=LegalBasis.VITAL_INTEREST,
            statuses=RecordStatus, history=history, audit_labels=ACTION_LABELS,
            printing=printing, printed_at=admin_state().now(), printed_by=current_user.name, today=_city_today(),
        ), status


def _plan_form(current) -> PlanForm:  # noqa: ANN001
    """The plan form, filled with the current version: a revision starts from what is there."""
    if current is None:
        return PlanForm(prefix="plan", formdata=None)
    return PlanForm(prefix="plan", formdata=None, data={
        "policy": current.policy, "services": current.services, "agencies": list(current.agencies or []),
        "review_on": current.review_on})


def _city_today() -> date:
    return admin_state().now().astimezone(city_zone()).date()


def _contact_times(value: str | None) -> str | None:
    """The time slot a resident chose, in the staff member's language; what they typed, as typed."""
    return gettext(value) if value in TIMES.values() else value


@bp.post("/records/<dbid:record_id>/<any(" + ",".join(t for t in TRIGGERS if t != "withdraw") + "):trigger>")
@requires(VIEW_RECORDS)
def record_transition(record_id: int, trigger: str):  # noqa: ANN201
    """Move the record along the workflow (forward, accept, reject, escalate, close, ...)."""
    if trigger == "forward":
        form = ForwardForm(prefix="forward")
        form.with_centres(tsunagu().profile, None, None)
    elif trigger == "close":
        form = CloseForm(prefix="close").with_outcomes(tsunagu().profile, "")
    elif trigger == "reopen":
        form = ReopenForm(prefix="reopen")
    elif trigger in NEEDS_REASON:
        form = ReasonForm(prefix=trigger)
    else:
        form = TransitionForm()
    if not form.validate_on_submit():
        flash(gettext("入力内容を確認してください。"), "error")
        if trigger == "close":
            return _render_close(record_id, form, status=400)
        return _render_record(record_id, forms={trigger: form}, status=400)
    params: dict[str, Any] = {}
    if trigger == "forward":
        params = {"centre_code": form.centre.data, "note": form.note.data}
    elif trigger == "close":
        params = {"outcome": form.outcome.data, "tell": form.tell.data != "no", "quiet_reason": form.quiet_reason.data}
    elif trigger == "reopen":
        params = {"tell": form.tell.data}
    elif trigger in NEEDS_REASON:
        params = {"reason": form.reason.data}
    try:
        with transaction() as db_session:
            record = _record_or_404(db_session, record_id, for_update=True)
            workflow = Workflow(db_session, tsunagu().profile)
            event = workflow.apply(record, trigger, _actor(), **params)
            # Codes only: centres, the outcome, whether the resident was told and why not.
            details = {key: value for key, value in event.details.items()
                       if key in ("from_centre", "to_centre", "legal_basis", "outcome", "told", "quiet_reason")}
            audit(f"records.{trigger}", record, session=db_session, receipt=record.receipt_number,
                  from_status=event.from_status, to_status=event.to_status, **details)
            still_visible = RecordQueue(db_session, tsunagu().profile).get(current_scope(), record_id) is not None
    except WorkflowError as error:
        flash(gettext(error.message), "error")
        if trigger == "close":
            return _render_close(record_id, form, status=400)
        return redirect(url_for("admin.record_view", record_id=record_id))
    _after_commit(workflow)
    flash(gettext(DONE[trigger]), "success")
    if not still_visible:  # sent back out of one's own centres
        return redirect(url_for("admin.record_list"))
    return redirect(url_for("admin.record_view", record_id=record_id))


@bp.get("/records/<dbid:record_id>/close")
@requires(VIEW_RECORDS)
def record_close(record_id: int):  # noqa: ANN201
    """Ask before closing: the outcome, and whether the resident is told."""
    return _render_close(record_id, None)


def _render_close(record_id: int, form: CloseForm | None, status: int = 200):  # noqa: ANN202
    profile = tsunagu().profile
    with transaction() as db_session:
        record = _record_or_404(db_session, record_id)
        workflow = Workflow(db_session, profile)
        if not current_scope().can_see_centre(record.centre_code) \
                or "close" not in workflow.available(record, current_user.role):
            flash(gettext(WorkflowError.message), "error")
            return redirect(url_for("admin.record_view", record_id=record_id))
        form = form or CloseForm(prefix="close", formdata=None)
        form.with_outcomes(profile, record.status)
        return render_template("admin/records/close.html", record=record, form=form,
                               reachable=workflow.reachable(record)), status


def _record_change(record_id: int, form, change, action: str, done: str, key: str):  # noqa: ANN001, ANN202
    """Validate a form, apply one change to the record, audit it, then show the record again."""
    if not form.validate_on_submit():
        flash(gettext("入力内容を確認してください。"), "error")
        return _render_record(record_id, forms={key: form}, status=400)
    try:
        with transaction() as db_session:
            record = _record_or_404(db_session, record_id, for_update=True)
            workflow = Workflow(db_session, tsunagu().profile)
            details = change(workflow, record) or {}
            audit(action, record, session=db_session, receipt=record.receipt_number, **details)
    except WorkflowError as error:
        flash(gettext(error.message), "error")
        return _render_record(record_id, forms={key: form}, status=400)
    _after_commit(workflow)
    flash(done, "success")
    return redirect(url_for("admin.record_view", record_id=record_id))


@bp.post("/records/<dbid:record_id>/assign")
@requires(VIEW_RECORDS)
def record_assign(record_id: int):  # noqa: ANN201
    """Give the record to a member of staff."""
    form = AssignForm(prefix="assign")
    with transaction() as db_session:
        record = _record_or_404(db_session, record_id)
        form.with_staff([(a.id, a.name) for a in Workflow(db_session, tsunagu().profile).assignable(record)])

    def change(workflow: Workflow, record: IntakeRecord) -> dict:
        assignee = database_id(form.assignee.data)
        workflow.assign(record, _actor(), assignee)
        return {"assignee_id": assignee}

    return _record_change(record_id, form, change, "records.assign", gettext("担当者を設定しました。"), "assign")


@bp.post("/records/<dbid:record_id>/follow-up")
@requires(VIEW_RECORDS)
def record_follow_up(record_id: int):  # noqa: ANN201
    """Set the day to look at the record again (次回確認日), or clear it."""
    form = FollowUpForm(prefix="follow_up")

    def change(workflow: Workflow, record: IntakeRecord) -> dict:
        workflow.set_follow_up(record, _actor(), form.on.data)
        return {"follow_up_on": form.on.data.isoformat() if form.on.data else None}

    return _record_change(record_id, form, change, "records.follow_up", gettext("次回確認日を設定しました。"),
                          "follow_up")


@bp.post("/records/<dbid:record_id>/notes")
@requires(VIEW_RECORDS)
def record_note(record_id: int):  # noqa: ANN201
    """Add an internal note."""
    form = NoteForm(prefix="note")

    def change(workflow: Workflow, record: IntakeRecord) -> dict:
        note = workflow.add_note(record, _actor(), form.body.data)
        return {"note_id": note.id}

    return _record_change(record_id, form, change, "records.note", gettext("メモを追加しました。"), "note")


@bp.post("/records/<dbid:record_id>/plan")
@requires(VIEW_RECORDS)
def record_plan(record_id: int):  # noqa: ANN201
    """Record a version of the 多機関協働 support plan."""
    form = PlanForm(prefix="plan").with_agencies()

    def change(workflow: Workflow, record: IntakeRecord) -> dict:
        plan = workflow.save_plan(record, _actor(), policy=form.policy.data, services=form.services.data,
                                  agencies=form.agencies.data or [], review_on=form.review_on.data,
                                  today=_city_today())
        return {"plan_id": plan.id, "agencies": plan.agencies}

    return _record_change(record_id, form, change, "records.plan", gettext("支援プランを記録しました。"), "plan")


@bp.get("/records/<dbid:record_id>/plans/<dbid:number>")
@requires(VIEW_RECORDS)
def record_plan_version(record_id: int, number: int):  # noqa: ANN201
    """Show one version of the support plan, compared with the version before it."""
    with transaction() as db_session:
        record = _record_or_404(db_session, record_id)
        workflow = Workflow(db_session, tsunagu().profile)
        plan = workflow.plan_version(record, number)
        if plan is None:
            abort(404)
        previous = workflow.plan_version(record, number - 1) if number > 1 else None
        count = len(workflow.plans(record))
        changes = None
        if previous is not None:
            changes = {
                "policy": plan_diff(previous.policy, plan.policy),
                "services": plan_diff(previous.services or "", plan.services or ""),
                "agencies": plan_diff(_agency_lines(previous.agencies), _agency_lines(plan.agencies)),
                "review_on": (previous.review_on, plan.review_on),
            }
        audit("records.plan_version", record, session=db_session, receipt=record.receipt_number,
              plan_id=plan.id, version=number)
        return render_template("admin/records/plan.html", record=record, plan=plan, previous=previous,
                               number=number, count=count, changes=changes, agency_labels=AGENCIES)


def _agency_lines(codes: list[str] | None) -> str:
    return "\n".join(gettext(AGENCIES[code]) for code in codes or [] if code in AGENCIES)


@bp.get("/records/<dbid:record_id>/print")
@requires(VIEW_RECORDS)
def record_print(record_id: int):  # noqa: ANN201
    """Show the record for printing: its header names the receipt, the date and who prints; audited."""
    return _render_record(record_id, printing=True)


@bp.post("/records/<dbid:record_id>/messages")
@requires(VIEW_RECORDS)
def record_message(record_id: int):  # noqa: ANN201
    """Send the resident a LINE message; it joins the thread, its delivery is shown."""
    form = MessageForm(prefix="message")

    def change(workflow: Workflow, record: IntakeRecord) -> dict:
        sent = workflow.send_message(record, _actor(), form.body.data)
        return {"staff_message_id": sent.id, "template_id": database_id(form.template.data)}

    return _record_change(record_id, form, change, "records.message",
                          gettext("メッセージを送信しました。届いたかどうかは、スレッドに表示されます。"), "message")


@bp.get("/records/<dbid:record_id>/photos/<dbid:attachment_id>")
@requires(VIEW_RECORDS)
def record_photo(record_id: int, attachment_id: int):  # noqa: ANN201
    """Serve a photo of a record in scope, as an image only (never as a page); audited."""
    with transaction() as db_session:
        photo = RecordQueue(db_session, tsunagu().profile).photo(current_scope(), record_id, attachment_id)
        if photo is None:
            abort(404)
        record = photo.record
        audit("records.photo", record, session=db_session, receipt=record.receipt_number, photo_id=photo.id)
        content, content_type = photo.content or b"", photo.content_type or ""
        receipt = record.receipt_number
    if content_type not in _IMAGE_TYPES:
        content_type = "application/octet-stream"
    extension = _IMAGE_TYPES.get(content_type, "bin")
    disposition = "inline" if content_type in _IMAGE_TYPES else "attachment"
    return Response(content, mimetype=content_type, headers={
        "Content-Disposition": f'{disposition}; filename="{receipt}-{attachment_id}.{extension}"',
        "Content-Security-Policy": "default-src 'none'; sandbox",
    })


_IMAGE_TYPES = {"image/jpeg": "jpg", "image/png": "png", "image/gif": "gif", "image/webp": "webp"}
