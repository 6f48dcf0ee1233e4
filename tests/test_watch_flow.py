"""見守り from the resident's side: registering in words or taps, inviting family, pausing, resuming, stopping."""
from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from bot.models.watch import WatchConsent, WatchContact, WatchPlan
from tests.events_support import Clock, tokyo, tsunagu_of

USER = "U" + "a" * 32
SON = "U" + "b" * 32


@pytest.fixture
def clock():
    return Clock(tokyo(2030, 6, 3, 10))  # Monday


@pytest.fixture
def app(make_app, clock):  # noqa: ANN001
    return make_app(CLOCK=clock)


def plans(app) -> list[WatchPlan]:  # noqa: ANN001
    with tsunagu_of(app).db.transaction() as session:
        rows = session.scalars(select(WatchPlan).order_by(WatchPlan.id)).all()
        session.expunge_all()
        return rows


@pytest.mark.parametrize("opening", ["見守り", "見守ってほしい", "安否確認をお願いしたい", "見守りサービス"])
def test_typed_words_open_the_registration(app, chat, opening):
    resident = chat(USER)
    resident.follows()
    resident.says(opening)
    assert "どのくらいの間隔" in resident.last_text()
    assert resident.chips() == ["毎日", "2〜3日ごと", "週1回", "平日のみ"]


def test_a_resident_registers_in_words_invites_her_son_who_accepts_on_his_own_line(app, chat, line):
    resident = chat(USER)
    resident.follows()
    resident.says("みまもり")
    resident.says("まいにち")
    assert "何時ごろ" in resident.last_text()
    resident.says("朝7時")  # quiet hours: asked again
    assert "何時ごろ" in resident.last_text()
    resident.says("10時")
    assert "同意しますか" in resident.last_text()
    resident.says("同意します")
    assert "返事がないときに知らせる方" in resident.last_text()
    [plan] = plans(app)
    assert (plan.interval_days, plan.hour, plan.state) == (1, 10, WatchPlan.ACTIVE)

    resident.tap_chip("家族を招待する")
    code = re.search(r"(\d{6})", resident.messages()[-2]["text"])[1]
    # No basic ID configured (LINE_BOT_BASIC_ID): the code alone, no link to share.
    assert "quickReply" not in resident.messages()[-2]
    resident.tap_chip("電話だけの連絡先")
    resident.says("山田次郎 090-1234-5678")
    assert "090-1234-5678 を登録しました" in resident.messages()[-2]["text"]
    resident.tap_chip("これで完了")
    assert resident.last_text().startswith("登録が終わりました。")

    son = chat(SON, "山田太郎")
    son.follows()
    son.says(f"見守り {code}")
    assert son.last_text().startswith("見守りの連絡先に登録しました。")
    son.says(f"見守り {code}")  # used once
    assert "見つかりませんでした" in son.last_text()
    with tsunagu_of(app).db.transaction() as session:
        contacts = session.scalars(select(WatchContact).order_by(WatchContact.id)).all()
        assert [(c.kind, c.accepted_at is not None, c.phone) for c in contacts] == [
            ("line", True, None), ("phone", False, "09012345678")]
        [consent] = session.scalars(select(WatchConsent)).all()
        assert (consent.text_version, consent.via) == ("watch-2026-12", "line")


def test_refusing_the_consent_registers_nothing(app, chat):
    resident = chat(USER)
    resident.follows()
    resident.says("見守り")
    resident.tap_chip("週1回")
    resident.tap_chip("夕方（17時）")
    resident.tap_chip("同意しない")
    assert resident.last_text().startswith("見守りは登録しませんでした。")
    assert plans(app) == []


def registered(app, chat):  # noqa: ANN001
    resident = chat(USER)
    resident.follows()
    for chip in ("見守り",):
        resident.says(chip)
    resident.tap_chip("毎日")
    resident.tap_chip("朝（9時）")
    resident.tap_chip("同意する")
    resident.tap_chip("これで完了")
    return resident


def test_入院します_pauses_until_the_date_then_resume_and_stop(app, chat):
    resident = registered(app, chat)
    resident.says("来週から入院します")
    assert "いつまでお休みしますか" in resident.last_text()
    resident.says("6月20日まで")
    assert resident.last_text().startswith("6月20日(木)まで見守りの確認をお休みします。")
    [plan] = plans(app)
    assert (plan.state, plan.paused_until, plan.pause_reason) == (WatchPlan.PAUSED, date(2030, 6, 20), "hospital")

    resident.says("見守り")
    assert "お休み中です" in resident.last_text()
    resident.tap_chip("再開する")
    assert plans(app)[0].state == WatchPlan.ACTIVE
    resident.says("見守り")
    resident.tap_chip("見守りをやめる")
    assert resident.last_text().startswith("見守りを終了しました。")
    [plan] = plans(app)
    assert (plan.state, plan.stop_reason) == (WatchPlan.ENDED, "resident")


def test_旅行_with_a_date_in_the_same_message_pauses_at_once(app, chat):
    resident = registered(app, chat)
    resident.says("6月10日まで旅行に行きます")
    assert resident.last_text().startswith("6月10日(月)まで見守りの確認をお休みします。")
    assert plans(app)[0].pause_reason == "travel"


@pytest.mark.parametrize("data", ["watch:often:abc", "watch:hour:99", "watch:consent:maybe", "watch:remove:1",
                                  "watch:nonsense", "watch:often:100000000000000000000"])
def test_forged_buttons_change_nothing(app, chat, data):
    resident = chat(USER)
    resident.follows()
    resident.says("見守り")
    resident.taps(data)
    assert "どのくらいの間隔" in resident.last_text()
    assert plans(app) == []


@pytest.mark.parametrize(("now", "weekdays", "said", "first"), [
    (tokyo(2030, 6, 3, 8), False, "今日の10:00に最初の確認を送ります。", tokyo(2030, 6, 3, 10)),
    (tokyo(2030, 6, 3, 15), False, "明日の10:00から確認を送ります。", tokyo(2030, 6, 4, 10)),
    (tokyo(2030, 6, 7, 15), True, "6月10日(月)の10:00から確認を送ります。", tokyo(2030, 6, 10, 10)),  # Friday, 平日のみ
])
def test_the_resident_is_told_when_the_first_check_in_comes_and_it_comes_then(app, chat, clock, now, weekdays,
                                                                                said, first):  # noqa: ANN001
    from bot.models.watch import WatchSlot
    from bot.tasks.watch import run_watch

    clock.now = now
    resident = chat(USER)
    resident.follows()
    resident.says("みまもり")
    resident.says("平日のみ" if weekdays else "まいにち")
    resident.says("10時")
    resident.says("同意します")
    assert said in resident.messages()[-2]["text"]
    for hours in range(0, 24 * 4, 1):  # nothing before the time said, then one check-in at it
        clock.now = now + timedelta(hours=hours)
        run_watch(tsunagu_of(app), clock.now)
    with tsunagu_of(app).db.transaction() as session:
        slots = session.scalars(select(WatchSlot).order_by(WatchSlot.due_at)).all()
        assert slots[0].due_at == first


@pytest.mark.parametrize(("typed", "interval", "weekdays"), [
    ("平日だけ", 1, True),
    ("週1回、平日だけで", 7, True),
    ("週末はいらない", 1, True),  # 週末 is not 週 (weekly)
    ("毎日、土日以外で", 1, True),
    ("しゅうまつは いらない", 1, True),
    ("週に1回", 7, False),
    ("2〜3日ごと", 2, False),
    ("every weekday", 1, True),
    ("weekly", 7, False),
])
def test_how_often_is_read_as_residents_type_it(app, chat, typed: str, interval: int, weekdays: bool) -> None:  # noqa: ANN001
    resident = chat(USER)
    resident.follows()
    resident.says("見守り")
    resident.says(typed)
    resident.says("10時")
    resident.says("同意します")
    [plan] = plans(app)
    assert (plan.interval_days, plan.weekdays_only) == (interval, weekdays)
