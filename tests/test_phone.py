"""Phone numbers (bot/services/phone.py): one rule for the consultation, the sign-ups and the admin view."""
import pytest

from bot.services.phone import InvalidPhone, format_phone, normalise_phone


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("090-1234-5678", "09012345678"),
        ("０９０－１２３４－５６７８", "09012345678"),
        ("０９０ー１２３４ー５６７８", "09012345678"),  # the long-vowel mark people type for a dash
        ("090‐1234‐5678", "09012345678"),
        ("09012345678", "09012345678"),
        ("080 1234 5678", "08012345678"),
        ("050-1234-5678", "05012345678"),
        ("0246-22-1111", "0246221111"),
        ("0246221111", "0246221111"),
        ("(0246)22-1111", "0246221111"),
        ("０２４６（２２）１１１１", "0246221111"),
        ("0312345678", "0312345678"),
        ("+81 90-1234-5678", "09012345678"),
        ("+81 90 1234 5678", "09012345678"),
        ("+81 (0)90-1234-5678", "09012345678"),
        ("電話番号は090-1234-5678です", "09012345678"),
    ],
)
def test_japanese_phone_numbers_are_accepted_and_stored_as_digits(typed, stored):
    assert normalise_phone(typed) == stored


@pytest.mark.parametrize(
    "typed",
    [
        "", "1234", "abc", "110", "携帯はありません", "090 1234",
        "090-1234-567", "090-1234-56789",  # wrong lengths
        "9012345678",  # the leading 0 missing
        "0000000000", "+1 415 555 0100",
        "0120-279-338", "0120123456", "0800-123-4567",  # toll-free
        "0570-783-556",  # navi-dial
        "0990-123-456",  # premium rate
        "020-1234-5678",  # pagers
        "090-1234-5678か0246-22-1111",  # which one?
    ],
)
def test_what_cannot_take_a_call_back_is_refused(typed):
    with pytest.raises(InvalidPhone):
        normalise_phone(typed)


@pytest.mark.parametrize(
    ("stored", "shown"),
    [
        ("09012345678", "090-1234-5678"),
        ("05012345678", "050-1234-5678"),
        ("0246221111", "0246-22-1111"),
        ("0246834567", "0246-83-4567"),  # grouped by its area code, 0246
        ("0312345678", "03-1234-5678"),
        ("0878392011", "087-839-2011"),
        # Sign-ups stored before the digits were: hyphenated, also toll-free numbers then accepted.
        ("090-1234-5678", "090-1234-5678"),
        ("0120-123-456", "0120-123-456"),
        ("not a number", "not a number"),
        (None, ""),
    ],
)
def test_numbers_are_shown_grouped_by_their_area_code(stored, shown):
    assert format_phone(stored) == shown
