"""Typed text made comparable: the one folding for everything that matches what residents type.

Residents type the same word many ways: 「ツギヘ」「つぎへ」「次へ 」, full-width
「ＯＫ」 or half-width kana 「ｵｹｰ」, "Yes" or "YES". :func:`fold` writes them
one way before they are compared with the words a flow expects (the flows'
``*_words.py``), with a profile's place names (bot/municipality.py) or with
the danger signals (bot/services/safety.py):

- NFKC: full-width letters and digits and half-width kana become ordinary ones;
- case folded (Ǆ, ß and Đ too, not only A-Z);
- katakana written as hiragana (ツギ -> つぎ);
- whitespace dropped (Japanese and Chinese are written without spaces, and
  residents put them anywhere), or with ``spaces=True`` kept as single
  spaces, for words of Latin letters ("my mother", "tiếng việt").

Fold both sides: the words a flow expects and what the resident typed.
"""
from __future__ import annotations

import unicodedata

_KATAKANA_TO_HIRAGANA = {code: code - 0x60 for code in range(ord("ァ"), ord("ヶ") + 1)}


def fold(text: str | None, *, spaces: bool = False) -> str:
    """``text`` written one way for matching; see the module's docstring."""
    folded = unicodedata.normalize("NFKC", text or "").casefold().translate(_KATAKANA_TO_HIRAGANA)
    return " ".join(folded.split()) if spaces else "".join(folded.split())
