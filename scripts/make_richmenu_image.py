"""Draw the rich menu images (2500x1686), one per page and resident language, from ``bot/messaging/richmenu.py``.

Each page has the tab strip on top, its own tab drawn as selected, and its six tiles.

A development tool: needs Pillow (``pip install -e '.[tools]'``), the
compiled catalogs (``make catalogs``) and the Noto CJK font (Debian:
fonts-noto-cjk). The PNGs are committed, so deployments need neither. Draw them again after changing a tile's text or
its translation.

    python scripts/make_richmenu_image.py [--font PATH] [--locale ja ...]
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.i18n import SUPPORTED_LOCALES, Translator  # noqa: E402
from bot.messaging.richmenu import (  # noqa: E402
    HEIGHT, PAGES, WIDTH, Page, image_path, shown, tab_bounds, tile_bounds,
)

DEFAULT_FONT = "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc"
# Faces in the Noto CJK collection: Chinese is drawn with simplified Chinese glyph shapes.
FACE = {"zh_Hans": "SC"}
BIG, SMALL, TAB, MARGIN = 120, 64, 84, 60
SELECTED_TAB, OTHER_TAB, TAB_TEXT, OTHER_TAB_TEXT = "#ffffff", "#d9dde1", "#1d3557", "#5c6f7b"


def face_index(font: str, locale: str) -> int:
    """The collection's face for ``locale`` (the Japanese one unless the language needs another)."""
    wanted = f"Noto Sans CJK {FACE.get(locale, 'JP')}"
    for index in range(16):
        try:
            family, _ = ImageFont.truetype(font, 10, index=index).getname()
        except OSError:
            break
        if family == wanted:
            return index
    return 0


def fitted(draw: ImageDraw.ImageDraw, text: str, font: str, index: int, size: int, width: int):  # noqa: ANN201
    """The font at ``size``, or smaller until the text fits the tile's width."""
    while size > 24:
        face = ImageFont.truetype(font, size, index=index)
        if draw.textlength(text, font=face) <= width - 2 * MARGIN:
            return face
        size -= 4
    return ImageFont.truetype(font, size, index=index)


def draw_menu(locale: str, page: Page, font: str, out: Path) -> None:
    index = face_index(font, locale)
    image = Image.new("RGB", (WIDTH, HEIGHT), "#ffffff")
    draw = ImageDraw.Draw(image)
    for tab_index, other in enumerate(PAGES):
        x, y, w, h = tab_bounds(tab_index)
        selected = other == page
        draw.rectangle((x, y, x + w, y + h), fill=SELECTED_TAB if selected else OTHER_TAB)
        if selected:  # a thick bar under the page shown, as tabs in phone apps
            draw.rectangle((x, y + h - 24, x + w, y + h), fill=TAB_TEXT)
        label = ("▶ " if selected else "") + Translator(locale)._(other.tab)
        draw.text((x + w / 2, y + h / 2 - 8), label, font=fitted(draw, label, font, index, TAB, w),
                  fill=TAB_TEXT if selected else OTHER_TAB_TEXT, anchor="mm")
    for tile_index, tile in enumerate(page.tiles):
        text = shown(tile, locale)
        x, y, w, h = tile_bounds(tile_index)
        draw.rectangle((x + 8, y + 8, x + w - 8, y + h - 8), fill=tile.colour, outline="#ffffff", width=8)
        cx, cy = x + w / 2, y + h / 2
        draw.text((cx, cy - 50), text.label, font=fitted(draw, text.label, font, index, BIG, w), fill="#ffffff",
                  anchor="mm")
        draw.text((cx, cy + 90), text.note, font=fitted(draw, text.note, font, index, SMALL, w), fill="#ffffff",
                  anchor="mm")
    image.save(out, optimize=True)
    print(f"wrote {out.relative_to(Path.cwd()) if out.is_relative_to(Path.cwd()) else out}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--font", default=DEFAULT_FONT)
    parser.add_argument("--locale", nargs="*", default=list(SUPPORTED_LOCALES), choices=SUPPORTED_LOCALES)
    args = parser.parse_args()
    for locale in args.locale:
        for page in PAGES:
            draw_menu(locale, page, args.font, image_path(locale, page.code))


if __name__ == "__main__":
    main()
