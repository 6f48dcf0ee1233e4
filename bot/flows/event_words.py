"""What residents type in イベント・サロン, and the search kept in postback data.

Areas, kinds, days and numbers of people are read by bot/understanding/.
"""
from __future__ import annotations

import re
import unicodedata
from datetime import date

from bot.services.events.base import KINDS
from bot.services.events.search import EventQuery
from bot.understanding.answers import words
from bot.understanding.intents import Intent

# Yes to 「申し込みますか？」 besides the shared words (bot/understanding/answers.py); no is only the shared words.
SIGN_UP_YES = words("申し込む", "申込む", "はい、申し込む", "もうしこむ", "报名", "申请", "đăng ký", "đồng ý", "dang ky", "dong y")
MORE = words("もっと", "もっと見る", "次", "つぎ", "more", "next", "更多", "下一页", "xem thêm", "tiếp")
NO_PHONE = words("なし", "無し", "ない", "不要", "いらない", "電話番号なし", "スキップ", "none", "skip", "no",
                 "没有", "不需要", "跳过", "không có", "bỏ qua", "khong co", "bo qua")

# -- the search as postback data ----------------------------------------------------------
# Kept in the button itself, so もっと見る works from any old carousel.


def encode_query(query: EventQuery) -> str:
    parts = []
    if query.area_code:
        parts.append(f"a={query.area_code}")
    if query.kind:
        parts.append(f"k={query.kind}")
    if query.date_from:
        parts.append(f"f={query.date_from.isoformat()}")
    if query.date_to:
        parts.append(f"t={query.date_to.isoformat()}")
    if query.near:
        parts.append(f"n={query.near[0]:.5f},{query.near[1]:.5f}")
    return "|".join(parts)


def decode_query(encoded: str) -> EventQuery:
    """The query from postback data; unreadable parts are dropped, never trusted."""
    values = dict(part.split("=", 1) for part in encoded.split("|") if "=" in part)
    near = None
    try:
        if "n" in values:
            lat, lon = (float(x) for x in values["n"].split(","))
            near = (lat, lon) if -90 <= lat <= 90 and -180 <= lon <= 180 else None
        date_from = date.fromisoformat(values["f"]) if "f" in values else None
        date_to = date.fromisoformat(values["t"]) if "t" in values else None
    except ValueError:
        return EventQuery()
    kind = values.get("k") if values.get("k") in KINDS else None
    return EventQuery(area_code=values.get("a"), kind=kind, date_from=date_from, date_to=date_to, near=near)


def query_of(intent: Intent) -> EventQuery:
    """The search an event_search intent (bot/understanding/intents.py) asks for."""
    return EventQuery(area_code=intent.area_code, kind=intent.kind, date_from=intent.date_from, date_to=intent.date_to)


# -- a name given in a sentence ------------------------------------------------------------
# 「吉田和子です」「山田と申します」「My name is John」: the name is kept, the sentence around it dropped.

_NAME_OPENINGS = re.compile(
    r"^(?:(?:私|わたし|僕|ぼく)(?:の(?:名前|なまえ))?は|(?:お)?(?:名前|なまえ)は|my name is|i am|i'm|"
    r"我的名字是|我叫|我是|tên (?:của )?tôi là|tôi tên là|tôi là)\s*",
    re.IGNORECASE,
)
_NAME_ENDINGS = re.compile(
    r"\s*(?:と(?:申|もう)します|と(?:言|い)います|と(?:申|もう)す|でございます|です|"
    r"(?:どうぞ)?よろしく(?:お願|おねが)い(?:します|いたします)|[。．.!！、,，])$"
)
# Joins several people: 、 or , ; と between two characters that are not hiragana (吉田和子と夫の吉田守,
# but not さとう); and, &, và between words.
_NAME_JOINS = re.compile(r"\s*(?:[、,，&＆]|(?<![\u3041-\u309f])と(?![\u3041-\u309f]))\s*|\s+(?:and|và)\s+",
                         re.IGNORECASE)

_JAPANESE_OR_CHINESE = re.compile(r"[\u3040-\u30ff\u3400-\u9fff]")


def name_from_message(typed: str, party_size: int = 1) -> str:
    """The name out of a sentence: 「吉田和子です」 -> 吉田和子; names that are just names stay as typed.

    With a party of more than one, several people joined by と, 、 or "and"
    become a list, as typed: 「吉田和子と夫の吉田守です」 -> 「吉田和子、夫の吉田守」.
    Nothing is left out: when a part would be empty, the whole stays one name.
    """
    text = " ".join(unicodedata.normalize("NFKC", typed or "").split())
    name = _NAME_OPENINGS.sub("", text)
    while (shorter := _NAME_ENDINGS.sub("", name)) != name:
        name = shorter
    if not name:
        return text
    if party_size > 1:
        people = _NAME_JOINS.split(name)
        if 1 < len(people) and all(people):
            return ("、" if _JAPANESE_OR_CHINESE.search(name) else ", ").join(people)
    return name
