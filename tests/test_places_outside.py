"""A shared location far outside the city (a son in Tokyo) is not turned into the nearest area."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from bot.municipality import load_profile
from bot.models.intake import IntakeRecord
from tests.events_support import tsunagu_of

TOKYO = (35.68, 139.76)
SENDAI = (38.27, 140.87)
ONAHAMA_PORT = (36.947, 140.903)


@pytest.mark.parametrize(("lat", "lon"), [TOKYO, SENDAI, (34.34, 134.04)])
def test_places_beyond_the_profiles_distance_are_outside(lat, lon):
    iwaki = load_profile("iwaki")
    assert iwaki.area_near(lat, lon) is None
    assert iwaki.area_near(*ONAHAMA_PORT).name == "小名浜"
    assert load_profile("takamatsu").area_near(34.3401, 134.0434) is not None  # 高松市役所


def start_at_area_question(chat, **kwargs):  # noqa: ANN001, ANN201
    resident = chat(**kwargs)
    resident.follows()
    resident.taps("menu:consult")
    resident.taps("intake:who:family")
    resident.taps("intake:relation:child")
    resident.taps("intake:personunknown")
    resident.taps("intake:cat:elderly")
    resident.taps("intake:catdone")
    resident.new_messages()
    return resident


@pytest.mark.parametrize("place", [TOKYO, SENDAI])
def test_at_the_area_question_a_far_place_asks_for_the_persons_area(app, chat, place):
    resident = start_at_area_question(chat)
    resident.shares_location(*place, "", "")
    [answer] = resident.new_messages()
    assert answer["text"].startswith("送っていただいた場所はいわき市の外のようです。\n\nその方がお住まいの地区を選んでください。")
    assert "勿来" not in answer["text"] and "川前" not in answer["text"]
    resident.tap_chip("小名浜")  # the mother's area
    assert "気になっている方" in resident.last_text() or "困っていることを" in resident.last_text()
    with tsunagu_of(app).db.transaction() as session:
        assert session.scalars(select(IntakeRecord)).first() is None


def test_a_place_inside_the_city_still_picks_its_area(app, chat):
    resident = start_at_area_question(chat)
    resident.shares_location(*ONAHAMA_PORT, "小名浜港", "")
    assert "位置情報から「小名浜」地区としました" in resident.last_text()


def test_in_english_the_city_is_named_in_english(app, chat):
    john = start_at_area_question(chat, user_id="U" + "3" * 32, display_name="John", language="en")
    john.shares_location(*TOKYO, "", "")
    assert john.last_text().startswith("The place you sent seems to be outside Iwaki City.")
    assert "いわき市" not in john.last_text()


@pytest.mark.parametrize("place", [TOKYO, SENDAI])
def test_outside_any_flow_a_far_place_is_not_given_a_centre(app, chat, place):
    resident = chat()
    resident.follows()
    resident.shares_location(*place, "", "")
    answer = resident.last_text()
    assert answer.startswith("位置情報をありがとうございます。送っていただいた場所はいわき市の外のようです。")
    assert "「相談する」からその方の地区を選んでください" in answer
    assert "勿来" not in answer and "川前" not in answer
    assert resident.chips()[0] == "相談する"


def test_outside_any_flow_in_vietnamese(app, chat):
    lan = chat(user_id="U" + "4" * 32, display_name="Lan", language="vi")
    lan.follows()
    lan.shares_location(*TOKYO, "", "")
    assert "nằm ngoài thành phố Iwaki" in lan.last_text()
    assert "いわき市" not in lan.last_text()
