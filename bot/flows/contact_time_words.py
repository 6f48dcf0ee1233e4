"""When a resident would like to be contacted, read from their own words (「夜8時ごろ」「日曜日」「土曜の午前」).

Only what the words say clearly is read: days of the week, 平日 / 週末,
a time of day (夜, 早朝) and clock times (20時, 夜8時, 8pm, 18:00, 18時以降).
The consultation keeps the words as typed either way; this only tells
whether they fall outside the desk's hours (bot/services/hours.py), so the
bot can add a kind note. In the five resident languages.
"""
from __future__ import annotations

import re
from datetime import time

from bot.services.hours import ContactWish
from bot.text import fold

END_OF_DAY = time.max
WEEKDAYS = frozenset(range(5))
WEEKEND = frozenset({5, 6})

# Day words, folded (bot/text.py), each with the weekdays it names; longer phrases first.
DAY_WORDS: tuple[tuple[str, frozenset[int]], ...] = (
    *((f"{kanji}曜", frozenset({n})) for n, kanji in enumerate("月火水木金土日")),
    *((f"{kana}ようび", frozenset({n})) for n, kana in enumerate(("げつ", "か", "すい", "もく", "きん", "ど", "にち"))),
    ("土日", WEEKEND), ("週末", WEEKEND), ("休日", WEEKEND), ("休みの日", WEEKEND), ("やすみのひ", WEEKEND),
    ("祝日", WEEKEND), ("平日", WEEKDAYS), ("へいじつ", WEEKDAYS),
    *((english, frozenset({n})) for n, english in enumerate(
        ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"))),
    ("weekend", WEEKEND), ("holiday", WEEKEND), ("weekday", WEEKDAYS),
    *((f"{prefix}{digit}", frozenset({n})) for prefix in ("星期", "周", "礼拜")
      for n, digit in enumerate("一二三四五六日")),
    ("星期天", frozenset({6})), ("礼拜天", frozenset({6})), ("周末", WEEKEND), ("工作日", WEEKDAYS),
    ("chủ nhật", frozenset({6})), ("chu nhat", frozenset({6})), ("cuối tuần", WEEKEND), ("cuoi tuan", WEEKEND),
    ("ngày thường", WEEKDAYS), ("ngay thuong", WEEKDAYS),
    *((f"thứ {word}", frozenset({n})) for n, word in enumerate(("hai", "ba", "tư", "năm", "sáu", "bảy"))),
    *((f"thu {word}", frozenset({n})) for n, word in enumerate(("hai", "ba", "tu", "nam", "sau", "bay"))),
    *((f"thứ {n + 2}", frozenset({n})) for n in range(6)),
    *((f"thu {n + 2}", frozenset({n})) for n in range(6)),
)
# Times of day without a clock time: (words, window).
EVENING = (time(18), END_OF_DAY)
EARLY = (time(5), time(8))
PERIOD_WORDS: tuple[tuple[tuple[str, ...], tuple[time, time]], ...] = (
    (("深夜", "夜中", "よなか", "late at night", "midnight", "半夜", "深夜", "nửa đêm", "nua dem"), (time(22), END_OF_DAY)),
    (("早朝", "そうちょう", "early morning", "清晨", "sáng sớm", "sang som"), EARLY),
    (("夜", "よる", "晩", "ばん", "evening", "night", "晚上", "夜里", "夜间", "buổi tối", "buoi toi", "ban đêm",
      "ban dem"), EVENING),
)
# Words around a clock time that put it in the afternoon or evening (8 → 20), or in the morning.
LATER = ("午後", "ごご", "夜", "よる", "晩", "ばん", "夕方", "pm", "p.m.", "下午", "晚上", "傍晚", "chiều", "tối", "chieu", "toi")
EARLIER = ("午前", "ごぜん", "朝", "あさ", "am", "a.m.", "上午", "早上", "sáng", "sang")
# "From" and "until" a clock time: written after it in Japanese and Chinese (18時以降), before it in English and
# Vietnamese (after 6pm, sau 6 giờ).
FROM_AFTER = ("以降", "いこう", "から", "過ぎ", "すぎ", "以后", "之后")
FROM_BEFORE = ("after", "from", "sau")
UNTIL_AFTER = ("まで", "前", "まえ", "以前", "之前")
UNTIL_BEFORE = ("before", "until", "trước", "truoc")
# A clock time: 20時, 8時半, 8:30, 8pm, 8 giờ, 8h, 8点 (not 3時間, a length of time).
CLOCK = re.compile(
    r"(?P<before>\D{0,8}?)(?P<hour>\d{1,2})\s*(?:(?:時(?!間)|じ|点|giờ|gio|h\b)(?P<half>半|rưỡi)?"
    r"|:(?P<minute>[0-5]\d)|(?=[ap]\.?m\b))(?P<after>\D{0,8})"
)


def contact_wish(typed: str) -> ContactWish | None:
    """The days and time window the words ask for; None when they name neither."""
    words = fold(typed, spaces=True)
    days = _days(words)
    window = _clock_window(words) or _period(words)
    if days is None and window is None:
        return None
    start, end = window or (None, None)
    return ContactWish(days=days, start=start, end=end)


def _days(words: str) -> frozenset[int] | None:
    found = [days for word, days in DAY_WORDS if _has(words, word)]
    return frozenset().union(*found) if found else None


def _period(words: str) -> tuple[time, time] | None:
    for phrases, window in PERIOD_WORDS:
        if any(_has(words, phrase) for phrase in phrases):
            return window
    return None


def _clock_window(words: str) -> tuple[time, time] | None:
    """The window around the first clock time: an hour from it, or from/until it with 以降 / まで."""
    match = CLOCK.search(words)
    if match is None:
        return None
    hour = int(match["hour"])
    minute = 30 if match["half"] else int(match["minute"] or 0)
    if hour > 24 or minute > 59:
        return None
    before, after = match["before"], match["after"]
    if hour < 12 and any(_has(f"{before} {after}", word) for word in LATER):
        hour += 12
    elif hour == 12 and any(_has(f"{before} {after}", word) for word in EARLIER):
        hour = 0
    at = time(hour % 24, minute)
    if any(_has(after, word) for word in FROM_AFTER) or any(_has(before, word) for word in FROM_BEFORE):
        return at, END_OF_DAY
    if any(_has(after, word) for word in UNTIL_AFTER) or any(_has(before, word) for word in UNTIL_BEFORE):
        return time(0), at
    return at, (time(hour + 1, minute) if hour < 23 else END_OF_DAY)


def _has(words: str, phrase: str) -> bool:
    """Latin words match whole words ("am", not "exam"); Japanese and Chinese anywhere in the text."""
    phrase = fold(phrase, spaces=True)
    if phrase.isascii() or " " in phrase:
        return re.search(rf"(?<![a-zà-ỹ]){re.escape(phrase)}s?(?![a-zà-ỹ])", words) is not None  # Sundays too
    return phrase in words.replace(" ", "")
