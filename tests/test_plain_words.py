"""Small things residents notice: a welcome back, one bubble for やめる, dates to come, plain words, clean punctuation."""
from __future__ import annotations

import re
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from bot.models import utcnow
from bot.municipality import load_profile
from tests.events_support import TOKYO

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
import i18n  # noqa: E402  (scripts/i18n.py: what residents may read)

# Japanese punctuation that has no place in an English or Vietnamese sentence.
JAPANESE_PUNCTUATION = re.compile(r"[、。（）「」『』【】・：？！]")
# The language question is asked in every language at once, Japanese included, on purpose.
BILINGUAL = {"どの言語で表示しますか？\nWhich language would you like?"}
# Chinese text in half-width parentheses: Chinese writes （…）.
CHINESE_IN_HALF_WIDTH_PARENTHESES = re.compile(r"\([^()]*[\u4e00-\u9fff][^()]*\)")
JARGON = ("アウトリーチ", "8050", "ダブルケア")


def catalog(locale: str):  # noqa: ANN201
    with (ROOT / "locales" / locale / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        return read_po(handle, locale=locale)


@pytest.fixture(scope="module")
def resident_msgids() -> set[str]:
    return i18n.resident_msgids()


# -- punctuation ------------------------------------------------------------------------------------

@pytest.mark.parametrize("locale", ["en", "vi"])
def test_english_and_vietnamese_texts_have_no_japanese_punctuation(locale, resident_msgids):
    wrong = [message.string for message in catalog(locale)
             if message.id in resident_msgids and message.id not in BILINGUAL and message.string
             and JAPANESE_PUNCTUATION.search(message.string)]
    assert wrong == []


def test_chinese_texts_use_chinese_parentheses_and_no_japanese_dots(resident_msgids):
    wrong = [message.string for message in catalog("zh_Hans")
             if message.id in resident_msgids and message.id not in BILINGUAL and message.string
             and (CHINESE_IN_HALF_WIDTH_PARENTHESES.search(message.string) or "・" in message.string)]
    assert wrong == []


@pytest.mark.parametrize("city", ["iwaki", "takamatsu"])
def test_the_profiles_translations_use_each_languages_punctuation(city):
    profile = load_profile(city)
    translated = [profile, *profile.areas, *profile.centres, profile.coordinator, *profile.categories,
                  *profile.hotlines]
    for item in translated:
        for locale, fields in item.translations.items():
            for text in fields.values():
                if locale in ("en", "vi"):
                    assert not JAPANESE_PUNCTUATION.search(text), (locale, text)
                if locale == "zh_Hans":
                    assert "・" not in text and not CHINESE_IN_HALF_WIDTH_PARENTHESES.search(text), text


# -- words residents read ------------------------------------------------------------------------------

def test_the_city_says_sumimasen_not_moushiwake_arimasen(resident_msgids):
    assert [msgid for msgid in resident_msgids if "申し訳" in msgid] == []


def test_no_staff_jargon_in_what_residents_read(resident_msgids):
    assert [msgid for msgid in resident_msgids if any(word in msgid for word in JARGON)] == []
    for city in ("iwaki", "takamatsu"):
        for category in load_profile(city).categories:
            for locale in ("ja", "ja_Hira", "en", "zh_Hans", "vi"):
                shown = category.text_in(locale) + category.chip_in(locale)
                assert not any(word in shown for word in JARGON), (city, locale, shown)


def test_the_category_question_speaks_plainly(app, chat):
    resident = chat()
    resident.follows()
    resident.taps("menu:consult")
    resident.taps("intake:who:family")
    resident.taps("intake:relation:child")
    resident.taps("intake:personunknown")
    assert "家族のこと" in resident.last_text()
    assert not any(word in resident.last_text() for word in JARGON)
    assert "家族のこと" in resident.chips()


@pytest.mark.parametrize(("locale", "city"), [("en", "Iwaki City"), ("vi", "thành phố Iwaki"), ("zh_Hans", "磐城市")])
def test_the_greeting_names_the_city_in_the_residents_language(app, chat, locale, city):
    resident = chat(user_id="U" + "7" * 31 + locale[0], display_name="Lan", language=locale)
    resident.follows()
    assert city in resident.last_text()
    assert "いわき市" not in resident.last_text()


# -- a welcome back, and one bubble for やめる ------------------------------------------------------------

def test_stopping_a_consultation_answers_in_one_bubble(app, chat):
    resident = chat()
    resident.follows()
    resident.taps("menu:consult")
    resident.taps("intake:who:self")
    resident.new_messages()
    resident.says("やめる")
    [stopped] = resident.new_messages()
    assert stopped["text"] == "入力された内容は削除しました。\n中止しました。ほかにご用件があれば選んでください。"
    assert [item["action"]["label"] for item in stopped["quickReply"]["items"]][0] == "相談する"


def test_leaving_a_consultation_for_the_menu_answers_in_one_bubble(app, chat):
    resident = chat()
    resident.follows()
    resident.taps("menu:consult")
    resident.taps("intake:who:self")
    resident.new_messages()
    resident.says("メニュー")
    [menu] = resident.new_messages()
    assert menu["text"] == "入力の途中の相談は24時間保存します。「相談する」から続きを入力できます。\nご用件を選んでください。"


def test_stopping_in_english_answers_in_one_bubble(app, chat):
    john = chat(user_id="U" + "8" * 32, display_name="John", language="en")
    john.follows()
    john.taps("menu:consult")
    john.taps("intake:who:self")
    john.new_messages()
    john.says("cancel")
    [stopped] = john.new_messages()
    assert stopped["text"] == "What you entered has been deleted.\nCancelled. Is there anything else we can help with?"


# -- the date in the events' hint is still to come ---------------------------------------------------------

@pytest.mark.parametrize(("locale", "user"), [("ja", "U" + "9" * 31 + "j"), ("en", "U" + "9" * 31 + "e")])
def test_the_date_example_is_a_day_to_come(app, chat, locale, user):
    resident = chat(user_id=user, language=locale)
    resident.follows()
    resident.taps("menu:events")
    resident.says("ぱぴぷぺぽ")
    soon = utcnow().astimezone(TOKYO).date() + timedelta(days=7)
    example = f"{soon.month}/{soon.day}"
    hint = resident.last_text()
    assert (f"日付（例：{example}）" in hint) if locale == "ja" else (f"(e.g. {example}, month/day)" in hint)


def test_declining_in_english_shows_the_number_with_english_parentheses(app, chat):
    john = chat(user_id="U" + "6" * 32, display_name="John", language="en")
    john.follows()
    for typed in ("consult", "my mother", "I don't know", "care and money", "next", "Onahama", "She is getting forgetful.", "done",
                  "no hurry", "by LINE"):
        john.says(typed)
    john.says("I do not agree")
    declined = john.last_text()
    assert "☎ 0246-22-1111 (Weekdays 8:30–17:15)" in declined
    assert not JAPANESE_PUNCTUATION.search(declined.replace("小名浜", ""))
