"""Forms of the events pages (イベント・サロン), and their translation to the service's terms.

Dates and times are typed and shown in the city's time zone (Asia/Tokyo);
the service receives aware datetimes. Format checks happen here; whether
the values make a valid event is the service's to say (``InvalidEvent``),
and :func:`show_service_error` puts its answer next to the field.
"""
from __future__ import annotations

import math
from datetime import date, datetime

from flask_babel import lazy_gettext as _
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    FloatField,
    IntegerField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import InputRequired, Length, NumberRange, Optional, ValidationError

from admin.dates import city_zone
from admin.forms import DayField, MomentField, _at_most, _required
from admin.names import area_name, centre_name
from bot.i18n import N_
from bot.models import Event, EventSeries
from bot.municipality import Municipality
from bot.services.events.base import KINDS
from bot.services.events.staff import EventDraft, InvalidEvent
from bot.services.routing import centre_for_area

MAX_CAPACITY = 1000
MAX_PARTY = 20
_DATETIME_FORMAT = "%Y-%m-%dT%H:%M"  # what <input type="datetime-local"> sends


def _date(label: str, *validators) -> DayField:  # noqa: ANN002
    return DayField(label, validators=list(validators) or [InputRequired(message=_("日付を入力してください。"))],
                     invalid_value_message=_("日付を正しく入力してください（例：2030-06-04）。"))


def _time(label: str, *validators) -> TimeField:  # noqa: ANN002
    return TimeField(label, validators=list(validators) or [InputRequired(message=_("時刻を入力してください。"))],
                     invalid_value_message=_("時刻を正しく入力してください（例：13:30）。"))


def _moment(label: str) -> MomentField:
    return MomentField(label, validators=[Optional()], format=_DATETIME_FORMAT, tz=city_zone,
                              invalid_value_message=_("日時を正しく入力してください（例：2030-06-04 13:30）。"))


def _count(label: str, low: int, high: int, *, required: bool = True, default: int | None = None) -> IntegerField:
    presence = InputRequired(message=_("数を入力してください。")) if required else Optional()
    return IntegerField(label, default=default, validators=[
        presence, NumberRange(min=low, max=high, message=_("%(min)sから%(max)sまでの数を入力してください。"))],
        invalid_value_message=_("半角数字で入力してください。"))


def _finite(form: FlaskForm, field: FloatField) -> None:
    if field.data is not None and not math.isfinite(field.data):  # "nan" passes NumberRange
        raise ValidationError(_("半角数字で入力してください（例：37.0505）。"))


def _coordinate(label: str, low: float, high: float) -> FloatField:
    return FloatField(label, validators=[
        Optional(), _finite, NumberRange(min=low, max=high, message=_("%(min)sから%(max)sまでの数を入力してください。"))],
        invalid_value_message=_("半角数字で入力してください（例：37.0505）。"))


def _choose(label: str, **options) -> SelectField:  # noqa: ANN003
    return SelectField(label, choices=[], invalid_choice_message=_("一覧から選んでください。"), **options)


def kind_choices() -> list[SelectChoice]:
    return [SelectChoice(code, _(label)) for code, label in KINDS.items()]


class TimesOfDay(FlaskForm):
    """A start time and an optional end time on the same day."""

    start_time = _time(_("開始時刻"))
    end_time = _time(_("終了時刻"), Optional())

    def validate_end_time(self, field: TimeField) -> None:
        if field.data is not None and self.start_time.data is not None and field.data <= self.start_time.data:
            raise ValidationError(_("終了時刻は開始時刻より後にしてください。"))


# -- the details every event has ------------------------------------------------------


class EventDetails(FlaskForm):
    """What residents read about an event, besides when and in which area."""

    title = StringField(_("タイトル"), validators=[_required(), _at_most(120)])
    kind = SelectField(_("種類"), choices=kind_choices, invalid_choice_message=_("一覧から選んでください。"))
    description = TextAreaField(_("内容"), validators=[Optional(), _at_most(4000)])
    organiser = StringField(_("主催"), validators=[Optional(), _at_most(120)])
    venue_name = StringField(_("会場"), validators=[_required(), _at_most(120)])
    venue_address = StringField(_("会場の住所"), validators=[Optional(), _at_most(200)])
    venue_lat = _coordinate(_("緯度"), -90, 90)
    venue_lon = _coordinate(_("経度"), -180, 180)
    capacity = _count(_("定員（人）"), 1, MAX_CAPACITY)
    max_party_size = _count(_("1件で申し込める人数"), 1, MAX_PARTY, default=4)
    fee = StringField(_("参加費"), validators=[Optional(), _at_most(120)])
    what_to_bring = StringField(_("持ち物"), validators=[Optional(), _at_most(200)])
    accessibility = TextAreaField(_("配慮・バリアフリー"), validators=[Optional(), _at_most(300)])
    contact = StringField(_("問い合わせ先"), validators=[Optional(), _at_most(200)])

    def details(self) -> dict:
        """The details as the service names them."""
        return {name: getattr(self, name).data for name in DETAIL_FIELDS}


DETAIL_FIELDS = ("title", "kind", "description", "organiser", "venue_name", "venue_address", "venue_lat",
                 "venue_lon", "capacity", "max_party_size", "fee", "what_to_bring", "accessibility", "contact")
TEXT_FIELDS = ("title", "description", "organiser", "venue_name", "venue_address", "fee", "what_to_bring",
               "accessibility", "contact")


class PlacedEventDetails(EventDetails):
    """The details and the area; the centre in charge defaults to the area's."""

    area_code = _choose(_("地区"))
    centre_code = _choose(_("担当センター"))

    def for_city(self, profile: Municipality, centre_codes: frozenset[str]) -> PlacedEventDetails:
        """Offer the areas (grouped by centre) and centres the member of staff manages."""
        centres = [centre for centre in profile.centres if centre.code in centre_codes]
        names = {area.code: area_name(profile, area.code) for area in profile.areas}
        groups = {centre.code: centre_name(profile, centre.code, short=True) for centre in centres}
        self.area_code.choices = [
            SelectChoice(code, names[code], optgroup=groups[centre.code]) for centre in centres for code in centre.areas
        ]
        self.centre_code.choices = [SelectChoice("", _("地区の担当センター"))] + [
            SelectChoice(centre.code, centre_name(profile, centre.code)) for centre in centres]
        return self

    def details(self) -> dict:
        return {**super().details(), "area_code": self.area_code.data, "centre_code": self.centre_code.data or None}


# -- one event ------------------------------------------------------------------------------


class EventForm(PlacedEventDetails, TimesOfDay):
    """Create or edit one event."""

    day = _date(_("開催日"))
    signup_opens_at = _moment(_("申込の受付開始"))
    signup_closes_at = _moment(_("申込の締切"))
    cancel_deadline = _moment(_("キャンセルの期限"))

    def draft(self) -> EventDraft:
        zone = city_zone()
        starts_at = datetime.combine(self.day.data, self.start_time.data, tzinfo=zone)
        ends_at = datetime.combine(self.day.data, self.end_time.data, tzinfo=zone) if self.end_time.data else None
        return EventDraft(**self.details(), starts_at=starts_at, ends_at=ends_at,
                          signup_opens_at=self.signup_opens_at.data, signup_closes_at=self.signup_closes_at.data,
                          cancel_deadline=self.cancel_deadline.data)

    @classmethod
    def of_event(cls, event: Event, profile: Municipality) -> EventForm:
        """The form filled in with an event's details, in local time."""
        zone = city_zone()
        values = {name: getattr(event, name) for name in (*DETAIL_FIELDS, "area_code", "centre_code",
                                                         "signup_opens_at", "signup_closes_at", "cancel_deadline")}
        area_centre = centre_for_area(profile, event.area_code)
        if area_centre is not None and event.centre_code == area_centre.code:
            values["centre_code"] = ""  # the area's centre: follows the area if it changes
        starts_at = event.starts_at.astimezone(zone)
        values.update(day=starts_at.date(), start_time=starts_at.time().replace(tzinfo=None),
                      end_time=event.ends_at.astimezone(zone).time().replace(tzinfo=None) if event.ends_at else None)
        return cls(formdata=None, data=values)


class CopyEventForm(TimesOfDay):
    """The same event on another date."""

    day = _date(_("新しい開催日"))

    def starts_at(self) -> datetime:
        return datetime.combine(self.day.data, self.start_time.data, tzinfo=city_zone())

    def ends_at(self) -> datetime | None:
        return datetime.combine(self.day.data, self.end_time.data, tzinfo=city_zone()) if self.end_time.data else None


class CancelEventForm(FlaskForm):
    """Cancel (中止) an event or the dates of a series still to come."""

    reason = StringField(_("中止の理由（参加者へのお知らせに載ります）"), validators=[Optional(), _at_most(300)])


# -- a series -----------------------------------------------------------------------------------

FREQUENCY_LABELS = {EventSeries.WEEKLY: N_("毎週"), EventSeries.MONTHLY: N_("毎月（同じ第何週の同じ曜日）")}


class SeriesForm(PlacedEventDetails, TimesOfDay):
    """Create a recurring event (毎週・毎月): one date per week or month, each with its own seats."""

    first_day = _date(_("初回の開催日"))
    frequency = SelectField(_("くり返し"), choices=lambda: [SelectChoice(code, _(label))
                                                        for code, label in FREQUENCY_LABELS.items()],
                            invalid_choice_message=_("一覧から選んでください。"))
    interval = _count(_("間隔（何週・何か月ごと）"), 1, 12, default=1)
    until = _date(_("最終日（この日まで）"))
    signup_opens_days_before = _count(_("申込の受付開始（各回の何日前から）"), 0, 365, required=False)
    signup_closes_hours_before = _count(_("申込の締切（各回の何時間前）"), 0, 24 * 30, required=False)
    cancel_hours_before = _count(_("キャンセルの期限（各回の何時間前）"), 0, 24 * 30, required=False)
    include_holidays = BooleanField(_("祝日・閉庁日も開催する"))

    def validate_until(self, field: DateField) -> None:
        if field.data is not None and self.first_day.data is not None and field.data < self.first_day.data:
            raise ValidationError(_("最終日は初回の開催日以降にしてください。"))

    def draft(self) -> EventDraft:
        zone = city_zone()
        starts_at = datetime.combine(self.first_day.data, self.start_time.data, tzinfo=zone)
        ends_at = datetime.combine(self.first_day.data, self.end_time.data, tzinfo=zone) if self.end_time.data else None
        return EventDraft(**self.details(), starts_at=starts_at, ends_at=ends_at)

    def rule(self) -> dict:
        """The recurrence and sign-up windows, as ``EventService.create_series`` takes them."""
        return {
            "frequency": self.frequency.data,
            "until": self.until.data,
            "interval": self.interval.data,
            "signup_opens_days_before": self.signup_opens_days_before.data,
            "signup_closes_hours_before": self.signup_closes_hours_before.data or 0,
            "cancel_hours_before": self.cancel_hours_before.data or 0,
            "include_holidays": bool(self.include_holidays.data),
        }


class SeriesChangeForm(EventDetails, TimesOfDay):
    """Change the dates of a series still to come; only the fields changed are applied."""

    from_date = _date(_("変更する最初の日"))

    @classmethod
    def of_series(cls, series: EventSeries, template: Event | None, from_date: date) -> SeriesChangeForm:
        """The form filled in from the next date of the series."""
        values: dict = {"from_date": from_date, "start_time": series.start_time, "end_time": series.end_time}
        if template is not None:
            values.update({name: getattr(template, name) for name in DETAIL_FIELDS})
        return cls(formdata=None, data=values)

    def changes(self, series: EventSeries, template: Event) -> dict:
        """What differs from the series' next date (and its times), as ``update_series`` takes it."""
        changes = {name: value for name, value in self.details().items()
                   if value != _normalised(name, getattr(template, name))}
        if self.start_time.data != series.start_time:
            changes["start_time"] = self.start_time.data
        if self.end_time.data is not None and self.end_time.data != series.end_time:
            changes["end_time"] = self.end_time.data
        return changes


class CopySeriesForm(FlaskForm):
    """The same series again, e.g. for next term."""

    first_day = _date(_("初回の開催日"))
    start_time = _time(_("開始時刻"))
    until = _date(_("最終日（この日まで）"))

    def validate_until(self, field: DateField) -> None:
        if field.data is not None and self.first_day.data is not None and field.data < self.first_day.data:
            raise ValidationError(_("最終日は初回の開催日以降にしてください。"))

    def first_start(self) -> datetime:
        return datetime.combine(self.first_day.data, self.start_time.data, tzinfo=city_zone())


# -- sign-ups ---------------------------------------------------------------------------------


class PhoneSignUpForm(FlaskForm):
    """A sign-up taken by phone or at the counter (電話・窓口)."""

    name = StringField(_("お名前"), validators=[_required(), _at_most(50)])
    party_size = _count(_("人数"), 1, MAX_PARTY, default=1)
    phone = StringField(_("電話番号"), validators=[Optional(), Length(max=20, message=_("電話番号が長すぎます。"))])


# -- filters ------------------------------------------------------------------------------------

UPCOMING, PAST, CANCELLED = "upcoming", "past", "cancelled"
STATUS_FILTERS = {UPCOMING: N_("開催予定"), PAST: N_("開催済み"), CANCELLED: N_("中止")}


class EventFilterForm(FlaskForm):
    """The events list's filters, sent by GET (no CSRF token: it changes nothing)."""

    class Meta:
        csrf = False

    date_from = DayField(_("開始日"), validators=[Optional()])
    date_to = DayField(_("終了日"), validators=[Optional()])
    centre = SelectField(_("センター"), choices=[], validate_choice=False)
    kind = SelectField(_("種類"), choices=lambda: [SelectChoice("", _("すべての種類")), *kind_choices()],
                       validate_choice=False)
    status = SelectField(_("状態"), choices=lambda: [SelectChoice("", _("すべての状態"))] + [
        SelectChoice(code, _(label)) for code, label in STATUS_FILTERS.items()], validate_choice=False)

    def for_centres(self, profile: Municipality, centre_codes: frozenset[str]) -> EventFilterForm:
        self.centre.choices = [SelectChoice("", _("すべてのセンター"))] + [
            SelectChoice(centre.code, centre_name(profile, centre.code))
            for centre in profile.centres if centre.code in centre_codes]
        return self


# -- the service's answers, next to the field -----------------------------------------------------

# InvalidEvent.field -> (the form field it belongs to, what to say).
SERVICE_ERRORS: dict[str, tuple[str, str]] = {
    "title": ("title", N_("タイトルを確認してください。")),
    "venue_name": ("venue_name", N_("会場を入力してください。")),
    "kind": ("kind", N_("一覧から選んでください。")),
    "area_code": ("area_code", N_("一覧から選んでください。")),
    "centre_code": ("centre_code", N_("担当しているセンターのイベントだけを作成・変更できます。")),
    "starts_at": ("start_time", N_("開始の日時を確認してください。")),
    "ends_at": ("end_time", N_("終了時刻は開始時刻より後にしてください。")),
    "signup_opens_at": ("signup_opens_at", N_("受付開始は、申込の締切（なければ開始時刻）より前にしてください。")),
    "signup_closes_at": ("signup_closes_at", N_("申込の締切を確認してください。")),
    "cancel_deadline": ("cancel_deadline", N_("キャンセルの期限を確認してください。")),
    "capacity": ("capacity", N_("定員は1人以上にしてください。")),
    "max_party_size": ("max_party_size", N_("1件で申し込める人数は、1から定員までにしてください。")),
    "venue_lat": ("venue_lon", N_("緯度と経度は、両方入力するか両方空欄にしてください。")),
    "venue_lon": ("venue_lon", N_("緯度と経度は、両方入力するか両方空欄にしてください。")),
    "until": ("until", N_("この期間には開催日がありません。最終日を確認してください。")),
    "interval": ("interval", N_("1以上の数を入力してください。")),
    "frequency": ("frequency", N_("一覧から選んでください。")),
    "signup_opens_days_before": ("signup_opens_days_before", N_("0以上の数を入力してください。")),
    "signup_closes_hours_before": ("signup_closes_hours_before", N_("0以上の数を入力してください。")),
    "cancel_hours_before": ("cancel_hours_before", N_("0以上の数を入力してください。")),
}
FALLBACK_ERROR = N_("入力内容を確認してください。")


def show_service_error(form: FlaskForm, error: InvalidEvent, gettext) -> str | None:  # noqa: ANN001
    """Put the service's refusal next to its field; return it when the form has no such field."""
    target, message = SERVICE_ERRORS.get(error.field, (error.field, FALLBACK_ERROR))
    if error.field in TEXT_FIELDS and "characters" in error.problem:
        message = FALLBACK_ERROR
    field = getattr(form, target, None) or getattr(form, error.field, None)
    if field is None or not hasattr(field, "errors"):
        return gettext(message)
    field.errors = [*field.errors, gettext(message)]
    return None


def _normalised(name: str, value: object) -> object:
    """A stored value as the form would give it back (text fields come back stripped, '' not None)."""
    if name in TEXT_FIELDS:
        return (value or "").strip()
    return value
