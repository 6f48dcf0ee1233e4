"""What the events and series pages share: the staff scope, the service, rendering, and saying who was told.

Scoped like the intake records: centre staff manage the events of their
centres, coordinators those of every centre, administrators none (running
events is not a reason to read residents' names). An event outside the scope
is answered with 404. The pages only ask :class:`EventService`; every view,
change and export is audited; pushes the service queued for residents
(cancellations, a new time or place, promotions from the waiting list) are
delivered after the change is committed.
"""
from __future__ import annotations

from datetime import datetime

from flask import flash, render_template
from flask_babel import gettext

from admin.dates import LocalDates
from admin.event_forms import CANCELLED, PAST, UPCOMING, show_service_error
from admin.names import area_name, centre_name, staff_locale
from admin.scope import VIEW_RECORDS, current_scope
from admin.settings import admin_state
from admin.blueprint import bp, not_found, tsunagu
from bot.i18n import N_
from bot.models import Event, SignUp
from bot.services.events import EventService
from bot.services.events.base import KINDS, EventNotFound
from bot.services.events.series import SeriesNotFound
from bot.services.events.signups import SignUpNotFound
from bot.services.events.staff import EventChange, InvalidEvent
from bot.tasks.events import deliver_notices

# Those who see records run events: centre staff for their centres, coordinators for all.
MANAGE_EVENTS = VIEW_RECORDS

SIGNUP_STATUS_LABELS = {
    SignUp.CONFIRMED: N_("参加確定"),
    SignUp.ATTENDED: N_("出席"),
    SignUp.WAITING: N_("キャンセル待ち"),
    SignUp.CANCELLED: N_("取り消し"),
}


def events_service(db_session) -> EventService:  # noqa: ANN001
    """The events service limited to the centres of the member of staff (all for coordinators)."""
    scope = current_scope()
    return EventService(db_session, tsunagu().profile, admin_state().now,
                        centre_scope=None if scope.sees_all_centres else scope.centre_codes)


@bp.errorhandler(EventNotFound)
@bp.errorhandler(SeriesNotFound)
@bp.errorhandler(SignUpNotFound)
def event_not_found(error):  # noqa: ANN001, ANN201
    """An event of another centre is answered as if it did not exist."""
    return not_found(error)


def local_dates() -> LocalDates:
    """Dates as the member of staff reads them: the city's time zone, their language."""
    return LocalDates(tsunagu().profile.timezone, staff_locale())


def render_page(template: str, **context):  # noqa: ANN003, ANN202
    """Render an events page with the city's names and local dates."""
    profile = tsunagu().profile
    return render_template(
        template,
        dates=local_dates(),
        kinds=KINDS,
        area_names={area.code: area_name(profile, area.code) for area in profile.areas},
        centre_names={centre.code: centre_name(profile, centre.code, short=True) for centre in profile.centres},
        signup_status_labels=SIGNUP_STATUS_LABELS,
        **context,
    )


def reachable_on_line(signup: SignUp) -> bool:
    """Whether the resident can be told on LINE (phoned-in sign-ups have no LINE account)."""
    return signup.resident is not None and not signup.resident.is_blocked


def say_who_was_told(recipients: set[str], unreachable: int) -> None:
    """Tell the member of staff how many residents got a LINE message, and who must be phoned."""
    if recipients:
        flash(gettext("%(count)d名の方にLINEでお知らせしました。", count=len(recipients)), "success")
    if unreachable:
        flash(gettext("LINEでお知らせできない申込が%(count)d件あります（電話・窓口での申込など）。"
                      "電話番号を確認して、ご連絡ください。", count=unreachable), "warning")


def told_after_commit(recipients: set[str]) -> None:
    deliver_notices(recipients)


def status_of(event: Event, now: datetime) -> str:
    if event.is_cancelled:
        return CANCELLED
    return UPCOMING if (event.ends_at or event.starts_at) > now else PAST


def unreachable_after(events: EventService, change: EventChange) -> int:
    """Sign-ups that should have heard of this change but have no LINE to hear it on."""
    unreachable = [s for s in change.promoted if not reachable_on_line(s)]
    if set(change.changed) & {"starts_at", "ends_at", "venue_name", "venue_address"}:
        unreachable += [s for s in events.signups(change.event.id)
                        if s.status in (SignUp.CONFIRMED, SignUp.WAITING) and not reachable_on_line(s)
                        and s not in change.promoted]
    return len(unreachable)


def refused(form, error: InvalidEvent) -> None:  # noqa: ANN001
    """Show the service's refusal next to its field (or above the form)."""
    unplaced = show_service_error(form, error, gettext)
    flash(unplaced or gettext("入力内容に誤りがあります。赤字の項目を確認してください。"), "error")
