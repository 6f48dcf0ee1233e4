"""The numbers staff read per event (定員・確定・キャンセル待ち・出席), and the sign-up list as CSV."""
from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select

from bot.i18n import S_
from bot.models import Event, SignUp
from bot.services.events.signups import SignUps
from bot.services.phone import format_phone
from bot.services.spreadsheet import excel_csv


@dataclass(frozen=True)
class EventFigures:
    """The numbers per event staff read (定員・確定・キャンセル待ち・出席)."""

    capacity: int
    confirmed_people: int  # including those already marked attended
    confirmed_signups: int
    waiting_people: int
    waiting_signups: int
    attended_people: int
    attended_signups: int
    cancelled_signups: int

    @property
    def seats_left(self) -> int:
        return max(self.capacity - self.confirmed_people, 0)


class SignUpFigures(SignUps):
    """Staff: the figures of one event or of a page of them, and the sign-up list for Excel."""

    def figures(self, event_id: int) -> EventFigures:
        """Staff: capacity, confirmed, waiting, attended for one event."""
        self._staff_event(event_id)
        return self.figures_of([event_id])[event_id]

    def figures_of(self, event_ids: Iterable[int]) -> dict[int, EventFigures]:
        """Staff: the figures of several events in one query (for a list page)."""
        ids = list(event_ids)
        if not ids:
            return {}
        capacity = dict(self.session.execute(select(Event.id, Event.capacity).where(Event.id.in_(ids))).all())
        counts = {(event_id, status): (0, 0) for event_id in ids for status in (*SignUp.ACTIVE, SignUp.CANCELLED)}
        for event_id, status, people, signups in self.session.execute(
            select(SignUp.event_id, SignUp.status, func.sum(SignUp.party_size), func.count())
            .where(SignUp.event_id.in_(ids))
            .group_by(SignUp.event_id, SignUp.status)
        ):
            counts[(event_id, status)] = (int(people or 0), int(signups))
        result = {}
        for event_id in ids:
            confirmed, attended = counts[(event_id, SignUp.CONFIRMED)], counts[(event_id, SignUp.ATTENDED)]
            waiting, cancelled = counts[(event_id, SignUp.WAITING)], counts[(event_id, SignUp.CANCELLED)]
            result[event_id] = EventFigures(
                capacity=capacity[event_id],
                confirmed_people=confirmed[0] + attended[0],
                confirmed_signups=confirmed[1] + attended[1],
                waiting_people=waiting[0],
                waiting_signups=waiting[1],
                attended_people=attended[0],
                attended_signups=attended[1],
                cancelled_signups=cancelled[1],
            )
        return result

    def export_csv(self, event_id: int, translate: Callable[[str], str] = lambda text: text) -> bytes:
        """Staff: the sign-up list as CSV for Excel: UTF-8 with a BOM, CRLF line ends.

        ``translate`` is the staff member's gettext (Japanese when not given).
        """
        event = self._staff_event(event_id)
        rows = (
            [
                signup.id,
                translate(STATUS_LABELS[signup.status]),
                signup.waiting_position or "",
                signup.name,
                signup.party_size,
                format_phone(signup.phone),
                translate(SOURCE_LABELS.get(signup.source, SOURCE_LABELS[SignUp.STAFF])),
                self._csv_time(signup.created_at),
                self._csv_time(signup.confirmed_at),
                translate(ATTENDED_MARK) if signup.status == SignUp.ATTENDED else "",
                self._csv_time(signup.cancelled_at),
            ]
            for signup in self.signups(event.id)
        )
        return excel_csv([translate(column) for column in CSV_HEADER], rows)

    def _csv_time(self, moment: datetime | None) -> str:
        return self.local(moment).strftime("%Y-%m-%d %H:%M") if moment else ""


# Staff read these in the sign-up CSV, in their own language.
STATUS_LABELS = {
    SignUp.CONFIRMED: S_("参加確定"),
    SignUp.WAITING: S_("キャンセル待ち"),
    SignUp.CANCELLED: S_("取消"),
    SignUp.ATTENDED: S_("出席"),
}
SOURCE_LABELS = {SignUp.LINE: S_("LINE"), SignUp.STAFF: S_("電話・窓口")}
ATTENDED_MARK = S_("済")
CSV_HEADER = [S_("申込番号"), S_("状態"), S_("キャンセル待ち順"), S_("お名前"), S_("人数"), S_("電話番号"), S_("申込方法"),
              S_("申込日時"), S_("確定日時"), S_("出席"), S_("取消日時")]
