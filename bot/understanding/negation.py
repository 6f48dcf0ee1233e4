"""Whether words are denied where they stand (否定), and quoted titles set aside.

A matcher finds a word in what a resident wrote (「暴れ」「死にたい」「hits me」)
and asks here whether the sentence denies it:

- Japanese puts the denial after the word, in the same clause:
  「暴れることはありません」「殴られたことはないです」「死にたいとは思わない」
  「死にたいわけではない」. Only endings that belong to the word's own
  predicate count: 「殴られて眠れない」 denies sleeping, not the blow, and
  「死ぬしかない」「死にたくてたまらない」 deny nothing.
- English, Chinese and Vietnamese put it before: "he never hits me",
  "I'm not suicidal", 「他没打我」「我不想死」, "anh ấy không đánh tôi".

The text given is folded (bot/text.py ``fold``): kana as hiragana, case
folded. :func:`clauses` splits it where a denial stops reaching
(。、！？, けど and line ends).

Quotation: a title in 「」 or 『』 followed by what names it as one
(「『死にたい夜に』という番組」「『自殺』の特集」) is a programme, a book or a
song, not the resident's words; :func:`without_titles` blanks it. Someone's
quoted words (「友人が『死にたい』と言っている」) are kept: they are a signal.
"""
from __future__ import annotations

import re

# Where a denial stops reaching: the clause ends.
_CLAUSE_END = re.compile(r"[。、，,.!！?？;；\n]+|(?<=[ぁ-ん])(?:けど|けれど)")

# What may follow a Japanese word in its own clause and deny it, whole: okurigana or an auxiliary (る, られた,
# ていない; not a particle, so 「意味がわからない」 denies understanding, not the meaning), a light verb after a
# particle (暴力は振るいません), a verb of thinking (とは思わない), a nominaliser and its particle
# (ことはない, わけではない), then the denial and polite or final endings.
_JA_DENIAL = re.compile(
    r"^(?:(?![がをにはもでと])[ぁ-ん]{1,4}?)?"
    r"(?:(?:を|は|が|も)(?:ふる|振る|受け|うけ|され|さ|し)[ぁ-ん]{0,4}?)?"
    r"(?:(?:と|とは|とも|って|なんて)(?:思|おも|考|かんが|感じ|かんじ|言|い)[ぁ-ん]{0,4}?)?"
    r"(?:こと|事|わけ|訳|つもり|気|ようなこと)?"
    r"(?:は|も|が|など|なんか|では|じゃ|には)?"
    r"(?:ない|無い|ありません|ません|なかった|ねえ|ねぇ|ず|いない|いません)"
    r"(?:です|でした|よ|ね|な|し|の|から|ので|けど|けれど)*$"
)
# Endings that look like a denial and are not one: 「死ぬしかない」, 「死にたくてたまらない」, and a wish
# (「殴られたくない」 says it happens).
_JA_NOT_DENIAL_BEFORE = ("しか",)
_JA_NOT_DENIAL = re.compile(r"(?:たまらない|しょうがない|しかたない|仕方ない|仕方がない|かもしれない|かもしれません|とまらない|止まらない|たく(?:ない|ありません|なかった))")

# Denials written before the word, within a few words (English, Vietnamese) or characters (Chinese).
# "no" only right before the word ("no violence"): "he said no and hit me" is not a denial.
_EN_DENIAL = re.compile(r"(?:\b(?:not|never|don't|dont|doesn't|doesnt|didn't|didnt|isn't|isnt|wasn't|wasnt|won't|"
                        r"wont|nobody)\b(?:\s+\S+){0,2}|\bno)\s*$")
_VI_DENIAL = re.compile(r"\b(?:không|chưa|chẳng|chả|chưa bao giờ|không bao giờ|khong|chua|chang)\b(?:\s+\S+){0,2}\s*$")
# Not 别 (「别打我」 "don't hit me" is a plea, not a denial).
_ZH_DENIAL = re.compile(r"(?:不|没有|没|沒有|沒|从不|從不|从来没有?|從來沒有?|并不|並不|不会|不會)[^不没沒]{0,2}$")

# Folded: katakana is written as hiragana (どらま is ドラマ).
_TITLE_NOUNS = r"(?:番組|ばんぐみ|どらま|映画|えいが|本|小説|漫画|まんが|歌|曲|うた|あにめ|たいとる|題名|記事|特集|動画)"
_QUOTED_TITLE = re.compile(r"([「『])([^「」『』]{1,40})([」』])(?=(?:という|っていう|って|の|と題する|)" + _TITLE_NOUNS + ")")


def clauses(text: str) -> list[str]:
    """The clauses of ``text``: a denial in one does not reach the next."""
    return _CLAUSE_END.split(text)


def denied_after(clause: str, end: int) -> bool:
    """Japanese: whether the rest of the clause after ``clause[:end]`` denies the word that ends there."""
    rest = re.sub(r"[\s「」『』()（）…‥・ー〜~]+", "", clause[end:])
    if not rest or clause[:end].endswith(_JA_NOT_DENIAL_BEFORE) or _JA_NOT_DENIAL.search(rest):
        return False
    return bool(_JA_DENIAL.match(rest))


def denied_before(text: str, start: int, language: str) -> bool:
    """English (``en``), Vietnamese (``vi``) or Chinese (``zh``): whether the words just before ``start`` deny it."""
    before = text[:start]
    cut = max(before.rfind(mark) for mark in ".!?;,，。！？；\n") + 1
    before = before[cut:]
    if language == "zh":
        return bool(_ZH_DENIAL.search(before))
    pattern = _VI_DENIAL if language == "vi" else _EN_DENIAL
    return bool(pattern.search(before))


# A topic said not to be a worry: 「お金の心配はありません」「お金は大丈夫です」「介護のことは困っていません」.
# Narrower than a denial of the word itself: 「仕事がない」「お金がない」 are the worry, not its absence.
_JA_NOT_A_WORRY = re.compile(
    r"^(?:の|は|も|で|に)(?:こと|ほう|方|面|件)?(?:で|に|は|も)?"
    r"(?:(?:心配|問題|困って(?:い|お)?|悩んで(?:い)?|気にして(?:い)?)(?:は|も)?)?"
    r"(?:ない|無い|ありません|ません|いません|おりません|大丈夫|だいじょうぶ|平気|結構)"
)


def topic_denied(clause: str, end: int) -> bool:
    """Japanese: whether the rest of the clause after a topic word (``clause[:end]``) says it is no worry."""
    return bool(_JA_NOT_A_WORRY.match(re.sub(r"[\s「」『』]+", "", clause[end:])))


def without_titles(text: str) -> str:
    """``text`` with quoted titles (「『…』という番組」) blanked, keeping every other character's place."""
    return _QUOTED_TITLE.sub(lambda m: m.group(1) + " " * len(m.group(2)) + m.group(3), text)
