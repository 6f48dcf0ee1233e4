"""Bad input: property-based fuzzing of ``POST /callback``.

Validly signed bodies that are malformed, oversized, deeply nested,
wrong-typed or of unknown types never get a 5xx (a 5xx makes LINE
redeliver the same bad body again and again); invalidly signed bodies are
refused and store nothing; the process stays healthy and the worker copes
with whatever was stored.
"""
from __future__ import annotations

import json
import tempfile
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.configuration import set_hypothesis_home_dir
from sqlalchemy import func, select

from bot.models import InboxEvent
from tests.conftest import CHANNEL_SECRET
from tests.faults.harness import FaultFigures
from tests.support import Worker, sign

pytestmark = pytest.mark.faults
# Hypothesis keeps caches in ./.hypothesis; keep the checkout clean.
set_hypothesis_home_dir(Path(tempfile.gettempdir()) / "tsunagu-hypothesis")

FUZZ = settings(
    max_examples=150,
    deadline=None,
    database=None,  # nothing written inside the repository
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)
EVENT_TYPES = ["message", "follow", "unfollow", "postback", "join", "leave", "memberJoined", "beacon",
               "accountLink", "things", "unsend", "videoPlayComplete", "membership", "module", "activated",
               "futureKindOfEvent", "", "MESSAGE"]
MESSAGE_TYPES = ["text", "image", "video", "audio", "file", "location", "sticker", "unknownKind", ""]

odd_text = st.text(st.characters(categories=["Cs", "Cc", "Zs", "Lo"]), max_size=20)  # lone surrogates, NUL...
scalars = (st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text()
           | odd_text)
json_values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=4)
                           | st.dictionaries(st.text(max_size=10), inner, max_size=4), max_leaves=20)
user_ids = st.sampled_from(["U" + "f" * 32, "Uabc", ""]) | st.text(max_size=40) | json_values


def maybe(strategy):  # noqa: ANN001, ANN201
    """The field, a value of the wrong type, or nothing at all."""
    return st.one_of(strategy, json_values)


messages = st.fixed_dictionaries(
    {"type": maybe(st.sampled_from(MESSAGE_TYPES))},
    optional={"id": maybe(st.text(max_size=20)), "text": maybe(st.text(max_size=300)),
              "latitude": maybe(st.floats()), "longitude": maybe(st.floats()), "title": maybe(st.text()),
              "packageId": json_values, "stickerId": json_values, "quoteToken": json_values,
              "contentProvider": maybe(st.fixed_dictionaries({"type": maybe(st.sampled_from(["line", "external"]))})),
              "emojis": json_values, "mention": json_values, "fileName": json_values},
)
events = st.fixed_dictionaries(
    {"type": maybe(st.sampled_from(EVENT_TYPES))},
    optional={
        "mode": maybe(st.sampled_from(["active", "standby"])),
        "timestamp": maybe(st.integers(min_value=-10**15, max_value=10**15)),
        "source": maybe(st.fixed_dictionaries({"type": maybe(st.sampled_from(["user", "group", "room"]))},
                                              optional={"userId": user_ids, "groupId": user_ids})),
        "webhookEventId": maybe(st.text(max_size=40)),
        "deliveryContext": maybe(st.fixed_dictionaries({"isRedelivery": maybe(st.booleans())})),
        "replyToken": maybe(st.text(max_size=40)),
        "message": maybe(messages),
        "postback": maybe(st.fixed_dictionaries({"data": maybe(st.text(max_size=320))},
                                                optional={"params": json_values})),
        "follow": json_values, "unsend": json_values, "beacon": json_values, "link": json_values,
        "joined": json_values, "left": json_values, "things": json_values, "videoPlayComplete": json_values,
    },
)
# Well-formed envelopes around odd contents: these reach the handlers.
envelope = st.fixed_dictionaries({
    "mode": st.just("active"), "timestamp": st.integers(min_value=1, max_value=4 * 10**12),
    "source": st.fixed_dictionaries({"type": st.just("user"),
                                     "userId": st.sampled_from(["U" + "f" * 32, "U" + "e" * 32])}),
    "webhookEventId": st.text(alphabet="0123456789ABCDEF", min_size=26, max_size=26),
    "deliveryContext": st.fixed_dictionaries({"isRedelivery": st.booleans()}),
    "replyToken": st.text(alphabet="0123456789abcdef", min_size=32, max_size=32),
})
odd_contents = st.one_of(
    st.fixed_dictionaries({"type": st.just("message"), "message": st.fixed_dictionaries(
        {"type": st.just("text"), "id": st.text("0123456789", min_size=1, max_size=18), "text": st.text(max_size=5000) | odd_text,
         "quoteToken": st.just("q")})}),
    st.fixed_dictionaries({"type": st.just("message"), "message": st.fixed_dictionaries(
        {"type": st.just("location"), "id": st.just("1"), "latitude": st.floats(allow_nan=False),
         "longitude": st.floats(allow_nan=False), "title": st.text(max_size=100), "address": st.text(max_size=100)})}),
    st.fixed_dictionaries({"type": st.just("message"), "message": st.fixed_dictionaries(
        {"type": st.sampled_from(["image", "video", "audio", "file", "sticker", "brandNewKind"]), "id": st.just("2"),
         "contentProvider": st.just({"type": "line"}), "packageId": st.text(max_size=5),
         "stickerId": st.text(max_size=5), "stickerResourceType": st.sampled_from(["STATIC", "NEW_KIND"]),
         "fileName": st.text(max_size=30), "fileSize": st.integers(0, 10**9), "duration": st.integers(0, 10**7),
         "quoteToken": st.just("q")})}),
    st.fixed_dictionaries({"type": st.just("postback"), "postback": st.fixed_dictionaries(
        {"data": st.one_of(st.text(max_size=300), st.builds(
            lambda flow, action, arg: f"{flow}:{action}:{arg}",
            st.sampled_from(["menu", "intake", "events", "signups", "language", "status", "nosuch"]),
            st.text(max_size=20), st.text(max_size=40)))},
        optional={"params": st.dictionaries(st.sampled_from(["date", "time", "datetime", "newRichMenuAliasId"]),
                                            st.text(max_size=20), max_size=2)})}),
    st.fixed_dictionaries({"type": st.sampled_from(["follow", "unfollow", "unsend", "videoPlayComplete", "beacon"]),
                           "follow": st.just({"isUnblocked": True}), "unsend": st.just({"messageId": "1"}),
                           "videoPlayComplete": st.just({"trackingId": "t"}),
                           "beacon": st.just({"hwid": "d41d8cd98f", "type": "enter"})}),
)
plausible_events = st.builds(lambda base, content: {**base, **content}, envelope, odd_contents)

bodies = st.one_of(
    st.lists(plausible_events, min_size=1, max_size=5).map(
        lambda evs: json.dumps({"destination": "Ubot", "events": evs}).encode()),
    st.builds(lambda evs, dest: {"destination": dest, "events": evs}, st.lists(maybe(events), max_size=5),
              maybe(st.just("Ubot"))).map(lambda body: json.dumps(body).encode()),
    json_values.map(lambda value: json.dumps(value).encode()),  # no events, or events of the wrong type
    st.fixed_dictionaries({"events": json_values}).map(lambda body: json.dumps(body).encode()),
    st.binary(max_size=200),  # not JSON, not even UTF-8
    st.integers(min_value=1, max_value=200_000).map(  # deeply nested, inside and outside the events
        lambda depth: ('{"events":[' + '{"a":' * depth + "1" + "}" * depth + "]}").encode()),
    st.integers(min_value=1, max_value=300_000).map(lambda depth: ("[" * depth + "]" * depth).encode()),
)


def inbox_size(app) -> int:  # noqa: ANN001
    with app.extensions["tsunagu"].db.transaction() as session:
        return session.scalar(select(func.count()).select_from(InboxEvent))


def post(client, body: bytes, signature: str):  # noqa: ANN001, ANN201
    return client.post("/callback", data=body,
                       headers={"X-Line-Signature": signature, "Content-Type": "application/json"})


def test_validly_signed_bad_input_never_gets_a_5xx_and_the_worker_copes(app, client):
    started = time.monotonic()
    answers: list[int] = []

    @FUZZ
    @given(body=bodies)
    def deliver(body: bytes) -> None:
        status = post(client, body, sign(body, CHANNEL_SECRET)).status_code
        answers.append(status)
        assert status < 500, body[:300]

    deliver()
    oversized = json.dumps({"events": [{"type": "message", "pad": "x" * (2 * 1024 * 1024)}]}).encode()
    assert post(client, oversized, sign(oversized, CHANNEL_SECRET)).status_code == 413

    stored = inbox_size(app)
    Worker(app).drain(timeout=120)  # whatever was stored is processed, ignored or apologised for
    with app.extensions["tsunagu"].db.transaction() as session:
        left = session.scalar(select(func.count()).where(InboxEvent.status == InboxEvent.PENDING))
        failed = session.scalar(select(func.count()).where(InboxEvent.status == InboxEvent.FAILED))
    assert client.get("/healthz").status_code == 200
    FaultFigures(
        test="fuzzing: validly signed bad input", sent=len(answers), deliveries=len(answers) + 1,
        accepted=sum(1 for s in answers if s == 200), processed=stored - left, duplicates=0, lost=left,
        faults={"answers": {str(s): answers.count(s) for s in sorted(set(answers))}, "events_stored": stored,
                "events_failed_in_handlers": failed, "server_errors": sum(1 for s in answers if s >= 500)},
        seconds=round(time.monotonic() - started, 1),
    ).record()
    assert left == 0
    assert failed == 0  # no handler crashed on an odd but validly signed event


def test_an_invalid_signature_is_refused_and_stores_nothing(app, client):
    started = time.monotonic()
    answers: list[int] = []
    valid = json.dumps({"destination": "Ubot", "events": [
        {"type": "follow", "mode": "active", "timestamp": 1, "source": {"type": "user", "userId": "U" + "f" * 32},
         "webhookEventId": "01FUZZ", "deliveryContext": {"isRedelivery": False}}]}).encode()
    forged = st.one_of(
        st.text(alphabet=st.characters(min_codepoint=0x20, max_codepoint=0x7E), max_size=100),  # any header value
        st.binary(max_size=32).map(lambda key: sign(valid, key.hex() or "x")),  # signed with another secret
        st.just(sign(valid + b" ", CHANNEL_SECRET)),  # the signature of another body
    )

    @FUZZ
    @given(body=st.one_of(st.just(valid), bodies), signature=forged)
    def deliver(body: bytes, signature: str) -> None:
        if signature == sign(body, CHANNEL_SECRET):
            return
        status = post(client, body, signature).status_code
        answers.append(status)
        assert status in (400, 413), status

    deliver()
    assert post(client, valid, "").status_code == 400
    assert inbox_size(app) == 0
    assert client.get("/healthz").status_code == 200
    FaultFigures(
        test="fuzzing: invalid signatures", sent=len(answers), deliveries=len(answers),
        accepted=sum(1 for s in answers if s == 200), processed=0, duplicates=0, lost=0,
        faults={"answers": {str(s): answers.count(s) for s in sorted(set(answers))}, "records_stored": 0},
        seconds=round(time.monotonic() - started, 1),
    ).record()
