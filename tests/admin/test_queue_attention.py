"""What needs doing, at a glance: unread resident replies, last activity, one's own records, counts on
the start page, and follow-up dates (次回確認日) with an overdue view."""
from __future__ import annotations

import re
from datetime import timedelta
from zoneinfo import ZoneInfo

from flask_babel import format_datetime
from sqlalchemy import func, select

from bot.models.intake import IntakeMessage
from tests.admin.records_support import move, submit_record, user_id
from tests.admin.support import table_rows


def row_of(person, receipt: str, query: str = "") -> str | None:  # noqa: ANN001
    return next((row for row in table_rows(person.get(f"/admin/records/?{query}")) if row.startswith(receipt)), None)


def counts(person) -> dict[str, int]:  # noqa: ANN001
    html = person.get("/admin/").get_data(as_text=True)
    return {name: int(value) for name, value in re.findall(r'data-count="(\w+)">(\d+)<', html)}


def replying_resident(app, chat, n: int):  # noqa: ANN001, ANN201
    """A resident whose consultation 平 has started on; returns (chat, record id, receipt)."""
    resident = chat(user_id=user_id(n))
    resident.follows()
    record_id, receipt = submit_record(app, line_user=user_id(n), area="taira")
    move(app, record_id, ("start", "centre_staff", {}))
    return resident, record_id, receipt


def test_a_reply_is_unread_for_each_member_of_staff_until_they_open_the_record(app, browser, chat) -> None:  # noqa: ANN001
    resident, record_id, receipt = replying_resident(app, chat, 8101)
    taira, coordinator = browser("taira"), browser("coordinator")
    taira.get(f"/admin/records/{record_id}")
    assert "未読の返信" not in row_of(taira, receipt)  # the consultation itself is no reply

    resident.says("明日は家にいます")

    assert "未読の返信" in row_of(taira, receipt)
    assert counts(taira)["unread"] == 1
    taira.get(f"/admin/records/{record_id}")
    assert "未読の返信" not in row_of(taira, receipt)
    assert counts(taira)["unread"] == 0
    assert "未読の返信" in row_of(coordinator, receipt)  # read by 平, not by the coordinator

    resident.says("午後からなら大丈夫です")
    assert "未読の返信" in row_of(taira, receipt)


def test_the_queue_shows_the_last_activity(app, browser, chat) -> None:  # noqa: ANN001
    resident, record_id, receipt = replying_resident(app, chat, 8102)
    resident.says("明日は家にいます")
    with app.extensions["tsunagu"].db.transaction() as session:
        last = session.scalar(select(func.max(IntakeMessage.created_at)).where(IntakeMessage.record_id == record_id))
    with app.test_request_context():
        shown = format_datetime(last.astimezone(ZoneInfo("Asia/Tokyo")), "short", rebase=False)
    html = browser("taira").get("/admin/records/").get_data(as_text=True)
    assert "最終更新" in html
    assert shown in row_of(browser("taira"), receipt)


def test_my_records_and_the_start_page_counts(app, browser, staff) -> None:  # noqa: ANN001
    mine, mine_receipt = submit_record(app, area="taira")
    _, other_receipt = submit_record(app, area="taira", urgency="now")
    submit_record(app, area="onahama")  # another centre's: counted nowhere for 平
    taira = browser("taira")
    taira.post(f"/admin/records/{mine}/assign", {"assign-assignee": str(staff["taira"].id)})

    assert [row.split()[0] for row in table_rows(taira.get("/admin/records/?assignee=me"))] == [mine_receipt]
    assert counts(taira) == {"mine": 1, "unread": 0, "urgent": 1, "new": 2, "overdue": 0}
    assert counts(browser("coordinator"))["new"] == 3
    assert "data-count" not in browser("admin").get("/admin/").get_data(as_text=True)
    assert other_receipt in row_of(taira, other_receipt)


def test_a_follow_up_date_puts_the_record_in_the_overdue_view_from_that_day(app, browser, clock) -> None:  # noqa: ANN001
    today = clock.now.astimezone(ZoneInfo("Asia/Tokyo")).date()
    due = {day: submit_record(app, area="taira") for day in (today - timedelta(days=1), today, today + timedelta(days=1))}
    _, without_receipt = submit_record(app, area="taira")
    taira = browser("taira")
    for day, (record_id, _) in due.items():
        response = taira.post(f"/admin/records/{record_id}/follow-up", {"follow_up-on": day.isoformat()})
        assert response.status_code == 302
    assert "次回確認日を設定しました。" in taira.get(response.location).get_data(as_text=True)

    overdue = [row.split()[0] for row in table_rows(taira.get("/admin/records/?due=overdue"))]
    assert sorted(overdue) == sorted(due[day][1] for day in (today - timedelta(days=1), today))
    assert counts(taira)["overdue"] == 2
    assert "確認日" in row_of(taira, due[today][1]) and "確認日" not in row_of(taira, without_receipt)

    taira.post(f"/admin/records/{due[today][0]}/follow-up", {"follow_up-on": ""})  # cleared
    assert row_of(taira, due[today][1], "due=overdue") is None
    assert counts(taira)["overdue"] == 1


def test_a_follow_up_date_is_checked_and_kept_within_scope(app, browser) -> None:  # noqa: ANN001
    record_id, _ = submit_record(app, area="taira")
    assert browser("taira").post(f"/admin/records/{record_id}/follow-up", {"follow_up-on": "明日"}).status_code == 400
    assert browser("taira").post(f"/admin/records/{record_id}/follow-up", {"follow_up-on": "99999-01-01"}).status_code == 400
    assert browser("onahama").post(f"/admin/records/{record_id}/follow-up",
                                   {"follow_up-on": "2030-01-01"}).status_code == 404


def test_a_support_plan_due_for_review_is_in_the_overdue_view(app, browser, clock) -> None:  # noqa: ANN001
    today = clock.now.astimezone(ZoneInfo("Asia/Tokyo")).date()
    plan = {"plan-policy": "世帯を訪問する", "plan-agencies": ["comprehensive"]}
    (due, due_receipt), (later, later_receipt) = submit_record(app, area="taira"), submit_record(app, area="taira")
    coordinator = browser("coordinator")
    for record_id, day in ((due, today), (later, today + timedelta(days=30))):
        move(app, record_id, ("escalate", "centre_staff", {"reason": "8050の世帯"}))
        response = coordinator.post(f"/admin/records/{record_id}/plan", {**plan, "plan-review_on": day.isoformat()})
        assert response.status_code == 302

    overdue = [row.split()[0] for row in table_rows(coordinator.get("/admin/records/?due=overdue"))]
    assert due_receipt in overdue and later_receipt not in overdue
