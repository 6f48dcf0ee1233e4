"""The living tab's tiles open 見守り, 住民支え合い and お知らせ in every resident language.

The tiles send the resident's words (LINE message actions) in the menu's
language; each feature must know those words: a tile's answer is the one the
resident gets by typing the feature's Japanese word.
"""
from __future__ import annotations

import pytest

from bot.i18n import SUPPORTED_LOCALES

FEATURES = ("見守り", "手伝ってほしい", "手伝える", "生活支援サービス", "お知らせ設定")


@pytest.mark.parametrize("locale", SUPPORTED_LOCALES)
def test_each_living_tile_opens_its_feature(app, chat, line, locale):
    app.test_cli_runner().invoke(args=["rich-menu"])
    resident = chat("U" + "e" * 30 + locale[:2], "山田花子", language=locale)
    resident.follows()
    resident.says("ぱぴぷぺぽ")
    fallback = resident.last_reply_text()
    resident.taps_tab("living")
    tiles = [a for a in resident.rich_menu_actions() if a["type"] == "message"]
    assert len(tiles) == len(FEATURES)
    for tile, words in zip(tiles, FEATURES, strict=True):
        resident.says("やめる")  # leave the flow the last tile opened
        resident.says(words)
        typed = resident.last_reply_text()
        resident.says("やめる")
        resident.taps_tile(tile["label"])
        assert resident.last_reply_text() == typed != fallback, tile["text"]
    assert line.violations == []
