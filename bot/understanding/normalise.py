"""What residents type, written one way: :func:`bot.text.fold`, then the same word's other spellings.

``fold`` makes width, case and katakana one (ＯＫ -> ok, ツギ -> つぎ).
Residents also write one word in kana or kanji (「もの忘れ」「物忘れ」,
「いそぎません」「急ぎません」, 「おくる」「送る」): :data:`VARIANTS` writes
each such spelling the one way the word tables use. Apply :func:`normalise`
to both sides of a comparison, like ``fold``.

A variant is replaced wherever it occurs, so each is long enough not to
occur inside another word: not 「きょう」 (きょうだい), not 「かよう」 (通う).
"""
from __future__ import annotations

import re
from functools import lru_cache

from bot.text import fold

# (how it is also written, the form the word tables use), compared folded: katakana is hiragana here.
VARIANTS = (
    ("ものわすれ", "物忘れ"), ("もの忘れ", "物忘れ"), ("物わすれ", "物忘れ"),
    ("いそが", "急が"), ("いそぎ", "急ぎ"), ("いそい", "急い"),
    ("おわり", "終わり"), ("終り", "終わり"), ("いじょう", "以上"),
    ("おくる", "送る"), ("おくり", "送り"), ("おくって", "送って"), ("そうしん", "送信"),
    ("つぎへ", "次へ"), ("もどる", "戻る"), ("もどり", "戻り"), ("もどって", "戻って"),
    ("わから", "分から"), ("わかりま", "分かりま"), ("わかんな", "分からな"),
    ("おねがい", "お願い"), ("お願がい", "お願い"), ("だいじょうぶ", "大丈夫"), ("だいじょぶ", "大丈夫"),
    ("なおし", "直し"), ("なおす", "直す"), ("かえたい", "変えたい"), ("へんこう", "変更"),
    ("そうだん", "相談"), ("じょうきょう", "状況"), ("でんわ", "電話"), ("ないよう", "内容"),
    ("くわしい", "詳しい"), ("くわしく", "詳しく"), ("すうじつ", "数日"),
    ("こども", "子ども"), ("子供", "子ども"),
    ("有難う", "ありがとう"), ("有り難う", "ありがとう"), ("こんにちわ", "こんにちは"), ("こんばんわ", "こんばんは"),
    ("どうい", "同意"), ("やりなお", "やり直"), ("さいしょ", "最初"), ("つづき", "続き"), ("つづけ", "続け"),
    ("けっこう", "結構"), ("ようす", "様子"), ("まーす", "ます"), ("でーす", "です"),
)
_FOLDED = sorted(((fold(variant), fold(form)) for variant, form in VARIANTS), key=lambda pair: -len(pair[0]))
_PATTERN = re.compile("|".join(re.escape(variant) for variant, _ in _FOLDED))
_FORM = dict(_FOLDED)


def normalise(text: str | None, *, spaces: bool = False) -> str:
    """``text`` folded (bot/text.py) with every spelling of :data:`VARIANTS` written one way."""
    return _PATTERN.sub(lambda match: _FORM[match[0]], fold(text, spaces=spaces))


# Words of the tables are normalised once; what residents write is not kept in any cache.
table_word = lru_cache(maxsize=8192)(normalise)


@lru_cache(maxsize=8192)
def _latin_word(word: str) -> re.Pattern[str] | None:
    """A pattern for a word of Latin letters on word boundaries ("hi", not "his"); None for other words."""
    if not table_word(word).isascii():
        return None
    return re.compile(rf"(?<![a-z]){re.escape(table_word(word, spaces=True))}(?![a-z])")


def contains(text: str, word: str) -> bool:
    """Whether ``text`` contains ``word`` (both as typed); words of Latin letters only on word boundaries."""
    return contains_any(text, (word,))


def contains_any(text: str, words: tuple[str, ...] | frozenset[str] | list[str]) -> bool:
    """Whether ``text`` contains any of ``words`` (see :func:`contains`)."""
    folded, spaced = normalise(text), None
    for word in words:
        pattern = _latin_word(word)
        if pattern is None:
            if table_word(word) in folded:
                return True
            continue
        spaced = normalise(text, spaces=True) if spaced is None else spaced
        if pattern.search(spaced):
            return True
    return False
