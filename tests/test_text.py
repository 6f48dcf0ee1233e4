"""Typed text made comparable (bot/text.py): the one folding every matcher uses."""
import pytest

from bot.text import fold


@pytest.mark.parametrize(("typed", "folded"), [
    ("ツギヘ", "つぎへ"),
    ("次へ ", "次へ"),
    ("ｵｹｰ", "おけー"),  # half-width kana
    ("ＯＫ", "ok"),  # full-width letters
    ("Tiếng  Việt", "tiếngviệt"),
    ("やさしい　にほんご", "やさしいにほんご"),  # an ideographic space
    ("", ""),
    (None, ""),
])
def test_typed_variants_fold_to_one_form(typed, folded):
    assert fold(typed) == folded


@pytest.mark.parametrize(("typed", "folded"), [
    ("  My   Mother ", "my mother"),
    ("Tiếng\u3000Việt", "tiếng việt"),
    ("ハイ　お願い", "はい お願い"),
])
def test_spaces_can_be_kept_for_words_of_latin_letters(typed, folded):
    assert fold(typed, spaces=True) == folded
