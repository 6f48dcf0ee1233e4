"""Translations for what residents read.

Message ids are the Japanese texts residents see by default; other languages
come from the Babel catalogs in ``locales/``. The locale is always the
resident's stored one, never the HTTP request's.
"""
from __future__ import annotations

from datetime import datetime
from functools import lru_cache
from pathlib import Path
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_datetime, format_skeleton, format_time
from babel.support import NullTranslations, Translations

LOCALES_DIR = Path(__file__).resolve().parent.parent / "locales"
# The languages residents can read the bot in, in the order the language menu offers them.
# ``ja_Hira`` is やさしい日本語 (easy Japanese): Babel reads the code as Japanese in
# hiragana script, so dates come out as in Japanese, and gettext looks up
# ``locales/ja_Hira`` (then ``ja``, which has no catalog: the catalog test makes
# sure ``ja_Hira`` never silently falls back to standard Japanese).
SUPPORTED_LOCALES = ("ja", "ja_Hira", "en", "zh_Hans", "vi")
DEFAULT_LOCALE = "ja"
# The locales of residents who read Japanese: phone calls in Japanese need no interpreter.
JAPANESE_LOCALES = frozenset({"ja", "ja_Hira"})
# Each language named in itself, as residents look for it.
LANGUAGE_NAMES = {"ja": "日本語", "ja_Hira": "やさしい日本語", "en": "English", "zh_Hans": "简体中文",
                  "vi": "Tiếng Việt"}
# Languages staff can use the admin view in.
STAFF_LOCALES = ("ja", "en")
# LINE profile languages (BCP 47, lower case) that are not simply their base language.
# Traditional Chinese readers get simplified Chinese, the closest catalog we have:
# most read it far more easily than Japanese or English.
_PROFILE_LANGUAGES = {"zh": "zh_Hans", "zh-hans": "zh_Hans", "zh-cn": "zh_Hans", "zh-sg": "zh_Hans",
                      "zh-hant": "zh_Hans", "zh-tw": "zh_Hans", "zh-hk": "zh_Hans", "zh-mo": "zh_Hans"}


def N_(message: str) -> str:
    """Mark a string for extraction; it is translated where it is shown."""
    return message


def S_(message: str) -> str:
    """Mark a text only staff read (admin view, CSV files, emails to staff) for extraction.

    Like :func:`N_`, it is translated where it is shown, with the staff
    member's gettext; the catalog check requires it in the staff languages
    only, not in every resident language.
    """
    return message


def normalise_locale(language: str | None) -> str:
    """Map a LINE profile language (e.g. ``en``, ``zh-Hant``) to a supported locale."""
    if not language:
        return DEFAULT_LOCALE
    tag = language.replace("_", "-").lower()
    if tag in _PROFILE_LANGUAGES:
        return _PROFILE_LANGUAGES[tag]
    base = tag.split("-")[0]
    if base in _PROFILE_LANGUAGES:
        return _PROFILE_LANGUAGES[base]
    if base in SUPPORTED_LOCALES:
        return base
    # A resident whose phone is in a language we do not speak yet reads
    # English more easily than Japanese, as a rule.
    return "en"


@lru_cache(maxsize=16)
def translations(locale: str) -> NullTranslations:
    if locale == DEFAULT_LOCALE:
        return NullTranslations()
    return Translations.load(str(LOCALES_DIR), [locale], domain="messages")


class Translator:
    """gettext bound to one locale and one time zone."""

    def __init__(self, locale: str, timezone: str = "Asia/Tokyo") -> None:
        self.locale = locale if locale in SUPPORTED_LOCALES else DEFAULT_LOCALE
        self.tz = ZoneInfo(timezone)
        self._t = translations(self.locale)

    def _(self, message: str, **params: object) -> str:
        text = self._t.gettext(message)
        return text.format(**params) if params else text

    def format_datetime(self, value: datetime, fmt: str = "medium") -> str:
        return format_datetime(value.astimezone(self.tz), fmt, locale=self.locale)

    def format_day(self, value: datetime) -> str:
        """A date as residents read it in their language: 11月22日(日) / Sun, Nov 22 / CN, 22 thg 11."""
        return format_skeleton("MMMEd", value.astimezone(self.tz), locale=self.locale)

    def format_date(self, value: datetime) -> str:
        """A date with its year: 2026/11/22 / Nov 22, 2026 / 2026年11月22日 / 22 thg 11, 2026."""
        return format_date(value.astimezone(self.tz), "medium", locale=self.locale)

    def format_time(self, value: datetime) -> str:
        """A time of day: 14:00 / 2:00 PM."""
        return format_time(value.astimezone(self.tz), "short", locale=self.locale)
