"""Short bubbles for elderly residents: the main paths never send a bubble longer than about 200 characters.

The consultation, the events and the menu are walked through the webhook,
tapping and typing, in Japanese and English; the only longer bubble is the
whole consent text a resident asks for with 「詳しく」. A wrong answer gets a
short reminder, never the long question again.
"""
from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from tests.events_support import create_event

TOKYO = ZoneInfo("Asia/Tokyo")
# The receipt says when staff will read it: longest outside the centre's hours.
WHEN = {"weekday-10am": datetime(2026, 12, 3, 10, tzinfo=TOKYO), "friday-10pm": datetime(2026, 12, 4, 22, tzinfo=TOKYO)}


class Clock:
    """The app's clock (the CLOCK setting): the real time unless a test sets ``now``."""

    def __init__(self) -> None:
        self.now: datetime | None = None

    def __call__(self) -> datetime:
        return self.now or datetime.now(TOKYO)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def app(make_app, clock):  # noqa: ANN001
    return make_app(CLOCK=clock)

# Characters in one bubble: about what fits a phone screen in large type. English says the same in about
# twice the letters, and shows place names in both scripts, so its bubbles may be longer for the same reading.
LIMITS = {"ja": 200, "en": 450}


def bubbles(resident) -> list[str]:  # noqa: ANN001
    return [m["text"] for m in resident.new_messages() if m.get("type") == "text"]


def too_long(texts: list[str], locale: str) -> list[tuple[int, str]]:
    return [(len(t), t) for t in texts if len(t) > LIMITS[locale]]


PATHS = {
    "ja": {
        "consult": ["相談する", "家族", "子ども", "わからない", "介護・高齢", "次へ", "小名浜", "母の介護で仕事を休みがちです。お金のことも心配です。",
                    "次へ", "数日以内", "電話で", "090-1234-5678", "平日の午前", "同意する", "送信する"],
        "typed": ["相談", "母のことです", "わからない", "介護とお金", "次へ", "小名浜の方です", "母の物忘れがひどくなってきました。", "以上です",
                  "急ぎではないです", "LINEで", "はい", "はい"],
        "wrong": ["ぱぴぷぺぽ", "ぱぴぷぺぽ"],
        "events": ["イベント・サロン", "地区で探す", "平"],
        "apply": ["ふたり", "山田 花子", "なし", "申し込む"],
        "more": "詳しく",
    },
    "en": {
        "consult": ["Consult", "Family", "Their child", "I don't know", "Elderly care", "Next", "Onahama 小名浜",
                    "I look after my mother and I am worried about money.", "Next", "Within a few days", "By phone",
                    "090-1234-5678", "No, Japanese is fine", "Weekday mornings", "I agree", "Send"],
        "typed": ["consult", "my mother", "I don't know", "care and money", "next", "Onahama", "My mother is getting forgetful.",
                  "done", "no hurry", "by LINE", "yes", "yes"],
        "wrong": ["blah blah", "blah blah"],
        "events": ["Events & salons", "By area", "Taira 平"],
        "apply": ["2", "Hanako Yamada", "none", "Sign up"],
        "more": "Details",
    },
}


def act(resident, step: str) -> None:  # noqa: ANN001
    """Tap the chip of that label when there is one, else type it."""
    labels = resident.chips() if resident.messages() else []
    if step in labels:
        resident.tap_chip(step)
    else:
        resident.says(step)


@pytest.mark.parametrize("when", WHEN)
@pytest.mark.parametrize("locale", ["ja", "en"])
def test_the_tapped_consultation_sends_only_short_bubbles(app, chat, clock, locale, when):
    clock.now = WHEN[when]
    path = PATHS[locale]
    resident = chat(user_id="U" + "b" * 31 + locale[0], display_name="山田花子", language=locale)
    resident.follows()
    sent = bubbles(resident)
    for step in path["consult"]:
        act(resident, step)
    sent += bubbles(resident)
    assert any(("受付番号" in t) or ("Receipt number" in t) for t in sent)
    assert too_long(sent, locale) == []


@pytest.mark.parametrize("when", WHEN)
@pytest.mark.parametrize("locale", ["ja", "en"])
def test_a_typed_consultation_and_wrong_answers_send_only_short_bubbles(app, chat, clock, locale, when):
    clock.now = WHEN[when]
    path = PATHS[locale]
    resident = chat(user_id="U" + "c" * 31 + locale[0], display_name="山田花子", language=locale)
    resident.follows()
    for step in path["typed"][:3]:
        resident.says(step)
    for wrong in path["wrong"]:
        resident.says(wrong)  # at the categories, not the whole list again
    for step in path["typed"][3:10]:
        resident.says(step)
    # At the consent question, wrong answers get the short reminder, not the consent text again.
    for wrong in path["wrong"]:
        resident.says(wrong)
    resident.says(path["typed"][10])
    for wrong in path["wrong"]:
        resident.says(wrong)  # and at the summary, not the summary again
    resident.says(path["typed"][11])
    sent = bubbles(resident)
    assert any(("受付番号" in t) or ("Receipt number" in t) for t in sent)
    assert too_long(sent, locale) == []


@pytest.mark.parametrize("locale", ["ja", "en"])
def test_the_whole_consent_text_is_one_tap_away_and_the_only_long_bubble(app, chat, locale):
    path = PATHS[locale]
    resident = chat(user_id="U" + "d" * 31 + locale[0], display_name="山田花子", language=locale)
    resident.follows()
    for step in path["typed"][:10]:
        resident.says(step)
    summary = bubbles(resident)[-1]
    assert len(summary) <= LIMITS[locale]
    resident.tap_chip(path["more"])
    [whole] = bubbles(resident)
    assert len(whole) > LIMITS[locale]  # the full text, asked for
    assert ("目的：" in whole) if locale == "ja" else ("Purpose" in whole)
    resident.says(path["wrong"][0])
    [reminder] = bubbles(resident)
    assert len(reminder) < LIMITS[locale] / 3  # not the long text again
    resident.says("詳しく" if locale == "ja" else "details")  # typed works too
    assert bubbles(resident)[-1] == whole


@pytest.mark.parametrize("locale", ["ja", "en"])
def test_the_menu_and_the_events_send_only_short_bubbles(app, chat, locale):
    event_id = create_event(app, capacity=10, max_party_size=3)
    path = PATHS[locale]
    resident = chat(user_id="U" + "f" * 31 + locale[0], display_name="山田花子", language=locale)
    resident.follows()
    resident.says("menu")
    resident.says("こんにちは" if locale == "ja" else "hello there")
    resident.taps("menu:mine")
    resident.taps("menu:status")
    for step in path["events"]:
        act(resident, step)
    resident.taps(f"events:detail:{event_id}")
    resident.taps(f"events:apply:{event_id}")
    for step in path["apply"]:
        act(resident, step)
    resident.taps("menu:mine")
    sent = bubbles(resident)
    assert any(("受け付けました" in t) or ("signed up." in t) for t in sent), "\n---\n".join(sent)
    assert too_long(sent, locale) == []
