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


@pytest.mark.parametrize(("typed", "written"), [
    ("もの忘れ", "物忘れ"), ("モノワスレ", "物忘れ"), ("いそぎません", "急ぎません"), ("おわりです", "終わりです"),
    ("いじょう", "以上"), ("おくる", "送る"), ("こんにちわ", "こんにちは"), ("おねがいしまーす", "お願いします"),
    ("ＯＫ", "ok"), ("きょうだい", "きょうだい"),  # きょう (today) is not a variant: it is in きょうだい
])
def test_kana_and_kanji_spellings_of_a_word_are_written_one_way(typed, written):
    from bot.understanding.normalise import normalise

    assert normalise(typed) == normalise(written) == written


def test_latin_words_are_found_on_word_boundaries_others_anywhere():
    from bot.understanding.normalise import contains

    assert contains("Hi there", "hi") and not contains("his mother", "hi")
    assert contains("母のもの忘れが心配", "物忘れ") and contains("ＤＶ", "dv")
