"""The rich menu: installed by a command, and every button does what it says."""
from __future__ import annotations

import pytest

from bot.richmenu import HEIGHT, IMAGE, TILES, WIDTH, rich_menu_request


def test_the_command_installs_the_menu_as_the_default_and_replaces_old_ones(app, line):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["rich-menu"])
    assert first.exit_code == 0, first.output
    second = runner.invoke(args=["rich-menu"])
    assert second.exit_code == 0, second.output
    assert len(line.rich_menus) == 1  # the first one was removed
    [(menu_id, menu)] = line.rich_menus.items()
    assert line.default_rich_menu_id == menu_id
    assert [area["action"]["data"] for area in menu.definition["areas"]] == [tile.data for tile in TILES]
    assert menu.image == IMAGE.read_bytes() and menu.image_type == "image/png"


def test_tiles_cover_the_image_without_overlap():
    covered = sum(w * h for tile in TILES for (_, _, w, h) in [tile.bounds])
    assert covered == WIDTH * HEIGHT
    assert IMAGE.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert len(rich_menu_request()["areas"]) == len(TILES)


def test_phone_button_lists_every_centre_and_the_coordinator(chat, app):
    hanako = chat()
    hanako.taps("menu:phone")
    answer = hanako.last_text()
    for centre in app.extensions["tsunagu"].profile.centres:
        assert centre.name in answer and centre.phone in answer
    assert "保健福祉課" in answer


@pytest.mark.parametrize("typed", ["電話で相談", "電話"])
def test_typing_phone_gives_the_numbers(chat, typed):
    hanako = chat()
    hanako.says(typed)
    assert "☎" in hanako.last_text()
