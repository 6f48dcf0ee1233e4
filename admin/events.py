"""Pages for salons and events (イベント・サロン): list, create, edit, copy and cancel
events and series; sign-ups and the waiting list; phoned-in sign-ups;
attendance on the day; the CSV of sign-ups.

Scoped like the intake records: centre staff manage the events of their
centres, coordinators those of every centre, administrators none (running
events is not a reason to read residents' names). An event outside the scope
is answered with 404. The views only ask :class:`EventService`; every view,
change and export is audited; pushes the service queued for residents
(cancellations, a new time or place, promotions from the waiting list) are
delivered after the change is committed.
"""
from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_skeleton, format_time
from flask import Response, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext

from admin.audit import audit, register_action
from admin.event_forms import (
    CANCELLED,
    PAST,
    STATUS_FILTERS,
    UPCOMING,
    CancelEventForm,
    CopyEventForm,
    CopySeriesForm,
    EventFilterForm,
    EventForm,
    PhoneSignUpForm,
    SeriesChangeForm,
    SeriesForm,
    show_service_error,
)
from admin.forms import ConfirmForm
from admin.names import area_name, centre_name, staff_locale
from admin.pagination import Page, requested_page
from admin.scope import VIEW_RECORDS, current_scope, requires
from admin.settings import admin_state
from admin.views import bp, not_found
from bot.tasks.events import deliver_notices
from bot.i18n import N_
from bot.models import Event, EventSeries, SignUp
from bot.services.events import (
    DRAFT_FIELDS,
    KINDS,
    EventCancelled,
    EventNotFound,
    EventService,
    InvalidEvent,
    InvalidName,
    InvalidPhone,
    PartyTooLarge,
    SeriesNotFound,
    SignUpNotActive,
    SignUpNotFound,
)

# Those who see records run events: centre staff for their centres, coordinators for all.
MANAGE_EVENTS = VIEW_RECORDS

register_action("events.list", N_("イベント一覧の閲覧"))
register_action("events.view", N_("イベントと申込者の閲覧"), "events", N_("イベント"))
register_action("events.create", N_("イベントの作成"))
register_action("events.update", N_("イベントの変更"))
register_action("events.copy", N_("イベントのコピー"))
register_action("events.cancel", N_("イベントの中止"))
register_action("events.export", N_("申込者一覧のCSV出力"))
register_action("events.attendance", N_("出席の記録"))
register_action("events.signup_add", N_("電話・窓口の申込の追加"), "event_signups", N_("イベントの申込"))
register_action("events.signup_cancel", N_("申込の取り消し（職員）"))
register_action("series.view", N_("くり返しイベントの閲覧"), "event_series", N_("くり返しイベント"))
register_action("series.create", N_("くり返しイベントの作成"))
register_action("series.update", N_("くり返しイベントの変更"))
register_action("series.copy", N_("くり返しイベントのコピー"))
register_action("series.cancel", N_("くり返しイベントの中止"))

SIGNUP_STATUS_LABELS = {
    SignUp.CONFIRMED: N_("参加確定"),
    SignUp.ATTENDED: N_("出席"),
    SignUp.WAITING: N_("キャンセル待ち"),
    SignUp.CANCELLED: N_("取り消し"),
}


def _tsunagu():  # noqa: ANN202
    return current_app.extensions["tsunagu"]


def _transaction():  # noqa: ANN202
    return _tsunagu().db.transaction()


def _events(db_session) -> EventService:  # noqa: ANN001
    """The events service limited to the centres of the member of staff (all for coordinators)."""
    scope = current_scope()
    return EventService(db_session, _tsunagu().profile, admin_state().now,
                        centre_scope=None if scope.sees_all_centres else scope.centre_codes)


@bp.errorhandler(EventNotFound)
@bp.errorhandler(SeriesNotFound)
@bp.errorhandler(SignUpNotFound)
def event_not_found(error):  # noqa: ANN001, ANN201
    """An event of another centre is answered as if it did not exist."""
    return not_found(error)


class LocalDates:
    """Dates and times as staff read them: the city's time zone, the page's language."""

    def __init__(self, timezone: str, locale: str) -> None:
        self.tz = ZoneInfo(timezone)
        self.locale = locale

    def day(self, moment: datetime | date) -> str:
        """2030年6月4日(火)."""
        value = moment.astimezone(self.tz) if isinstance(moment, datetime) else moment
        return format_skeleton("yMMMEd", value, locale=self.locale)

    def short_day(self, moment: datetime) -> str:
        """2030/6/4(火)."""
        return format_skeleton("yMEd", moment.astimezone(self.tz), locale=self.locale)

    def clock(self, moment: datetime) -> str:
        return format_time(moment.astimezone(self.tz), "short", locale=self.locale)

    def moment(self, moment: datetime | None) -> str:
        """2030/6/4(火) 13:30, or a dash."""
        return f"{self.short_day(moment)} {self.clock(moment)}" if moment else "—"

    def hours(self, starts_at: datetime, ends_at: datetime | None) -> str:
        """13:30〜15:00."""
        return self.times_of_day(starts_at.astimezone(self.tz).time(),
                                 ends_at.astimezone(self.tz).time() if ends_at else None)

    def times_of_day(self, start: time, end: time | None) -> str:
        start_text = format_time(start, "short", locale=self.locale)
        if end is None:
            return gettext("%(start)s〜", start=start_text)
        return gettext("%(start)s〜%(end)s", start=start_text, end=format_time(end, "short", locale=self.locale))

    def when(self, event: Event) -> str:
        return f"{self.day(event.starts_at)} {self.hours(event.starts_at, event.ends_at)}"

    def rule(self, series: EventSeries) -> str:
        """毎週 火曜日 / 毎月 第2火曜日, from the series' first date."""
        weekday = format_date(series.first_date, "EEEE", locale=self.locale)  # 火曜日 / Tuesday
        nth = (series.first_date.day - 1) // 7 + 1
        if series.frequency == EventSeries.WEEKLY:
            if series.interval == 1:
                return gettext("毎週 %(weekday)s", weekday=weekday)
            return gettext("%(n)d週ごと %(weekday)s", n=series.interval, weekday=weekday)
        if series.interval == 1:
            return gettext("毎月 第%(nth)d %(weekday)s", nth=nth, weekday=weekday)
        return gettext("%(n)dか月ごと 第%(nth)d %(weekday)s", n=series.interval, nth=nth, weekday=weekday)


def _render(template: str, **context):  # noqa: ANN003, ANN202
    """Render an events page with the city's names and local dates."""
    profile = _tsunagu().profile
    return render_template(
        template,
        dates=LocalDates(profile.timezone, staff_locale()),
        kinds=KINDS,
        area_names={area.code: area_name(profile, area.code) for area in profile.areas},
        centre_names={centre.code: centre_name(profile, centre.code, short=True) for centre in profile.centres},
        signup_status_labels=SIGNUP_STATUS_LABELS,
        **context,
    )


def _reachable(signup: SignUp) -> bool:
    """Whether the resident can be told on LINE (phoned-in sign-ups have no LINE account)."""
    return signup.resident is not None and not signup.resident.is_blocked


def _say_who_was_told(recipients: set[str], unreachable: int) -> None:
    """Tell the member of staff how many residents got a LINE message, and who must be phoned."""
    if recipients:
        flash(gettext("%(count)d名の方にLINEでお知らせしました。", count=len(recipients)), "success")
    if unreachable:
        flash(gettext("LINEでお知らせできない申込が%(count)d件あります（電話・窓口での申込など）。"
                      "電話番号を確認して、ご連絡ください。", count=unreachable), "warning")


def _told_after_commit(recipients: set[str]) -> None:
    deliver_notices(recipients)


# --- the list -------------------------------------------------------------------------

@bp.get("/events/")
@requires(MANAGE_EVENTS)
def event_list():  # noqa: ANN201
    """List the events of one's centres with their figures, filtered by dates, centre, kind and status."""
    scope = current_scope()
    profile = _tsunagu().profile
    form = EventFilterForm(formdata=request.args).for_centres(profile, scope.centre_codes)
    form.validate()
    now = admin_state().now()
    if "date_from" not in request.args:  # first visit: from today on
        form.date_from.data = now.astimezone(ZoneInfo(profile.timezone)).date()
    date_from = None if form.date_from.errors else form.date_from.data
    date_to = None if form.date_to.errors else form.date_to.data
    centre = form.centre.data if form.centre.data in scope.centre_codes else None
    kind = form.kind.data if form.kind.data in KINDS else None
    status = form.status.data if form.status.data in STATUS_FILTERS else None
    with _transaction() as db_session:
        events = _events(db_session)
        found = [event for event in events.list_events(date_from=date_from, date_to=date_to, centre_code=centre)
                 if (kind is None or event.kind == kind) and (status is None or _status_of(event, now) == status)]
        page = _page_of(found, requested_page(), admin_state().page_size)
        figures = events.figures_of(event.id for event in page.items)
        audit("events.list", session=db_session, page=page.number, count=page.total, date_from=date_from,
              date_to=date_to, centre=centre, kind=kind, status=status)
        return _render("admin/events/list.html", form=form, page=page, figures=figures,
                       status_of=lambda event: _status_of(event, now), show_centre=len(scope.centre_codes) > 1)


def _status_of(event: Event, now: datetime) -> str:
    if event.is_cancelled:
        return CANCELLED
    return UPCOMING if (event.ends_at or event.starts_at) > now else PAST


def _page_of(items: list, number: int, per_page: int) -> Page:
    """One page of an already filtered list; a page past the end shows the last one."""
    pages = max(1, -(-len(items) // per_page))
    number = min(max(1, number), pages)
    start = (number - 1) * per_page
    return Page(items=items[start:start + per_page], number=number, per_page=per_page, total=len(items))


# --- one event ----------------------------------------------------------------------------

@bp.get("/events/<int:event_id>")
@requires(MANAGE_EVENTS)
def event_page(event_id: int):  # noqa: ANN201
    """Show an event: its figures, details, sign-ups, waiting list and attendance."""
    return _render_event_page(event_id)


def _render_event_page(event_id: int, *, phone_form: PhoneSignUpForm | None = None):  # noqa: ANN202
    with _transaction() as db_session:
        events = _events(db_session)
        event = events.staff_event(event_id)
        signups = events.signups(event_id)
        audit("events.view", event, session=db_session)
        return _render(
            "admin/events/event.html",
            event=event,
            figures=events.figures(event_id),
            status=_status_of(event, admin_state().now()),
            confirmed=[s for s in signups if s.status in SignUp.HOLDING_SEATS],
            waiting=[s for s in signups if s.status == SignUp.WAITING],
            cancelled=[s for s in signups if s.status == SignUp.CANCELLED],
            phone_form=phone_form or PhoneSignUpForm(formdata=None),
        )


@bp.route("/events/new", methods=["GET", "POST"])
@requires(MANAGE_EVENTS)
def event_new():  # noqa: ANN201
    """Create one event."""
    form = EventForm().for_city(_tsunagu().profile, current_scope().centre_codes)
    if form.validate_on_submit():
        try:
            with _transaction() as db_session:
                event = _events(db_session).create_event(form.draft())
                audit("events.create", event, session=db_session, centre=event.centre_code, kind=event.kind)
        except InvalidEvent as error:
            _refused(form, error)
        else:
            flash(gettext("イベントを作成しました。"), "success")
            return redirect(url_for("admin.event_page", event_id=event.id))
    return _render("admin/events/event_form.html", form=form, event=None)


@bp.route("/events/<int:event_id>/edit", methods=["GET", "POST"])
@requires(MANAGE_EVENTS)
def event_edit(event_id: int):  # noqa: ANN201
    """Change an event; residents signed up hear about a new time or place."""
    profile = _tsunagu().profile
    with _transaction() as db_session:
        event = _events(db_session).staff_event(event_id)
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
            with _transaction() as db_session:
                events = _events(db_session)
                draft = form.draft()
                change = events.update_event(event_id, **{name: getattr(draft, name) for name in DRAFT_FIELDS})
                recipients = events.notified_recipients
                unreachable = _unreachable_after(events, change)
                if change.changed:
                    audit("events.update", change.event, session=db_session, fields=sorted(change.changed),
                          notified=len(recipients), promoted=len(change.promoted))
        except InvalidEvent as error:
            _refused(form, error)
        except EventCancelled:
            flash(gettext("中止したイベントは変更できません。"), "error")
            return redirect(url_for("admin.event_page", event_id=event_id))
        else:
            _told_after_commit(recipients)
            flash(gettext("変更を保存しました。") if change.changed else gettext("変更はありませんでした。"), "success")
            if change.promoted:
                flash(gettext("定員が増えたため、キャンセル待ちの%(count)d件が参加確定になりました。",
                              count=len(change.promoted)), "success")
            _say_who_was_told(recipients, unreachable)
            return redirect(url_for("admin.event_page", event_id=event_id))
    return _render("admin/events/event_form.html", form=form, event=event)


def _unreachable_after(events: EventService, change) -> int:  # noqa: ANN001
    """Sign-ups that should have heard of this change but have no LINE to hear it on."""
    unreachable = [s for s in change.promoted if not _reachable(s)]
    if set(change.changed) & {"starts_at", "ends_at", "venue_name", "venue_address"}:
        unreachable += [s for s in events.signups(change.event.id)
                        if s.status in (SignUp.CONFIRMED, SignUp.WAITING) and not _reachable(s)
                        and s not in change.promoted]
    return len(unreachable)


def _refused(form, error: InvalidEvent) -> None:  # noqa: ANN001
    """Show the service's refusal next to its field (or above the form)."""
    unplaced = show_service_error(form, error, gettext)
    flash(unplaced or gettext("入力内容に誤りがあります。赤字の項目を確認してください。"), "error")


@bp.route("/events/<int:event_id>/copy", methods=["GET", "POST"])
@requires(MANAGE_EVENTS)
def event_copy(event_id: int):  # noqa: ANN201
    """Make the same event on another date."""
    with _transaction() as db_session:
        event = _events(db_session).staff_event(event_id)
    zone = ZoneInfo(_tsunagu().profile.timezone)
    starts_at = event.starts_at.astimezone(zone)
    form = CopyEventForm(data={
        "day": starts_at.date() + timedelta(days=7),
        "start_time": starts_at.time().replace(tzinfo=None),
        "end_time": event.ends_at.astimezone(zone).time().replace(tzinfo=None) if event.ends_at else None,
    }) if request.method == "GET" else CopyEventForm()
    if form.validate_on_submit():
        try:
            with _transaction() as db_session:
                copy = _events(db_session).copy_event(event_id, starts_at=form.starts_at(), ends_at=form.ends_at())
                audit("events.copy", copy, session=db_session, source=event_id)
        except InvalidEvent as error:
            _refused(form, error)
        else:
            flash(gettext("イベントをコピーしました。内容を確認してください。"), "success")
            return redirect(url_for("admin.event_page", event_id=copy.id))
    return _render("admin/events/copy.html", form=form, event=event)


@bp.route("/events/<int:event_id>/cancel", methods=["GET", "POST"])
@requires(MANAGE_EVENTS)
def event_cancel(event_id: int):  # noqa: ANN201
    """Cancel (中止) an event; everyone signed up on LINE is told."""
    form = CancelEventForm()
    with _transaction() as db_session:
        events = _events(db_session)
        event = events.staff_event(event_id)
        active = [s for s in events.signups(event_id) if s.status in (SignUp.CONFIRMED, SignUp.WAITING)]
        if event.is_cancelled:
            flash(gettext("このイベントはすでに中止になっています。"), "info")
            return redirect(url_for("admin.event_page", event_id=event_id))
        if form.validate_on_submit():
            told = events.cancel_event(event_id, form.reason.data or "")
            recipients = events.notified_recipients
            audit("events.cancel", event, session=db_session, notified=len(recipients), signups=len(active))
        else:
            return _render("admin/events/cancel.html", form=form, event=event, series=None, active=active,
                           reachable=sum(1 for s in active if _reachable(s)))
    _told_after_commit(recipients)
    flash(gettext("イベントを中止しました。"), "success")
    upcoming = event.starts_at > admin_state().now()
    _say_who_was_told(recipients, len(active) - len(told) if upcoming else 0)
    return redirect(url_for("admin.event_page", event_id=event_id))


# --- sign-ups and attendance ------------------------------------------------------------------

@bp.post("/events/<int:event_id>/signups")
@requires(MANAGE_EVENTS)
def event_signup_add(event_id: int):  # noqa: ANN201
    """Take a sign-up for someone who phoned or came to the counter."""
    form = PhoneSignUpForm()
    if form.validate_on_submit():
        try:
            with _transaction() as db_session:
                signup = _events(db_session).add_signup_by_hand(
                    event_id, name=form.name.data, party_size=form.party_size.data, phone=form.phone.data or None)
                audit("events.signup_add", signup, session=db_session, event_id=event_id, status=signup.status,
                      party_size=signup.party_size)
        except InvalidName:
            form.name.errors.append(gettext("お名前を50文字以内で入力してください。"))
        except InvalidPhone:
            form.phone.errors.append(gettext("電話番号を確認してください（例: 0246-22-1111、090-1234-5678）。"))
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


@bp.route("/events/<int:event_id>/signups/<int:signup_id>/cancel", methods=["GET", "POST"])
@requires(MANAGE_EVENTS)
def event_signup_cancel(event_id: int, signup_id: int):  # noqa: ANN201
    """Cancel a sign-up for a resident who asked; the waiting list moves up and is told."""
    form = ConfirmForm()
    with _transaction() as db_session:
        events = _events(db_session)
        event = events.staff_event(event_id)
        signup = events.get_signup(signup_id)
        if signup.event_id != event.id:
            raise SignUpNotFound(signup_id)
        if not form.validate_on_submit():
            audit("events.view", event, session=db_session)
            return _render("admin/events/signup_cancel.html", form=form, event=event, signup=signup)
        try:
            cancellation = events.cancel_signup(signup_id)
        except SignUpNotActive:
            flash(gettext("この申込はすでに取り消されています。"), "info")
            return redirect(url_for("admin.event_page", event_id=event_id))
        recipients = events.notified_recipients
        unreachable = sum(1 for s in cancellation.promoted if not _reachable(s))
        audit("events.signup_cancel", signup, session=db_session, event_id=event_id,
              was=cancellation.was_status, promoted=len(cancellation.promoted), notified=len(recipients))
    _told_after_commit(recipients)
    flash(gettext("申込を取り消しました。"), "success")
    if cancellation.promoted:
        flash(gettext("キャンセル待ちの%(count)d件が参加確定になりました。", count=len(cancellation.promoted)), "success")
    _say_who_was_told(recipients, unreachable)
    return redirect(url_for("admin.event_page", event_id=event_id) + "#signups")


@bp.post("/events/<int:event_id>/attendance")
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
    with _transaction() as db_session:
        events = _events(db_session)
        event = events.staff_event(event_id)
        if event.is_cancelled:
            to_mark = to_unmark = []  # a cancelled event has no attendance to record
        for signup_id, attended in [*((i, True) for i in to_mark), *((i, False) for i in to_unmark)]:
            if events.get_signup(signup_id).event_id != event.id:
                raise SignUpNotFound(signup_id)
            try:
                events.set_attended(signup_id, attended)
            except SignUpNotActive:  # cancelled meanwhile
                skipped += 1
        if to_mark or to_unmark:
            audit("events.attendance", event, session=db_session, marked=to_mark, unmarked=to_unmark,
                  skipped=skipped)
        figures = events.figures(event_id)
    if to_mark or to_unmark:
        flash(gettext("出席を保存しました（出席 %(people)d人 / 参加確定 %(confirmed)d人）。",
                      people=figures.attended_people, confirmed=figures.confirmed_people), "success")
    else:
        flash(gettext("変更はありませんでした。"), "info")
    if skipped:
        flash(gettext("取り消された申込%(count)d件は保存しませんでした。", count=skipped), "warning")
    return redirect(url_for("admin.event_page", event_id=event_id) + "#attendance")


def _ids(name: str) -> list[int]:
    """Sign-up ids sent in a form field, in order, without duplicates."""
    return list(dict.fromkeys(int(value) for value in request.form.getlist(name) if value.isdigit()))


@bp.get("/events/<int:event_id>/signups.csv")
@requires(MANAGE_EVENTS)
def event_csv(event_id: int):  # noqa: ANN201
    """Download the sign-ups as CSV for Excel (UTF-8 with BOM)."""
    with _transaction() as db_session:
        events = _events(db_session)
        event = events.staff_event(event_id)
        body = events.export_csv(event_id, gettext)
        audit("events.export", event, session=db_session, rows=len(events.signups(event_id)))
        day = event.starts_at.astimezone(ZoneInfo(_tsunagu().profile.timezone)).strftime("%Y%m%d")
    # Flask adds "charset=utf-8" to a text/csv response; the BOM tells Excel the same.
    return Response(body, mimetype="text/csv", headers={
        "Content-Disposition": f'attachment; filename="event-{event_id}-{day}-signups.csv"'})


# --- series -------------------------------------------------------------------------------------

@bp.route("/events/series/new", methods=["GET", "POST"])
@requires(MANAGE_EVENTS)
def event_series_new():  # noqa: ANN201
    """Create a recurring event: one date per week or month, each with its own seats."""
    form = SeriesForm().for_city(_tsunagu().profile, current_scope().centre_codes)
    if form.validate_on_submit():
        try:
            with _transaction() as db_session:
                events = _events(db_session)
                series = events.create_series(form.draft(), **form.rule())
                count = len(events.list_events(series_id=series.id))
                audit("series.create", series, session=db_session, dates=count, frequency=series.frequency)
        except InvalidEvent as error:
            _refused(form, error)
        else:
            flash(gettext("くり返しイベントを作成しました（%(count)d回）。", count=count), "success")
            return redirect(url_for("admin.event_series", series_id=series.id))
    return _render("admin/events/series_form.html", form=form)


@bp.get("/events/series/<int:series_id>")
@requires(MANAGE_EVENTS)
def event_series(series_id: int):  # noqa: ANN201
    """Show a series: its rule, every date with its figures, and what can be changed."""
    return _render_series_page(series_id)


def _render_series_page(series_id: int, *, change_form: SeriesChangeForm | None = None,
                        copy_form: CopySeriesForm | None = None):  # noqa: ANN202
    now = admin_state().now()
    with _transaction() as db_session:
        events = _events(db_session)
        series = events.staff_series(series_id)
        dates = events.list_events(series_id=series_id)
        upcoming = [event for event in dates if not event.is_cancelled and event.starts_at > now]
        if change_form is None:
            from_date = upcoming[0].starts_at.astimezone(events.tz).date() if upcoming else events.today()
            change_form = SeriesChangeForm.of_series(series, upcoming[0] if upcoming else None, from_date)
        if copy_form is None:
            last = dates[-1].starts_at.astimezone(events.tz).date() if dates else series.until_date
            length = series.until_date - series.first_date
            next_first = _same_weekday_after(series.first_date, last)
            copy_form = CopySeriesForm(formdata=None, data={
                "first_day": next_first, "start_time": series.start_time, "until": next_first + length})
        audit("series.view", series, session=db_session)
        return _render("admin/events/series.html", series=series, series_dates=dates, upcoming=upcoming,
                       figures=events.figures_of(event.id for event in dates), change_form=change_form,
                       copy_form=copy_form, status_of=lambda event: _status_of(event, now))


def _same_weekday_after(first: date, after: date) -> date:
    """The first day after ``after`` on ``first``'s weekday (where a copied series could start)."""
    return after + timedelta(days=(first.weekday() - after.weekday()) % 7 or 7)


@bp.post("/events/series/<int:series_id>/edit")
@requires(MANAGE_EVENTS)
def event_series_edit(series_id: int):  # noqa: ANN201
    """Change the dates of a series still to come, from a chosen date on."""
    form = SeriesChangeForm()
    if form.validate_on_submit():
        now = admin_state().now()
        try:
            with _transaction() as db_session:
                events = _events(db_session)
                series = events.staff_series(series_id)
                start = events.local_midnight(form.from_date.data)
                template = next((event for event in events.list_events(series_id=series_id, include_cancelled=False)
                                 if event.starts_at > max(now, start)), None)
                if template is None:
                    flash(gettext("この日より後に、開催予定の回がありません。"), "error")
                    return redirect(url_for("admin.event_series", series_id=series_id))
                changes = form.changes(series, template)
                results = events.update_series(series_id, from_date=form.from_date.data, **changes) if changes else []
                recipients = events.notified_recipients
                promoted = [s for result in results for s in result.promoted]
                unreachable = sum(_unreachable_after(events, result) for result in results)
                changed = sorted({name for result in results for name in result.changed})
                if changed:
                    audit("series.update", series, session=db_session, fields=changed,
                          dates=sum(1 for result in results if result.changed), notified=len(recipients),
                          promoted=len(promoted))
        except InvalidEvent as error:
            _refused(form, error)
        else:
            _told_after_commit(recipients)
            if changed:
                flash(gettext("%(count)d回分の変更を保存しました。", count=sum(1 for r in results if r.changed)),
                      "success")
            else:
                flash(gettext("変更はありませんでした。"), "success")
            if promoted:
                flash(gettext("定員が増えたため、キャンセル待ちの%(count)d件が参加確定になりました。",
                              count=len(promoted)), "success")
            _say_who_was_told(recipients, unreachable)
            return redirect(url_for("admin.event_series", series_id=series_id))
    return _render_series_page(series_id, change_form=form)


@bp.post("/events/series/<int:series_id>/copy")
@requires(MANAGE_EVENTS)
def event_series_copy(series_id: int):  # noqa: ANN201
    """Make the same series again from another first date (e.g. next term)."""
    form = CopySeriesForm()
    if form.validate_on_submit():
        try:
            with _transaction() as db_session:
                events = _events(db_session)
                copy = events.copy_series(series_id, first_start=form.first_start(), until=form.until.data)
                count = len(events.list_events(series_id=copy.id))
                audit("series.copy", copy, session=db_session, source=series_id, dates=count)
        except InvalidEvent as error:
            _refused(form, error)
        else:
            flash(gettext("くり返しイベントをコピーしました（%(count)d回）。内容を確認してください。", count=count),
                  "success")
            return redirect(url_for("admin.event_series", series_id=copy.id))
    return _render_series_page(series_id, copy_form=form)


@bp.route("/events/series/<int:series_id>/cancel", methods=["GET", "POST"])
@requires(MANAGE_EVENTS)
def event_series_cancel(series_id: int):  # noqa: ANN201
    """Cancel every date of a series still to come (from a chosen date); everyone signed up is told."""
    form = CancelEventForm()
    now = admin_state().now()
    from_date = _date_arg("from_date")
    with _transaction() as db_session:
        events = _events(db_session)
        series = events.staff_series(series_id)
        start = max(now, events.local_midnight(from_date)) if from_date else now
        dates = [event for event in events.list_events(series_id=series_id, include_cancelled=False)
                 if event.starts_at > start]
        active = [s for event in dates for s in events.signups(event.id)
                  if s.status in (SignUp.CONFIRMED, SignUp.WAITING)]
        if not form.validate_on_submit() or not dates:
            if request.method == "POST":
                flash(gettext("中止できる回がありません。") if not dates else
                      gettext("入力内容に誤りがあります。赤字の項目を確認してください。"), "error")
            return _render("admin/events/cancel.html", form=form, event=None, series=series, series_dates=dates,
                           from_date=from_date, active=active, reachable=sum(1 for s in active if _reachable(s)))
        told = events.cancel_series(series_id, form.reason.data or "", from_date=from_date)
        recipients = events.notified_recipients
        audit("series.cancel", series, session=db_session, dates=len(dates), from_date=from_date,
              notified=len(recipients), signups=len(active))
    _told_after_commit(recipients)
    flash(gettext("%(count)d回分を中止しました。", count=len(dates)), "success")
    _say_who_was_told(recipients, len(active) - len(told))
    return redirect(url_for("admin.event_series", series_id=series_id))


def _date_arg(name: str) -> date | None:
    """A date from the form or the query string (YYYY-MM-DD), None when missing or malformed."""
    value = request.values.get(name, "")
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None
