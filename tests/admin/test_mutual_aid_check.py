"""The SC reads the residents' answers to the check after the help: 問題があった first and highlighted, audited."""
from __future__ import annotations

from sqlalchemy import select

from bot.models import HelpDone, HelpRequest
from tests.admin.support import page_text
from tests.admin.test_mutual_aid import log_in_sc
from tests.events_support import tsunagu_of
from tests.test_mutual_aid_check import helped


def test_a_problem_after_the_help_is_highlighted_for_the_sc(app, chat, audit_entries):
    content = helped(app, chat, "U" + "p" * 32)
    content.tap_chip("良かった")
    with tsunagu_of(app).db.transaction() as session:  # a second request, done for the same resident
        first = session.get(HelpRequest, content.request_id)
        second = HelpRequest(resident_id=first.resident_id, tasks=["bulb"], area_code="taira", centre_code="taira",
                             status="done", supporter_id=first.supporter_id, done_at=first.done_at,
                             checked_at=first.checked_at)
        session.add(second)
        session.flush()
        second_id = second.id
    content.says("来てくれた方が失礼なことを言いました")
    sc = log_in_sc(app)
    board = sc.get("/admin/mutual-aid")
    assert board.status_code == 200
    html = board.get_data(as_text=True)
    section = html[html.index('id="checks"'):]
    assert section.index("問題があった") < section.index("良かった")  # the problem first
    assert 'class="flag-danger"' in section
    assert "失礼" not in page_text(board)  # the words only on the request page, where the read is audited
    page = sc.get(f"/admin/mutual-aid/requests/{second_id}")
    assert "問題があった" in page_text(page) and "来てくれた方が失礼なことを言いました" in page_text(page)
    assert 'id="request-check" class="flag-danger"' in page.get_data(as_text=True)
    assert "良かった" in page_text(sc.get(f"/admin/mutual-aid/requests/{content.request_id}"))
    views = audit_entries("mutual_aid.request_view")
    assert len(views) == 2
    assert "失礼" not in str(audit_entries())


def test_the_sc_corrects_the_hours_a_supporter_recorded(app, chat, audit_entries):
    content = helped(app, chat, "U" + "q" * 32)  # recorded as 1 hour
    sc = log_in_sc(app)
    page = sc.get(f"/admin/mutual-aid/requests/{content.request_id}")
    assert "記録した活動時間：1時間（100ポイント）" in page_text(page)
    for bad in ("abc", "0", "-1", "13", "nan", "inf", ""):
        assert sc.post(f"/admin/mutual-aid/requests/{content.request_id}/hours", {"hours": bad}).status_code == 302
    with tsunagu_of(app).db.transaction() as session:
        done = session.scalars(select(HelpDone)).one()
        assert (done.hours, done.points) == (1, 100)  # bad values change nothing
    sc.post(f"/admin/mutual-aid/requests/{content.request_id}/hours", {"hours": "2.5"})
    with tsunagu_of(app).db.transaction() as session:
        done = session.scalars(select(HelpDone)).one()
        assert (done.hours, done.points) == (2.5, 250)
    assert "記録した活動時間：2.5時間（250ポイント）" in page_text(sc.get(f"/admin/mutual-aid/requests/{content.request_id}"))
    assert len(audit_entries("mutual_aid.hours")) == 1
