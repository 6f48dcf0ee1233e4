"""No overbooking: many residents signing up and cancelling at once for a few seats.

The real test needs PostgreSQL (row locks, parallel transactions): run the
suite with DATABASE_URL=postgresql+psycopg://... On SQLite a smaller
threaded version runs, where the write lock serialises the transactions.
"""
from __future__ import annotations

import os
import random
import threading
import time

import pytest
from sqlalchemy import func, select

from bot.models import Event, SignUp
from bot.services.events import EventService
from bot.tasks.inbox import process_source
from tests.events_support import create_event, resident, tsunagu_of

PG_ONLY = pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgresql"),
    reason="PostgreSQL concurrency test: set DATABASE_URL=postgresql+psycopg://... to run it "
    "(the SQLite variants below run instead)",
)


class SeatMonitor(threading.Thread):
    """Reads the seats taken over and over while the others work; remembers the highest."""

    def __init__(self, app, event_id: int) -> None:  # noqa: ANN001
        super().__init__(daemon=True)
        self.db = tsunagu_of(app).db
        self.event_id = event_id
        self.highest = 0
        self.readings = 0
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.is_set():
            with self.db.engine.connect() as connection:
                taken = connection.scalar(
                    select(func.coalesce(func.sum(SignUp.party_size), 0)).where(
                        SignUp.event_id == self.event_id, SignUp.status.in_(SignUp.HOLDING_SEATS)
                    )
                )
            self.highest = max(self.highest, int(taken))
            self.readings += 1
            time.sleep(0.001)


def run_together(jobs: list) -> list[BaseException]:  # noqa: ANN001
    """Run the callables in threads released at the same moment; return what they raised."""
    start = threading.Barrier(len(jobs))
    errors: list[BaseException] = []

    def run(job) -> None:  # noqa: ANN001
        start.wait()
        try:
            job()
        except BaseException as error:  # noqa: BLE001
            errors.append(error)

    threads = [threading.Thread(target=run, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert not any(thread.is_alive() for thread in threads), "a thread hung (deadlock?)"
    return errors


def sign_up_job(app, event_id: int, user: str, party: int):  # noqa: ANN001, ANN201
    tsunagu = tsunagu_of(app)

    def job() -> None:
        with tsunagu.db.transaction() as session:
            EventService(session, tsunagu.profile).sign_up(
                event_id, resident=resident(session, user), party_size=party, name=user[-6:]
            )

    return job


def cancel_job(app, signup_id: int, user: str):  # noqa: ANN001, ANN201
    tsunagu = tsunagu_of(app)

    def job() -> None:
        with tsunagu.db.transaction() as session:
            EventService(session, tsunagu.profile).cancel_signup(signup_id, resident=resident(session, user))

    return job


def all_signups(app, event_id: int) -> list[SignUp]:  # noqa: ANN001
    with tsunagu_of(app).db.transaction() as session:
        return list(session.scalars(select(SignUp).where(SignUp.event_id == event_id).order_by(SignUp.id)))


def check_invariants(app, event_id: int, *, single_seats: bool) -> None:  # noqa: ANN001
    signups = all_signups(app, event_id)
    with tsunagu_of(app).db.transaction() as session:
        capacity = session.get(Event, event_id).capacity
    taken = sum(s.party_size for s in signups if s.status in SignUp.HOLDING_SEATS)
    waiting = sorted((s for s in signups if s.status == SignUp.WAITING), key=lambda s: s.waiting_position)
    assert taken <= capacity
    # Positions stay 1, 2, 3... in the order people joined.
    assert [s.waiting_position for s in waiting] == list(range(1, len(waiting) + 1))
    assert [s.id for s in waiting] == sorted(s.id for s in waiting)
    # Nobody waits while a seat they would fit in is free.
    assert all(s.party_size > capacity - taken for s in waiting)
    if single_seats:
        # With one seat per sign-up the list moves strictly in order: everyone
        # confirmed joined before everyone still waiting.
        confirmed = [s for s in signups if s.status == SignUp.CONFIRMED]
        if confirmed and waiting:
            assert max(s.created_at for s in confirmed) < min(s.created_at for s in waiting)


def contention(app, *, residents: int, capacity: int, max_party: int, cancellers: int, latecomers: int, seed: int) -> None:  # noqa: ANN001
    """Sign up ``residents`` at once; then cancel and sign up more at once, while a monitor watches the seats."""
    rng = random.Random(seed)
    event_id = create_event(app, capacity=capacity, max_party_size=max_party)
    monitor = SeatMonitor(app, event_id)
    monitor.start()
    try:
        users = [f"U{n:032x}" for n in range(residents)]
        errors = run_together([sign_up_job(app, event_id, user, rng.randint(1, max_party)) for user in users])
        assert errors == []
        check_invariants(app, event_id, single_seats=max_party == 1)

        signups = all_signups(app, event_id)
        confirmed = [s for s in signups if s.status == SignUp.CONFIRMED]
        waiting = [s for s in signups if s.status == SignUp.WAITING]
        leaving = confirmed + rng.sample(waiting, min(cancellers, len(waiting)))
        newcomers = [f"V{n:032x}" for n in range(latecomers)]
        jobs = [cancel_job(app, s.id, _user_of(app, s.id)) for s in leaving]
        jobs += [sign_up_job(app, event_id, user, rng.randint(1, max_party)) for user in newcomers]
        rng.shuffle(jobs)
        errors = run_together(jobs)
        assert errors == []
        check_invariants(app, event_id, single_seats=max_party == 1)
    finally:
        monitor.done.set()
        monitor.join(10)
    assert monitor.readings > 0
    assert monitor.highest <= capacity


def _user_of(app, signup_id: int) -> str:  # noqa: ANN001
    with tsunagu_of(app).db.transaction() as session:
        return session.get(SignUp, signup_id).resident.line_user_id


@PG_ONLY
def test_postgresql_many_sign_ups_and_cancellations_never_overbook(app):
    contention(app, residents=60, capacity=6, max_party=2, cancellers=15, latecomers=30, seed=1)


@PG_ONLY
def test_postgresql_single_seat_sign_ups_keep_the_waiting_list_order(app):
    contention(app, residents=50, capacity=5, max_party=1, cancellers=10, latecomers=25, seed=2)


def test_sqlite_threads_signing_up_and_cancelling_never_overbook(app):
    contention(app, residents=12, capacity=3, max_party=2, cancellers=3, latecomers=6, seed=3)


def test_sqlite_single_seat_sign_ups_keep_the_waiting_list_order(app):
    contention(app, residents=10, capacity=3, max_party=1, cancellers=2, latecomers=5, seed=4)


# -- the same through LINE: residents all tap 申し込む at the same moment -------------------


def test_residents_submitting_at_once_each_get_a_confirmation_or_a_waiting_position(app, chat, line, worker):
    residents = 16 if tsunagu_of(app).db.url.startswith("postgresql") else 8
    capacity = residents // 4
    event_id = create_event(app, capacity=capacity, max_party_size=1)
    chats = []
    for n in range(residents):
        resident_chat = chat(f"U{n:032x}", display_name=f"住民{n}")
        resident_chat.follows()
        resident_chat.taps(f"events:apply:{event_id}")
        resident_chat.tap_chip(f"住民{n}")
        resident_chat.tap_chip("電話番号なし")
        chats.append(resident_chat)
    for resident_chat in chats:  # stored and queued, not yet processed
        resident_chat.taps("events:submit", drain=False)
    errors = run_together([lambda user=c.user_id: process_source.call_local(user) for c in chats])
    worker.drain()
    assert errors == []

    answers = [resident_chat.last_text() for resident_chat in chats]
    assert not any("システムの不具合" in answer for answer in answers)
    confirmed = [a for a in answers if a.startswith("お申し込みを受け付けました。")]
    waiting = sorted(a.split("キャンセル待ち")[1].split("番目")[0] for a in answers if a.startswith("満席のため"))
    assert len(confirmed) == capacity
    assert sorted(map(int, waiting)) == list(range(1, residents - capacity + 1))
    check_invariants(app, event_id, single_seats=True)
