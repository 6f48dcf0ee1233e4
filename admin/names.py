"""The municipality profile's names (categories, areas, centres) in the staff member's language.

The profile carries English names next to the Japanese ones; staff who use
the admin view in English read those, everyone else the Japanese.
"""
from __future__ import annotations

from flask import has_request_context
from flask_babel import get_locale

from bot.i18n import DEFAULT_LOCALE
from bot.municipality import Municipality


def staff_locale() -> str:
    """The language of the admin view for this request (Japanese outside a request)."""
    locale = get_locale() if has_request_context() else None
    return str(locale) if locale is not None else DEFAULT_LOCALE


def category_label(profile: Municipality, code: str) -> str:
    return profile.category_label(code, staff_locale())


def area_name(profile: Municipality, code: str | None) -> str | None:
    if not code:
        return None
    try:
        return profile.area(code).text_in(staff_locale())
    except KeyError:
        return code


def centre_name(profile: Municipality, code: str | None, short: bool = False) -> str:
    """A centre's name; the coordinator's office for no centre (the triage queue)."""
    locale = staff_locale()
    if code is None:
        return profile.coordinator.text_in(locale)
    try:
        centre = profile.centre(code)
    except KeyError:
        return code
    return centre.text_in(locale, "short_name" if short else "name")
