"""Yes and no as residents type them, in every resident language: one set each for every flow.

A flow that asks a yes-or-no question reads the answer with :func:`is_yes`
and :func:`is_no`, adding its own confirmation phrases on top of the shared
words (「申し込む」 in the events, 「取り消す」 when cancelling a sign-up,
「同意する」「送信」 in the consultation): ``is_yes(typed, also=SIGN_UP_YES)``.

The whole answer must be one of the words (after :func:`answer_word` took
off polite endings and punctuation), so 「はいらない」 is not はい and
「いいえ」 is never yes. Words whose meaning depends on the question
(「いいです」「大丈夫」 can mean "no, thank you") are not shared; a flow may
add them where they cannot be misread.
"""
from __future__ import annotations

from bot.text import fold

_EDGES = " 　、。,.!！?？…「」『』()（）〜~"
_POLITE_ENDINGS = ("でおねがいします", "でお願いします", "おねがいします", "お願いします", "でおねがい", "でお願い", "でいいです",
                   "でおk", "です", "で")


def answer_word(typed: str) -> str:
    """The folded answer without polite endings and punctuation around it (「次へです。」 -> 次へ)."""
    word = fold(typed)
    for ending in _POLITE_ENDINGS:
        if word.endswith(ending) and len(word) > len(ending):
            word = word[: -len(ending)]
            break
    return word.strip(_EDGES)


def words(*typed: str) -> frozenset[str]:
    """Words as :func:`answer_word` writes them, to compare with an answer."""
    return frozenset(fold(word) for word in typed)


YES = words(
    # ja (やさしい日本語 is the same words in kana, which fold to the same)
    "はい", "はーい", "うん", "ええ", "お願いします", "おねがいします", "お願い", "ok", "おk", "オッケー", "了解",
    "承知", "承知しました", "わかりました", "分かりました", "いいよ",
    # en
    "yes", "yeah", "yep", "okay", "sure",
    # zh_Hans
    "是", "是的", "好", "好的", "可以", "对", "对的", "行", "嗯",
    # vi, with and without diacritics
    "có", "vâng", "dạ", "được", "ừ", "co", "vang", "da", "duoc",
)
NO = words(
    "いいえ", "いえ", "いや", "嫌", "やだ", "しない", "しません", "やめる", "やめます",
    "no", "nope",
    "不", "不是", "不要", "不行", "不用", "算了",
    "không", "thôi", "không cần", "khong", "thoi", "khong can",
)


def is_yes(typed: str, also: frozenset[str] = frozenset()) -> bool:
    """Whether the answer is yes: a shared word, or one of the flow's own ``also`` (made with :func:`words`)."""
    word = answer_word(typed)
    return word in YES or word in also


def is_no(typed: str, also: frozenset[str] = frozenset()) -> bool:
    """Whether the answer is no: a shared word, or one of the flow's own ``also`` (made with :func:`words`)."""
    word = answer_word(typed)
    return word in NO or word in also
