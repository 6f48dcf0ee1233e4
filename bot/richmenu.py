"""The rich menu: big buttons under the chat for the menu items.

Many residents are elderly: a fixed menu they can always tap is easier than
remembering words. ``flask --app bot.wsgi rich-menu`` installs it as the
channel's default. The image is drawn by ``scripts/make_richmenu_image.py``.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

WIDTH, HEIGHT = 2500, 1686
IMAGE = Path(__file__).resolve().parent / "static" / "richmenu.png"


@dataclass(frozen=True)
class Tile:
    label: str
    note: str
    data: str  # postback data, as the menu's quick replies send
    display_text: str
    bounds: tuple[int, int, int, int]  # x, y, width, height
    colour: str


_W, _H = WIDTH // 3, HEIGHT // 2
TILES = (
    Tile("相談する", "どんなことでも", "menu:consult", "相談する", (0, 0, _W, _H), "#06a77d"),
    Tile("イベント", "サロン・教室", "menu:events", "イベント・サロン", (_W, 0, _W, _H), "#f18f01"),
    Tile("申込の確認", "キャンセルも", "menu:mine", "申込の確認", (2 * _W, 0, WIDTH - 2 * _W, _H), "#2e86ab"),
    Tile("相談の状況", "受付番号・状況", "menu:status", "相談の状況", (0, _H, _W, HEIGHT - _H), "#5c6f7b"),
    Tile("電話で相談", "窓口の番号", "menu:phone", "電話で相談", (_W, _H, _W, HEIGHT - _H), "#c73e1d"),
    Tile("Language", "言語・にほんご", "menu:language", "言語/Language", (2 * _W, _H, WIDTH - 2 * _W, HEIGHT - _H),
         "#6a4c93"),
)


def rich_menu_request() -> dict:
    """The Messaging API's rich menu object for these tiles."""
    return {
        "size": {"width": WIDTH, "height": HEIGHT},
        "selected": True,
        "name": "tsunagu-main",
        "chatBarText": "メニュー",
        "areas": [
            {
                "bounds": {"x": x, "y": y, "width": w, "height": h},
                "action": {"type": "postback", "label": tile.label, "data": tile.data,
                           "displayText": tile.display_text},
            }
            for tile in TILES
            for (x, y, w, h) in [tile.bounds]
        ],
    }
