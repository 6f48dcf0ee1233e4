"""How many people, in words: 「ふたり」「二人」「2人」「３名」 "two" "hai người" 「两个人」.

:func:`number_of_people` reads a party size from an answer or a short
sentence (「ふたりです」「母と二人で行きます」「大人2人と子ども1人」).
"""
from __future__ import annotations

import re

from bot.understanding.normalise import normalise

_KANJI = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "两": 2, "兩": 2}
# Words that are a number of people by themselves, normalised (katakana is hiragana), longest found first.
PEOPLE = {normalise(word, spaces=True): size for word, size in {
    "ひとり": 1, "ふたり": 2, "さんにん": 3, "よにん": 4, "ごにん": 5, "ろくにん": 6, "しちにん": 7, "ななにん": 7,
    "はちにん": 8, "きゅうにん": 9, "じゅうにん": 10, "自分だけ": 1, "私だけ": 1, "わたしだけ": 1, "本人のみ": 1,
    "夫婦": 2, "夫婦で": 2,
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
    "just me": 1, "only me": 1, "myself": 1, "me alone": 1, "a couple": 2, "the two of us": 2,
    "只有我": 1, "我自己": 1,
    "một": 1, "hai": 2, "ba": 3, "bốn": 4, "năm": 5, "sáu": 6, "bảy": 7, "tám": 8, "chín": 9, "mười": 10,
    "mot": 1, "bon": 4, "nam": 5, "sau": 6, "bay": 7, "tam": 8, "chin": 9, "muoi": 10, "chỉ mình tôi": 1,
    "mình tôi": 1, "chi minh toi": 1,
}.items()}
_COUNTER = r"(?:人|名|にん|めい|名様|people|persons?|pax|个人|個人|个|位|người|nguoi)"
_DIGITS = re.compile(rf"(\d{{1,2}})\s*{_COUNTER}")
_KANJI_COUNT = re.compile(rf"([一二三四五六七八九十两兩]{{1,3}})\s*{_COUNTER}")
_BARE = re.compile(r"\s*(\d{1,2})\s*")
# Latin words only count on word boundaries ("two", not "network"); others anywhere.
_WORDS = sorted(PEOPLE, key=len, reverse=True)


def kanji_number(kanji: str) -> int | None:
    """一 to 九十九 (「十二」 -> 12, 「二十」 -> 20); None otherwise."""
    if "十" not in kanji:
        return _KANJI.get(kanji) if len(kanji) == 1 else None
    tens, _, ones = kanji.partition("十")
    value = (_KANJI.get(tens, 0) if tens else 1) * 10 + (_KANJI.get(ones, 0) if ones else 0)
    return value if (not tens or tens in _KANJI) and (not ones or ones in _KANJI) else None


def number_of_people(typed: str) -> int | None:
    """The number of people in the words; several counts are added (「大人2人と子ども1人」 -> 3); else None."""
    spaced = normalise(typed, spaces=True)
    word = spaced.replace(" ", "")
    if _BARE.fullmatch(spaced):
        return int(spaced)
    counts = [int(n) for n in _DIGITS.findall(spaced)]
    counts += [n for n in (kanji_number(k) for k in _KANJI_COUNT.findall(word)) if n]
    if counts:
        return sum(counts)
    for name in _WORDS:
        if name.replace(" ", "").isascii():
            if re.search(rf"(?<![a-z]){re.escape(name)}(?![a-z])", spaced):
                return PEOPLE[name]
        elif name in (word if " " not in name else spaced):
            return PEOPLE[name]
    return None
