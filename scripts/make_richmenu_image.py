"""Draw the rich menu image (2500x1686) from the tiles in ``bot/richmenu.py``.

A development tool: needs Pillow and a Japanese font (Debian: fonts-noto-cjk).
The PNG is committed, so deployments need neither.

    python scripts/make_richmenu_image.py [--font PATH] [--out bot/static/richmenu.png]
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.richmenu import HEIGHT, TILES, WIDTH  # noqa: E402

DEFAULT_FONT = "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--font", default=DEFAULT_FONT)
    parser.add_argument("--out", default="bot/static/richmenu.png")
    args = parser.parse_args()
    image = Image.new("RGB", (WIDTH, HEIGHT), "#ffffff")
    draw = ImageDraw.Draw(image)
    big = ImageFont.truetype(args.font, 120, index=0)
    small = ImageFont.truetype(args.font, 64, index=0)
    for tile in TILES:
        x, y, w, h = tile.bounds
        draw.rectangle((x + 8, y + 8, x + w - 8, y + h - 8), fill=tile.colour, outline="#ffffff", width=8)
        cx, cy = x + w / 2, y + h / 2
        draw.text((cx, cy - 50), tile.label, font=big, fill="#ffffff", anchor="mm")
        draw.text((cx, cy + 90), tile.note, font=small, fill="#ffffff", anchor="mm")
    image.save(args.out, optimize=True)
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
