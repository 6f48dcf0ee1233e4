"""住民支え合い for staff: the SC's board, a request with its ranked supporters, the supporter registry, groups.

The 生活支援コーディネーター (role ``life_support``) works the requests and
supporters of their centres' areas (every area with no centre assigned: the
city's 社協 SC); coordinators and centre staff read the requests of the
residents in their scope. Rules live in bot/services/mutual_aid.py; every
page that shows personal data and every change is audited with codes only.
"""
from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user
from sqlalchemy import select

from admin import names
from admin.audit import audit, register_action
from admin.blueprint import bp, transaction, tsunagu
from admin.dates import city_today
from admin.scope import MATCH_HELP, MUTUAL_AID, current_scope, requires
from bot.i18n import N_
from bot.messaging.outbox import Outbox
from bot.models import HelpOffer, HelpRequest, LocalService, Supporter, SupportGroup, utcnow
from bot.models.staff import LIFE_SUPPORT
from bot.services.mutual_aid import SERVICE_KINDS, TASK_LABELS, MutualAidError, MutualAidService, board
from bot.services.phone import InvalidPhone, normalise_phone
from bot.tasks.events import deliver_notices

for _action, _label in [
    ("mutual_aid.board", N_("支え合いボードの閲覧")), ("mutual_aid.request_view", N_("支え合いの依頼の閲覧")),
    ("mutual_aid.request_new", N_("支え合いの依頼の登録")), ("mutual_aid.open_call", N_("支え手への呼びかけ")),
    ("mutual_aid.assign", N_("支え手の指名")), ("mutual_aid.confirm", N_("組み合わせの確定")),
    ("mutual_aid.done", N_("お手伝いの記録")), ("mutual_aid.consultation", N_("依頼から相談記録を作成")),
    ("mutual_aid.supporters", N_("支え手名簿の閲覧")), ("mutual_aid.approve", N_("支え手の承認")),
    ("mutual_aid.export", N_("ポイントの書き出し")), ("mutual_aid.supporter_status", N_("支え手の状態の変更")),
    ("mutual_aid.group_new", N_("支え合いグループの登録")), ("mutual_aid.service_new", N_("生活支援サービスの登録")),
    ("mutual_aid.service_remove", N_("生活支援サービスの削除")),
]:
    register_action(_action, _label, "help_requests", N_("支え合いの依頼"))

STATUS_LABELS = {
    HelpRequest.OPEN: N_("新しい依頼"), HelpRequest.CALLING: N_("呼びかけ中"), HelpRequest.MATCHED: N_("確認待ち"),
    HelpRequest.CONFIRMED: N_("確定"), HelpRequest.DONE: N_("完了"), HelpRequest.CANCELLED: N_("取り消し"),
    HelpRequest.CONSULTATION: N_("相談へ"),
}
SUPPORTER_LABELS = {Supporter.APPLIED: N_("応募"), Supporter.MET: N_("面談済み"), Supporter.ACTIVE: N_("活動中"),
                    Supporter.PAUSED: N_("休止")}


def centres_in_scope() -> frozenset[str] | None:
    """The centres whose requests the account sees; None: every centre (the coordinator, the city's SC)."""
    scope = current_scope()
    if current_user.role == LIFE_SUPPORT:
        return frozenset(current_user.centre_codes) or None
    return None if scope.sees_all_centres else scope.centre_codes


def areas_in_scope() -> set[str] | None:
    """The areas of the centres in scope; None: every area."""
    centres = centres_in_scope()
    if centres is None:
        return None
    return {code for centre in centres for code in tsunagu().profile.centre(centre).areas}


def supporter_visible(supporter: Supporter) -> bool:
    areas = areas_in_scope()
    return areas is None or bool(areas & set(supporter.area_codes))


def service(db_session, outbox: Outbox | None = None) -> MutualAidService:  # noqa: ANN001
    return MutualAidService(db_session, tsunagu().profile, outbox=outbox)


def request_in_scope(db_session, request_id: int) -> HelpRequest:  # noqa: ANN001
    found = db_session.get(HelpRequest, request_id)
    centres = centres_in_scope()
    if found is None or (centres is not None and found.centre_code not in centres):
        abort(404)
    return found


def supporter_in_scope(db_session, supporter_id: int) -> Supporter:  # noqa: ANN001
    found = db_session.get(Supporter, supporter_id)
    if found is None or not supporter_visible(found):
        abort(404)
    return found


def page_names() -> dict:
    profile = tsunagu().profile
    return {"area_name": lambda code: names.area_name(profile, code), "task_label": lambda code: gettext(
        TASK_LABELS.get(code, code)), "status_labels": STATUS_LABELS, "supporter_labels": SUPPORTER_LABELS,
        "areas": [(a.code, names.area_name(profile, a.code)) for a in profile.areas],
        "tasks": [(code, gettext(TASK_LABELS[code])) for code in profile.mutual_aid.tasks],
        "scheme": profile.mutual_aid.scheme_name, "can_match": current_scope().can(MATCH_HELP),
        "service_kinds": [(code, gettext(label)) for code, label in SERVICE_KINDS.items()]}


def board_counts() -> dict[str, int]:
    """The start page's counts of what waits on the board, within the SC's areas."""
    with transaction() as db_session:
        found = board(db_session, utcnow(), centres_in_scope())
        return {
            "waiting": len(found["waiting"]),
            "matched": len(found["matched"]),
            "overdue": len(found["overdue"]),
            "problems": sum(1 for request in found["checks"] if request.check_result == HelpRequest.PROBLEM),
            "applied": sum(1 for supporter, _ in found["load"]
                           if supporter.status == Supporter.APPLIED and supporter_visible(supporter)),
        }


def resident_help(db_session, resident_id: int) -> dict:  # noqa: ANN001
    """What the resident page shows of 住民支え合い: their requests (within the viewer's centres) and, if they
    are a supporter, their registration and hours."""
    if not current_scope().can(MUTUAL_AID):
        return {"help_requests": [], "help_supporter": None}
    centres = centres_in_scope()
    query = select(HelpRequest).where(HelpRequest.resident_id == resident_id).order_by(HelpRequest.created_at.desc())
    if centres is not None:
        query = query.where(HelpRequest.centre_code.in_(sorted(centres)))
    supporter = db_session.scalars(select(Supporter).where(Supporter.resident_id == resident_id)).first()
    if supporter is not None and not supporter_visible(supporter):
        supporter = None
    return {"help_requests": list(db_session.scalars(query)), "help_supporter": supporter,
            "help_points": service(db_session).points_of(supporter) if supporter else None,
            "help_names": page_names()}


@bp.get("/mutual-aid")
@requires(MUTUAL_AID)
def help_board():  # noqa: ANN201
    """The SC's board for one area or all: open requests by age, offers waiting, overdue, supporters' load."""
    area = request.args.get("area") or None
    if area is not None and area not in {a.code for a in tsunagu().profile.areas}:
        area = None
    with transaction() as db_session:
        found = board(db_session, utcnow(), centres_in_scope(), area)
        found["load"] = [(s, taken) for s, taken in found["load"] if supporter_visible(s)]
        audit("mutual_aid.board", session=db_session, area=area or "", requests=len(found["waiting"]))
        today = city_today()
        zone = ZoneInfo(tsunagu().profile.timezone)
        return render_template("admin/mutual_aid/board.html", board=found, area=area, today=today,
                               days_waiting=lambda moment: (today - moment.astimezone(zone).date()).days,
                               **page_names())


@bp.get("/mutual-aid/requests/<dbid:request_id>")
@requires(MUTUAL_AID)
def help_request(request_id: int):  # noqa: ANN201
    with transaction() as db_session:
        found = request_in_scope(db_session, request_id)
        candidates = service(db_session).candidates(found) if current_scope().can(MATCH_HELP) else []
        offers = list(db_session.scalars(select(HelpOffer).where(HelpOffer.request_id == found.id)))
        audit("mutual_aid.request_view", found, session=db_session)
        return render_template("admin/mutual_aid/request.html", req=found, candidates=candidates, offers=offers,
                               done=service(db_session).done_of(found.id), **page_names())


def _act(request_id: int, action: str, do) -> Response:  # noqa: ANN001
    """Run one SC action on a request in scope, audited; deliver the pushes after commit."""
    try:
        with transaction() as db_session:
            found = request_in_scope(db_session, request_id)
            outbox = Outbox(db_session)
            do(service(db_session, outbox), found)
            audit(action, found, session=db_session)
            recipients = {row.to for row in outbox.queued}
    except MutualAidError:
        flash(gettext("この操作はできませんでした。状態を確かめてください。"), "error")
        return redirect(url_for("admin.help_request", request_id=request_id))
    deliver_notices(recipients)
    flash(gettext("記録しました。"), "success")
    return redirect(url_for("admin.help_request", request_id=request_id))


MAX_ID = 2**31 - 1  # a larger number is no row's id (and would overflow PostgreSQL's integer)


def _id(value: str | None) -> int | None:
    return int(value) if value and value.isascii() and value.isdigit() and 0 < int(value) <= MAX_ID else None


def _ids(field: str) -> list[int]:
    return [found for value in request.form.getlist(field) if (found := _id(value)) is not None]


@bp.post("/mutual-aid/requests/<dbid:request_id>/call")
@requires(MATCH_HELP)
def help_open_call(request_id: int):  # noqa: ANN201
    ids = _ids("supporter")
    return _act(request_id, "mutual_aid.open_call",
                lambda svc, found: svc.open_call(found.id, ids, current_user.id))


@bp.post("/mutual-aid/requests/<dbid:request_id>/assign")
@requires(MATCH_HELP)
def help_assign(request_id: int):  # noqa: ANN201
    ids = _ids("supporter")[:1] or [0]
    return _act(request_id, "mutual_aid.assign", lambda svc, found: svc.assign(found.id, ids[0], current_user.id))


@bp.post("/mutual-aid/requests/<dbid:request_id>/confirm")
@requires(MATCH_HELP)
def help_confirm(request_id: int):  # noqa: ANN201
    return _act(request_id, "mutual_aid.confirm", lambda svc, found: svc.confirm(found.id))


@bp.post("/mutual-aid/requests/<dbid:request_id>/done")
@requires(MATCH_HELP)
def help_done(request_id: int):  # noqa: ANN201
    hours = _posted_hours()
    return _act(request_id, "mutual_aid.done", lambda svc, found: svc.record_done(found.id, hours=hours, by="staff"))


def _posted_hours() -> float:
    """The hours typed on the form; 0 (which the service refuses) when they are not a number."""
    try:
        return float(request.form.get("hours", ""))
    except ValueError:
        return 0.0


@bp.post("/mutual-aid/requests/<dbid:request_id>/hours")
@requires(MATCH_HELP)
def help_hours(request_id: int):  # noqa: ANN201
    """The SC corrects the hours recorded (「終わりました」 on LINE, or by staff)."""
    hours = _posted_hours()
    return _act(request_id, "mutual_aid.hours", lambda svc, found: svc.correct_hours(found.id, hours))


@bp.post("/mutual-aid/requests/<dbid:request_id>/check")
@requires(MATCH_HELP)
def help_check(request_id: int):  # noqa: ANN201
    """The answer to 「お手伝いはいかがでしたか？」 the SC heard by phone or at the counter."""
    result = request.form.get("result", "")
    words = request.form.get("words", "")
    if result not in (HelpRequest.GOOD, HelpRequest.PROBLEM):
        flash(gettext("「良かった」か「問題があった」を選んでください。"), "error")
        return redirect(url_for("admin.help_request", request_id=request_id))
    return _act(request_id, "mutual_aid.check", lambda svc, found: svc.record_check(found.id, result, words))


@bp.post("/mutual-aid/requests/<dbid:request_id>/consultation")
@requires(MATCH_HELP)
def help_to_consultation(request_id: int):  # noqa: ANN201
    if request.form.get("agreed") != "yes":
        flash(gettext("ご本人の同意を確かめてから作成してください。"), "error")
        return redirect(url_for("admin.help_request", request_id=request_id))
    return _act(request_id, "mutual_aid.consultation", lambda svc, found: svc.to_consultation(found.id))


@bp.route("/mutual-aid/requests/new", methods=["GET", "POST"])
@requires(MATCH_HELP)
def help_request_new():  # noqa: ANN201
    """A request taken by phone or at the counter: the caller need not use LINE."""
    form = request.form
    if request.method == "POST":
        problems = []
        name = form.get("name", "").strip()
        if not name or len(name) > 100:
            problems.append(gettext("お名前を100文字以内で入力してください。"))
        try:
            phone = normalise_phone(form.get("phone", ""))
        except InvalidPhone:
            phone, _ = None, problems.append(gettext("電話番号を確かめてください。"))
        try:
            wanted = date.fromisoformat(form["wanted_on"]) if form.get("wanted_on") else None
        except ValueError:
            wanted, _ = None, problems.append(gettext("日付を確かめてください。"))
        area, areas = form.get("area", ""), areas_in_scope()
        if areas is not None and area not in areas:
            problems.append(gettext("担当の地区を選んでください。"))
        if not problems:
            try:
                with transaction() as db_session:
                    created = service(db_session).ask(
                        tasks=form.getlist("task"), area_code=area, details=form.get("details", "")[:2000],
                        wanted_on=wanted, frequency=form.get("frequency", "once"),
                        asked_by=form.get("asked_by", "self"), name=name, phone=phone, staff_id=current_user.id)
                    audit("mutual_aid.request_new", created, session=db_session)
                    created_id = created.id
                flash(gettext("記録しました。"), "success")
                return redirect(url_for("admin.help_request", request_id=created_id))
            except MutualAidError:
                problems.append(gettext("お手伝いの内容と地区を選んでください。"))
        for problem in problems:
            flash(problem, "error")
        return render_template("admin/mutual_aid/request_new.html", form=form, **page_names()), 400
    return render_template("admin/mutual_aid/request_new.html", form=form, **page_names())


@bp.get("/mutual-aid/supporters")
@requires(MATCH_HELP)
def help_supporters():  # noqa: ANN201
    """The supporter registry with statuses, skills, areas and groups."""
    with transaction() as db_session:
        supporters = [s for s in db_session.scalars(select(Supporter).order_by(Supporter.status, Supporter.name))
                      if supporter_visible(s)]
        groups = list(db_session.scalars(select(SupportGroup).order_by(SupportGroup.name)))
        services = list(db_session.scalars(select(LocalService).order_by(LocalService.id)))
        audit("mutual_aid.supporters", session=db_session, supporters=len(supporters))
        return render_template("admin/mutual_aid/supporters.html", supporters=supporters, groups=groups,
                               services=services, centres=_centre_choices(), **page_names())


def _centre_choices() -> list[tuple[str, str]]:
    """The centres a group may belong to: those in scope (every centre for the city's SC)."""
    profile, centres = tsunagu().profile, centres_in_scope()
    return [(c.code, names.centre_name(profile, c.code, short=True)) for c in profile.centres
            if centres is None or c.code in centres]


def _areas_allowed(codes: list[str]) -> bool:
    """The areas are the account's own; none (the whole city) only for the city's SC."""
    allowed = areas_in_scope()
    return allowed is None or (bool(codes) and set(codes) <= allowed)


@bp.post("/mutual-aid/groups")
@requires(MATCH_HELP)
def help_group_new():  # noqa: ANN201
    """Register a 住民支え合い活動グループ of the SC's areas."""
    form = request.form
    areas, centre = form.getlist("area"), form.get("centre", "")
    try:
        if not _areas_allowed(areas) or centre not in dict(_centre_choices()):
            raise MutualAidError("outside the scope")
        with transaction() as db_session:
            group = service(db_session).add_group(name=form.get("name", ""), centre_code=centre, area_codes=areas,
                                                  contact=form.get("contact", ""))
            audit("mutual_aid.group_new", session=db_session, group=group.id)
    except (MutualAidError, KeyError):
        flash(gettext("グループの名前・センター・地区を確かめてください。"), "error")
        return redirect(url_for("admin.help_supporters"), 303)
    flash(gettext("登録しました。"), "success")
    return redirect(url_for("admin.help_supporters"), 303)


@bp.post("/mutual-aid/services")
@requires(MATCH_HELP)
def help_service_new():  # noqa: ANN201
    """Add a 生活支援サービス (移動販売, 配達, 送迎…); residents find it on LINE with 「生活支援サービス」."""
    form = request.form
    areas = form.getlist("area")
    try:
        phone = normalise_phone(form["phone"]) if form.get("phone", "").strip() else ""
        if not _areas_allowed(areas):
            raise MutualAidError("outside the scope")
        with transaction() as db_session:
            entry = service(db_session).add_service(name=form.get("name", ""), kind=form.get("kind", ""),
                                                    area_codes=areas, description=form.get("description", ""),
                                                    phone=phone or "", staff_id=current_user.id)
            audit("mutual_aid.service_new", session=db_session, service=entry.id)
    except (MutualAidError, InvalidPhone):
        flash(gettext("サービスの名前・種類・地区・電話番号を確かめてください。"), "error")
        return redirect(url_for("admin.help_supporters", _anchor="services"), 303)
    flash(gettext("登録しました。"), "success")
    return redirect(url_for("admin.help_supporters", _anchor="services"), 303)


@bp.post("/mutual-aid/services/<dbid:service_id>/remove")
@requires(MATCH_HELP)
def help_service_remove(service_id: int):  # noqa: ANN201
    with transaction() as db_session:
        entry = db_session.get(LocalService, service_id)
        if entry is None or not _areas_allowed(list(entry.area_codes)):
            abort(404)
        db_session.delete(entry)
        audit("mutual_aid.service_remove", session=db_session, service=service_id)
    flash(gettext("削除しました。"), "success")
    return redirect(url_for("admin.help_supporters", _anchor="services"), 303)


@bp.post("/mutual-aid/supporters/<dbid:supporter_id>/approve")
@requires(MATCH_HELP)
def help_approve(supporter_id: int):  # noqa: ANN201
    group = request.form.get("group", "")
    try:
        with transaction() as db_session:
            if group and (_id(group) is None or db_session.get(SupportGroup, _id(group)) is None):
                raise MutualAidError("bad group")
            supporter_in_scope(db_session, supporter_id)
            approved = service(db_session).approve(supporter_id, current_user.id,
                                                   insurance=request.form.get("insurance", ""),
                                                   group_id=_id(group))
            audit("mutual_aid.approve", approved, session=db_session)
    except MutualAidError:
        flash(gettext("保険の加入状況を入力してください。"), "error")
    else:
        flash(gettext("記録しました。"), "success")
    return redirect(url_for("admin.help_supporters"))


@bp.post("/mutual-aid/supporters/<dbid:supporter_id>/status")
@requires(MATCH_HELP)
def help_supporter_status(supporter_id: int):  # noqa: ANN201
    """休止 or back to 活動中, 面談済み: the registry's status (活動中 only once approved)."""
    try:
        with transaction() as db_session:
            found = supporter_in_scope(db_session, supporter_id)
            service(db_session).set_status(supporter_id, request.form.get("status", ""))
            audit("mutual_aid.supporter_status", found, session=db_session, status=found.status)
    except MutualAidError:
        flash(gettext("この操作はできませんでした。状態を確かめてください。"), "error")
    else:
        flash(gettext("記録しました。"), "success")
    return redirect(url_for("admin.help_supporters"))


@bp.get("/mutual-aid/export.csv")
@requires(MATCH_HELP)
def help_export():  # noqa: ANN201
    """One month's hours and points per supporter, for a host organisation (or all)."""
    try:
        year, month = (int(part) for part in request.args.get("month", "").split("-"))
        date(year, month, 1)
        if not 2000 <= year <= 2100:
            raise ValueError(year)
    except ValueError:
        today = city_today()
        year, month = today.year, today.month
    group = request.args.get("group", "")
    with transaction() as db_session:
        body = service(db_session).monthly_csv(year, month, _id(group))
        audit("mutual_aid.export", session=db_session, month=f"{year}-{month:02d}")
    return Response("\ufeff" + body, mimetype="text/csv",
                    headers={"Content-Disposition": f"attachment; filename=points-{year}-{month:02d}.csv"})
