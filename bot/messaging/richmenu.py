"""The rich menu: big buttons under the chat for the menu items, one menu per language.

Many residents are elderly: a fixed menu they can always tap is easier than
remembering words. ``flask --app bot.wsgi rich-menu`` installs one menu per
resident language (``tsunagu-<locale>``) and makes the Japanese one the
channel's default; the worker links each resident whose language is set or
changed to the menu in their language (``bot/tasks/richmenu.py``). The images
are drawn by ``scripts/make_richmenu_image.py`` from the same tiles.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from bot.flows.postbacks import MenuTap, encode
from bot.i18n import DEFAULT_LOCALE, N_, SUPPORTED_LOCALES, Translator

log = logging.getLogger(__name__)

WIDTH, HEIGHT = 2500, 1686
STATIC = Path(__file__).resolve().parent.parent / "static"
NAME_PREFIX = "tsunagu-"
# The language tile reads the same in every menu: the way back for someone who
# cannot read the language the menu is in (as the 言語/Language button).
LANGUAGE_LABEL = ("Language", "言語・にほんご", "言語/Language")  # label, note, display text


@dataclass(frozen=True)
class Tile:
    label: str  # msgid, drawn large and sent as the action's label
    note: str  # msgid, drawn small under the label
    data: str  # postback data, as the menu's quick replies send
    display_text: str  # msgid: what the resident appears to say
    bounds: tuple[int, int, int, int]  # x, y, width, height
    colour: str
    translated: bool = True


_W, _H = WIDTH // 3, HEIGHT // 2
TILES = (
    Tile(N_("相談する"), N_("どんなことでも"), encode(MenuTap.CONSULT), N_("相談する"), (0, 0, _W, _H), "#06a77d"),
    Tile(N_("イベント"), N_("サロン・教室"), encode(MenuTap.EVENTS), N_("イベント・サロン"), (_W, 0, _W, _H), "#f18f01"),
    Tile(N_("申込の確認"), N_("キャンセルも"), encode(MenuTap.MINE), N_("申込の確認"), (2 * _W, 0, WIDTH - 2 * _W, _H), "#2e86ab"),
    Tile(N_("相談の状況"), N_("受付番号・状況"), encode(MenuTap.STATUS), N_("相談の状況"), (0, _H, _W, HEIGHT - _H), "#5c6f7b"),
    Tile(N_("電話で相談"), N_("窓口の番号"), encode(MenuTap.PHONE), N_("電話で相談"), (_W, _H, _W, HEIGHT - _H), "#c73e1d"),
    Tile(LANGUAGE_LABEL[0], LANGUAGE_LABEL[1], encode(MenuTap.LANGUAGE), LANGUAGE_LABEL[2],
         (2 * _W, _H, WIDTH - 2 * _W, HEIGHT - _H), "#6a4c93", translated=False),
)
CHAT_BAR_TEXT = N_("メニュー")  # the bar that opens the menu: 14 characters at most


@dataclass(frozen=True)
class ShownTile:
    """A tile as drawn and sent in one language."""

    label: str
    note: str
    display_text: str


def shown(tile: Tile, locale: str) -> ShownTile:
    if not tile.translated:
        return ShownTile(tile.label, tile.note, tile.display_text)
    t = Translator(locale)
    return ShownTile(t._(tile.label), t._(tile.note), t._(tile.display_text))


def menu_name(locale: str) -> str:
    return NAME_PREFIX + locale


def image_path(locale: str) -> Path:
    """The committed PNG of the menu in ``locale``."""
    return STATIC / f"richmenu-{locale}.png"


def rich_menu_request(locale: str = DEFAULT_LOCALE) -> dict:
    """The Messaging API's rich menu object for these tiles in ``locale``."""
    return {
        "size": {"width": WIDTH, "height": HEIGHT},
        "selected": True,
        "name": menu_name(locale),
        "chatBarText": Translator(locale)._(CHAT_BAR_TEXT),
        "areas": [
            {
                "bounds": {"x": x, "y": y, "width": w, "height": h},
                "action": {"type": "postback", "label": text.label, "data": tile.data,
                           "displayText": text.display_text},
            }
            for tile in TILES
            for (x, y, w, h), text in [(tile.bounds, shown(tile, locale))]
        ],
    }


def install_menus(line, keep_old: bool = False) -> dict[str, str]:  # noqa: ANN001
    """Create one menu per resident language, make the Japanese one the default; returns locale -> id.

    The channel's other menus are deleted unless ``keep_old``: LINE then shows
    the default to the residents they were linked to, until they are linked again.
    """
    old = [] if keep_old else list(line.rich_menus())
    created = {locale: line.create_rich_menu(rich_menu_request(locale), image_path(locale).read_bytes())
               for locale in SUPPORTED_LOCALES}
    line.set_default_rich_menu(created[DEFAULT_LOCALE])
    for stale in old:
        line.delete_rich_menu(stale)
    return created


def menu_for(line, locale: str) -> str | None:  # noqa: ANN001
    """The id of the installed menu in ``locale`` (Japanese when there is none), or None."""
    by_name = {name: rich_menu_id for rich_menu_id, name in line.rich_menus().items()}
    return by_name.get(menu_name(locale)) or by_name.get(menu_name(DEFAULT_LOCALE))
