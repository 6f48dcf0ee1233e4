"""Pages for recurring events (くり返しイベント): create a series, see its dates with their
figures, and change, copy or cancel the dates still to come.

Who may see which series, and what every page shares, is in
:mod:`admin.event_pages`.
"""
from __future__ import annotations

from datetime import date, timedelta

from flask import flash, redirect, request, url_for
from flask_babel import gettext

from admin.audit import audit, register_action
from admin.event_forms import CancelEventForm, CopySeriesForm, SeriesChangeForm, SeriesForm
from admin.event_pages import (
    MANAGE_EVENTS,
    events_service,
    reachable_on_line,
    refused,
    render_page,
    say_who_was_told,
    status_of,
    told_after_commit,
    unreachable_after,
)
from admin.scope import current_scope, requires
from admin.settings import admin_state
from admin.blueprint import bp, transaction, tsunagu
from bot.bounds import iso_date
from bot.i18n import N_
from bot.services.events.staff import InvalidEvent

register_action("series.view", N_("くり返しイベントの閲覧"), "event_series", N_("くり返しイベント"))
register_action("series.create", N_("くり返しイベントの作成"))
register_action("series.update", N_("くり返しイベントの変更"))
register_action("series.copy", N_("くり返しイベントのコピー"))
register_action("series.cancel", N_("くり返しイベントの中止"))


@bp.route("/events/series/new", methods=["GET", "POST"])
@requires(MANAGE_EVENTS)
def event_series_new():  # noqa: ANN201
    """Create a recurring event: one date per week or month, each with its own seats."""
    form = SeriesForm().for_city(tsunagu().profile, current_scope().centre_codes)
    if form.validate_on_submit():
        try:
            with transaction() as db_session:
                events = events_service(db_session)
                series = events.create_series(form.draft(), **form.rule())
                count = len(events.list_events(series_id=series.id))
                skipped = len(events.skipped_days(series.id))
                audit("series.create", series, session=db_session, dates=count, frequency=series.frequency,
                      skipped=skipped)
        except InvalidEvent as error:
            refused(form, error)
        else:
            flash(gettext("くり返しイベントを作成しました（%(count)d回）。", count=count), "success")
            if skipped:
                flash(gettext("祝日・閉庁日の%(count)d日は日程に入れていません。", count=skipped), "info")
            return redirect(url_for("admin.event_series", series_id=series.id))
    return render_page("admin/events/series_form.html", form=form)


@bp.get("/events/series/<dbid:series_id>")
@requires(MANAGE_EVENTS)
def event_series(series_id: int):  # noqa: ANN201
    """Show a series: its rule, every date with its figures, and what can be changed."""
    return _render_series_page(series_id)


def _render_series_page(series_id: int, *, change_form: SeriesChangeForm | None = None,
                        copy_form: CopySeriesForm | None = None):  # noqa: ANN202
    now = admin_state().now()
    with transaction() as db_session:
        events = events_service(db_session)
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
        return render_page("admin/events/series.html", series=series, series_dates=dates, upcoming=upcoming,
                       skipped=events.skipped_days(series_id),
                       figures=events.figures_of(event.id for event in dates), change_form=change_form,
                       copy_form=copy_form, status_of=lambda event: status_of(event, now))


def _same_weekday_after(first: date, after: date) -> date:
    """The first day after ``after`` on ``first``'s weekday (where a copied series could start)."""
    return after + timedelta(days=(first.weekday() - after.weekday()) % 7 or 7)


@bp.post("/events/series/<dbid:series_id>/edit")
@requires(MANAGE_EVENTS)
def event_series_edit(series_id: int):  # noqa: ANN201
    """Change the dates of a series still to come, from a chosen date on."""
    form = SeriesChangeForm()
    if form.validate_on_submit():
        now = admin_state().now()
        try:
            with transaction() as db_session:
                events = events_service(db_session)
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
                unreachable = sum(unreachable_after(events, result) for result in results)
                changed = sorted({name for result in results for name in result.changed})
                if changed:
                    audit("series.update", series, session=db_session, fields=changed,
                          dates=sum(1 for result in results if result.changed), notified=len(recipients),
                          promoted=len(promoted))
        except InvalidEvent as error:
            refused(form, error)
        else:
            told_after_commit(recipients)
            if changed:
                flash(gettext("%(count)d回分の変更を保存しました。", count=sum(1 for r in results if r.changed)),
                      "success")
            else:
                flash(gettext("変更はありませんでした。"), "success")
            if promoted:
                flash(gettext("定員が増えたため、キャンセル待ちの%(count)d件が参加確定になりました。",
                              count=len(promoted)), "success")
            say_who_was_told(recipients, unreachable)
            return redirect(url_for("admin.event_series", series_id=series_id))
    return _render_series_page(series_id, change_form=form)


@bp.post("/events/series/<dbid:series_id>/copy")
@requires(MANAGE_EVENTS)
def event_series_copy(series_id: int):  # noqa: ANN201
    """Make the same series again from another first date (e.g. next term)."""
    form = CopySeriesForm()
    if form.validate_on_submit():
        try:
            with transaction() as db_session:
                events = events_service(db_session)
                copy = events.copy_series(series_id, first_start=form.first_start(), until=form.until.data)
                count = len(events.list_events(series_id=copy.id))
                audit("series.copy", copy, session=db_session, source=series_id, dates=count)
        except InvalidEvent as error:
            refused(form, error)
        else:
            flash(gettext("くり返しイベントをコピーしました（%(count)d回）。内容を確認してください。", count=count),
                  "success")
            return redirect(url_for("admin.event_series", series_id=copy.id))
    return _render_series_page(series_id, copy_form=form)


@bp.route("/events/series/<dbid:series_id>/cancel", methods=["GET", "POST"])
@requires(MANAGE_EVENTS)
def event_series_cancel(series_id: int):  # noqa: ANN201
    """Cancel every date of a series still to come (from a chosen date); everyone signed up is told."""
    form = CancelEventForm()
    now = admin_state().now()
    from_date = _date_arg("from_date")
    with transaction() as db_session:
        events = events_service(db_session)
        series = events.staff_series(series_id)
        start = max(now, events.local_midnight(from_date)) if from_date else now
        dates = [event for event in events.list_events(series_id=series_id, include_cancelled=False)
                 if event.starts_at > start]
        active = [s for event in dates for s in events.signups(event.id) if s.is_active]
        if not form.validate_on_submit() or not dates:
            if request.method == "POST":
                flash(gettext("中止できる回がありません。") if not dates else
                      gettext("入力内容に誤りがあります。赤字の項目を確認してください。"), "error")
            return render_page("admin/events/cancel.html", form=form, event=None, series=series, series_dates=dates,
                           from_date=from_date, active=active, reachable=sum(1 for s in active if reachable_on_line(s)))
        told = events.cancel_series(series_id, form.reason.data or "", from_date=from_date)
        recipients = events.notified_recipients
        audit("series.cancel", series, session=db_session, dates=len(dates), from_date=from_date,
              notified=len(recipients), signups=len(active))
    told_after_commit(recipients)
    flash(gettext("%(count)d回分を中止しました。", count=len(dates)), "success")
    say_who_was_told(recipients, len(active) - len(told))
    return redirect(url_for("admin.event_series", series_id=series_id))


def _date_arg(name: str) -> date | None:
    """A date from the form or the query string (YYYY-MM-DD), None when missing, malformed or out of range."""
    return iso_date(request.values.get(name))
