"""The notices pages as staff use them: compose, see reach, cost and LINE's quota before sending,
send, approve a large notice as a second member of staff, and read the results."""
from __future__ import annotations

from collections import Counter

import pytest
from sqlalchemy import select

from bot.models.notices import Notice
from tests.admin.support import page_text
from tests.notices_support import residents_with_settings
from tests.support import Worker


def notice_form(**overrides: object) -> dict:
    values = {"title": "小川のサロン再開", "text_ja": "小川公民館でサロンを再開します。", "topic": "salons",
              "timing": "now", "event_id": "", "image_url": "", "send_at": ""}
    values.update(overrides)
    return values


def stored(app) -> list[Notice]:  # noqa: ANN001
    with app.extensions["tsunagu"].db.transaction() as session:
        return list(session.scalars(select(Notice).order_by(Notice.id)))


def test_staff_compose_see_reach_cost_and_quota_then_send_and_read_results(app, line, as_centre_staff, audit_entries):
    users = residents_with_settings(app, 12)
    residents_with_settings(app, 3, topics=("health",), prefix="V")
    line.quota_limit, line.quota_used = 200, 50

    response = as_centre_staff.post("/admin/notices/new", notice_form(text_ja_Hira="さろんを また はじめます。"))
    assert response.status_code == 302
    page = page_text(as_centre_staff.get(response.location))

    assert "届く人数 12" in page
    assert "通数（月の上限に数えられる数） 12" in page
    assert "150 通（上限 200 通、使用 50 通）" in page
    assert "English の住民には やさしい日本語 で届きます。" in page
    [notice] = stored(app)
    response = as_centre_staff.post(f"/admin/notices/{notice.id}/send")
    Worker(app).drain()

    page = page_text(as_centre_staff.get(response.location))
    assert "配信済み 12" in page and "配信失敗 0" in page
    assert Counter(sent.to for sent in line.sent) == Counter({user: 1 for user in users})
    assert [e["action"] for e in audit_entries() if e["action"].startswith("notices.")] == [
        "notices.create", "notices.send"]


def test_a_large_notice_waits_for_a_second_member_of_staff(app, line, browser):
    residents_with_settings(app, 501)
    taira, coordinator = browser("taira"), browser("coordinator")
    location = taira.post("/admin/notices/new", notice_form()).location
    notice_id = stored(app)[0].id

    taira.post(f"/admin/notices/{notice_id}/send")
    assert "承認待ち" in page_text(taira.get(location))
    assert "承認して送信する" not in page_text(taira.get(location))
    assert taira.post(f"/admin/notices/{notice_id}/approve").status_code == 302
    assert stored(app)[0].status == Notice.AWAITING_APPROVAL

    coordinator.post(f"/admin/notices/{notice_id}/approve")
    Worker(app).drain()
    assert stored(app)[0].status == Notice.SENT
    assert len(line.sent) == 501


@pytest.mark.parametrize("field, value, message", [
    ("title", "", "入力してください"),
    ("text_ja", "", "入力してください"),
    ("topic", "weather", "選択肢が正しくありません"),
    ("image_url", "javascript:alert(1)", "https://"),
    ("event_id", "99999", "イベントが見つかりません"),
    ("event_id", "-3", "1 以上"),
    ("timing", "at", "送る日時"),
    ("send_at", "2030-13-45T99:00", "日時を正しく入力"),
])
def test_bad_values_are_refused_with_a_reason_and_nothing_is_saved(app, as_centre_staff, field, value, message):
    response = as_centre_staff.post("/admin/notices/new", notice_form(**{field: value}), follow_redirects=True)
    assert response.status_code == 200
    assert message in page_text(response) or message in response.get_data(as_text=True)
    assert stored(app) == []


def test_another_centres_notice_is_not_found(app, browser):
    location = browser("onahama").post("/admin/notices/new", notice_form()).location
    assert browser("taira").get(location).status_code == 404
    assert browser("coordinator").get(location).status_code == 200


def test_the_resident_page_shows_the_residents_notice_settings(app, browser, audit_entries):
    from tests.admin.records_support import submit_record, user_id
    from bot.models.notices import NoticeSetting
    from bot.models.intake import IntakeRecord

    record_id, _ = submit_record(app, area="taira", line_user=user_id(77))
    with app.extensions["tsunagu"].db.transaction() as session:
        resident_id = session.get(IntakeRecord, record_id).resident_id
        session.add(NoticeSetting(resident_id=resident_id, topics=["salons", "disaster"], areas=["ogawa"],
                                  stopped=False))

    page = page_text(browser("taira").get(f"/admin/residents/{resident_id}"))

    assert "お知らせの種類 サロン・イベント、防災 地区 小川" in page
    assert [e["action"] for e in audit_entries("residents.view")] == ["residents.view"]


def test_a_scheduled_notice_is_reserved_and_goes_out_when_its_time_comes(app, line, as_centre_staff):
    from datetime import timedelta

    from bot.models import utcnow
    from bot.tasks.notices import sweep_notices

    residents_with_settings(app, 2)
    at = (utcnow() + timedelta(days=2)).astimezone().strftime("%Y-%m-%dT%H:%M")
    location = as_centre_staff.post("/admin/notices/new", notice_form(timing="at", send_at=at)).location
    notice_id = stored(app)[0].id
    as_centre_staff.post(f"/admin/notices/{notice_id}/send")
    assert "予約済み" in page_text(as_centre_staff.get(location))

    tsunagu = app.extensions["tsunagu"]
    with app.app_context():
        assert sweep_notices(tsunagu, utcnow()) == []
    with tsunagu.db.transaction() as session:  # two days pass
        session.get(Notice, notice_id).send_at = utcnow() - timedelta(minutes=1)
    with app.app_context():
        assert sweep_notices(tsunagu, utcnow()) == [notice_id]
    Worker(app).drain()
    assert len(line.sent) == 2 and stored(app)[0].status == Notice.SENT
