"""What a new staff password must be: long enough, and hard to guess (zxcvbn).

zxcvbn estimates how many guesses a password would take against common
passwords, words, keyboard patterns, dates and repeats, and against the
person's own details (their email, name, centres, the city). There is no
forced periodic change: a strong password is kept until there is a reason.
"""
from __future__ import annotations

import re
from collections.abc import Iterable

from zxcvbn import zxcvbn

from admin.settings import MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH
from bot.i18n import N_

# zxcvbn's score, 0-4: 3 is "safely unguessable" (about 10^8 guesses or more) once logins are slowed.
MIN_SCORE = 3
# zxcvbn refuses longer input; the first 72 characters of a longer password decide.
_ZXCVBN_MAX = 72


class WeakPassword(ValueError):
    """A new password does not meet the policy; ``message`` says why (a msgid)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def check_password_policy(password: str, email: str | None = None, personal: Iterable[str] = ()) -> None:
    """Refuse a password that is too short or long, or easy to guess (also from the person's details)."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise WeakPassword(N_("パスワードは12文字以上にしてください。"))
    if len(password) > MAX_PASSWORD_LENGTH:
        raise WeakPassword(N_("パスワードは128文字以内にしてください。"))
    details = _personal_words(email, personal)
    lowered = password.lower()
    if email and lowered.strip() == email.strip().lower():
        raise WeakPassword(N_("メールアドレスと同じパスワードは使えません。"))
    if email and email.strip().lower() in lowered:
        raise WeakPassword(N_("メールアドレスを含むパスワードは使えません。"))
    result = zxcvbn(password[:_ZXCVBN_MAX], user_inputs=details, max_length=_ZXCVBN_MAX)
    if _mostly_personal(password, details) or (result["score"] < MIN_SCORE and any(
            match.get("dictionary_name") == "user_inputs" for match in result["sequence"])):
        raise WeakPassword(N_("氏名、メールアドレス、所属センターなど、ご本人に関わる言葉をもとにしたパスワードは使えません。"))
    if result["score"] < MIN_SCORE:
        raise WeakPassword(N_("このパスワードは推測されやすいため使えません。よく使われる言葉や数字の並び、"
                              "同じ文字の繰り返しを避けて、いくつかの言葉を組み合わせた長めのパスワードにしてください。"))


def _mostly_personal(password: str, details: list[str]) -> bool:
    """Whether at least half of the password, separators left out, is the person's details ("taira-taira-2026")."""
    joined = _letters(password)
    rest = joined
    for word in sorted((_letters(word) for word in details), key=len, reverse=True):
        if len(word) >= 3:
            rest = rest.replace(word, "")
    return bool(joined) and len(rest) * 2 <= len(joined)


def _letters(text: str) -> str:
    return re.sub(r"[\W_]", "", text.lower())


def _personal_words(email: str | None, personal: Iterable[str]) -> list[str]:
    """The person's details as zxcvbn's user inputs: whole values and their parts."""
    words: set[str] = set()
    values = [email or "", *(value or "" for value in personal)]
    for value in values:
        value = value.strip().lower()
        if not value:
            continue
        words.add(value)
        for part in value.replace("@", " ").replace(".", " ").replace("_", " ").replace("-", " ").split():
            if len(part) >= 2:
                words.add(part)
    return sorted(words)
