"""Residents use the bot in 日本語, やさしい日本語, English, 简体中文 and Tiếng Việt.

Each language walks the whole consultation and a salon sign-up: every text
the bot sends is in the resident's language (Japanese appears only in place
names, event data staff typed, and the 言語/Language button), every label
fits LINE's limits (the fake platform records violations), and dates are
written the way the language writes them.
"""
from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.i18n import LANGUAGE_NAMES, SUPPORTED_LOCALES, Translator, normalise_locale
from bot.models import Resident, SignUp
from bot.models.intake import IntakeRecord
from bot.services.events.notices import describe_when
from bot.services.routing import centre_for_area
from tests.events_support import create_event, days_ahead, tsunagu_of
from tests.support import compile_catalogs

# The language on the resident's phone; やさしい日本語 is chosen from the menu.
PHONE_LANGUAGE = {"ja": "ja", "ja_Hira": "ja", "en": "en", "zh_Hans": "zh-Hans", "vi": "vi"}
STORY = {
    "ja": "母が認知症で、ひとりで介護していて疲れました。",
    "ja_Hira": "おかあさんが にんちしょうです。ひとりで かいごして つかれました。",
    "en": "My mother has dementia and I look after her alone. I am exhausted.",
    "zh_Hans": "我母亲有痴呆症，我一个人照顾她，很累。",
    "vi": "Mẹ tôi bị sa sút trí tuệ, tôi chăm sóc một mình nên rất mệt.",
}
# What residents type instead of tapping, in their language.
TYPED = {
    "ja": {"who": "母のことです", "name": "山田ハナ", "yes": "はい"},
    "ja_Hira": {"who": "かぞく", "relation": "むすめです", "name": "やまだ はな", "yes": "はい"},
    "en": {"who": "my mother", "name": "Hana Yamada", "yes": "yes"},
    "zh_Hans": {"who": "我妈妈", "name": "山田花", "yes": "同意"},
    "vi": {"who": "mẹ tôi", "name": "bà Hana", "yes": "đồng ý"},
}
KANA = re.compile(r"[\u3041-\u309f\u30a1-\u30fa\u30fc-\u30ff]")  # kana, but not the middle dot ・
# Proper nouns residents see in Japanese whatever their language: the service's name and the
# button that leads to the language menu.
JAPANESE_NAMES = ("つなぐ", "言語/Language", "地区保健福祉センター", "地域包括支援センター")


@pytest.fixture(autouse=True)
def catalogs():
    compile_catalogs()


def texts_of(messages: list[dict]) -> list[str]:
    """Every text a resident reads: message texts, Flex texts and button labels, quick-reply labels."""
    found: list[str] = []

    def walk(node: object) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key in ("text", "label", "altText") and isinstance(value, str):
                    found.append(value)
                else:
                    walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(messages)
    return found


def japanese_left(text: str, app, extra: tuple[str, ...] = ()) -> list[str]:  # noqa: ANN001
    """Kana left in a text once the Japanese names it may quote are removed."""
    profile = tsunagu_of(app).profile
    names = [profile.name, profile.coordinator.name, *JAPANESE_NAMES, *extra]
    for area in profile.areas:
        names += [area.name, area.kana]
    for centre in profile.centres:
        names += [centre.name, centre.short_name]
    for hotline in profile.hotlines:
        names.append(hotline.name)
    for name in sorted(names, key=len, reverse=True):
        text = text.replace(name, "")
    return KANA.findall(text)


def tap(resident, data: str) -> None:  # noqa: ANN001
    """Tap the quick reply that sends ``data``, checking it is offered."""
    assert data in resident_chip_data(resident), (data, resident.chips())
    resident.taps(data)


def resident_chip_data(resident) -> list[str]:  # noqa: ANN001
    items = (resident.messages()[-1].get("quickReply") or {}).get("items", [])
    return [item["action"].get("data", "") for item in items]


def start(chat, locale: str, user_id: str, name: str = "山田花子"):  # noqa: ANN001, ANN201
    resident = chat(user_id=user_id, display_name=name, language=PHONE_LANGUAGE[locale])
    resident.follows()
    if locale == "ja_Hira":
        resident.taps("menu:language")
        resident.tap_chip("やさしい日本語")
    return resident


def consult(chat, locale: str, user_id: str):  # noqa: ANN001, ANN201
    """The whole consultation, tapping most answers and typing some, as residents do."""
    resident = start(chat, locale, user_id)
    resident.taps("menu:consult")
    resident.says(TYPED[locale]["who"])
    if "relation" in TYPED[locale]:  # 「母のこと」 already says who the resident is to her
        resident.says(TYPED[locale]["relation"])
    resident.says(TYPED[locale]["name"])
    tap(resident, "intake:cat:elderly")
    tap(resident, "intake:catdone")
    tap(resident, "intake:area:onahama")
    resident.says(STORY[locale])
    tap(resident, "intake:detailsdone")
    tap(resident, "intake:urgency:days")
    tap(resident, "intake:contact:line")
    resident.says(TYPED[locale]["yes"])  # consent, typed
    tap(resident, "intake:submit")
    return resident


@pytest.mark.parametrize("locale", SUPPORTED_LOCALES)
def test_a_resident_consults_in_their_language(app, chat, line, locale):
    user_id = "U" + "1" * 31 + str(SUPPORTED_LOCALES.index(locale))
    resident = consult(chat, locale, user_id)
    t = Translator(locale)
    assert t._("受付番号：{receipt}", receipt="IW-") in resident.last_reply_text()
    with tsunagu_of(app).db.transaction() as session:
        stored = session.scalars(select(Resident).where(Resident.line_user_id == user_id)).one()
        assert stored.locale == locale
        record = session.scalars(select(IntakeRecord).where(IntakeRecord.resident_id == stored.id)).one()
        assert (record.subject, record.categories, record.area_code) == ("family", ["elderly"], "onahama")
        assert (record.relation, record.person_name) == ("child", TYPED[locale]["name"])
    desk = centre_for_area(tsunagu_of(app).profile, "onahama")
    assert desk.place_in(locale) in resident.last_reply_text()  # the desk, in the resident's language and in Japanese
    messages = line.messages_to(user_id)
    assert line.violations == []
    if locale in ("en", "zh_Hans", "vi"):
        leftovers = {text: japanese_left(text, app, ("山田花子", STORY["ja"])) for text in texts_of(messages)}
        assert {text: kana for text, kana in leftovers.items() if kana} == {}


def test_easy_japanese_is_its_own_register_not_a_copy(app, chat):
    """やさしい日本語 residents read different, simpler sentences than standard Japanese ones."""
    standard = consult(chat, "ja", "U" + "2" * 32).messages()
    easy = consult(chat, "ja_Hira", "U" + "3" * 32).messages()
    standard_texts = [m["text"] for m in standard if m["type"] == "text"]
    easy_texts = [m["text"] for m in easy if m["type"] == "text"]
    same = set(standard_texts) & set(easy_texts)
    assert len(same) <= len(set(easy_texts)) // 4, same


@pytest.mark.parametrize("locale", SUPPORTED_LOCALES)
def test_a_resident_signs_up_for_a_salon_in_their_language(app, chat, line, locale):
    starts = days_ahead(3, 14)
    event_id = create_event(app, capacity=10, max_party_size=3, starts_at=starts)
    user_id = "U" + "4" * 31 + str(SUPPORTED_LOCALES.index(locale))
    resident = start(chat, locale, user_id)
    resident.taps("menu:events")
    tap(resident, "events:area")
    taira = tsunagu_of(app).profile.area("taira")
    assert taira.place_in(locale, limit=20) in resident.chips()
    tap(resident, "events:area:taira")
    t = Translator(locale)
    card = texts_of([resident.messages()[-1]])
    when = next(text for text in card if t.format_day(starts) in text)
    assert t.format_time(starts) in when  # 11月25日(水) 14:00〜16:00 / Wed, Nov 25 2:00 PM… / Th 4, 25 thg 11…
    resident.taps(f"events:apply:{event_id}")
    tap(resident, "events:party:2")
    tap(resident, "events:name")
    resident.says("090-1234-5678")
    tap(resident, "events:submit")
    when = describe_when(t, starts, starts + timedelta(hours=2))
    assert resident.last_text() == t._(
        "お申し込みを受け付けました。\n「{title}」\n日時：{when}\n会場：{venue}\n人数：{party}名\n"
        "前日にもご案内をお送りします。お気をつけてお越しください。",
        title="ふれあいサロン", when=when, venue="平 中央公民館", party=2)
    assert line.violations == []
    if locale in ("en", "zh_Hans", "vi"):
        leftovers = {text: japanese_left(text, app, ("山田花子", "ふれあいサロン", "平 中央公民館"))
                     for text in texts_of(line.messages_to(user_id))}
        assert {text: kana for text, kana in leftovers.items() if kana} == {}


# Yes and no as residents type them (bot/understanding/answers.py), the same in every flow.
YES_TYPED = {"ja": ["はい", "うん", "お願いします"], "ja_Hira": ["ええ", "はい。"], "en": ["Yes", "OK", "sure"],
             "zh_Hans": ["是", "好的", "可以"], "vi": ["có", "vâng", "Dạ", "duoc"]}
NO_TYPED = {"ja": ["いいえ", "いや"], "ja_Hira": ["いいえ。"], "en": ["No", "nope"], "zh_Hans": ["不", "不要"],
            "vi": ["không", "thôi", "khong"]}


def signed_up(app, user_id: str, locale: str) -> int:  # noqa: ANN001
    """A confirmed sign-up of the resident for a new salon."""
    from bot.services.events import EventService
    from tests.events_support import resident as stored_resident

    event_id = create_event(app)
    with tsunagu_of(app).db.transaction() as session:
        events = EventService(session, tsunagu_of(app).profile)
        return events.sign_up(event_id, resident=stored_resident(session, user_id, locale=locale), party_size=1,
                              name="山田花子").id


def signup_status(app, signup_id: int) -> str:  # noqa: ANN001
    with tsunagu_of(app).db.transaction() as session:
        return session.get(SignUp, signup_id).status


def signup_statuses(app) -> list[str]:  # noqa: ANN001
    with tsunagu_of(app).db.transaction() as session:
        return list(session.scalars(select(SignUp.status).order_by(SignUp.id)))


@pytest.mark.parametrize(("locale", "typed"), [(locale, typed) for locale in SUPPORTED_LOCALES for typed in YES_TYPED[locale]])
def test_yes_is_understood_in_every_language_when_cancelling_a_sign_up(app, chat, locale, typed):
    resident = start(chat, locale, "U" + "5" * 32)
    signup_id = signed_up(app, resident.user_id, locale)
    resident.taps(f"signups:cancel:{signup_id}")
    resident.says(typed)
    assert signup_status(app, signup_id) == "cancelled"


@pytest.mark.parametrize(("locale", "typed"), [(locale, typed) for locale in SUPPORTED_LOCALES for typed in NO_TYPED[locale]])
def test_no_is_understood_in_every_language_when_cancelling_a_sign_up(app, chat, locale, typed):
    resident = start(chat, locale, "U" + "5" * 32)
    signup_id = signed_up(app, resident.user_id, locale)
    resident.taps(f"signups:cancel:{signup_id}")
    resident.says(typed)
    assert signup_status(app, signup_id) == "confirmed"
    assert resident.last_text() == Translator(locale)._("お申し込みはそのままです。当日お待ちしています。")


@pytest.mark.parametrize("locale", SUPPORTED_LOCALES)
def test_yes_and_no_are_the_same_words_in_the_consultation_the_sign_up_and_the_withdrawal(app, chat, locale):
    yes, no = YES_TYPED[locale][-1], NO_TYPED[locale][-1]
    resident = consult(chat, locale, "U" + "6" * 32)  # consented by typing
    event_id = create_event(app, capacity=1)
    resident.taps(f"events:apply:{event_id}")
    tap(resident, "events:name")
    tap(resident, "events:no_phone")
    resident.says(no)
    assert signup_statuses(app) == []
    resident.taps(f"events:apply:{event_id}")
    tap(resident, "events:name")
    tap(resident, "events:no_phone")
    resident.says(yes)
    assert signup_statuses(app) == ["confirmed"]
    with tsunagu_of(app).db.transaction() as session:
        record = session.scalars(select(IntakeRecord)).one()
        receipt = record.receipt_number
    resident.taps("status:withdraw")
    resident.says(no)
    resident.taps("status:withdraw")
    resident.says(yes)
    assert resident.last_text() == Translator(locale)._(
        "受付番号 {receipt} のご相談を取り下げました。またいつでもご相談ください。", receipt=receipt)


def test_no_word_means_both_yes_and_no_in_any_flow():
    from bot.flows.event_words import SIGN_UP_YES
    from bot.flows.signups import CANCEL_NO, CANCEL_YES
    from bot.flows.status import WITHDRAW_NO, WITHDRAW_YES
    from bot.understanding.answers import AGREE, DISAGREE, NO, SEND, YES

    for yes, no in [(AGREE, DISAGREE), (SEND, DISAGREE), (SIGN_UP_YES, frozenset()), (CANCEL_YES, CANCEL_NO),
                    (WITHDRAW_YES, WITHDRAW_NO)]:
        assert (YES | yes) & (NO | no) == set()


@pytest.mark.parametrize("typed", ["はいらない", "いいえ", "はい、でもやめておきます", "不是", "không có"])
def test_words_that_only_look_like_yes_do_not_cancel_a_sign_up(app, chat, typed):
    resident = start(chat, "ja", "U" + "5" * 32)
    signup_id = signed_up(app, resident.user_id, "ja")
    resident.taps(f"signups:cancel:{signup_id}")
    resident.says(typed)
    assert signup_status(app, signup_id) == "confirmed"


@pytest.mark.parametrize("locale", SUPPORTED_LOCALES)
def test_dates_follow_the_residents_language_in_tokyo_time(locale):
    from datetime import datetime, timezone

    moment = datetime(2026, 11, 22, 5, 0, tzinfo=timezone.utc)  # 14:00 in Tokyo
    expected = {
        "ja": "11月22日(日) 14:00", "ja_Hira": "11月22日(日) 14:00", "en": "Sun, Nov 22 2:00 PM",
        "zh_Hans": "11月22日周日 14:00", "vi": "CN, 22 thg 11 14:00",
    }[locale]
    t = Translator(locale)
    assert f"{t.format_day(moment)} {t.format_time(moment)}".replace("\u202f", " ") == expected


@pytest.mark.parametrize(("phone", "locale"), [
    ("ja", "ja"), ("ja-JP", "ja"), ("en", "en"), ("en-GB", "en"), ("zh-Hans", "zh_Hans"), ("zh-CN", "zh_Hans"),
    ("zh", "zh_Hans"), ("zh-Hant", "zh_Hans"), ("zh-TW", "zh_Hans"), ("vi", "vi"), ("vi-VN", "vi"),
    ("ko", "en"), ("th", "en"), (None, "ja"), ("", "ja"),
])
def test_the_line_profile_language_picks_the_residents_language(phone, locale):
    assert normalise_locale(phone) == locale


@pytest.mark.parametrize(("typed", "locale"), [
    ("English", "en"), ("英語", "en"), ("中文", "zh_Hans"), ("简体中文", "zh_Hans"), ("中国語", "zh_Hans"),
    ("Tiếng Việt", "vi"), ("tieng viet", "vi"), ("ベトナム語", "vi"), ("やさしい日本語", "ja_Hira"),
    ("やさしいにほんご", "ja_Hira"), ("日本語", "ja"), ("日语", "ja"), ("tiếng nhật", "ja"),
])
def test_a_language_can_be_named_in_any_language(app, chat, typed, locale):
    resident = chat()
    resident.follows()
    resident.says("言語")
    resident.says(typed)
    with tsunagu_of(app).db.transaction() as session:
        assert session.scalars(select(Resident).where(Resident.line_user_id == resident.user_id)).one().locale == locale


def test_the_language_menu_names_each_language_in_itself(chat):
    resident = chat(language="vi")
    resident.follows()
    resident.taps("menu:language")
    assert resident.chips() == [LANGUAGE_NAMES[code] for code in SUPPORTED_LOCALES]
    assert resident.chips() == ["日本語", "やさしい日本語", "English", "简体中文", "Tiếng Việt"]
    resident.tap_chip("简体中文")
    assert resident.last_text() == Translator("zh_Hans")._("表示する言語を日本語にしました。")
    assert not KANA.search(resident.last_text())


# -- typed answers in every language ---------------------------------------------------------------

@pytest.mark.parametrize(("typed", "subject"), [
    ("自分のことです", "self"), ("母のことです", "family"), ("となりの人", "neighbour"), ("my mother", "family"),
    ("我妈妈", "family"), ("我自己", "self"), ("邻居", "neighbour"),
    ("mẹ tôi", "family"), ("bản thân tôi", "self"), ("hàng xóm", "neighbour"),
])
def test_who_the_consultation_is_about_can_be_typed_in_any_language(typed, subject):
    from bot.flows.intake_words import subject_from_text

    assert subject_from_text(typed) == subject


@pytest.mark.parametrize(("typed", "codes"), [
    ("かいご", ["elderly"]), ("护理", ["elderly"]), ("房租", ["housing"]), ("工作", ["work"]),
    ("chăm sóc người già", ["elderly"]), ("việc làm", ["work"]), ("Không rõ・Khác", ["unknown"]),
    ("不清楚・其他", ["unknown"]),
])
def test_categories_can_be_typed_in_any_language(app, typed, codes):
    from bot.flows.intake_words import categories_from_text

    assert categories_from_text(typed, tsunagu_of(app).profile) == codes


@pytest.mark.parametrize(("check", "typed"), [
    ("is_next", "下一步"), ("is_next", "xong"), ("is_back", "返回"), ("is_back", "quay lại"), ("is_skip", "跳过"),
    ("is_skip", "bỏ qua"), ("is_unknown", "不知道"), ("is_unknown", "không biết"), ("is_resume", "继续"),
])
def test_answers_to_the_steps_can_be_typed_in_any_language(check, typed):
    from bot.understanding import answers

    assert getattr(answers, check)(typed)


@pytest.mark.parametrize(("typed", "item"), [
    ("咨询", "consult"), ("活动", "events"), ("Tư vấn", "consult"), ("sự kiện", "events"), ("语言", "language"),
    ("ngôn ngữ", "language"), ("そうだん", "consult"),
])
def test_menu_items_can_be_typed_in_any_language(typed, item):
    from bot.flows.menu import item_for_text

    assert item_for_text(typed).code == item


def test_salon_answers_can_be_typed_in_any_language():
    from datetime import date

    from bot.understanding.dates import date_in_text
    from bot.understanding.numbers import number_of_people

    assert [number_of_people(w) for w in ("2人", "两个人", "2 người", "hai người")] == [2, 2, 2, 2]
    today = date(2026, 11, 22)
    assert (date_in_text("12月3日", today) == date_in_text("12月3号", today) == date_in_text("ngày 3 tháng 12", today)
            == date(2026, 12, 3))


def test_an_area_can_be_typed_by_its_translated_name(app):
    profile = tsunagu_of(app).profile
    assert profile.find_area("Onahama").code == "onahama"
    assert profile.find_area("おなはま").code == "onahama"


# -- names from the municipality profile -----------------------------------------------------------

def test_profile_names_are_shown_translated_with_the_japanese_place_name(app):
    profile = tsunagu_of(app).profile
    onahama = profile.area("onahama")
    assert [onahama.place_in(locale) for locale in SUPPORTED_LOCALES] == [
        "小名浜", "小名浜（おなはま）", "Onahama 小名浜", "小名浜", "Onahama 小名浜"]
    assert all(len(area.place_in(locale, limit=20)) <= 20 for area in profile.areas for locale in SUPPORTED_LOCALES)
    assert profile.category("elderly").text_in("vi") == "Chăm sóc/Người cao tuổi"
    assert profile.category("elderly").text_in("ja") == "介護・高齢"
    assert profile.coordinator.text_in("en", "hours") == "Weekdays 8:30–17:15"
    assert profile.hotlines_for("suicide")[0].text_in("zh_Hans") != profile.hotlines_for("suicide")[0].name


def test_a_profile_translation_of_an_unknown_field_or_language_is_refused(tmp_path):
    from bot.municipality import PROFILES_DIR, ProfileError, load_profile

    original = (PROFILES_DIR / "iwaki.toml").read_text(encoding="utf-8")
    for wrong, message in (
        ('translations = { en = { name = "Onahama" }, vi = { name = "Onahama" }, ja_Hira = { name = "おなはま" } }',
         "not a translatable field"),
    ):
        broken = original.replace(wrong, wrong.replace('en = { name = "Onahama" }', 'en = { nam = "Onahama" }'), 1)
        path = tmp_path / "broken.toml"
        path.write_text(broken, encoding="utf-8")
        with pytest.raises(ProfileError, match=message):
            load_profile(str(path))
    broken = original.replace('vi = { name = "Onahama" }', 'fr = { name = "Onahama" }', 1)
    path = tmp_path / "french.toml"
    path.write_text(broken, encoding="utf-8")
    with pytest.raises(ProfileError, match=r"areas\[1\]\.translations\.fr"):
        load_profile(str(path))


def test_a_chosen_language_outlives_blocking_and_re_adding_the_account(app, chat):
    resident = start(chat, "ja_Hira", "U" + "5" * 32)
    resident.send("unfollow", reply=False)
    resident.send("follow", follow={"isUnblocked": True})
    with tsunagu_of(app).db.transaction() as session:
        assert session.scalars(select(Resident).where(Resident.line_user_id == resident.user_id)).one().locale == "ja_Hira"
    assert resident.last_text().startswith(Translator("ja_Hira")._("{name}さん、おかえりなさい。", name="山田花子"))


@pytest.mark.parametrize(("locale", "words"), [
    ("zh_Hans", "我真的不想活了"), ("vi", "Tôi muốn chết"), ("en", "I want to die"), ("ja_Hira", "もう しにたい"),
])
def test_danger_signals_are_answered_with_numbers_in_the_residents_language(app, chat, line, locale, words):
    resident = start(chat, locale, "U" + "6" * 31 + str(SUPPORTED_LOCALES.index(locale)))
    resident.says(words)
    answer = "\n".join(line.texts_to(resident.user_id)[-3:])
    assert "119" in answer
    yorisoi = next(h for h in tsunagu_of(app).profile.hotlines if h.code == "yorisoi")
    assert yorisoi.text_in(locale) in answer
    if locale != "ja_Hira":
        assert japanese_left(answer, app) == []
