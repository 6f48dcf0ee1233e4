"""Phone numbers: read the way residents and staff type them, stored as digits, shown grouped.

The one rule for every number given to be called back on: a consultation's
電話で (bot/flows/intake.py), a sign-up's number for the day
(bot/flows/events.py), and a phoned-in sign-up staff type (admin/events.py).
Google's libphonenumber (``phonenumbers``) reads the number and groups it by
its area code, as Japanese numbers are written: 090-1234-5678,
0246-22-1111, 03-1234-5678.

- Read: full-width digits, every kind of dash (ー too), spaces, brackets,
  +81, and a number among words (「電話番号は090-1234-5678です」).
- Refused: what cannot take a call back to a person — toll-free (0120,
  0800), navi-dial (0570), premium rate (0990), pagers (020) — wrong
  lengths, a number without its leading 0, foreign numbers, and text with
  two numbers in it (which one?).
- Stored: the digits (``09012345678``). Sign-ups stored before this were
  written with hyphens; :func:`format_phone` reads both.
- Shown: :func:`format_phone`, everywhere staff or residents read a number
  (LINE messages, the admin pages, the CSV files, where the hyphens also
  keep Excel from dropping the leading 0).
"""
from __future__ import annotations

import re
import unicodedata

import phonenumbers
from phonenumbers import PhoneNumberFormat, PhoneNumberType

# Numbers a person answers: landlines, mobiles (070/080/090) and IP phones (050).
CALLABLE = frozenset({
    PhoneNumberType.FIXED_LINE, PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE_OR_MOBILE, PhoneNumberType.VOIP,
})
_DASHES = "‐‑‒–—―−ー－ｰ"
# A run of digits with the separators people put in phone numbers, perhaps after +81.
_PHONE_LIKE = re.compile(r"(?:\+81[\s-]*)?\(?\d[\d\s().\-]{7,}\d\)?")


class InvalidPhone(ValueError):
    """Not a Japanese phone number a person could be called back on."""


def normalise_phone(typed: str | None) -> str:
    """Return the digits of the Japanese number in ``typed`` ("０９０ー１２３４ー５６７８" -> "09012345678").

    Raises :class:`InvalidPhone` for anything this module's docstring says is refused.
    """
    text = unicodedata.normalize("NFKC", typed or "").translate({ord(dash): "-" for dash in _DASHES})
    candidates = _PHONE_LIKE.findall(text)
    if len(candidates) != 1:
        raise InvalidPhone("no phone number, or more than one")
    written = candidates[0].strip()
    if not written.lstrip("(").startswith(("0", "+81")):
        raise InvalidPhone("a Japanese number starts with 0 or +81")
    number = _parse(written)
    if number is None or phonenumbers.number_type(number) not in CALLABLE:
        raise InvalidPhone("not a number a person can be called back on")
    return "0" + phonenumbers.national_significant_number(number)


def phone_digits(typed: str | None) -> str:
    """The digits of what staff typed to find a number, whole or in part ("０９０-３３３３" -> "0903333"); "" when
    it is not only digits and the separators of phone numbers."""
    text = unicodedata.normalize("NFKC", typed or "").translate({ord(dash): "-" for dash in _DASHES}).strip()
    if text.startswith("+81"):
        text = "0" + text[3:].lstrip(" -(")
    digits = re.sub(r"[\s().+-]", "", text)
    return digits if digits.isdigit() and digits.isascii() else ""


def format_phone(stored: str | None) -> str:
    """A stored number as people read it, grouped by its area code: 090-1234-5678, 0246-83-4567.

    Takes the stored digits or the hyphenated form of older sign-ups; a value
    that is not a Japanese number is shown as it was stored.
    """
    if not stored:
        return ""
    number = _parse(stored)
    return phonenumbers.format_number(number, PhoneNumberFormat.NATIONAL) if number is not None else stored


def _parse(written: str) -> phonenumbers.PhoneNumber | None:
    """The Japanese number ``written`` is, or None."""
    try:
        number = phonenumbers.parse(written, "JP")
    except phonenumbers.NumberParseException:
        return None
    if number.country_code != 81 or not phonenumbers.is_valid_number(number):
        return None
    return number
