"""見守り for staff: the board per centre, a call or visit logged, plans set and ended from the resident page.

Every page that shows residents is audited with counts only; every change
with codes only (bot/services/watch.py holds the rules).
"""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext
from flask_login import current_user
from sqlalchemy import select

from admin import names
from admin.audit import audit, register_action
from admin.blueprint import bp, transaction, tsunagu
from admin.scope import VIEW_RECORDS, current_scope, requires
from admin.settings import admin_state
from admin.watch_forms import CHANNELS, INTERVALS, WatchContactForm, WatchPlanForm, WatchStopForm
from bot.i18n import N_
from bot.models import Resident
from bot.models.watch import WatchPlan, WatchSlot
from bot.services.residents import ResidentFiles
from bot.services.watch import CONTACT_RESULTS, STOP_REASONS, WatchService

for _action, _label in [("watch.board", N_("見守りボードの閲覧")), ("watch.contact", N_("見守りの電話・訪問の記録")),
                        ("watch.start", N_("見守りプランの設定")), ("watch.stop", N_("見守りプランの終了"))]:
    register_action(_action, _label, "watch_plans", N_("見守りプラン"))

PAUSE_REASONS = {"hospital": N_("入院"), "travel": N_("旅行・外出")}
STAGE_LABELS = {WatchSlot.NONE: N_("返事待ち"), WatchSlot.REMINDED: N_("再送済み"),
                WatchSlot.CONTACTS_ALERTED: N_("家族に連絡済み"), WatchSlot.STAFF_TASK: N_("職員の確認が必要")}


def _service(db_session) -> WatchService:  # noqa: ANN001
    return WatchService(db_session, tsunagu().profile, admin_state().now)


def _centres() -> list[str] | None:
    scope = current_scope()
    return None if scope.sees_all_centres else sorted(scope.centre_codes)


@bp.get("/watch")
@requires(VIEW_RECORDS)
def watch_board():  # noqa: ANN201
    """Show the 見守り board of one's centres: due today, unanswered, 「話したい」, paused."""
    profile = tsunagu().profile
    with transaction() as db_session:
        board = _service(db_session).board(_centres())
        audit("watch.board", session=db_session, due=len(board.due_today), unanswered=len(board.unanswered),
              wishes=len(board.wishes), paused=len(board.paused))
        return render_template(
            "admin/watch/board.html", board=board, stage_labels=STAGE_LABELS, pause_reasons=PAUSE_REASONS, form=WatchContactForm(formdata=None),
            centre_name=lambda code: names.centre_name(profile, code, True) if code else gettext("未振り分け"),
            answer_labels={WatchSlot.TALK: gettext("話したい"), WatchSlot.WORRIED: gettext("少し心配なことがある")},
        )


@bp.post("/watch/slots/<dbid:slot_id>/contact")
@requires(VIEW_RECORDS)
def watch_contact(slot_id: int):  # noqa: ANN201
    """Log a phone call or visit for a check-in, and its result."""
    form = WatchContactForm()
    if not form.validate_on_submit():
        flash(gettext("入力内容を確認してください。"), "error")
        return redirect(url_for("admin.watch_board")), 303
    with transaction() as db_session:
        slot = db_session.get(WatchSlot, slot_id)
        if slot is None:
            abort(404)
        current_scope().require_centre(slot.plan.centre_code)
        _service(db_session).log_contact(slot, form.kind.data, form.result.data, form.note.data or "", current_user.id)
        audit("watch.contact", slot.plan, session=db_session, slot=slot.id, kind=form.kind.data, result=form.result.data)
    flash(gettext("記録しました。"), "success")
    return redirect(url_for("admin.watch_board"))


def _resident_in_scope(db_session, resident_id: int) -> Resident:  # noqa: ANN001
    story = ResidentFiles(db_session, tsunagu().profile).story(current_scope(), resident_id)
    if story is None:
        abort(404)
    return story.resident


@bp.post("/residents/<dbid:resident_id>/watch")
@requires(VIEW_RECORDS)
def watch_start(resident_id: int):  # noqa: ANN201
    """Set (or change) the resident's 見守りプラン with their agreement."""
    form = WatchPlanForm()
    if not form.validate_on_submit():
        for errors in form.errors.values():
            flash(gettext(str(errors[0])), "error")
        return redirect(url_for("admin.resident_view", resident_id=resident_id) + "#watch")
    with transaction() as db_session:
        resident = _resident_in_scope(db_session, resident_id)
        service = _service(db_session)
        if form.ends_on.data is not None and form.ends_on.data < service.today():
            flash(gettext("終了日は今日以降の日付にしてください。"), "error")
            return redirect(url_for("admin.resident_view", resident_id=resident_id) + "#watch")
        scope = current_scope()
        centre = next((code for code in sorted(scope.centre_codes)), None) if not scope.sees_all_centres else None
        plan = service.start_plan(resident, interval_days=form.interval_days.data, hour=form.hour.data,
                                  ends_on=form.ends_on.data, channel=form.channel.data, staff_id=current_user.id,
                                  centre_code=centre, weekdays_only=form.weekdays_only.data)
        audit("watch.start", plan, session=db_session, resident=resident.id, interval=plan.interval_days,
              channel=plan.channel, weekdays_only=plan.weekdays_only)
    flash(gettext("見守りプランを設定しました。"), "success")
    return redirect(url_for("admin.resident_view", resident_id=resident_id) + "#watch")


@bp.post("/watch/plans/<dbid:plan_id>/stop")
@requires(VIEW_RECORDS)
def watch_stop(plan_id: int):  # noqa: ANN201
    """End a plan with a reason (終了・転出・死亡)."""
    form = WatchStopForm()
    with transaction() as db_session:
        plan = db_session.get(WatchPlan, plan_id)
        if plan is None:
            abort(404)
        _resident_in_scope(db_session, plan.resident_id)
        if not form.validate_on_submit():
            flash(gettext("入力内容を確認してください。"), "error")
            return redirect(url_for("admin.resident_view", resident_id=plan.resident_id) + "#watch")
        _service(db_session).stop(plan, form.reason.data, staff_id=current_user.id)
        audit("watch.stop", plan, session=db_session, reason=form.reason.data)
        resident_id = plan.resident_id
    flash(gettext("見守りプランを終了しました。"), "success")
    return redirect(url_for("admin.resident_view", resident_id=resident_id) + "#watch")


def resident_watch(db_session, resident_id: int) -> dict:  # noqa: ANN001
    """What the resident page shows of 見守り: the plans (history) and the forms."""
    return {
        "watch_plans": _service(db_session).plans_of(resident_id),
        "watch_form": WatchPlanForm(formdata=None), "watch_stop_form": WatchStopForm(formdata=None),
        "watch_intervals": dict(INTERVALS), "watch_channels": dict(CHANNELS), "watch_stop_reasons": STOP_REASONS,
        "watch_results": CONTACT_RESULTS,
    }


@bp.app_context_processor
def watch_forms() -> dict:
    """The plan form for the record page (admin/templates/admin/watch/_record_plan.html), built only when shown."""
    return {"watch_plan_form": lambda: WatchPlanForm(formdata=None)}


@bp.post("/records/<dbid:record_id>/watch")
@requires(VIEW_RECORDS)
def watch_start_for_record(record_id: int):  # noqa: ANN201
    """Set a 見守りプラン from the record (when closing it, with the resident's agreement); linked to the record."""
    from bot.services.record_queue import RecordQueue

    form = WatchPlanForm()
    with transaction() as db_session:
        record = RecordQueue(db_session, tsunagu().profile).get(current_scope(), record_id)
        if record is None or not current_scope().can_see_centre(record.centre_code):
            abort(404)
        service = _service(db_session)
        if not form.validate_on_submit() or (form.ends_on.data is not None and form.ends_on.data < service.today()):
            flash(gettext("入力内容を確認してください。"), "error")
            return redirect(url_for("admin.record_view", record_id=record_id) + "#watch")
        plan = service.start_plan(record.resident, interval_days=form.interval_days.data, hour=form.hour.data,
                                  ends_on=form.ends_on.data, channel=form.channel.data, record=record,
                                  staff_id=current_user.id, weekdays_only=form.weekdays_only.data)
        audit("watch.start", plan, session=db_session, resident=record.resident_id, interval=plan.interval_days,
              channel=plan.channel, record=record.id, weekdays_only=plan.weekdays_only)
    flash(gettext("見守りプランを設定しました。"), "success")
    return redirect(url_for("admin.record_view", record_id=record_id) + "#watch")
