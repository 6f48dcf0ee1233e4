"""Sending notices: batches of 500, one retry key each, retries, the weekly cap, approval and the schedule."""
from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from bot.models import utcnow
from bot.models.notices import Notice, NoticeBatch
from bot.services.notices import NoticeError, NoticeService, figures, monthly_next
from bot.tasks.notices import send_notice, sweep_notices
from tests.events_support import tsunagu_of
from tests.notices_support import approve, compose, residents_with_settings, results, staff_account

TOKYO = timezone(timedelta(hours=9))


def send(app, worker, notice_id: int) -> None:  # noqa: ANN001
    with app.app_context():
        send_notice(notice_id)
    worker.drain()


def batches(app, notice_id: int) -> list[NoticeBatch]:  # noqa: ANN001
    with tsunagu_of(app).db.transaction() as session:
        return list(session.scalars(select(NoticeBatch).where(NoticeBatch.notice_id == notice_id)
                                    .order_by(NoticeBatch.id)))


def status_of(app, notice_id: int) -> str:  # noqa: ANN001
    with tsunagu_of(app).db.transaction() as session:
        return session.get(Notice, notice_id).status


def received(line) -> Counter:  # noqa: ANN001
    return Counter(sent.to for sent in line.sent)


def test_1200_residents_get_three_multicasts_each_with_its_stored_retry_key(app, line, worker):
    users = residents_with_settings(app, 1200)
    notice_id = compose(app, staff_id=None)
    assert status_of(app, notice_id) == Notice.AWAITING_APPROVAL  # above the profile's 500
    assert batches(app, notice_id) == []

    approve(app, notice_id, staff_account(app, "second@city.example.jp"))
    assert [len(b.recipients) for b in batches(app, notice_id)] == [500, 500, 200]
    send(app, worker, notice_id)

    assert received(line) == Counter({user: 1 for user in users})
    assert line.multicast_requests == 3
    assert {s.retry_key for s in line.sent} == {b.retry_key for b in batches(app, notice_id)}
    assert status_of(app, notice_id) == Notice.SENT
    assert results(app, notice_id)["delivered"] == 1200


def test_429_and_500_are_retried_and_a_timeout_after_delivery_is_not_sent_twice(app, line, worker):
    users = residents_with_settings(app, 700)
    line.inject_failures("/message/multicast", 429, 500, "timeout_after_delivery")
    notice_id = compose(app, approval_over=None)
    approve(app, notice_id, staff_account(app, "second@city.example.jp"))

    send(app, worker, notice_id)

    assert received(line) == Counter({user: 1 for user in users})
    assert results(app, notice_id) | {"pending": 0} == {"delivered": 700, "failed": 0, "pending": 0, "opened": 0,
                                                         "signed_up": 0, "blocked": 0}
    assert any("already accepted" in (b.last_error or "") for b in batches(app, notice_id))


def test_a_batch_refused_for_good_is_counted_as_failed(app, line, worker):
    residents_with_settings(app, 3)
    line.inject_failures("/message/multicast", 400)
    notice_id = compose(app)
    send(app, worker, notice_id)
    assert results(app, notice_id)["failed"] == 3
    assert status_of(app, notice_id) == Notice.SENT


def test_the_composer_cannot_approve_their_own_large_notice(app):
    residents_with_settings(app, 501)
    composer = staff_account(app, "composer@city.example.jp")
    notice_id = compose(app, staff_id=composer)
    with pytest.raises(NoticeError):
        approve(app, notice_id, composer)
    assert batches(app, notice_id) == []


def test_the_weekly_cap_keeps_a_resident_from_more_than_three_notices(app, line, worker):
    [user] = residents_with_settings(app, 1)
    ids = [compose(app, title=f"お知らせ{n}") for n in range(4)]
    for notice_id in ids:
        send(app, worker, notice_id)
    assert received(line)[user] == 3
    essential = compose(app, essential=True, title="避難のお知らせ", topic="disaster")
    send(app, worker, essential)
    assert received(line)[user] == 4


def test_a_scheduled_notice_waits_for_its_time_and_a_monthly_one_comes_back(app, line, worker):
    [user] = residents_with_settings(app, 1)
    first_monday = datetime(2026, 1, 5, 10, 0, tzinfo=TOKYO)  # 第1月曜日
    notice_id = compose(app, repeat=Notice.MONTHLY, send_at=first_monday, now=first_monday - timedelta(days=1))
    tsunagu = tsunagu_of(app)
    assert status_of(app, notice_id) == Notice.SCHEDULED

    with app.app_context():
        assert sweep_notices(tsunagu, first_monday - timedelta(minutes=1)) == []
        assert sweep_notices(tsunagu, first_monday) == [notice_id]
    worker.drain()

    assert received(line)[user] == 1
    with tsunagu.db.transaction() as session:
        notice = session.get(Notice, notice_id)
        assert (notice.status, notice.send_at.astimezone(TOKYO)) == (
            Notice.SCHEDULED, datetime(2026, 2, 2, 10, 0, tzinfo=TOKYO))  # 2月の第1月曜日


def test_monthly_next_keeps_the_week_and_weekday():
    second_tuesday = datetime(2030, 1, 8, 14, 0, tzinfo=TOKYO)
    assert monthly_next(second_tuesday, second_tuesday, TOKYO).date().isoformat() == "2030-02-12"


def test_figures_count_notices_and_recipients(app, line, worker):
    residents_with_settings(app, 4)
    send(app, worker, compose(app))
    today = utcnow().astimezone(TOKYO).date()
    with tsunagu_of(app).db.transaction() as session:
        rows = dict(figures(session, today, today, None))
        assert dict(figures(session, today, today, ["hirakata"]))["送信したお知らせ"] == 0
    assert rows == {"送信したお知らせ": 1, "お知らせの宛先（人）": 4, "お知らせの配信済み（人）": 4,
                    "お知らせの配信失敗（人）": 0}


def test_demo_residents_have_notice_settings_once(app):
    from bot.cli import DEMO_LOADERS
    from bot.demo.notices import DEMO_RESIDENTS, load

    assert load in DEMO_LOADERS
    first, again = load(app), load(app)
    assert first == [f"notices: {len(DEMO_RESIDENTS)} residents with notice settings, one draft notice"]
    assert again == ["notices: settings already present"]
    with tsunagu_of(app).db.transaction() as session:
        notice = session.scalars(select(Notice)).one()
        preview = NoticeService(session, tsunagu_of(app).profile).preview(notice)
    assert preview.reach == 1  # the son who chose his mother's 小川
