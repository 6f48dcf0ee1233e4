"""The rich menu: two pages switched by tabs, one set per language, installed by a command, linked to each resident."""
from __future__ import annotations

import re

import pytest
from linebot.v3.messaging import CreateRichMenuAliasRequest, RichMenuRequest
from sqlalchemy import select

from bot.i18n import SUPPORTED_LOCALES
from bot.models import Resident
from bot.messaging.richmenu import (
    HEIGHT, PAGES, TAB_HEIGHT, WIDTH, alias_id, image_path, menu_name, rich_menu_request, shown,
)
from tests.support import Worker, compile_catalogs, run_like_the_consumer

RICH_MENU_LABEL_LIMIT = 20  # an area action's label
CHAT_BAR_LIMIT = 14
PAGE_CODES = [page.code for page in PAGES]


@pytest.fixture(autouse=True)
def catalogs():
    compile_catalogs()


@pytest.fixture
def app(make_app):  # noqa: ANN001
    return make_app(RICH_MENU_RETRY_SECONDS=0)  # a failed link is tried again at once


def installed(line, page: str = "consult") -> dict[str, str]:  # noqa: ANN001
    """Locale -> id of one page's menus on the fake platform, by their names."""
    by_name = {menu.definition["name"]: menu_id for menu_id, menu in line.rich_menus.items()}
    return {locale: by_name[menu_name(locale, page)] for locale in SUPPORTED_LOCALES
            if menu_name(locale, page) in by_name}


def test_the_command_installs_both_pages_per_language_with_japanese_consult_as_the_default(app, line):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["rich-menu"])
    assert first.exit_code == 0, first.output
    aliases_first = dict(line.rich_menu_aliases)
    second = runner.invoke(args=["rich-menu"])
    assert second.exit_code == 0, second.output

    assert len(line.rich_menus) == 2 * len(SUPPORTED_LOCALES)  # the first ones were removed
    consult, living = installed(line, "consult"), installed(line, "living")
    assert set(consult) == set(living) == set(SUPPORTED_LOCALES)
    assert line.default_rich_menu_id == consult["ja"]
    # One alias per page and language, created once and pointed at the new menus on re-install.
    assert set(line.rich_menu_aliases) == set(aliases_first) == {
        alias_id(locale, page) for locale in SUPPORTED_LOCALES for page in PAGE_CODES}
    for locale in SUPPORTED_LOCALES:
        assert line.rich_menu_aliases[alias_id(locale, "consult")] == consult[locale]
        assert line.rich_menu_aliases[alias_id(locale, "living")] == living[locale]
        for page, menu_id in (("consult", consult[locale]), ("living", living[locale])):
            menu = line.rich_menus[menu_id]
            assert menu.image == image_path(locale, page).read_bytes() and menu.image_type == "image/png"
    english = line.rich_menus[consult["en"]].definition
    assert [area["action"]["label"] for area in english["areas"]][:4] == [
        "Consult & Events", "Daily Life & Care", "Consult", "Events"]
    assert english["chatBarText"] == "Menu"
    assert f"({menu_name('ja')}) is now the default" in second.output
    assert line.violations == []


@pytest.mark.parametrize("locale", SUPPORTED_LOCALES)
def test_each_page_is_a_menu_line_takes_with_tabs_to_the_other_page(locale):
    for page in PAGE_CODES:
        menu = rich_menu_request(locale, page)
        RichMenuRequest.from_dict(menu)  # the SDK's model of LINE's rich menu object
        tabs = [area["action"] for area in menu["areas"] if area["action"]["type"] == "richmenuswitch"]
        assert [tab["data"] for tab in tabs] == ["tab:consult", "tab:living"]
        assert [tab["richMenuAliasId"] for tab in tabs] == [alias_id(locale, "consult"), alias_id(locale, "living")]
        for tab in tabs:
            assert re.fullmatch(r"[a-z0-9_-]{1,32}", tab["richMenuAliasId"])
            CreateRichMenuAliasRequest.from_dict({"richMenuAliasId": tab["richMenuAliasId"], "richMenuId": "x"})
        assert all(area["bounds"]["y"] == 0 and area["bounds"]["height"] == TAB_HEIGHT
                   for area in menu["areas"][:2])
        assert len(menu["areas"]) == 2 + 6


@pytest.mark.parametrize("locale", SUPPORTED_LOCALES)
def test_every_tile_is_translated_and_fits(locale):
    for page in PAGES:
        menu = rich_menu_request(locale, page.code)
        labels = [area["action"]["label"] for area in menu["areas"]]
        assert all(0 < len(label) <= RICH_MENU_LABEL_LIMIT for label in labels)
        assert len(menu["chatBarText"]) <= CHAT_BAR_LIMIT
        if locale not in ("ja", "ja_Hira"):
            japanese = [shown(tile, "ja") for tile in page.tiles if tile.translated]
            ours = [shown(tile, locale) for tile in page.tiles if tile.translated]
            assert all(a.label != b.label and a.note != b.note for a, b in zip(japanese, ours, strict=True))
            assert not re.search(r"[\u3040-\u30ff]", " ".join(labels[:-1]))  # no kana left untranslated
        assert labels[-1] == "Language"  # the way back reads the same in every menu, on both pages


def test_the_living_page_sends_the_residents_words_in_their_language():
    japanese = [area["action"] for area in rich_menu_request("ja", "living")["areas"][2:]]
    assert [(a["type"], a["text"]) for a in japanese[:5]] == [
        ("message", "見守り"), ("message", "手伝ってほしい"), ("message", "手伝える"),
        ("message", "生活支援サービス"), ("message", "お知らせ設定")]
    english = [area["action"] for area in rich_menu_request("en", "living")["areas"][2:7]]
    assert [a["text"] for a in english] == [a["label"] for a in english]
    assert english[2]["text"] == "I can help"


def test_areas_cover_each_image_inside_its_bounds_without_overlap():
    for locale in SUPPORTED_LOCALES:
        for page in PAGE_CODES:
            boxes = [area["bounds"] for area in rich_menu_request(locale, page)["areas"]]
            assert all(b["x"] >= 0 and b["y"] >= 0 and b["x"] + b["width"] <= WIDTH and b["y"] + b["height"] <= HEIGHT
                       for b in boxes)
            assert sum(b["width"] * b["height"] for b in boxes) == WIDTH * HEIGHT  # covered, so no overlap either
            for i, a in enumerate(boxes):
                for b in boxes[i + 1:]:
                    assert (a["x"] + a["width"] <= b["x"] or b["x"] + b["width"] <= a["x"]
                            or a["y"] + a["height"] <= b["y"] or b["y"] + b["height"] <= a["y"])
            assert image_path(locale, page).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_a_resident_taps_the_living_tab_then_a_tile_and_the_words_go(app, chat, line):
    app.test_cli_runner().invoke(args=["rich-menu"])
    hanako = chat()
    hanako.follows()
    hanako.new_messages()
    hanako.taps_tab("living")
    assert line.rich_menu_of(hanako.user_id) == installed(line, "living")["ja"]
    assert hanako.new_messages() == []  # LINE switched the menu; the bot says nothing
    hanako.taps_tile("手伝ってほしい")
    assert hanako.new_messages()  # the words were answered (by the flow that knows them, or the menu)
    hanako.taps_tab("consult")
    assert line.rich_menu_of(hanako.user_id) == installed(line, "consult")["ja"]
    hanako.taps_tile("電話で相談")
    assert "☎" in hanako.last_text()
    assert line.violations == []


def test_the_tabs_switch_the_menu_in_the_residents_language(app, chat, line):
    app.test_cli_runner().invoke(args=["rich-menu"])
    alex = chat("U" + "b" * 32, "Alex", language="en")
    alex.follows()
    assert line.rich_menu_of(alex.user_id) == installed(line)["en"]
    alex.taps_tab("living")
    assert line.rich_menu_of(alex.user_id) == installed(line, "living")["en"]
    assert [a["label"] for a in alex.rich_menu_actions()][2:4] == ["Check-ins", "I need a hand"]


@pytest.mark.parametrize("data", ["tab:living", "tab:", "tab:nowhere", "tab:living:extra", "tab:consult:%00"])
def test_a_forged_or_stale_tab_postback_gets_no_answer_and_no_error(chat, line, data):
    hanako = chat()
    hanako.follows()
    hanako.new_messages()
    hanako.taps(data, {"newRichMenuAliasId": "tsunagu-xx-nowhere", "status": "RICHMENU_ALIAS_ID_NOTFOUND"})
    hanako.taps(data)  # without LINE's params too
    assert hanako.new_messages() == []
    assert line.violations == []


def test_a_switch_line_reports_as_failed_is_logged_for_the_operators_without_an_answer(chat, caplog):
    hanako = chat()
    hanako.follows()
    hanako.new_messages()
    with caplog.at_level("WARNING", logger="bot.messaging.richmenu"):
        hanako.taps("tab:living", {"newRichMenuAliasId": "tsunagu-ja-living", "status": "RICHMENU_ALIAS_ID_NOTFOUND"})
        hanako.taps("tab:living", {"newRichMenuAliasId": "tsunagu-ja-living", "status": "山田花子 090-1234-5678"})
    assert hanako.new_messages() == []
    logged = [r.getMessage() for r in caplog.records if r.name == "bot.messaging.richmenu"]
    assert logged == ["rich menu tab living not switched: RICHMENU_ALIAS_ID_NOTFOUND",
                      "rich menu tab living not switched: unknown status"]  # nothing a client wrote


def test_a_tab_whose_alias_is_gone_leaves_the_menu_as_it_was(app, chat, line):
    app.test_cli_runner().invoke(args=["rich-menu"])
    hanako = chat()
    hanako.follows()
    line.rich_menu_aliases.pop(alias_id("ja", "living"))
    assert line.switch_rich_menu(hanako.user_id, alias_id("ja", "living")) == "RICHMENU_ALIAS_ID_NOTFOUND"
    assert line.rich_menu_of(hanako.user_id) == installed(line)["ja"]


def test_choosing_a_language_links_the_menu_in_it(app, chat, line):
    app.test_cli_runner().invoke(args=["rich-menu"])
    menus = installed(line)
    hanako = chat()
    hanako.follows()
    assert hanako.user_id not in line.user_rich_menus  # Japanese: the default is hers

    hanako.taps("menu:language")
    hanako.taps("language:set:vi")
    assert line.user_rich_menus[hanako.user_id] == menus["vi"]

    hanako.taps("menu:language")
    hanako.says("やさしいにほんご")  # typed instead of tapped
    assert line.user_rich_menus[hanako.user_id] == menus["ja_Hira"]
    hanako.taps("menu:language")
    hanako.taps("language:set:ja")
    assert line.user_rich_menus[hanako.user_id] == menus["ja"]
    assert line.violations == []


def test_a_resident_whose_phone_is_in_english_gets_the_english_menu_on_follow(app, chat, line):
    app.test_cli_runner().invoke(args=["rich-menu"])
    alex = chat("U" + "b" * 32, "Alex", language="en")
    alex.follows()
    assert line.user_rich_menus[alex.user_id] == installed(line)["en"]


def test_the_link_is_retried_when_line_does_not_answer(app, chat, line):
    app.test_cli_runner().invoke(args=["rich-menu"])
    link = f"/richmenu/{installed(line)['zh_Hans']}"
    line.inject_failures(link, 500)
    wang = chat("U" + "c" * 32, "王", language="zh-Hans")
    wang.follows(drain=False)

    run_like_the_consumer(app.extensions["tsunagu"].huey, limit=10)

    assert line.pending_scripted(link) == 0  # the first try failed
    assert line.user_rich_menus[wang.user_id] == installed(line)["zh_Hans"]  # the retry linked it


def test_reinstalling_links_residents_in_other_languages_again(app, chat, line):
    app.test_cli_runner().invoke(args=["rich-menu"])
    alex = chat("U" + "b" * 32, "Alex", language="en")
    alex.follows()
    result = app.test_cli_runner().invoke(args=["rich-menu"])  # new menus; the old ones (and links) are gone
    assert "1 residents in other languages" in result.output
    Worker(app).drain()
    assert line.user_rich_menus[alex.user_id] == installed(line)["en"]


def test_without_menus_installed_nothing_is_linked(chat, line):
    alex = chat("U" + "b" * 32, "Alex", language="en")
    alex.follows()
    assert line.user_rich_menus == {} and line.violations == []


def test_phone_button_gives_the_number_every_centre_answers_once(chat, app):
    hanako = chat()
    hanako.taps("menu:phone")
    answer = hanako.last_text()
    profile = app.extensions["tsunagu"].profile
    assert {centre.phone for centre in profile.centres} == {profile.coordinator.phone}  # TODO(city) placeholders
    assert answer.count(profile.coordinator.phone) == 1 and "どの地区のご相談も、この番号で受け付けています" in answer


def test_phone_button_for_a_resident_whose_area_is_gone_gives_every_area_s_number(chat, app):
    hanako = chat()
    hanako.follows()
    with app.extensions["tsunagu"].db.transaction() as session:
        session.scalars(select(Resident)).one().area_code = "merged_away"  # a district the profile no longer has
    hanako.taps("menu:phone")
    answer = hanako.last_text()
    assert "システムの不具合" not in answer
    assert "どの地区のご相談も、この番号で受け付けています" in answer


@pytest.mark.parametrize("typed", ["電話で相談", "電話"])
def test_typing_phone_gives_the_numbers(chat, typed):
    hanako = chat()
    hanako.says(typed)
    assert "☎" in hanako.last_text()
