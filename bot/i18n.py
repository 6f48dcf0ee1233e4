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

from babel.dates import format_datetime
from babel.support import NullTranslations, Translations

LOCALES_DIR = Path(__file__).resolve().parent.parent / "locales"
SUPPORTED_LOCALES = ("ja", "en")
DEFAULT_LOCALE = "ja"
LANGUAGE_NAMES = {"ja": "日本語", "en": "English"}


def N_(message: str) -> str:
    """Mark a string for extraction; it is translated where it is shown."""
    return message


def normalise_locale(language: str | None) -> str:
    """Map a LINE profile language (e.g. ``en``, ``zh-Hant``) to a supported locale."""
    if not language:
        return DEFAULT_LOCALE
    base = language.replace("_", "-").split("-")[0].lower()
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
