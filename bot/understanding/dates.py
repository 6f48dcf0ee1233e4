"""Which days, in words: 「日曜日」「今度の土曜」「明日」「来週」「12/3」 "next Sunday" 「下周六」 "thứ bảy".

:func:`days_from_text` gives the first and last day the words mean, from
``today`` (the city's local date): a weekday is the coming one (today
included), 来週の… the one in next week; a date that has passed this year
is next year's.
"""
from __future__ import annotations

import calendar
import re
from datetime import date, timedelta
from functools import lru_cache

from bot.understanding.normalise import normalise

# Monday is 0, as date.weekday().
WEEKDAYS = {
    0: ("月曜", "げつよう", "monday", "mon", "星期一", "周一", "礼拜一", "thứ hai", "thứ 2", "thu hai"),
    1: ("火曜", "かようび", "tuesday", "tue", "星期二", "周二", "礼拜二", "thứ ba", "thứ 3", "thu ba"),
    2: ("水曜", "すいよう", "wednesday", "wed", "星期三", "周三", "礼拜三", "thứ tư", "thứ 4", "thu tu"),
    3: ("木曜", "もくよう", "thursday", "thu", "星期四", "周四", "礼拜四", "thứ năm", "thứ 5", "thu nam"),
    4: ("金曜", "きんよう", "friday", "fri", "星期五", "周五", "礼拜五", "thứ sáu", "thứ 6", "thu sau"),
    5: ("土曜", "どよう", "saturday", "sat", "星期六", "周六", "礼拜六", "thứ bảy", "thứ 7", "thu bay"),
    6: ("日曜", "にちよう", "sunday", "sun", "星期日", "星期天", "周日", "礼拜天", "礼拜日", "chủ nhật", "chu nhat"),
}
TODAY = ("今日", "本日", "today", "今天", "hôm nay", "hom nay")
TOMORROW = ("明日", "あした", "tomorrow", "明天", "ngày mai", "ngay mai")
DAY_AFTER = ("明後日", "あさって", "day after tomorrow", "后天", "ngày kia", "ngày mốt", "ngay kia")
THIS_WEEK = ("今週", "こんしゅう", "this week", "本周", "这周", "这个星期", "tuần này", "tuan nay")
NEXT_WEEK = ("来週", "らいしゅう", "next week", "下周", "下个星期", "下星期", "tuần sau", "tuần tới", "tuan sau", "tuan toi")
WEEKEND = ("週末", "土日", "しゅうまつ", "weekend", "周末", "cuối tuần", "cuoi tuan")
THIS_MONTH = ("今月", "こんげつ", "this month", "这个月", "本月", "tháng này", "thang nay")
NEXT_MONTH = ("来月", "らいげつ", "next month", "下个月", "下月", "tháng sau", "tháng tới", "thang sau")

_KANA_DAYS = {"きょう": 0, "きょうです": 0, "あす": 1, "あすです": 1}
_MONTH_DAY = re.compile(r"(?<!\d)(\d{1,2})\s*(?:/|月|\.|-)\s*(\d{1,2})(?!\d)")
_VIETNAMESE = re.compile(r"ngày\s*(\d{1,2})\s*(?:tháng|/)\s*(\d{1,2})")  # ngày 3 tháng 12
_DAY_ONLY = re.compile(r"(?<![\d/月.])(\d{1,2})\s*(?:日|号)")  # 5日
_EN_MONTHS = {name.lower(): number for number, name in enumerate(calendar.month_name) if name}
_EN_MONTHS |= {name.lower(): number for number, name in enumerate(calendar.month_abbr) if name}
_ENGLISH = re.compile(r"\b(" + "|".join(_EN_MONTHS) + r")\.?\s*(\d{1,2})(?:st|nd|rd|th)?\b|"
                      r"\b(\d{1,2})(?:st|nd|rd|th)?\s*(?:of\s+)?(" + "|".join(_EN_MONTHS) + r")\b")


@lru_cache(maxsize=64)
def _phrases(phrases: tuple[str, ...]) -> tuple[list[re.Pattern[str]], list[str]]:
    """The phrases of Latin letters as patterns on word boundaries, the others normalised."""
    latin, others = [], []
    for phrase in phrases:
        folded = normalise(phrase, spaces=True)
        if re.fullmatch(r"[a-z ]+", folded):
            latin.append(re.compile(rf"(?<![a-z]){re.escape(folded)}(?![a-z])"))
        else:
            others.append(folded.replace(" ", ""))
    return latin, others


def _has(text: str, spaced: str, phrases: tuple[str, ...]) -> bool:
    latin, others = _phrases(phrases)
    return any(phrase in text for phrase in others) or any(pattern.search(spaced) for pattern in latin)


def next_date(month: int, day: int, today: date) -> date | None:
    """The coming ``month``/``day`` (this year, or next year when it has passed); None when there is none."""
    for year in (today.year, today.year + 1):
        try:
            candidate = date(year, month, day)
        except ValueError:
            return None
        if candidate >= today:
            return candidate
    return None


def date_in_text(typed: str, today: date) -> date | None:
    """A date written out: 12/3, 12月3日, 12月3号, ngày 3 tháng 12, Dec 3, 3 December, 5日."""
    spaced = normalise(typed, spaces=True)
    if match := _VIETNAMESE.search(spaced):
        return next_date(int(match[2]), int(match[1]), today)
    if match := _MONTH_DAY.search(spaced):
        return next_date(int(match[1]), int(match[2]), today)
    if match := _ENGLISH.search(spaced):
        month = _EN_MONTHS[match[1] or match[4]]
        return next_date(month, int(match[2] or match[3]), today)
    if match := _DAY_ONLY.search(spaced):
        day = int(match[1])
        month = today.month if day >= today.day else today.month % 12 + 1
        return next_date(month, day, today)
    return None


def days_from_text(typed: str, today: date) -> tuple[date, date] | None:
    """The first and last day the words mean (both included); None when they name no day."""
    text, spaced = normalise(typed), normalise(typed, spaces=True)
    monday = today - timedelta(days=today.weekday())
    day = date_in_text(typed, today)
    if day is not None:
        return day, day
    if text in _KANA_DAYS:  # alone only: きょう is also in きょうしつ, あす in あすなろ
        return today + timedelta(days=_KANA_DAYS[text]), today + timedelta(days=_KANA_DAYS[text])
    if _has(text, spaced, DAY_AFTER):
        return today + timedelta(days=2), today + timedelta(days=2)
    if _has(text, spaced, TOMORROW):
        return today + timedelta(days=1), today + timedelta(days=1)
    if _has(text, spaced, TODAY):
        return today, today
    next_week = _has(text, spaced, NEXT_WEEK)
    weekday = next((number for number, names in WEEKDAYS.items() if _has(text, spaced, names)), None)
    if weekday is not None:
        if next_week:
            chosen = monday + timedelta(days=7 + weekday)
        else:
            chosen = today + timedelta(days=(weekday - today.weekday()) % 7)
        return chosen, chosen
    if _has(text, spaced, WEEKEND):
        saturday = monday + timedelta(days=5) + (timedelta(days=7) if next_week else timedelta())
        return max(saturday, today), saturday + timedelta(days=1)
    if next_week:
        return monday + timedelta(days=7), monday + timedelta(days=13)
    if _has(text, spaced, THIS_WEEK):
        return today, monday + timedelta(days=6)
    if _has(text, spaced, NEXT_MONTH):
        first = (today.replace(day=1) + timedelta(days=32)).replace(day=1)
        return first, first.replace(day=calendar.monthrange(first.year, first.month)[1])
    if _has(text, spaced, THIS_MONTH):
        return today, today.replace(day=calendar.monthrange(today.year, today.month)[1])
    return None
