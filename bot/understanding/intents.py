"""What a resident wants, whatever step they are on: see their consultation, look for events, say hello or thanks.

:func:`intent_of` reads a whole message for a wish the open question did not
ask about: 「さっきの相談はどうなってますか」 is a wish to see the
consultation, not a new one; 「平のあたりでオレンジカフェはありますか」 is a
search for events (area, kind and day in one sentence), not a trouble;
「こんにちは」「ありがとう」 deserve a friendly word, not "not understood".
Danger is read elsewhere, before anything else (bot/services/safety.py).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from bot.municipality import Area, Municipality
from bot.understanding.dates import days_from_text
from bot.understanding.normalise import contains, contains_any, normalise, table_word

# Words for each kind of gathering (bot/services/events/base.py KINDS), in every resident language.
EVENT_KINDS = {
    "orange_cafe": ("オレンジカフェ", "認知症カフェ", "orange cafe", "dementia cafe", "橙色咖啡", "认知症咖啡", "失智症咖啡",
                    "cà phê cam", "quán cà phê cam", "ca phe cam"),
    "rehab_exercise": ("リハビリ体操", "リハビリたいそう", "シルバーリハビリ", "体操教室", "体操", "たいそう", "exercise",
                       "rehab", "康复体操", "体操班", "thể dục", "tập thể dục", "the duc"),
    "kosodate": ("子育てひろば", "子育て広場", "子育てサロン", "親子ひろば", "子育て", "kosodate", "parenting", "parent and child",
                 "育儿", "亲子", "nuôi dạy con", "nuoi day con"),
    "kaigo_yobo": ("介護予防", "介護予防教室", "care prevention", "介护预防", "护理预防", "phòng ngừa chăm sóc"),
    "intergenerational": ("多世代交流", "多世代", "世代間交流", "intergenerational", "多代交流", "giao lưu nhiều thế hệ"),
    "course": ("講座", "講習", "lecture", "course", "讲座", "khóa học", "khoa hoc"),
    "salon": ("サロン", "ふれあいサロン", "いきいきサロン", "お茶会", "茶話会", "salon", "沙龙", "茶话会"),
}
# Words that say the message is about gatherings, with an area or day (「平のイベント」「日曜日の集まり」).
EVENT_CUES = ("イベント", "催し", "集まり", "教室", "サロン", "カフェ", "行事", "参加できる", "event", "events", "activity",
              "activities", "gathering", "class", "活动", "聚会", "sự kiện", "hoạt động", "su kien", "hoat dong")
# Words that say the resident is asking whether there is one (not telling a trouble).
ASKING = ("ありますか", "あります?", "ある?", "ありませんか", "あるか", "あっか", "あんの", "どこ", "いつ", "教えて", "知りたい",
          "探", "行きたい", "参加したい", "やってますか", "やっていますか", "is there", "are there", "any ", "where",
          "when", "find", "looking for", "有没有", "在哪", "哪里", "什么时候", "có không", "ở đâu", "khi nào", "tìm")
# A trouble, not a search: 「母がオレンジカフェに行きたがらなくて困っています」 is a consultation.
TROUBLE = ("困", "心配", "悩", "不安", "つらい", "辛い", "どうしたら", "どうすれば", "相談", "助けて", "worried", "help",
           "problem", "担心", "怎么办", "lo lắng", "giúp")

# 「さっきの相談はどうなってますか」: a consultation already sent, and a question about how it goes.
RECORD_WORDS = ("相談", "申し込んだ件", "問い合わせ", "受付", "お願いした件", "consultation", "request", "my case",
                "咨询", "申请", "tư vấn", "yêu cầu", "tu van")
PROGRESS_WORDS = ("どうなって", "どうなり", "どうなった", "どうなっ", "進んで", "進み具合", "状況", "返事", "返信", "連絡が来",
                  "連絡来", "連絡がない", "連絡ない", "まだですか", "まだかな", "届いて", "届きました", "見てもらえ", "確認して",
                  "how is", "how's", "what happened", "any news", "any update", "status", "progress", "heard back",
                  "怎么样了", "怎么样", "进展", "结果", "回复", "有消息", "thế nào rồi", "đến đâu", "tình trạng", "trả lời chưa",
                  "the nao roi", "tinh trang")
PAST = ("さっき", "先ほど", "前の", "この前", "先日", "昨日の", "以前の", "earlier", "previous", "之前", "上次", "lúc nãy", "hôm trước")
# A wish for a new consultation: 「相談したいのですが、状況は…」.
NEW_CONSULTATION = ("相談したい", "相談をしたい", "相談させて", "相談があ", "相談です", "want to consult", "想咨询", "muốn tư vấn")
# On their own, these already ask how a consultation goes.
STATUS_PHRASES = ("返事はまだ", "連絡はまだ", "返事まだ", "連絡まだ", "まだ連絡", "まだ返事", "連絡が来ない", "返事が来ない", "相談の状況", "受付番号",
                  "取り下げ", "my consultations", "咨询状况", "受理编号", "tình trạng tư vấn", "mã tiếp nhận")

GREETINGS = ("こんにちは", "こんばんは", "おはよう", "おはよー", "おはよ", "おはようございます", "はじめまして", "もしもし", "やあ", "おばんです",
             "おばんでした", "どうも", "はろー", "hello", "hi", "hey", "good morning", "good afternoon", "good evening",
             "nice to meet you", "你好", "您好", "早上好", "晚上好", "大家好", "xin chào", "chào", "chào bạn",
             "chào buổi sáng", "xin chao", "chao")
THANKS = ("ありがとう", "ありがとうございます", "ありがとうございました", "ありがと", "どうもありがとう", "あんがと", "ありがとない",
          "ありがとなし", "ありがとさん", "助かりました", "助かります", "たすかりました", "お世話になりました", "お世話様", "感謝します",
          "さんきゅー", "thank you", "thanks", "thank you very much", "thanks a lot", "thx", "ty", "谢谢", "谢谢你", "多谢",
          "感谢", "非常感谢", "cảm ơn", "cám ơn", "xin cảm ơn", "cảm ơn bạn", "cảm ơn nhiều", "cam on")
# Said around a greeting or thanks without making it more: 「つなぐさん、こんにちは！」「ありがとうございました。またね」.
POLITE = ("つなぐさん", "つなぐ", "さん", "です", "ございます", "ございました", "よろしく", "よろしくお願いします", "お願いします",
          "また", "またね", "ね", "よ", "ー", "本当に", "ほんとに", "どうも", "いつも", "very much", "so much", "a lot",
          "again", "bạn", "nhé", "ạ", "nhiều", "了", "啊", "呀")


_JAPANESE_OR_CHINESE = re.compile(r"[\u3040-\u30ff\u3400-\u9fff]")


@dataclass(frozen=True)
class Intent:
    """A wish read from a whole message: ``what`` is status, event_search, greeting or thanks."""

    what: str
    area_code: str | None = None
    kind: str | None = None  # of gathering, for event_search
    date_from: date | None = None
    date_to: date | None = None


def intent_of(typed: str, profile: Municipality, today: date) -> Intent | None:
    """The wish a message states besides the open question, or None (then the step or a consultation reads it)."""
    if asks_about_consultation(typed):
        return Intent("status")
    search = event_search(typed, profile, today, loose=False)
    if search is not None:
        return search
    if is_only(typed, THANKS):
        return Intent("thanks")
    if is_only(typed, GREETINGS):
        return Intent("greeting")
    return None


def asks_about_consultation(typed: str) -> bool:
    """「さっきの相談はどうなってますか」「返事はまだですか」: how a consultation already sent is going."""
    if contains_any(typed, STATUS_PHRASES):
        return True
    word = normalise(typed)
    if len(word) > (24 if _JAPANESE_OR_CHINESE.search(word) else 60) or contains_any(typed, NEW_CONSULTATION):
        return False  # a story that mentions 相談 and 状況, or a wish to consult, is not a question about one
    about_record = contains_any(typed, RECORD_WORDS)
    return about_record and (contains_any(typed, PROGRESS_WORDS) or contains_any(typed, PAST))


def event_kind_in(typed: str) -> str | None:
    """The kind of gathering the words name (オレンジカフェ, リハビリ体操...), the most specific first."""
    return next((kind for kind, names in EVENT_KINDS.items() if contains_any(typed, names)), None)


def event_search(typed: str, profile: Municipality, today: date, *, loose: bool = True) -> Intent | None:
    """Area, kind and days a search for events names in one sentence; None when it names none.

    ``loose`` (inside イベント・サロン) takes any of them. Outside it, a kind of
    gathering must be named, or an area or day with a word about gatherings,
    and the words must not tell a trouble (a consultation is offered then).
    """
    kind = event_kind_in(typed)
    if not loose:
        if contains_any(typed, TROUBLE) or not (kind or contains_any(typed, EVENT_CUES)):
            return None
        asking = contains_any(typed, ASKING) or "?" in normalise(typed) or normalise(typed).endswith("吗")
        if not (len(normalise(typed)) <= 12 or asking or contains_any(typed, EVENT_CUES)):
            return None
    area = area_in_text(typed, profile)
    days = days_from_text(typed, today)
    if not (area or kind or days):
        return None
    return Intent("event_search", area_code=area.code if area else None, kind=kind,
                  date_from=days[0] if days else None, date_to=days[1] if days else None)


# Around a one-character place name (平), what shows it is the place: 「平の」「平で」「平あたり」.
_PLACE_AFTER = re.compile(r"^(?:の|で|に|へ|は|から|まで|あたり|辺り|周辺|方面|地区|地域|町|字|$)")
_KANJI = re.compile(r"[\u3400-\u9fff]")


def area_in_text(typed: str, profile: Municipality) -> Area | None:
    """The area a sentence names: 「小名浜の方です」「平のあたりで」「おなはま」 "in Onahama"; None if none or several."""
    area = profile.find_area(typed)
    if area is not None:
        return area
    word = normalise(typed)
    found = {}
    for candidate in profile.areas:
        names = {table_word(n) for n in (candidate.name, candidate.kana, *candidate.aliases,
                                        *(candidate.text_in(locale) for locale in candidate.translations))}
        for name in names:
            if len(name) >= 2 and (contains(typed, name) if name.isascii() else name in word):
                found[candidate.code] = candidate
            elif len(name) == 1 and _one_character_place(word, name):
                found[candidate.code] = candidate
    return next(iter(found.values())) if len(found) == 1 else None


def _one_character_place(word: str, name: str) -> bool:
    """平 in 「平のあたり」「平で」, not in 「平日」「公平に」."""
    for match in re.finditer(re.escape(name), word):
        before = word[match.start() - 1] if match.start() else ""
        if (before == "市" or not _KANJI.match(before)) and _PLACE_AFTER.match(word[match.end():]):
            return True
    return False


def is_only(typed: str, phrases: tuple[str, ...]) -> bool:
    """Whether the message is one of ``phrases`` with nothing more than courtesy around it."""
    rest = normalise(typed, spaces=True)
    rest = re.sub(r"[、,，。．.!！?？…〜~♪\u2600-\u27bf\U0001f300-\U0001faff\s]+", " ", rest).strip()
    if not rest:
        return False
    found = False
    candidates = sorted({table_word(p, spaces=True) for p in phrases}, key=len, reverse=True)
    polite = sorted({table_word(p, spaces=True) for p in POLITE}, key=len, reverse=True)
    while rest:
        rest = rest.lstrip()
        match = next((p for p in candidates if rest.startswith(p) and _ends_word(rest, p)), None)
        if match:
            found = True
        else:
            match = next((p for p in polite if rest.startswith(p) and _ends_word(rest, p)), None)
            if match is None:
                return False
        rest = rest[len(match):]
    return found


def _ends_word(rest: str, phrase: str) -> bool:
    """A Latin phrase must end a word ("hi", not "his")."""
    after = rest[len(phrase):len(phrase) + 1]
    return not (phrase[-1:].isascii() and phrase[-1:].isalpha() and after.isascii() and after.isalpha())
