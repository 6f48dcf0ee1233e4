"""Redelivery storm: LINE delivers every event two or three times, out of order.

Residents walk through a consultation and a salon sign-up while each of
their events arrives again and again (with ``isRedelivery`` on some copies),
shuffled with other residents' events and with old events redelivered
late. Nothing is recorded, answered or signed up twice.
"""
from __future__ import annotations

import random
import time
from collections import Counter

import pytest
from sqlalchemy import func, select

from bot.models import InboxEvent, OutboundMessage
from bot.models.events import SignUp
from bot.models.intake import IntakeRecord
from tests.conftest import CHANNEL_SECRET
from tests.events_support import create_event
from tests.faults.harness import FaultFigures, redelivered
from tests.support import Chat, event_envelope, post_events

pytestmark = pytest.mark.faults

RESIDENTS = 6
STORY = "母の介護で仕事を休みがちです。お金のことも心配です。"


class StormChat(Chat):
    """A resident whose events are collected for the storm instead of posted at once."""

    def __init__(self, *args, **kwargs) -> None:  # noqa: ANN002, ANN003
        super().__init__(*args, **kwargs)
        self.outgoing: list[dict] = []

    def send(self, event_type: str, *, reply: bool = True, drain: bool = True, **fields):  # noqa: ANN003, ANN201
        token = self.line.issue_reply_token(self.user_id) if reply else None
        event = event_envelope(event_type, self.user_id, reply_token=token, **fields)
        self.outgoing.append(event)
        return event


def steps(event_id: int) -> list:
    return [
        lambda r: r.follows(),
        lambda r: r.tap_chip("相談する"),
        lambda r: r.tap_chip("家族"),
        lambda r: r.tap_chip("子ども"),
        lambda r: r.tap_chip("わからない"),
        lambda r: r.tap_chip("介護・高齢"),
        lambda r: r.tap_chip("お金・生活の困りごと"),
        lambda r: r.tap_chip("次へ"),
        lambda r: r.tap_chip("小名浜"),
        lambda r: r.says(STORY),
        lambda r: r.tap_chip("次へ"),
        lambda r: r.tap_chip("数日以内"),
        lambda r: r.tap_chip("電話で"),
        lambda r: r.says("090-1234-5678"),
        lambda r: r.tap_chip("平日の午前"),
        lambda r: r.tap_chip("同意する"),
        lambda r: r.tap_chip("送信する"),
        lambda r: r.taps(f"events:apply:{event_id}"),
        lambda r: r.tap_chip("1名"),
        lambda r: r.tap_chip(r.chips()[0]),
        lambda r: r.tap_chip("電話番号なし"),
        lambda r: r.tap_chip("申し込む"),
    ]


def test_a_redelivery_storm_records_answers_and_signs_up_each_thing_once(app, client, line, worker):
    started = time.monotonic()
    chance = random.Random(3)
    event_id = create_event(app, capacity=RESIDENTS * 2)
    residents = []
    for number in range(RESIDENTS):
        user = f"U{number + 200:032x}"
        line.set_profile(user, f"住民{number}", "ja")
        residents.append(StormChat(client, line, worker, user, CHANNEL_SECRET))

    sent: list[dict] = []
    requests = 0
    for step in steps(event_id):
        for resident in residents:
            step(resident)
        fresh = [event for resident in residents for event in resident.outgoing]
        for resident in residents:
            resident.outgoing.clear()
        late = chance.sample(sent, min(len(sent), 4))  # old events LINE redelivers much later
        copies = [event for event in fresh for _ in range(chance.randint(2, 3))] + late
        copies = [redelivered(event) if chance.random() < 0.5 else event for event in copies]
        chance.shuffle(copies)
        while copies:
            size = chance.randint(1, 5)
            batch, copies = copies[:size], copies[size:]
            assert post_events(client, batch, CHANNEL_SECRET).status_code == 200
            requests += 1
        sent += fresh
        worker.drain()

    tsunagu = app.extensions["tsunagu"]
    with tsunagu.db.transaction() as session:
        keys = Counter(session.scalars(select(InboxEvent.event_key)))
        statuses = Counter(session.scalars(select(InboxEvent.status)))
        records = Counter(session.scalars(select(IntakeRecord.resident_id)))
        signups = Counter(session.scalars(select(SignUp.resident_id).where(SignUp.event_id == event_id)))
        answers = session.scalar(select(func.count()).select_from(OutboundMessage))
        unsent = session.scalar(select(func.count()).where(OutboundMessage.status != OutboundMessage.SENT))
    for resident in residents:
        assert resident.last_text().startswith("お申し込みを受け付けました。"), resident.user_id
        assert sum("受け付けました" in body for body in line.texts_to(resident.user_id)) == 2
    duplicates = sum(n - 1 for n in keys.values()) + sum(n - 1 for n in records.values())
    duplicates += sum(n - 1 for n in signups.values()) + max(len(line.sent) - answers, 0)
    lost = len({event["webhookEventId"] for event in sent} - set(keys))
    figures = FaultFigures(
        test="redelivery storm (2-3 copies each, shuffled, late redeliveries)",
        sent=len(sent), deliveries=requests, accepted=len(sent), processed=statuses[InboxEvent.PROCESSED],
        duplicates=duplicates, lost=lost,
        faults={"residents": RESIDENTS, "intake_records": sum(records.values()), "signups": sum(signups.values()),
                "answers_sent": len(line.sent)},
        seconds=round(time.monotonic() - started, 1),
    )
    figures.record()
    assert statuses == {InboxEvent.PROCESSED: len(sent)}
    assert len(records) == RESIDENTS and len(signups) == RESIDENTS
    assert len(line.sent) == answers and unsent == 0  # each answer reached LINE exactly once
    assert duplicates == 0 and lost == 0, figures
