"""Pages for salons and events (イベント・サロン): list, create, edit, copy, cancel and
restore events; sign-ups and the waiting list; phoned-in sign-ups; attendance
from the event's day; the CSV of sign-ups. Recurring events have their pages in
:mod:`admin.event_series`.

Who may see which event, and what every page shares, is in
:mod:`admin.event_pages`.
"""
from __future__ import annotations

from datetime import timedelta

from flask import Response, flash, redirect, request, url_for
from flask_babel import gettext

from admin.audit import audit, register_action
from admin.dates import city_zone
from admin.event_forms import (
    STATUS_FILTERS,
    CancelEventForm,
    CopyEventForm,
    EventFilterForm,
    EventForm,
    PhoneSignUpForm,
)
from admin.event_pages import (
    MANAGE_EVENTS,
    events_service,
    local_dates,
    reachable_on_line,
    refused,
    render_page,
    say_who_was_told,
    status_of,
    told_after_commit,
    unreachable_after,
)
from admin.forms import ConfirmForm
from admin.pagination import Page, requested_page
from admin.scope import current_scope, requires
from admin.settings import admin_state
from admin.blueprint import bp, transaction, tsunagu
from bot.bounds import database_id
from bot.i18n import N_
from bot.models import SignUp
from bot.services.events.base import KINDS
from bot.services.events.signups import (
    AttendanceNotYet,
    EventCancelled,
    InvalidName,
    PartyTooLarge,
    SignUpNotActive,
    SignUpNotFound,
)
from bot.services.events.staff import DRAFT_FIELDS, EventStarted, InvalidEvent
from bot.services.phone import InvalidPhone

register_action("events.list", N_("イベント一覧の閲覧"))
register_action("events.view", N_("イベントと申込者の閲覧"), "events", N_("イベント"))
register_action("events.create", N_("イベントの作成"))
register_action("events.update", N_("イベントの変更"))
register_action("events.copy", N_("イベントのコピー"))
register_action("events.cancel", N_("イベントの中止"))
register_action("events.restore", N_("イベントの中止の取り消し"))
register_action("events.export", N_("申込者一覧のCSV出力"))
register_action("events.attendance", N_("出席の記録"))
register_action("events.signup_add", N_("電話・窓口の申込の追加"), "event_signups", N_("イベントの申込"))
register_action("events.signup_cancel", N_("申込の取り消し（職員）"))

# --- the list -------------------------------------------------------------------------

@bp.get("/events/")
@requires(MANAGE_EVENTS)
def event_list():  # noqa: ANN201
    """List the events of one's centres with their figures, filtered by dates, centre, kind and status."""
    scope = current_scope()
    profile = tsunagu().profile
    form = EventFilterForm(formdata=request.args).for_centres(profile, scope.centre_codes)
    form.validate()
    now = admin_state().now()
    if "date_from" not in request.args:  # first visit: from today on
        form.date_from.data = now.astimezone(city_zone()).date()
    date_from = None if form.date_from.errors else form.date_from.data
    date_to = None if form.date_to.errors else form.date_to.data
    centre = form.centre.data if form.centre.data in scope.centre_codes else None
    kind = form.kind.data if form.kind.data in KINDS else None
    status = form.status.data if form.status.data in STATUS_FILTERS else None
    with transaction() as db_session:
        events = events_service(db_session)
        found = [event for event in events.list_events(date_from=date_from, date_to=date_to, centre_code=centre)
                 if (kind is None or event.kind == kind) and (status is None or status_of(event, now) == status)]
        page = _page_of(found, requested_page(), admin_state().page_size)
        figures = events.figures_of(event.id for event in page.items)
        audit("events.list", session=db_session, page=page.number, count=page.total, date_from=date_from,
              date_to=date_to, centre=centre, kind=kind, status=status)
        return render_page("admin/events/list.html", form=form, page=page, figures=figures,
                       status_of=lambda event: status_of(event, now), show_centre=len(scope.centre_codes) > 1)


def _page_of(items: list, number: int, per_page: int) -> Page:
    """One page of an already filtered list; a page past the end shows the last one."""
    pages = max(1, -(-len(items) // per_page))
    number = min(max(1, number), pages)
    start = (number - 1) * per_page
    return Page(items=items[start:start + per_page], number=number, per_page=per_page, total=len(items))


# --- one event ----------------------------------------------------------------------------

@bp.get("/events/<dbid:event_id>")
@requires(MANAGE_EVENTS)
def event_page(event_id: int):  # noqa: ANN201
    """Show an event: its figures, details, sign-ups, waiting list and attendance."""
    return _render_event_page(event_id)


def _render_event_page(event_id: int, *, phone_form: PhoneSignUpForm | None = None):  # noqa: ANN202
    with transaction() as db_session:
        events = events_service(db_session)
        event = events.staff_event(event_id)
        signups = events.signups(event_id)
        audit("events.view", event, session=db_session)
        return render_page(
            "admin/events/event.html",
            event=event,
            figures=events.figures(event_id),
            status=status_of(event, admin_state().now()),
            confirmed=[s for s in signups if s.status in SignUp.HOLDING_SEATS],
            waiting=[s for s in signups if s.status == SignUp.WAITING],
            cancelled=[s for s in signups if s.status == SignUp.CANCELLED],
            phone_form=phone_form or PhoneSignUpForm(formdata=None),
            attendance_open=events.attendance_open(event),
            restorable=event.is_cancelled and event.starts_at > admin_state().now(),
        )


@bp.route("/events/new", methods=["GET", "POST"])
@requires(MANAGE_EVENTS)
def event_new():  # noqa: ANN201
    """Create one event."""
    form = EventForm().for_city(tsunagu().profile, current_scope().centre_codes)
    if form.validate_on_submit():
        try:
            with transaction() as db_session:
                event = events_service(db_session).create_event(form.draft())
                audit("events.create", event, session=db_session, centre=event.centre_code, kind=event.kind)
        except InvalidEvent as error:
            refused(form, error)
        else:
            flash(gettext("イベントを作成しました。"), "success")
            return redirect(url_for("admin.event_page", event_id=event.id))
    return render_page("admin/events/event_form.html", form=form, event=None)


@bp.route("/events/<dbid:event_id>/edit", methods=["GET", "POST"])
@requires(MANAGE_EVENTS)
def event_edit(event_id: int):  # noqa: ANN201
    """Change an event; residents signed up hear about a new time or place."""
    profile = tsunagu().profile
    with transaction() as db_session:
        event = events_service(db_session).staff_event(event_id)
        if request.method == "GET":
            form = EventForm.of_event(event, profile)
    if event.is_cancelled:
        flash(gettext("中止したイベントは変更できません。"), "error")
        return redirect(url_for("admin.event_page", event_id=event_id))
    if request.method == "POST":
        form = EventForm()
    form.for_city(profile, current_scope().centre_codes)
    if form.validate_on_submit():
        try:
            with transaction() as db_session:
                events = events_service(db_session)
                draft = form.draft()
                change = events.update_event(event_id, **{name: getattr(draft, name) for name in DRAFT_FIELDS})
                recipients = events.notified_recipients
                unreachable = unreachable_after(events, change)
                if change.changed:
                    audit("events.update", change.event, session=db_session, fields=sorted(change.changed),
                          notified=len(recipients), promoted=len(change.promoted))
        except InvalidEvent as error:
            refused(form, error)
        except EventCancelled:
            flash(gettext("中止したイベントは変更できません。"), "error")
            return redirect(url_for("admin.event_page", event_id=event_id))
        else:
            told_after_commit(recipients)
            flash(gettext("変更を保存しました。") if change.changed else gettext("変更はありませんでした。"), "success")
            if change.promoted:
                flash(gettext("定員が増えたため、キャンセル待ちの%(count)d件が参加確定になりました。",
                              count=len(change.promoted)), "success")
            say_who_was_told(recipients, unreachable)
            return redirect(url_for("admin.event_page", event_id=event_id))
    return render_page("admin/events/event_form.html", form=form, event=event)


@bp.route("/events/<dbid:event_id>/copy", methods=["GET", "POST"])
@requires(MANAGE_EVENTS)
def event_copy(event_id: int):  # noqa: ANN201
    """Make the same event on another date."""
    with transaction() as db_session:
        event = events_service(db_session).staff_event(event_id)
    zone = city_zone()
    starts_at = event.starts_at.astimezone(zone)
    form = CopyEventForm(data={
        "day": starts_at.date() + timedelta(days=7),
        "start_time": starts_at.time().replace(tzinfo=None),
        "end_time": event.ends_at.astimezone(zone).time().replace(tzinfo=None) if event.ends_at else None,
    }) if request.method == "GET" else CopyEventForm()
    if form.validate_on_submit():
        try:
            with transaction() as db_session:
                copy = events_service(db_session).copy_event(event_id, starts_at=form.starts_at(), ends_at=form.ends_at())
                audit("events.copy", copy, session=db_session, source=event_id)
        except InvalidEvent as error:
            refused(form, error)
        else:
            flash(gettext("イベントをコピーしました。内容を確認してください。"), "success")
            return redirect(url_for("admin.event_page", event_id=copy.id))
    return render_page("admin/events/copy.html", form=form, event=event)


@bp.route("/events/<dbid:event_id>/cancel", methods=["GET", "POST"])
@requires(MANAGE_EVENTS)
def event_cancel(event_id: int):  # noqa: ANN201
    """Cancel (中止) an event; everyone signed up on LINE is told."""
    form = CancelEventForm()
    with transaction() as db_session:
        events = events_service(db_session)
        event = events.staff_event(event_id)
        active = [s for s in events.signups(event_id) if s.is_active]  # attended or not, everyone is told
        if event.is_cancelled:
            flash(gettext("このイベントはすでに中止になっています。"), "info")
            return redirect(url_for("admin.event_page", event_id=event_id))
        if form.validate_on_submit():
            told = events.cancel_event(event_id, form.reason.data or "")
            recipients = events.notified_recipients
            audit("events.cancel", event, session=db_session, notified=len(recipients), signups=len(active))
        else:
            return render_page("admin/events/cancel.html", form=form, event=event, series=None, active=active,
                           reachable=sum(1 for s in active if reachable_on_line(s)))
    told_after_commit(recipients)
    flash(gettext("イベントを中止しました。"), "success")
    upcoming = event.starts_at > admin_state().now()
    say_who_was_told(recipients, len(active) - len(told) if upcoming else 0)
    return redirect(url_for("admin.event_page", event_id=event_id))


@bp.route("/events/<dbid:event_id>/restore", methods=["GET", "POST"])
@requires(MANAGE_EVENTS)
def event_restore(event_id: int):  # noqa: ANN201
    """Take back the cancellation of an event that has not started; everyone signed up keeps their place and is told."""
    form = ConfirmForm()
    with transaction() as db_session:
        events = events_service(db_session)
        event = events.staff_event(event_id)
        active = [s for s in events.signups(event_id) if s.is_active]
        if not event.is_cancelled:
            flash(gettext("このイベントは中止になっていません。"), "info")
            return redirect(url_for("admin.event_page", event_id=event_id))
        if not form.validate_on_submit():
            return render_page("admin/events/restore.html", form=form, event=event, active=active,
                               reachable=sum(1 for s in active if reachable_on_line(s)))
        try:
            told = events.restore_event(event_id)
        except EventStarted:
            flash(gettext("開始時刻を過ぎたイベントは、再開できません。"), "error")
            return redirect(url_for("admin.event_page", event_id=event_id))
        recipients = events.notified_recipients
        audit("events.restore", event, session=db_session, notified=len(recipients), signups=len(active))
    told_after_commit(recipients)
    flash(gettext("イベントを再開しました。"), "success")
    say_who_was_told(recipients, len(active) - len(told))
    return redirect(url_for("admin.event_page", event_id=event_id))


# --- sign-ups and attendance ------------------------------------------------------------------

@bp.post("/events/<dbid:event_id>/signups")
@requires(MANAGE_EVENTS)
def event_signup_add(event_id: int):  # noqa: ANN201
    """Take a sign-up for someone who phoned or came to the counter."""
    form = PhoneSignUpForm()
    if form.validate_on_submit():
        try:
            with transaction() as db_session:
                signup = events_service(db_session).add_signup_by_hand(
                    event_id, name=form.name.data, party_size=form.party_size.data, phone=form.phone.data or None)
                audit("events.signup_add", signup, session=db_session, event_id=event_id, status=signup.status,
                      party_size=signup.party_size)
        except InvalidName:
            form.name.errors.append(gettext("お名前を50文字以内で入力してください。"))
        except InvalidPhone:
            form.phone.errors.append(gettext("電話番号を確認してください（例：0246-22-1111、090-1234-5678）。"))
        except PartyTooLarge as error:
            form.party_size.errors.append(gettext("1件で申し込める人数は%(limit)d人までです。", limit=error.limit))
        except EventCancelled:
            flash(gettext("中止したイベントには申し込めません。"), "error")
            return redirect(url_for("admin.event_page", event_id=event_id))
        else:
            if signup.status == SignUp.WAITING:
                flash(gettext("満席のため、キャンセル待ち（%(position)d番目）で受け付けました。",
                              position=signup.waiting_position), "warning")
            else:
                flash(gettext("申込を受け付けました（参加確定、%(count)d人）。", count=signup.party_size), "success")
            return redirect(url_for("admin.event_page", event_id=event_id) + "#signups")
    return _render_event_page(event_id, phone_form=form)


@bp.route("/events/<dbid:event_id>/signups/<dbid:signup_id>/cancel", methods=["GET", "POST"])
@requires(MANAGE_EVENTS)
def event_signup_cancel(event_id: int, signup_id: int):  # noqa: ANN201
    """Cancel a sign-up for a resident who asked; the waiting list moves up and is told."""
    form = ConfirmForm()
    with transaction() as db_session:
        events = events_service(db_session)
        event = events.staff_event(event_id)
        signup = events.get_signup(signup_id)
        if signup.event_id != event.id:
            raise SignUpNotFound(signup_id)
        if not form.validate_on_submit():
            audit("events.view", event, session=db_session)
            return render_page("admin/events/signup_cancel.html", form=form, event=event, signup=signup)
        try:
            cancellation = events.cancel_signup(signup_id)
        except SignUpNotActive:
            flash(gettext("この申込はすでに取り消されています。"), "info")
            return redirect(url_for("admin.event_page", event_id=event_id))
        recipients = events.notified_recipients
        unreachable = sum(1 for s in cancellation.promoted if not reachable_on_line(s))
        audit("events.signup_cancel", signup, session=db_session, event_id=event_id,
              was=cancellation.was_status, promoted=len(cancellation.promoted), notified=len(recipients))
    told_after_commit(recipients)
    flash(gettext("申込を取り消しました。"), "success")
    if cancellation.promoted:
        flash(gettext("キャンセル待ちの%(count)d件が参加確定になりました。", count=len(cancellation.promoted)), "success")
    say_who_was_told(recipients, unreachable)
    return redirect(url_for("admin.event_page", event_id=event_id) + "#signups")


@bp.post("/events/<dbid:event_id>/attendance")
@requires(MANAGE_EVENTS)
def event_attendance(event_id: int):  # noqa: ANN201
    """Save who came on the day.

    Only the rows whose box was changed on this page are saved, so two
    tablets checking people in at the same door do not undo each other.
    """
    shown = _ids("shown")
    was = _ids("was")
    ticked = _ids("attended")
    to_mark = [signup_id for signup_id in shown if signup_id in ticked and signup_id not in was]
    to_unmark = [signup_id for signup_id in shown if signup_id not in ticked and signup_id in was]
    skipped = 0
    too_early = None
    with transaction() as db_session:
        events = events_service(db_session)
        event = events.staff_event(event_id)
        for signup_id in [*to_mark, *to_unmark]:
            if events.get_signup(signup_id).event_id != event.id:
                raise SignUpNotFound(signup_id)
        if event.is_cancelled:
            to_mark = to_unmark = []  # a cancelled event has no attendance to record
        if to_mark and not events.attendance_open(event):
            to_mark, too_early = [], events.event_day(event)  # undoing a tick made too early stays possible
        for signup_id, attended in [*((i, True) for i in to_mark), *((i, False) for i in to_unmark)]:
            try:
                events.set_attended(signup_id, attended)
            except SignUpNotActive:  # cancelled meanwhile
                skipped += 1
            except AttendanceNotYet as error:
                too_early = error.day
        if to_mark or to_unmark:
            audit("events.attendance", event, session=db_session, marked=to_mark, unmarked=to_unmark,
                  skipped=skipped)
        figures = events.figures(event_id)
    if too_early is not None:
        flash(gettext("出席は、開催日（%(day)s）から記録できます。", day=local_dates().day(too_early)), "error")
    if to_mark or to_unmark:
        flash(gettext("出席を保存しました（出席 %(people)d人 / 参加確定 %(confirmed)d人）。",
                      people=figures.attended_people, confirmed=figures.confirmed_people), "success")
    elif too_early is None:
        flash(gettext("変更はありませんでした。"), "info")
    if skipped:
        flash(gettext("取り消された申込%(count)d件は保存しませんでした。", count=skipped), "warning")
    return redirect(url_for("admin.event_page", event_id=event_id) + "#attendance")


def _ids(name: str) -> list[int]:
    """Sign-up ids sent in a form field, in order, without duplicates."""
    return list(dict.fromkeys(ident for value in request.form.getlist(name) if (ident := database_id(value))))


@bp.get("/events/<dbid:event_id>/signups.csv")
@requires(MANAGE_EVENTS)
def event_csv(event_id: int):  # noqa: ANN201
    """Download the sign-ups as CSV for Excel (UTF-8 with BOM)."""
    with transaction() as db_session:
        events = events_service(db_session)
        event = events.staff_event(event_id)
        body = events.export_csv(event_id, gettext)
        audit("events.export", event, session=db_session, rows=len(events.signups(event_id)))
        day = event.starts_at.astimezone(city_zone()).strftime("%Y%m%d")
    # Flask adds "charset=utf-8" to a text/csv response; the BOM tells Excel the same.
    return Response(body, mimetype="text/csv", headers={
        "Content-Disposition": f'attachment; filename="event-{event_id}-{day}-signups.csv"'})
