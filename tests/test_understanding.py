"""Residents who type in their own words (issue 14, findings 6 and 7): what they write is understood.

Each test is a resident on LINE (signed webhook, the fake LINE platform),
in Japanese and in another language.
"""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.i18n import Translator
from bot.models import Conversation, Resident
from bot.models.intake import IntakeRecord
from tests.events_support import bubbles, create_event, days_ahead, flex_messages, texts_in, tsunagu_of
from tests.support import compile_catalogs

STORY = {"ja": "母の介護で仕事を休みがちです。お金のことも心配です。",
         "en": "I look after my mother alone and I am worried about money.",
         "vi": "Tôi chăm sóc mẹ một mình và lo lắng về tiền bạc."}
PHONE_LANGUAGE = {"ja": "ja", "ja_Hira": "ja", "en": "en", "zh_Hans": "zh-Hans", "vi": "vi"}


@pytest.fixture(autouse=True)
def catalogs():
    compile_catalogs()


def resident_in(chat, locale: str, user_id: str = "U" + "7" * 32):  # noqa: ANN001, ANN201
    resident = chat(user_id=user_id, language=PHONE_LANGUAGE[locale])
    resident.follows()
    if locale == "ja_Hira":
        resident.taps("menu:language")
        resident.tap_chip("やさしい日本語")
    resident.new_messages()
    return resident


def consult_until(resident, stop: str, story: str = STORY["ja"]) -> None:  # noqa: ANN001
    """Tap through the consultation up to (not including) the question ``stop``."""
    steps = [
        ("who", lambda: resident.taps("intake:who:self")),
        ("categories", lambda: (resident.taps("intake:cat:elderly"), resident.taps("intake:catdone"))),
        ("area", lambda: resident.taps("intake:area:onahama")),
        ("details", lambda: (resident.says(story), resident.taps("intake:detailsdone"))),
        ("urgency", lambda: resident.taps("intake:urgency:days")),
        ("contact", lambda: resident.taps("intake:contact:line")),
        ("consent", lambda: resident.taps("intake:consent:yes")),
    ]
    resident.taps("menu:consult")
    for step, act in steps:
        if step == stop:
            break
        act()
    resident.new_messages()


def consult_naming_the_topic(resident, typed: str) -> None:  # noqa: ANN001
    """A whole consultation about oneself, the topic typed at the categories question, the rest tapped."""
    resident.taps("menu:consult")
    resident.taps("intake:who:self")
    resident.says(typed)
    resident.taps("intake:catdone")
    resident.taps("intake:area:onahama")
    resident.taps("intake:detailsskip")
    resident.taps("intake:urgency:days")
    resident.taps("intake:contact:line")
    resident.taps("intake:consent:yes")
    resident.taps("intake:submit")


def records(app) -> list[IntakeRecord]:  # noqa: ANN001
    with tsunagu_of(app).db.transaction() as session:
        found = list(session.scalars(select(IntakeRecord).order_by(IntakeRecord.id)))
        for record in found:
            _ = record.details
        return found


def draft(app) -> Conversation | None:  # noqa: ANN001
    with tsunagu_of(app).db.transaction() as session:
        return session.scalars(select(Conversation).where(Conversation.flow == "intake", Conversation.ended_at.is_(None))
                               ).first()


def active_flow_name(app, user_id: str) -> str | None:  # noqa: ANN001
    with tsunagu_of(app).db.transaction() as session:
        resident = session.scalars(select(Resident).where(Resident.line_user_id == user_id)).one()
        conversation = session.scalars(select(Conversation).where(
            Conversation.resident_id == resident.id, Conversation.ended_at.is_(None))).first()
        return conversation.flow if conversation else None


def titles(messages: list[dict]) -> list[str]:
    return [texts_in(bubble)[1] for message in flex_messages(messages) for bubble in bubbles(message)
            if len(texts_in(bubble)) > 2]


# -- finding 6: natural answers are read, and a wrong one gets a short hint ---------------------------


@pytest.mark.parametrize(("locale", "typed"), [("ja", "はい、いいです"), ("ja", "はい。同意します"), ("en", "yes, I agree"),
                                               ("vi", "vâng, tôi đồng ý"), ("zh_Hans", "好的，同意")])
def test_a_natural_yes_at_consent_shows_the_summary(chat, locale, typed):
    resident = resident_in(chat, locale)
    consult_until(resident, "consent", STORY.get(locale, STORY["en"]))
    resident.says(typed)
    assert Translator(locale)._("入力内容を確かめてください。") in resident.last_text()


@pytest.mark.parametrize(("locale", "typed"), [("ja", "これでおねがいします"), ("ja", "この内容でお願いします。"),
                                               ("ja_Hira", "おくる"), ("en", "send it please"), ("vi", "gửi đi")])
def test_a_natural_yes_at_the_summary_sends_the_consultation(app, chat, locale, typed):
    resident = resident_in(chat, locale)
    consult_until(resident, "confirm", STORY.get(locale, STORY["en"]))
    resident.says(typed)
    [record] = records(app)
    assert record.receipt_number in resident.last_reply_text()


@pytest.mark.parametrize("locale", ["ja", "en"])
def test_a_wrong_answer_at_consent_gets_a_short_hint_not_the_consent_text_again(chat, locale):
    resident = resident_in(chat, locale)
    consult_until(resident, "consent")
    resident.says("うーん" if locale == "ja" else "hmm")
    [answer] = resident.new_messages()
    assert answer["text"] == Translator(locale)._("「同意する」か「同意しない」を選んでください。")
    assert len(answer["text"]) < 80


@pytest.mark.parametrize(("locale", "typed"), [("ja", "いそぎません"), ("ja", "急いでないです"), ("ja", "そんなにいそがないです"),
                                               ("en", "no rush"), ("vi", "không gấp")])
def test_not_urgent_in_words_is_read(app, chat, locale, typed):
    resident = resident_in(chat, locale)
    consult_until(resident, "urgency")
    resident.says(typed)
    resident.taps("intake:contact:line")
    resident.taps("intake:consent:yes")
    resident.taps("intake:submit")
    [record] = records(app)
    assert record.urgency == "anytime"


@pytest.mark.parametrize(("locale", "typed"), [("ja", "いじょうです"), ("ja", "以上です。よろしくお願いします"),
                                               ("ja", "おわりです"), ("en", "that's all"), ("vi", "xong rồi")])
def test_done_at_the_details_is_not_kept_as_part_of_them(app, chat, locale, typed):
    resident = resident_in(chat, locale)
    consult_until(resident, "details")
    resident.says(STORY["ja"])
    resident.says(typed)
    assert draft(app).state == "urgency"
    resident.taps("intake:urgency:days")
    resident.taps("intake:contact:line")
    resident.taps("intake:consent:yes")
    resident.taps("intake:submit")
    [record] = records(app)
    assert record.details == STORY["ja"]


@pytest.mark.parametrize(("locale", "typed"), [("ja", "もの忘れ"), ("ja", "ものわすれがひどい"), ("ja", "物忘れ"),
                                               ("en", "dementia"), ("vi", "chăm sóc người già")])
def test_forgetfulness_in_kana_or_kanji_is_the_elderly_category(app, chat, locale, typed):
    resident = resident_in(chat, locale)
    consult_naming_the_topic(resident, typed)
    [record] = records(app)
    assert record.categories == ["elderly"]


@pytest.mark.parametrize(("locale", "typed", "step"), [
    ("ja", "内容をなおしたいです", "details"), ("ja", "地区を変えたいです", "area"), ("ja", "種類を直したい", "categories"),
    ("en", "I want to change the details", "details"), ("vi", "tôi muốn sửa nội dung", "details"),
])
def test_asking_to_change_at_the_summary_opens_that_answer(app, chat, locale, typed, step):
    resident = resident_in(chat, locale)
    consult_until(resident, "confirm")
    resident.says(typed)
    assert Translator(locale)._("入力内容を確かめてください。") not in resident.last_text()
    conversation = draft(app)
    assert conversation.state == step and conversation.data["changing"]
    assert [item.get("text") for item in conversation.data["details"]] == [STORY["ja"]]  # not added to the details


@pytest.mark.parametrize(("locale", "typed"), [("ja", "ふたりです"), ("ja", "２名で"), ("ja", "母と二人で行きます"),
                                               ("en", "two of us"), ("zh_Hans", "两个人"), ("vi", "hai người")])
def test_a_party_size_in_words_is_read(app, chat, locale, typed):
    event_id = create_event(app, capacity=10, max_party_size=3)
    resident = resident_in(chat, locale)
    resident.taps(f"events:apply:{event_id}")
    resident.says(typed)
    with tsunagu_of(app).db.transaction() as session:
        conversation = session.scalars(select(Conversation).where(Conversation.flow == "events")).one()
        assert (conversation.state, conversation.data["party_size"]) == ("name", 2)


@pytest.mark.parametrize(("locale", "typed"), [("ja", "日曜日"), ("ja", "今度の日曜"), ("ja", "にちようびです"), ("en", "Sunday"),
                                               ("zh_Hans", "星期天"), ("vi", "chủ nhật")])
def test_a_weekday_at_the_date_question_shows_that_days_events(app, chat, locale, typed):
    today = days_ahead(0).date()
    sunday = (6 - today.weekday()) % 7
    create_event(app, title="日曜のサロン", starts_at=days_ahead(sunday, 13))
    create_event(app, title="ほかの日の体操", kind="rehab_exercise", starts_at=days_ahead(sunday + 1 if sunday < 6 else 1))
    resident = resident_in(chat, locale)
    resident.taps("events:date")
    resident.new_messages()
    resident.says(typed)
    assert titles(resident.new_messages()) == ["日曜のサロン"]


# -- finding 7: typed requests go the right way --------------------------------------------------------


@pytest.mark.parametrize(("locale", "typed"), [("ja", "平のあたりでオレンジカフェはありますか"),
                                               ("ja", "たいらでオレンジカフェやってますか？"),
                                               ("en", "Is there an orange cafe in Taira?"),
                                               ("vi", "Ở Taira có cà phê cam không?")])
def test_an_events_question_in_one_sentence_searches_events_not_a_consultation(app, chat, locale, typed):
    create_event(app, title="平のオレンジカフェ", kind="orange_cafe", area_code="taira")
    create_event(app, title="平のサロン", kind="salon", area_code="taira")
    create_event(app, title="小名浜のオレンジカフェ", kind="orange_cafe", area_code="onahama")
    resident = resident_in(chat, locale)
    resident.says(typed)
    assert titles(resident.new_messages()) == ["平のオレンジカフェ"]
    assert draft(app) is None and records(app) == []
    resident.says("いいえ" if locale == "ja" else "no")  # nothing was offered, so nothing is deleted or refused
    assert records(app) == []


@pytest.mark.parametrize(("locale", "typed", "title"), [
    ("ja", "オレンジカフェ", "平のオレンジカフェ"), ("ja", "リハビリ体操", "平のリハビリ体操"), ("ja", "リハビリたいそうは？", "平のリハビリ体操"),
    ("en", "orange cafe", "平のオレンジカフェ"), ("zh_Hans", "康复体操", "平のリハビリ体操"),
])
def test_a_kind_of_gathering_alone_searches_events(app, chat, locale, typed, title):
    create_event(app, title="平のオレンジカフェ", kind="orange_cafe")
    create_event(app, title="平のリハビリ体操", kind="rehab_exercise")
    resident = resident_in(chat, locale)
    resident.says(typed)
    assert titles(resident.new_messages()) == [title]


@pytest.mark.parametrize(("locale", "typed", "answer"), [
    ("ja", "こんにちは", "こんにちは。「つなぐ」です。困りごとは、そのまま書いて送ってください。下のボタンからも選べます。"),
    ("ja", "つなぐさん、こんばんは！", "こんにちは。「つなぐ」です。困りごとは、そのまま書いて送ってください。下のボタンからも選べます。"),
    ("ja", "ありがとう", "どういたしまして。またいつでも声をかけてください。"),
    ("ja", "ありがとうございました。", "どういたしまして。またいつでも声をかけてください。"),
    ("en", "hello", "こんにちは。「つなぐ」です。困りごとは、そのまま書いて送ってください。下のボタンからも選べます。"),
    ("vi", "cảm ơn", "どういたしまして。またいつでも声をかけてください。"),
    ("zh_Hans", "谢谢", "どういたしまして。またいつでも声をかけてください。"),
])
def test_greetings_and_thanks_get_a_friendly_answer_and_the_menu(chat, locale, typed, answer):
    resident = resident_in(chat, locale)
    resident.says(typed)
    [reply] = resident.new_messages()
    t = Translator(locale)
    assert reply["text"] == t._(answer)
    assert resident.chips() == [t._("相談する"), t._("イベント・サロン"), t._("申込の確認"), "言語/Language"]


@pytest.mark.parametrize(("locale", "typed"), [("ja", "さっきの相談はどうなってますか"), ("ja", "相談の返事はまだですか？"),
                                               ("en", "How is my consultation going?"),
                                               ("vi", "tư vấn của tôi thế nào rồi?")])
def test_asking_how_a_consultation_goes_shows_its_status_not_a_new_one(app, chat, locale, typed):
    resident = resident_in(chat, locale)
    consult_until(resident, "confirm")
    resident.taps("intake:submit")
    [record] = records(app)
    resident.new_messages()
    resident.says(typed)
    assert record.receipt_number in resident.last_text()
    assert Translator(locale)._("受付済み") in resident.last_text()
    assert draft(app) is None and len(records(app)) == 1
    assert active_flow_name(app, resident.user_id) in (None, "status")
    assert all(message[2] != typed for message in _thread(app))


def _thread(app) -> list[tuple]:  # noqa: ANN001
    with tsunagu_of(app).db.transaction() as session:
        record = session.scalars(select(IntakeRecord)).one()
        return [(m.phase, m.kind, m.text) for m in record.messages]


def test_a_date_in_a_past_day_of_this_month_is_next_months(app, chat):
    """「5日」 typed at the date question is the coming 5th, never a day gone by."""
    today = days_ahead(0).date()
    target = today + timedelta(days=3)
    create_event(app, title="その日のサロン", starts_at=days_ahead(3))
    resident = resident_in(chat, "ja")
    resident.taps("events:date")
    resident.new_messages()
    resident.says(f"{target.day}日")
    assert titles(resident.new_messages()) == ["その日のサロン"]


@pytest.mark.parametrize(("locale", "trouble", "typed"), [
    ("ja", "母のもの忘れが心配です", "はい、相談する"), ("ja", "母のもの忘れが心配です", "はい、お願いします"),
    ("ja_Hira", "おかあさんの ものわすれが しんぱいです", "はい、そうだんする"), ("en", "I am worried about my mother's dementia", "yes please"),
])
def test_a_consultation_offered_is_accepted_in_words(app, chat, locale, trouble, typed):
    resident = resident_in(chat, locale)
    resident.says(trouble)
    assert draft(app).state == "offered"
    resident.says(typed)
    conversation = draft(app)
    assert conversation.state == "who"
    assert [item["text"] for item in conversation.data["details"]] == [trouble]  # the answer is not kept


@pytest.mark.parametrize(("typed", "categories"), [
    ("介護のことです。お金の心配はありません", ["elderly"]),
    ("お金は大丈夫です、介護です", ["elderly"]),
    ("お金が心配です", ["money"]),  # 心配 is not 心 (health)
    ("仕事がないんです", ["work"]),  # no work is the worry itself
])
def test_a_topic_said_to_be_no_worry_is_not_chosen(app, chat, typed, categories):
    resident = resident_in(chat, "ja")
    consult_naming_the_topic(resident, typed)
    [record] = records(app)
    assert record.categories == categories
