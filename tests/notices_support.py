"""What the notice tests share: residents with settings, a notice composed and queued as staff would."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from bot.models import Resident, utcnow
from bot.models.notices import Notice, NoticeSetting
from bot.services.notices import NoticeService
from tests.events_support import tsunagu_of


def residents_with_settings(app, count: int, *, topics=("salons",), area="taira", locale="ja",  # noqa: ANN001
                            prefix: str = "U") -> list[str]:
    """``count`` following residents who asked for ``topics``; returns their LINE user ids."""
    tsunagu = tsunagu_of(app)
    ids = [f"{prefix}{n:032x}"[:33] for n in range(count)]
    with tsunagu.db.transaction() as session:
        session.add_all(Resident(line_user_id=user, locale=locale, area_code=area, is_following=True) for user in ids)
        session.flush()
        rows = session.execute(select(Resident.id).where(Resident.line_user_id.in_(ids))).scalars()
        session.add_all(NoticeSetting(resident_id=rid, topics=list(topics), areas=[], stopped=False) for rid in rows)
    return ids


def compose(app, *, send: bool = True, staff_id: int | None = None, now: datetime | None = None,  # noqa: ANN001
            approval_over: object = "profile", **fields: object) -> int:
    """A notice saved (and sent now) through the service, as the admin page does; returns its id."""
    tsunagu = tsunagu_of(app)
    values = {"title": "サロンのお知らせ", "texts": {"ja": "小川でサロンを開きます。"}, "topic": "salons", "areas": [],
              "languages": [], "essential": False, "event_id": None, "image_url": None, "repeat": Notice.ONCE,
              "send_at": None}
    values.update(fields)
    with tsunagu.db.transaction() as session:
        service = NoticeService(session, tsunagu.profile)
        notice = service.save(Notice(), **values)
        if approval_over is None:  # the approval asked for whatever the size
            notice.created_by = staff_id
            notice.status = Notice.AWAITING_APPROVAL
        elif send:
            service.request_send(notice, staff_id, now or utcnow())
        return notice.id


def results(app, notice_id: int) -> dict[str, int]:  # noqa: ANN001
    tsunagu = tsunagu_of(app)
    with tsunagu.db.transaction() as session:
        return NoticeService(session, tsunagu.profile).results(session.get(Notice, notice_id), utcnow())


def staff_account(app, email: str, role: str = "coordinator", centres=()) -> int:  # noqa: ANN001
    """A member of staff (without logging in), for approvals; returns their id."""
    from admin.accounts import StaffAccounts

    tsunagu = tsunagu_of(app)
    with app.app_context(), tsunagu.db.transaction() as session:
        account = StaffAccounts(session, tsunagu.profile, app.extensions["tsunagu_admin"].passwords).create(
            email=email, name="職員", role=role, centres=centres, password="correct-horse-battery")
        return account.id


def approve(app, notice_id: int, staff_id: int) -> None:  # noqa: ANN001
    tsunagu = tsunagu_of(app)
    with tsunagu.db.transaction() as session:
        NoticeService(session, tsunagu.profile).approve(session.get(Notice, notice_id), staff_id, utcnow())
