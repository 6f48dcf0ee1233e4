"""What happens next, by the clock: the centre's opening hours, holidays and closed days.

The receipt says when staff will first read a consultation; a contact time
outside the hours gets a kind note; the crisis notice says when nobody reads
it; 電話で相談 shows each number once, with its hours. "Now" is the app's
``CLOCK`` setting, moved by each test.
"""
from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from bot.config import ConfigError, load_config, validate_for_production
from bot.flows.contact_time_words import contact_wish
from bot.i18n import Translator
from bot.models import Resident
from bot.models.intake import IntakeRecord
from bot.municipality import PROFILES_DIR, load_profile
from bot.services.hours import OpeningHours
from tests.conftest import CHANNEL_SECRET
from tests.support import Chat, Worker

TOKYO = ZoneInfo("Asia/Tokyo")
STORY = {"ja": "母の物忘れがひどくなってきました。", "en": "My mother is getting very forgetful.",
         "vi": "Mẹ tôi ngày càng hay quên."}
HOURS_NOTE = "受付時間は平日 8:30〜17:15です。時間内にご連絡できるよう調整します。"


def tokyo(*args: int) -> datetime:
    return datetime(*args, tzinfo=TOKYO)


class Clock:
    """The app's clock (the CLOCK setting): set ``now`` to the time the test needs."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock(tokyo(2026, 12, 3, 10))  # a Thursday morning


@pytest.fixture
def app(make_app, clock):  # noqa: ANN001
    return make_app(CLOCK=clock)


def consult(resident: Chat, *, area: str = "onahama", urgency: str = "days", contact: str = "line",
            times: str | None = None, locale: str = "ja") -> None:
    """The whole consultation by the buttons' codes (the same in every language), typing the story."""
    resident.taps("menu:consult")
    resident.taps("intake:who:self")
    resident.taps("intake:cat:elderly")
    resident.taps("intake:catdone")
    resident.taps(f"intake:area:{area}")
    resident.says(STORY[locale])
    resident.taps("intake:detailsdone")
    resident.taps(f"intake:urgency:{urgency}")
    resident.taps(f"intake:contact:{contact}")
    if contact == "phone":
        resident.says("090-1234-5678")
        if locale not in ("ja", "ja_Hira"):
            resident.taps("intake:interpreter:none")
        resident.says(times) if times else resident.taps("intake:times:morning")
    resident.taps("intake:consent:yes")
    resident.taps("intake:submit")


def resident_in(chat, locale: str, user_id: str = "U" + "a" * 32) -> Chat:  # noqa: ANN001
    resident = chat(user_id=user_id, language=locale)
    resident.follows()
    return resident


# -- the calendar ---------------------------------------------------------------------------------

@pytest.mark.parametrize(("sent", "first_look"), [
    pytest.param(tokyo(2026, 12, 3, 10), "today", id="thursday-morning"),
    pytest.param(tokyo(2026, 12, 3, 7), "today", id="before-opening-on-a-working-day"),
    pytest.param(tokyo(2026, 12, 3, 16, 30), tokyo(2026, 12, 4, 8, 30), id="too-close-to-closing"),
    pytest.param(tokyo(2026, 12, 4, 22), tokyo(2026, 12, 7, 8, 30), id="friday-night"),
    pytest.param(tokyo(2026, 12, 5, 11), tokyo(2026, 12, 7, 8, 30), id="saturday"),
    pytest.param(tokyo(2026, 11, 23, 10), tokyo(2026, 11, 24, 8, 30), id="labour-thanksgiving-day"),
    pytest.param(tokyo(2026, 9, 18, 18), tokyo(2026, 9, 24, 8, 30), id="silver-week"),
    pytest.param(tokyo(2026, 5, 6, 9), tokyo(2026, 5, 7, 8, 30), id="substitute-holiday"),
    pytest.param(tokyo(2026, 12, 28, 18), tokyo(2027, 1, 4, 8, 30), id="new-year-closure"),
    pytest.param(tokyo(2026, 12, 30, 10), tokyo(2027, 1, 4, 8, 30), id="december-30"),
])
def test_when_staff_first_read_a_message(sent, first_look):
    opening = OpeningHours(load_profile("iwaki"))
    look = opening.first_look(opening.desk("onahama"), sent)
    assert look.today if first_look == "today" else (not look.today and look.opens == first_look)


@pytest.mark.parametrize(("at", "is_open"), [
    (tokyo(2026, 12, 3, 8, 29), False), (tokyo(2026, 12, 3, 8, 30), True), (tokyo(2026, 12, 3, 17, 14), True),
    (tokyo(2026, 12, 3, 17, 15), False), (tokyo(2026, 12, 6, 10), False), (tokyo(2027, 1, 2, 10), False),
    (tokyo(2026, 11, 23, 10), False),
])
def test_a_desk_is_open_in_its_hours_on_working_days(at, is_open):
    opening = OpeningHours(load_profile("iwaki"))
    assert opening.is_open(opening.desk(None), at) is is_open  # None: the coordinator


@pytest.mark.parametrize(("typed", "outside"), [
    ("夜8時ごろ", True), ("日曜日", True), ("土曜の午前", True), ("平日の夜", True), ("18時以降", True),
    ("朝7時", True), ("週末", True), ("火曜の午後", False), ("10時以降", False), ("8時ごろ", False),
    ("月曜の10時", False), ("午後3時", False), ("明日", False), ("いつでも", False),
    ("Sunday afternoon", True), ("after 6pm", True), ("weekends", True), ("Tuesday at 2pm", False),
    ("晚上8点", True), ("周六上午", True), ("星期二下午", False),
    ("chủ nhật", True), ("sau 6 giờ tối", True), ("thứ ba buổi chiều", False),
])
def test_contact_times_outside_the_hours_are_recognised(typed, outside):
    opening = OpeningHours(load_profile("iwaki"))
    wish = contact_wish(typed)
    assert (wish is not None and opening.outside(opening.desk("taira"), wish)) is outside


# -- the receipt ------------------------------------------------------------------------------------

@pytest.mark.parametrize(("now", "locale", "step"), [
    pytest.param(tokyo(2026, 12, 3, 10), "ja", "1. 担当の職員が本日中に内容を確認します。", id="weekday-10am"),
    pytest.param(tokyo(2026, 12, 4, 22), "ja", "1. 担当の職員が次の開庁日（12月7日(月)）の午前中に内容を確認します。",
                 id="friday-10pm"),
    pytest.param(tokyo(2026, 11, 23, 10), "ja", "1. 担当の職員が次の開庁日（11月24日(火)）の午前中に内容を確認します。",
                 id="national-holiday"),
    pytest.param(tokyo(2026, 12, 30, 10), "ja", "1. 担当の職員が次の開庁日（1月4日(月)）の午前中に内容を確認します。",
                 id="new-year-closure"),
    pytest.param(tokyo(2026, 12, 3, 10), "en", "1. The staff in charge will read your consultation today.",
                 id="weekday-10am-en"),
    pytest.param(tokyo(2026, 12, 4, 22), "en",
                 "1. The staff in charge will read your consultation on the morning of the next working day "
                 "(Mon, Dec 7).", id="friday-10pm-en"),
    pytest.param(tokyo(2026, 11, 23, 10), "vi", "vào buổi sáng ngày làm việc tiếp theo (Thứ 3, 24 thg 11)",
                 id="national-holiday-vi"),
])
def test_the_receipt_says_when_the_centre_will_read_it(app, chat, clock, now, locale, step):
    clock.now = now
    resident = resident_in(chat, locale)
    consult(resident, locale=locale)
    assert step in resident.last_reply_text()
    assert Translator(locale)._("受付番号：{receipt}", receipt="IW-") in resident.last_reply_text()


def test_a_consultation_with_no_area_is_read_by_the_coordinator_on_the_next_working_day(app, chat, clock):
    clock.now = tokyo(2026, 12, 5, 9)  # Saturday
    resident = resident_in(chat, "ja")
    consult(resident, area="unknown")
    assert "1. 市の担当者が次の開庁日（12月7日(月)）の午前中に内容を確認し、担当のセンターを決めます。" in resident.last_text()


def test_an_urgent_consultation_at_night_points_to_119_and_110_not_to_the_closed_desk(app, chat, clock):
    clock.now = tokyo(2026, 12, 4, 22)
    resident = resident_in(chat, "ja")
    consult(resident, urgency="now")
    receipt = resident.last_text()
    assert "すぐに119番（救急）・110番（警察）に電話してください" in receipt
    assert "受付時間内にできるだけ早くご連絡します" not in receipt


def test_the_crisis_notice_says_when_nobody_reads_it(app, chat, clock):
    clock.now = tokyo(2026, 12, 4, 22)
    night = resident_in(chat, "ja")
    night.new_messages()
    night.says("もう死にたい")
    assert "いまは受付時間外です。職員が読むのは12月7日(月) 8:30からです。" in "\n".join(
        m.get("text", "") for m in night.new_messages())

    clock.now = tokyo(2026, 12, 7, 10)
    day = resident_in(chat, "en", "U" + "d" * 32)
    day.new_messages()
    day.says("I want to die")
    assert "We are closed now" not in "\n".join(m.get("text", "") for m in day.new_messages())


# -- contact times -----------------------------------------------------------------------------------

@pytest.mark.parametrize(("locale", "typed", "note"), [
    ("ja", "夜8時ごろ", HOURS_NOTE),
    ("ja", "日曜日", HOURS_NOTE),
    ("ja", "土曜の午前", HOURS_NOTE),
    ("en", "Sunday afternoon", "Opening hours: Weekdays 8:30–17:15. We will arrange to contact you within them."),
])
def test_a_contact_time_outside_the_hours_gets_a_kind_note_and_is_kept(app, chat, locale, typed, note):
    resident = resident_in(chat, locale)
    consult(resident, contact="phone", times=typed, locale=locale)
    texts = "\n".join(m.get("text", "") for m in resident.messages())
    assert note in texts
    with app.extensions["tsunagu"].db.transaction() as session:
        assert session.scalars(select(IntakeRecord.contact_times)).one() == typed  # not refused, kept as typed


def test_a_contact_time_within_the_hours_gets_no_note(app, chat):
    resident = resident_in(chat, "ja")
    consult(resident, contact="phone", times="火曜の午後")
    assert "受付時間は" not in "\n".join(m.get("text", "") for m in resident.messages())


# -- 電話で相談 ---------------------------------------------------------------------------------------

def test_one_number_shared_by_every_centre_is_shown_once_with_the_hours(app, chat):
    resident = resident_in(chat, "ja")
    resident.taps("menu:phone")
    answer = resident.last_text()
    assert answer.count("0246-22-1111") == 1
    assert "☎ 0246-22-1111（平日 8:30〜17:15）" in answer
    assert "どの地区のご相談も、この番号で受け付けています。お住まいの地区をお伝えください。" in answer
    assert "いまは受付時間外" not in answer  # Thursday 10:00


def test_a_resident_whose_area_is_known_sees_their_own_centre_only(app, chat):
    resident = resident_in(chat, "ja")
    with app.extensions["tsunagu"].db.transaction() as session:
        session.scalars(select(Resident)).one().area_code = "onahama"
    resident.taps("menu:phone")
    answer = resident.last_text()
    assert "・小名浜地区保健福祉センター ☎ 0246-22-1111（平日 8:30〜17:15）" in answer
    resident.taps("menu:language")
    resident.tap_chip("English")
    resident.taps("menu:phone")
    assert "Onahama District Health and Welfare Centre 小名浜地区保健福祉センター ☎ 0246-22-1111 (Weekdays 8:30–17:15)" \
        in resident.last_text()
    assert answer.count("0246-22-1111") == 1 and "平地区" not in answer


def test_centres_with_their_own_numbers_are_listed_and_the_shared_number_once(make_app, line, clock, tmp_path):
    text = (PROFILES_DIR / "iwaki.toml").read_text(encoding="utf-8")
    text = text.replace('phone = "0246-22-1111"  # TODO(city): replace with the centre\'s direct line',
                        'phone = "0246-22-7451"', 1)  # the first centre (平) gets its own line
    (tmp_path / "own_lines.toml").write_text(text, encoding="utf-8")
    app = make_app(CLOCK=clock, MUNICIPALITY=str(tmp_path / "own_lines.toml"))
    line.set_profile("U" + "e" * 32, "山田花子", "ja")
    resident = Chat(app.test_client(), line, Worker(app), "U" + "e" * 32, CHANNEL_SECRET)
    resident.taps("menu:phone")
    answer = resident.last_text()
    assert "・平地区保健福祉センター ☎ 0246-22-7451（平日 8:30〜17:15）" in answer
    assert answer.count("0246-22-1111") == 1 and "小名浜地区保健福祉センター、勿来・田人地区保健福祉センター" in answer


@pytest.mark.parametrize(("locale", "closed"), [
    ("ja", "いまは受付時間外です。次は12月7日(月) 8:30からです。"),
    ("en", "We are closed now. We open again at 8:30\u202fAM on Mon, Dec 7."),
])
def test_the_phone_numbers_at_night_say_when_the_desk_opens(app, chat, clock, locale, closed):
    clock.now = tokyo(2026, 12, 4, 22)
    resident = resident_in(chat, locale)
    resident.taps("menu:phone")
    assert closed in resident.last_text()


# -- the clock ---------------------------------------------------------------------------------------

def test_a_fixed_clock_is_for_tests_and_demos_only():
    settings = {"DATABASE_URL": "sqlite://", "HUEY_FILE": "/tmp/unused.db", "LINE_CHANNEL_SECRET": "secret",
                "LINE_CHANNEL_ACCESS_TOKEN": "token", "SECRET_KEY": "key"}
    assert load_config(settings, environ={"CLOCK": "2026-12-04T22:00"})["CLOCK"] is None  # not from the environment
    with pytest.raises(ConfigError, match="CLOCK"):
        validate_for_production(load_config({**settings, "CLOCK": Clock(tokyo(2026, 12, 4, 22))}, environ={}))
