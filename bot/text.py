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


# Characters that are never text a person meant to type: C0 and C1 controls (NUL,
# escape, ...). Tab, line feed and carriage return are ordinary whitespace.
_KEPT_CONTROLS = frozenset("\t\n\r")
_EMOJI_BEFORE_JOINER = frozenset({"So", "Sk"})
_ZERO_WIDTH_JOINER = "\u200d"
_EMOJI_PRESENTATION = "\ufe0f"


def without_controls(text: str) -> str:
    """``text`` without control characters (NUL, escape, DEL ...), keeping tabs and line breaks.

    What staff type is cleaned this way before it is stored or searched for:
    PostgreSQL refuses NUL in text, and no other control character is meant.
    """
    return "".join(char for char in text if char in _KEPT_CONTROLS or unicodedata.category(char) != "Cc")


def has_controls(text: str, *, kept: str = "\t") -> bool:
    """Whether ``text`` holds a control character other than those in ``kept``."""
    return any(unicodedata.category(char) == "Cc" and char not in kept for char in text)


def visible_controls(text: str) -> str:
    """``text`` with invisible format and control characters written out, e.g. ``[U+202E]``.

    A right-to-left override (U+202E) in a resident's message would make
    「‮gnp.exe」 read "exe.png" on a staff screen; zero-width spaces and
    bidi marks hide what a name really is. Staff pages and CSV files show
    them as ``[U+XXXX]`` instead. Tabs and line breaks stay, and so does the
    zero-width joiner inside an emoji (🙇‍♀️, 👨‍👩‍👧), which residents send every day.
    """
    if text.isascii() and text.isprintable():
        return text
    shown = []
    for index, char in enumerate(text):
        if char in _KEPT_CONTROLS or unicodedata.category(char) not in ("Cf", "Cc"):
            shown.append(char)
        elif char == _ZERO_WIDTH_JOINER and _joins_emoji(text, index):
            shown.append(char)
        else:
            shown.append(f"[U+{ord(char):04X}]")
    return "".join(shown)


def _joins_emoji(text: str, index: int) -> bool:
    """Whether the zero-width joiner at ``index`` sits between two parts of one emoji."""
    before = text[index - 1] if index else ""
    after = text[index + 1] if index + 1 < len(text) else ""
    if not before or not after or unicodedata.category(after) != "So":
        return False
    return before == _EMOJI_PRESENTATION or unicodedata.category(before) in _EMOJI_BEFORE_JOINER


_HIRAGANA_TO_KATAKANA = {hiragana: katakana for katakana, hiragana in _KATAKANA_TO_HIRAGANA.items()}


def kana_spellings(text: str) -> set[str]:
    """``text`` folded, once with its kana as hiragana and once as katakana (やまだ, ヤマダ).

    For a database search where the stored side cannot be folded: a name
    written in either kana is found by the other.
    """
    folded = fold(text)
    return {folded, folded.translate(_HIRAGANA_TO_KATAKANA)}
