"""The rich menu: big buttons under the chat, two pages switched by tabs, one set per language.

Many residents are elderly: a fixed menu they can always tap is easier than
remembering words. Each page (``PAGES``) has a tab strip on top and six tiles
under it: 「相談・イベント」 (the consultation and event items, as postbacks)
and 「くらし・見守り」 (tiles that send the resident's words as a message: the
flows that answer them understand those words in every resident language).

``flask --app bot.wsgi rich-menu`` installs every page in every resident
language (menus named ``tsunagu-<locale>-<page>``), points the rich menu
aliases the tabs switch to (``tsunagu-<locale>-<page>``, lower-case) at them
(LINE's documented way: rich menu aliases and ``richmenuswitch`` actions),
and makes the Japanese consult page the channel's default; the worker links
each resident whose language is set or changed to the consult page in their
language (``bot/tasks/richmenu.py``). Tapping a tab switches the menu on the
resident's phone; its postback (``tab:<page>``) is answered with nothing.
The images are drawn by ``scripts/make_richmenu_image.py`` from the same pages.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from bot.flows.postbacks import MenuTap, Postback, TabTap, encode
from bot.i18n import DEFAULT_LOCALE, N_, SUPPORTED_LOCALES, Translator

log = logging.getLogger(__name__)

WIDTH, HEIGHT = 2500, 1686
TAB_HEIGHT = 250  # the tab strip on top of every page
STATIC = Path(__file__).resolve().parent.parent / "static"
NAME_PREFIX = "tsunagu-"
# The language tile reads the same in every menu: the way back for someone who
# cannot read the language the menu is in (as the 言語/Language button).
LANGUAGE_LABEL = ("Language", "言語・にほんご", "言語/Language")  # label, note, display text


@dataclass(frozen=True)
class Tile:
    """One big button: a postback (``data``, shown as ``display_text``) or the resident's words (``words``)."""

    label: str  # msgid, drawn large and sent as the action's label
    note: str  # msgid, drawn small under the label
    colour: str
    data: str = ""  # postback data, as the menu's quick replies send
    display_text: str = ""  # msgid: what the resident appears to say
    words: str = ""  # msgid: the message a word tile sends, in the menu's language
    translated: bool = True


@dataclass(frozen=True)
class Page:
    """One menu of the set: its tab's label and its six tiles (two rows of three, under the tabs)."""

    code: str  # as in ``tab:<code>`` and the menu's and alias's names
    tab: str  # msgid of the tab's label
    tiles: tuple[Tile, ...]


LANGUAGE_TILE = Tile(LANGUAGE_LABEL[0], LANGUAGE_LABEL[1], "#6a4c93", data=encode(MenuTap.LANGUAGE),
                     display_text=LANGUAGE_LABEL[2], translated=False)
CONSULT = Page(TabTap.CONSULT.value, N_("相談・イベント"), (
    Tile(N_("相談する"), N_("どんなことでも"), "#06a77d", encode(MenuTap.CONSULT), N_("相談する")),
    Tile(N_("イベント"), N_("サロン・教室"), "#f18f01", encode(MenuTap.EVENTS), N_("イベント・サロン")),
    Tile(N_("申込の確認"), N_("キャンセルも"), "#2e86ab", encode(MenuTap.MINE), N_("申込の確認")),
    Tile(N_("相談の状況"), N_("受付番号・状況"), "#5c6f7b", encode(MenuTap.STATUS), N_("相談の状況")),
    Tile(N_("電話で相談"), N_("窓口の番号"), "#c73e1d", encode(MenuTap.PHONE), N_("電話で相談")),
    LANGUAGE_TILE,
))
LIVING = Page(TabTap.LIVING.value, N_("くらし・見守り"), (
    Tile(N_("見守り"), N_("毎日の安否確認"), "#2a9d8f", words=N_("見守り")),
    Tile(N_("手伝ってほしい"), N_("買い物・ごみ出しなど"), "#e76f51", words=N_("手伝ってほしい")),
    Tile(N_("手伝える"), N_("支え合いに参加"), "#8a5a44", words=N_("手伝える")),
    Tile(N_("生活支援サービス"), N_("移動販売・送迎など"), "#3d5a80", words=N_("生活支援サービス")),
    Tile(N_("お知らせ設定"), N_("受け取る内容を選ぶ"), "#b5838d", words=N_("お知らせ設定")),
    LANGUAGE_TILE,
))
PAGES = (CONSULT, LIVING)
CHAT_BAR_TEXT = N_("メニュー")  # the bar that opens the menu: 14 characters at most


def page(code: str) -> Page:
    return next(p for p in PAGES if p.code == code)


def tab_bounds(index: int) -> tuple[int, int, int, int]:
    """x, y, width, height of the ``index``th tab (in ``PAGES`` order)."""
    width = WIDTH // len(PAGES)
    x = index * width
    return x, 0, (WIDTH - x if index == len(PAGES) - 1 else width), TAB_HEIGHT


def tile_bounds(index: int) -> tuple[int, int, int, int]:
    """x, y, width, height of the ``index``th tile: two rows of three under the tabs."""
    column, row = index % 3, index // 3
    width, height = WIDTH // 3, (HEIGHT - TAB_HEIGHT) // 2
    x, y = column * width, TAB_HEIGHT + row * height
    return x, y, (WIDTH - x if column == 2 else width), (HEIGHT - y if row == 1 else height)


@dataclass(frozen=True)
class ShownTile:
    """A tile as drawn and sent in one language."""

    label: str
    note: str
    display_text: str
    words: str


def shown(tile: Tile, locale: str) -> ShownTile:
    if not tile.translated:
        return ShownTile(tile.label, tile.note, tile.display_text, tile.words)
    t = Translator(locale)
    return ShownTile(*(t._(msgid) if msgid else "" for msgid in (tile.label, tile.note, tile.display_text, tile.words)))


def menu_name(locale: str, code: str = CONSULT.code) -> str:
    return f"{NAME_PREFIX}{locale}-{code}"


def alias_id(locale: str, code: str) -> str:
    """The rich menu alias of a page: LINE allows ``[a-z0-9_-]{1,32}`` (``tsunagu-zh_hans-living``)."""
    return menu_name(locale, code).lower()


def image_path(locale: str, code: str = CONSULT.code) -> Path:
    """The committed PNG of a page of the menu in ``locale``."""
    return STATIC / f"richmenu-{locale}-{code}.png"


def _action(tile: Tile, text: ShownTile) -> dict:
    if tile.words:
        return {"type": "message", "label": text.label, "text": text.words}
    return {"type": "postback", "label": text.label, "data": tile.data, "displayText": text.display_text}


def _area(bounds: tuple[int, int, int, int], action: dict) -> dict:
    x, y, w, h = bounds
    return {"bounds": {"x": x, "y": y, "width": w, "height": h}, "action": action}


def rich_menu_request(locale: str = DEFAULT_LOCALE, code: str = CONSULT.code) -> dict:
    """The Messaging API's rich menu object for one page in ``locale``: its tabs, then its tiles."""
    t = Translator(locale)
    tabs = [
        _area(tab_bounds(index), {"type": "richmenuswitch", "label": t._(other.tab),
                                  "richMenuAliasId": alias_id(locale, other.code),
                                  "data": encode(TabTap(other.code))})
        for index, other in enumerate(PAGES)
    ]
    tiles = [_area(tile_bounds(index), _action(tile, shown(tile, locale))) for index, tile in enumerate(page(code).tiles)]
    return {
        "size": {"width": WIDTH, "height": HEIGHT},
        "selected": True,
        "name": menu_name(locale, code),
        "chatBarText": t._(CHAT_BAR_TEXT),
        "areas": tabs + tiles,
    }


def install_menus(line, keep_old: bool = False) -> dict[str, str]:  # noqa: ANN001
    """Create every page in every resident language and point the tabs' aliases at them; returns name -> id.

    The Japanese consult page becomes the default. An alias that exists is
    updated (the tabs of menus still shown keep working), a missing one is
    created. The channel's other menus are deleted unless ``keep_old``: LINE
    then shows the default to the residents they were linked to, until they
    are linked again.
    """
    old = [] if keep_old else list(line.rich_menus())
    created = {
        menu_name(locale, p.code): line.create_rich_menu(rich_menu_request(locale, p.code),
                                                         image_path(locale, p.code).read_bytes())
        for locale in SUPPORTED_LOCALES for p in PAGES
    }
    aliases = set(line.rich_menu_aliases())
    for locale in SUPPORTED_LOCALES:
        for p in PAGES:
            alias, rich_menu_id = alias_id(locale, p.code), created[menu_name(locale, p.code)]
            if alias in aliases:
                line.update_rich_menu_alias(alias, rich_menu_id)
            else:
                line.create_rich_menu_alias(alias, rich_menu_id)
    line.set_default_rich_menu(created[menu_name(DEFAULT_LOCALE)])
    for stale in old:
        line.delete_rich_menu(stale)
    return created


SWITCH_STATUSES = ("SUCCESS", "RICHMENU_ALIAS_ID_NOTFOUND", "RICHMENU_NOTFOUND", "FAILED")  # LINE's postback params


def tab_tapped(tap: Postback) -> None:
    """A tab was tapped: LINE has switched the menu itself, so nothing is answered.

    A switch LINE reports as failed (an alias missing after a half-done
    install) is logged for the operators: `flask rich-menu` sets the aliases again.
    """
    status = tap.params.get("status")
    if status is not None and status != "SUCCESS":
        log.warning("rich menu tab %s not switched: %s", tap.action or "unknown",
                    status if status in SWITCH_STATUSES else "unknown status")


def menu_for(line, locale: str) -> str | None:  # noqa: ANN001
    """The id of the installed consult page in ``locale`` (Japanese when there is none), or None."""
    by_name = {name: rich_menu_id for rich_menu_id, name in line.rich_menus().items()}
    return by_name.get(menu_name(locale)) or by_name.get(menu_name(DEFAULT_LOCALE))
