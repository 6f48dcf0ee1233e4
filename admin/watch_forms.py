"""The 見守り forms: a plan set with the resident's agreement, a plan ended with a reason, a call or visit logged."""
from __future__ import annotations

from flask_babel import lazy_gettext as _
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField, SelectChoice, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from admin.forms import DayField
from bot.services.watch import CONTACT_RESULTS, STOP_REASONS

INTERVALS = ((1, _("毎日")), (3, _("3日ごと")), (7, _("毎週")), (14, _("2週間ごと")), (30, _("1か月ごと")), (90, _("3か月ごと")))
CHANNELS = (("line", _("LINEで確認")), ("phone", _("職員が電話")), ("visit", _("民生委員の訪問")))
STAFF_STOP_REASONS = ("staff", "moved", "died")


class WatchPlanForm(FlaskForm):
    interval_days = SelectField(_("間隔"), coerce=int, choices=[SelectChoice(days, label) for days, label in INTERVALS])
    hour = SelectField(_("時刻"), coerce=int, default=10,
                       choices=[SelectChoice(hour, f"{hour}:00") for hour in range(8, 21)])
    ends_on = DayField(_("終了日（任意）"), validators=[Optional()])
    weekdays_only = BooleanField(_("平日のみ（土日・祝日・閉庁日は送らず、次の平日に）"))
    channel = SelectField(_("方法"), choices=[SelectChoice(code, label) for code, label in CHANNELS])
    agreed = BooleanField(_("本人の同意を得た"), validators=[DataRequired(_("本人の同意が必要です。"))])


class WatchStopForm(FlaskForm):
    reason = SelectField(_("終了の理由"), choices=[SelectChoice(code, _(STOP_REASONS[code])) for code in STAFF_STOP_REASONS])


class WatchContactForm(FlaskForm):
    kind = SelectField(_("方法"), choices=[SelectChoice("call", _("電話")), SelectChoice("visit", _("訪問"))])
    result = SelectField(_("結果"), choices=[SelectChoice(code, _(label)) for code, label in CONTACT_RESULTS.items()])
    note = TextAreaField(_("メモ（任意）"), validators=[Optional(), Length(max=1000)])
