"""The rich menu: one per language, installed by a command, linked to each resident in theirs."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from bot.i18n import SUPPORTED_LOCALES
from bot.models import Resident
from bot.messaging.richmenu import HEIGHT, TILES, WIDTH, image_path, menu_name, rich_menu_request, shown
from tests.support import Worker, compile_catalogs, run_like_the_consumer

RICH_MENU_LABEL_LIMIT = 20  # an area action's label
CHAT_BAR_LIMIT = 14


@pytest.fixture(autouse=True)
def catalogs():
    compile_catalogs()


@pytest.fixture
def app(make_app):  # noqa: ANN001
    return make_app(RICH_MENU_RETRY_SECONDS=0)  # a failed link is tried again at once


def installed(line) -> dict[str, str]:  # noqa: ANN001
    """Locale -> id of the menus on the fake platform, by their names."""
    by_name = {menu.definition["name"]: menu_id for menu_id, menu in line.rich_menus.items()}
    return {locale: by_name[menu_name(locale)] for locale in SUPPORTED_LOCALES if menu_name(locale) in by_name}


def test_the_command_installs_a_menu_per_language_with_japanese_as_the_default(app, line):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["rich-menu"])
    assert first.exit_code == 0, first.output
    second = runner.invoke(args=["rich-menu"])
    assert second.exit_code == 0, second.output

    assert len(line.rich_menus) == len(SUPPORTED_LOCALES)  # the first ones were removed
    menus = installed(line)
    assert set(menus) == set(SUPPORTED_LOCALES)
    assert line.default_rich_menu_id == menus["ja"]
    for locale, menu_id in menus.items():
        menu = line.rich_menus[menu_id]
        assert [area["action"]["data"] for area in menu.definition["areas"]] == [tile.data for tile in TILES]
        assert menu.image == image_path(locale).read_bytes() and menu.image_type == "image/png"
    english = line.rich_menus[menus["en"]].definition
    assert [area["action"]["label"] for area in english["areas"]][:2] == ["Consult", "Events"]
    assert english["chatBarText"] == "Menu"
    assert line.violations == []


@pytest.mark.parametrize("locale", SUPPORTED_LOCALES)
def test_every_tile_is_translated_and_fits(locale):
    menu = rich_menu_request(locale)
    labels = [area["action"]["label"] for area in menu["areas"]]
    assert all(len(label) <= RICH_MENU_LABEL_LIMIT for label in labels)
    assert len(menu["chatBarText"]) <= CHAT_BAR_LIMIT
    if locale not in ("ja", "ja_Hira"):
        japanese = [shown(tile, "ja") for tile in TILES if tile.translated]
        ours = [shown(tile, locale) for tile in TILES if tile.translated]
        assert all(a.label != b.label and a.note != b.note for a, b in zip(japanese, ours, strict=True))
    assert labels[-1] == "Language"  # the way back reads the same in every menu


def test_tiles_cover_each_image_without_overlap():
    covered = sum(w * h for tile in TILES for (_, _, w, h) in [tile.bounds])
    assert covered == WIDTH * HEIGHT
    for locale in SUPPORTED_LOCALES:
        assert image_path(locale).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert len(rich_menu_request()["areas"]) == len(TILES)


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
