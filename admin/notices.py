"""Pages of notices to residents (お知らせ): compose once, see reach and cost before sending, send now,
at a time or monthly, approve a large notice as a second member of staff, and read the results.

The rules (audience, weekly cap, approval, batches) are in :mod:`bot.services.notices`; the
month's quota is read from LINE before any transaction opens.
"""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext
from flask_babel import lazy_gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import BooleanField, IntegerField, SelectChoice, SelectField, SelectMultipleField, StringField, \
    TextAreaField
from wtforms.validators import NumberRange, Optional

from admin import names
from admin.audit import audit, register_action
from admin.dates import city_zone
from admin.event_pages import local_dates
from admin.forms import ConfirmForm, MomentField, _at_most, _required
from admin.scope import VIEW_RECORDS, current_scope, requires
from admin.settings import admin_state
from admin.blueprint import bp, transaction, tsunagu
from bot.bounds import MAX_DATABASE_ID
from bot.i18n import LANGUAGE_NAMES, N_, SUPPORTED_LOCALES
from bot.messaging.line_api import LineApiError
from bot.models.notices import Notice
from bot.municipality import Municipality
from bot.services.notices import MAX_TEXT, MAX_TITLE, NoticeError, NoticeService
from bot.tasks.notices import send_notice

register_action("notices.create", N_("お知らせの作成"), "notices", N_("お知らせ"))
register_action("notices.send", N_("お知らせの送信"))
register_action("notices.approve", N_("お知らせの承認"))
register_action("notices.cancel", N_("お知らせの取り消し"))

STATUS_LABELS = {
    Notice.DRAFT: N_("下書き"),
    Notice.AWAITING_APPROVAL: N_("承認待ち"),
    Notice.SCHEDULED: N_("予約済み"),
    Notice.SENDING: N_("送信中"),
    Notice.SENT: N_("送信済み"),
    Notice.CANCELLED: N_("取り消し"),
}
TIMINGS = ("now", "at", Notice.MONTHLY)


class NoticeForm(FlaskForm):
    """A notice as staff compose it: Japanese text required, translations optional."""

    title = StringField(_("件名"), validators=[_required(), _at_most(MAX_TITLE)])
    text_ja = TextAreaField(_("本文（日本語）"), validators=[_required(), _at_most(MAX_TEXT)])
    text_ja_Hira = TextAreaField(_("本文（やさしい日本語）"), validators=[_at_most(MAX_TEXT)])
    text_en = TextAreaField(_("本文（英語）"), validators=[_at_most(MAX_TEXT)])
    text_zh_Hans = TextAreaField(_("本文（中国語）"), validators=[_at_most(MAX_TEXT)])
    text_vi = TextAreaField(_("本文（ベトナム語）"), validators=[_at_most(MAX_TEXT)])
    topic = SelectField(_("お知らせの種類"), choices=[], validate_choice=True)
    areas = SelectMultipleField(_("地区（選ばないときは全地区）"), choices=[], validate_choice=True)
    languages = SelectMultipleField(_("言語（選ばないときは全言語）"), validate_choice=True,
                                    choices=[SelectChoice(code, LANGUAGE_NAMES[code]) for code in SUPPORTED_LOCALES])
    essential = BooleanField(_("重要なお知らせ（設定していない人にも届きます。災害などに限ってください）"))
    event_id = IntegerField(_("イベント番号（申し込みボタンを付けるとき）"),
                            validators=[Optional(), NumberRange(min=1, max=MAX_DATABASE_ID)])
    image_url = StringField(_("画像のURL（https://）"), validators=[Optional(), _at_most(1000)])
    timing = SelectField(_("送るとき"), validate_choice=True, default="now", choices=[
        SelectChoice("now", _("すぐに送る")), SelectChoice("at", _("日時を指定して送る")),
        SelectChoice(Notice.MONTHLY, _("毎月くり返す（最初の日時と同じ週・曜日）"))])
    send_at = MomentField(_("日時"), validators=[Optional()], format="%Y-%m-%dT%H:%M", tz=city_zone,
                          invalid_value_message=_("日時を正しく入力してください（例：2030-06-04 13:30）。"))

    def for_profile(self, profile: Municipality) -> NoticeForm:
        self.topic.choices = [SelectChoice(t.code, t.name) for t in profile.notices.topics]
        self.areas.choices = [SelectChoice(a.code, names.area_name(profile, a.code)) for a in profile.areas]
        return self

    def texts(self) -> dict[str, str]:
        return {locale: getattr(self, f"text_{locale}").data or "" for locale in SUPPORTED_LOCALES}


def _scope_centre() -> str | None:
    """The centre a notice is composed at: the staff member's first centre; None for the city's staff."""
    scope = current_scope()
    return None if scope.sees_all_centres else min(scope.centre_codes, default=None)


def _visible(db_session, notice_id: int) -> Notice:  # noqa: ANN001
    """A notice of the staff member's centre (every notice for the city's staff); 404 otherwise."""
    notice = db_session.get(Notice, notice_id)
    if notice is None or not current_scope().can_see_centre(notice.centre_code):
        abort(404)
    return notice


@bp.get("/notices/")
@requires(VIEW_RECORDS)
def notice_list():  # noqa: ANN201
    """List the notices of one's centre, newest first."""
    with transaction() as db_session:
        query = current_scope().filter_by_centre(select(Notice).order_by(Notice.id.desc()).limit(200),
                                                 Notice.centre_code)
        notices = list(db_session.scalars(query))
        return render_template("admin/notices/list.html", notices=notices, status_labels=STATUS_LABELS,
                               dates=local_dates())


@bp.route("/notices/new", methods=["GET", "POST"])
@requires(VIEW_RECORDS)
def notice_new():  # noqa: ANN201
    """Compose a notice; saving it shows the preview with reach and cost."""
    profile = tsunagu().profile
    form = NoticeForm().for_profile(profile)
    if form.validate_on_submit():
        timing = form.timing.data
        try:
            with transaction() as db_session:
                notice = NoticeService(db_session, profile).save(
                    Notice(created_by=current_user.id, centre_code=_scope_centre()),
                    title=form.title.data, texts=form.texts(), topic=form.topic.data, areas=form.areas.data or [],
                    languages=form.languages.data or [], essential=form.essential.data,
                    event_id=form.event_id.data, image_url=(form.image_url.data or "").strip() or None,
                    repeat=Notice.MONTHLY if timing == Notice.MONTHLY else Notice.ONCE,
                    send_at=form.send_at.data if timing != "now" else None)
                if timing != "now" and notice.send_at is None:
                    raise NoticeError(N_("送る日時を入力してください。"))
                audit("notices.create", notice, session=db_session, topic=notice.topic, essential=notice.essential)
                notice_id = notice.id
        except NoticeError as error:
            flash(gettext(str(error)), "error")
        else:
            return redirect(url_for("admin.notice_view", notice_id=notice_id))
    return render_template("admin/notices/form.html", form=form)


@bp.get("/notices/<dbid:notice_id>")
@requires(VIEW_RECORDS)
def notice_view(notice_id: int):  # noqa: ANN201
    """Show a notice: before sending its reach, cost and the month's quota; after, its results."""
    profile = tsunagu().profile
    quota = None
    try:
        quota = tsunagu().line.quota()  # before the transaction: never wait on LINE inside one
    except LineApiError:
        quota = None
    with transaction() as db_session:
        notice = _visible(db_session, notice_id)
        service = NoticeService(db_session, profile)
        before = notice.status in (Notice.DRAFT, Notice.AWAITING_APPROVAL)
        preview = service.preview(notice) if before or notice.status == Notice.SCHEDULED else None
        results = service.results(notice, admin_state().now()) if notice.sent_at else None
        topic = next((t.name for t in profile.notices.topics if t.code == notice.topic), notice.topic)
        return render_template(
            "admin/notices/view.html", notice=notice, preview=preview, results=results, quota=quota,
            topic=topic, status_labels=STATUS_LABELS, language_names=LANGUAGE_NAMES, form=ConfirmForm(),
            area_names=[names.area_name(profile, code) for code in notice.areas], dates=local_dates(),
            may_approve=notice.status == Notice.AWAITING_APPROVAL and notice.created_by != current_user.id,
            approval_over=profile.notices.approval_over)


def _act(notice_id: int, action: str):  # noqa: ANN202
    form = ConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    now = admin_state().now()
    try:
        with transaction() as db_session:
            notice = _visible(db_session, notice_id)
            service = NoticeService(db_session, tsunagu().profile)
            if action == "send":
                service.request_send(notice, current_user.id, now)
            elif action == "approve":
                service.approve(notice, current_user.id, now)
            else:
                service.cancel(notice)
            audit(f"notices.{action}", notice, session=db_session, status=notice.status, reach=notice.reach)
            status = notice.status
    except NoticeError as error:
        flash(gettext(str(error)), "error")
        return redirect(url_for("admin.notice_view", notice_id=notice_id))
    if status == Notice.SENDING:
        send_notice(notice_id)  # after the commit: the worker sends the stored batches
    flash(gettext(STATUS_LABELS[status]), "success")
    return redirect(url_for("admin.notice_view", notice_id=notice_id))


@bp.post("/notices/<dbid:notice_id>/send")
@requires(VIEW_RECORDS)
def notice_send(notice_id: int):  # noqa: ANN201
    """Send a notice now or at its time; a large one waits for approval."""
    return _act(notice_id, "send")


@bp.post("/notices/<dbid:notice_id>/approve")
@requires(VIEW_RECORDS)
def notice_approve(notice_id: int):  # noqa: ANN201
    """Approve a large notice as a second member of staff."""
    return _act(notice_id, "approve")


@bp.post("/notices/<dbid:notice_id>/cancel")
@requires(VIEW_RECORDS)
def notice_cancel(notice_id: int):  # noqa: ANN201
    """Take back a notice not yet sent."""
    return _act(notice_id, "cancel")
