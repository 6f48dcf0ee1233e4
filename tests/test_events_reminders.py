"""Reminders the day before: at the configured time, to confirmed residents, exactly once."""
from __future__ import annotations

import threading
from datetime import timedelta

from sqlalchemy import func, select

from bot.tasks.delivery import deliver_to
from bot.tasks.events import deliver_notices, event_reminders, send_due_reminders, send_event_reminders_now
from bot.tasks.sweep import sweep_now
from bot.models import OutboundMessage, SignUp, utcnow
from bot.services.events import EventService
from tests.events_support import Clock, create_event, days_ahead, draft, resident, tokyo, tsunagu_of
from tests.support import Worker


def reminders_to(line, user_id: str) -> list[str]:  # noqa: ANN001
    return [text for text in line.texts_to(user_id) if text.startswith("【開催のご案内】")]


def setup_event(app, *, confirmed: int, waiting: int = 0, starts_at=None) -> tuple[int, list[str]]:  # noqa: ANN001
    """An event on 2030-06-06 10:00 with ``confirmed`` residents and ``waiting`` more on the list."""
    tsunagu = tsunagu_of(app)
    clock = Clock(tokyo(2030, 6, 1, 9))
    users = [f"U{n:032d}" for n in range(confirmed + waiting)]
    with tsunagu.db.transaction() as session:
        events = EventService(session, tsunagu.profile, clock)
        event = events.create_event(draft(starts_at=starts_at or tokyo(2030, 6, 6, 10), capacity=confirmed,
                                          max_party_size=1, what_to_bring="上履き"))
        for user in users:
            events.sign_up(event.id, resident=resident(session, user), party_size=1, name=user[-4:])
        return event.id, users


def test_reminders_go_out_the_day_before_at_the_configured_time_to_confirmed_residents(app, line, worker):
    event_id, users = setup_event(app, confirmed=3, waiting=1)
    tsunagu = tsunagu_of(app)
    with tsunagu.db.transaction() as session:
        session.scalars(select(SignUp).where(SignUp.event_id == event_id)).first().resident.blocked_at = utcnow()
        EventService(session, tsunagu.profile).add_signup_by_hand(event_id, name="電話の方", party_size=1)

    assert send_event_reminders_now(tsunagu, tokyo(2030, 6, 5, 9, 59)) == set()
    recipients = send_event_reminders_now(tsunagu, tokyo(2030, 6, 5, 10, 0))
    worker.drain()

    blocked, first, second, waiting = users
    assert recipients == {first, second}
    assert reminders_to(line, blocked) == [] and reminders_to(line, waiting) == []
    [reminder] = reminders_to(line, first)
    assert "「ふれあいサロン」" in reminder
    assert "日時：6月6日(木) 10:00〜12:00" in reminder
    assert "会場：平 中央公民館（いわき市平字中央1-1）" in reminder
    assert "持ち物：上履き" in reminder

    # Later runs the same day send nothing again.
    assert send_event_reminders_now(tsunagu, tokyo(2030, 6, 5, 10, 5)) == set()
    assert send_event_reminders_now(tsunagu, tokyo(2030, 6, 5, 18, 0)) == set()
    worker.drain()
    assert len(reminders_to(line, first)) == 1


def test_the_reminder_time_is_configurable(make_app, line, worker):
    app = make_app(EVENT_REMINDER_HOUR=18, EVENT_REMINDER_MINUTE=30)
    setup_event(app, confirmed=1)
    tsunagu = tsunagu_of(app)
    assert send_event_reminders_now(tsunagu, tokyo(2030, 6, 5, 18, 29)) == set()
    assert len(send_event_reminders_now(tsunagu, tokyo(2030, 6, 5, 18, 30))) == 1


def test_a_worker_that_was_down_catches_up_before_the_event_but_not_after(app, line, worker):
    event_id, users = setup_event(app, confirmed=1)
    tsunagu = tsunagu_of(app)
    assert send_event_reminders_now(tsunagu, tokyo(2030, 6, 6, 10, 1)) == set()  # it has started
    assert send_event_reminders_now(tsunagu, tokyo(2030, 6, 6, 7, 0)) == set(users)  # the morning of the day


def test_sign_ups_confirmed_after_the_reminder_time_are_not_reminded(app, line, worker):
    event_id, users = setup_event(app, confirmed=1, waiting=1)
    tsunagu = tsunagu_of(app)
    late = Clock(tokyo(2030, 6, 5, 20))
    with tsunagu.db.transaction() as session:
        signup = session.scalars(select(SignUp).where(SignUp.event_id == event_id, SignUp.status == "confirmed")).one()
        events = EventService(session, tsunagu.profile, late)
        events.cancel_signup(signup.id, resident=signup.resident)
        promoted = events.notified_recipients
    deliver_notices(promoted)
    assert send_event_reminders_now(tsunagu, tokyo(2030, 6, 5, 20, 5)) == set()  # promoted at 20:00
    worker.drain()
    assert any("参加が確定しました" in text for text in line.texts_to(users[1]))


def test_two_workers_running_the_task_at_once_send_each_reminder_once(make_app, line):
    first_app = make_app()
    second_app = make_app()  # another process on another machine, same database
    event_id, users = setup_event(first_app, confirmed=40)
    now = tokyo(2030, 6, 5, 10, 0)
    start = threading.Barrier(4)
    results, errors = [], []

    def run(app) -> None:  # noqa: ANN001
        start.wait()
        try:
            for _ in range(3):
                results.append(send_due_reminders(tsunagu_of(app), now))
        except Exception as error:  # noqa: BLE001
            errors.append(error)

    threads = [threading.Thread(target=run, args=(app,)) for app in (first_app, second_app, first_app, second_app)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == []
    claimed = [user for batch in results for user in batch]
    assert sorted(claimed) == sorted(users)  # each recipient claimed by exactly one worker run

    tsunagu = tsunagu_of(first_app)
    with tsunagu.db.transaction() as session:
        queued = session.scalar(
            select(func.count()).select_from(OutboundMessage).where(OutboundMessage.purpose == "event_reminder")
        )
    assert queued == 40
    for user in users:
        deliver_to(user)
    Worker(first_app).drain()
    assert all(len(reminders_to(line, user)) == 1 for user in users)


def test_a_restarted_worker_does_not_send_again_and_the_sweeper_delivers_what_was_queued(make_app, line):
    app = make_app()
    event_id, users = setup_event(app, confirmed=2)
    now = tokyo(2030, 6, 5, 10, 0)
    # The first worker claims and queues, then dies before delivering.
    assert send_due_reminders(tsunagu_of(app), now) == set(users)
    assert line.sent == []

    restarted = make_app()
    tsunagu = tsunagu_of(restarted)
    assert send_event_reminders_now(tsunagu, now + timedelta(minutes=5)) == set()
    sweep_now(tsunagu, datetime_now=utcnow() + timedelta(minutes=5))
    Worker(restarted).drain()
    assert [len(reminders_to(line, user)) for user in users] == [1, 1]


def test_the_periodic_task_sends_reminders_for_tomorrow(make_app, line):
    app = make_app(EVENT_REMINDER_HOUR=0)  # always past on the day before
    event_id = create_event(app, starts_at=days_ahead(1, 14))
    tsunagu = tsunagu_of(app)
    with tsunagu.db.transaction() as session:
        EventService(session, tsunagu.profile, Clock(utcnow() - timedelta(days=1))).sign_up(
            event_id, resident=resident(session, "U" + "c" * 32), party_size=1, name="花子"
        )
    with app.app_context():
        event_reminders.call_local()
    Worker(app).drain()
    assert len(reminders_to(line, "U" + "c" * 32)) == 1
