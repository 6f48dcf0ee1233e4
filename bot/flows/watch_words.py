"""What residents type in answer to a 見守り check-in, and to ask for 見守り.

「元気です」「げんき」「大丈夫です」 are fine; 「ちょっと心配」「不安です」 a worry;
「話したいです」「電話がほしい」 a wish to talk. A denied 元気 (「元気じゃない」
「大丈夫ではありません」) is not fine: it is read as a worry. Danger signals are
read before any of this (bot/handlers/text.py ``BEFORE_FLOW``).
"""
from __future__ import annotations

import re

from bot.models.watch import WatchSlot
from bot.text import fold
from bot.understanding.answers import words
from bot.understanding.negation import clauses, denied_after

# Folded (bot/text.py ``fold``): katakana as hiragana, lower case, without spaces ("want to talk" is "wanttotalk").
TALK = re.compile(r"話したい|話がしたい|はなしたい|話を聞いて|話をきいて|はなしをきいて|電話(?:が|を)?(?:ほしい|欲しい|下さい|ください)"
                  r"|wanttotalk|talktosomeone|想聊|想说话|muốnnóichuyện|muonnoichuyen")
WORRY = re.compile(r"心配|しんぱい|不安|ふあん|困って|こまって|つらい|辛い|しんどい|具合(?:が)?悪|ぐあいがわる|調子(?:が)?悪|ちょうしがわる"
                   r"|worried|not(?:so)?good|担心|不太好|lolắng|lolang")
FINE = re.compile(r"元気|げんき|大丈夫|だいじょうぶ|だいじょぶ|平気|へいき|変わりな|かわりな|問題な|もんだいな|^ok|おっけー|fine"
                  r"|good|很好|没事|khỏe|khoe|ổn")
WATCH_WORDS = re.compile(r"見守り|みまもり|見守って|みまもって|安否確認|あんぴかくにん|watchover|checkonme|check.?ins?\b|安否|守护|平安确认|theodõi|hỏithăm|hoitham")


# Folded text has no spaces: a denial written before the word is read on the letters just before it.
_DENIED_BEFORE = re.compile(r"(?:not|n't|never|không|khong|chưa|chua|不|没)[a-zà-ỹ]{0,6}$")

# Managing the plan (bot/flows/watch.py).
PAUSE_WORDS = re.compile(r"入院|にゅういん|旅行|りょこう|留守|るす|帰省|きせい|出かけ|でかけ|hospital|travel|住院|nằmviện|dulịch")
HOSPITAL_WORDS = re.compile(r"入院|にゅういん|hospital|住院|nằmviện")
REST_WORDS = re.compile(r"休み|やすみ|止め|とめ|pause|暂停|tạmdừng")
STOP_WORDS = re.compile(r"やめ|止める|終了|しゅうりょう|解除|stop|停止|dừng")
RESUME_WORDS = re.compile(r"再開|さいかい|resume|恢复|tiếptục")
CHANGE_WORDS = re.compile(r"変更|へんこう|かえ|change|更改|thayđổi")
# 平日のみ: 「平日だけ」「平日のみ」「土日はいらない」「週末以外」 (folded). Read before the interval words: 週末 is not 週.
WEEKDAY_WORDS = re.compile(r"平日|へいじつ|(?:土日|どにち|週末|しゅうまつ)(?:は|も|を)?(?:いらない|要らない|いりません|要りません|なし|無し|不要|"
                           r"休み|やすみ|除く|のぞく|以外|いがい)"
                           r"|weekday|notonweekends|exceptweekends|noweekends|notweekends|工作日|周一到周五|ngàythường|"
                           r"ngaythuong|thứhaiđếnthứsáu")
HOUR_WORDS = re.compile(r"(\d{1,2})\s*(?:時|じ|h|:00|点|giờ|gio)")
AFTERNOON_WORDS = re.compile(r"午後|ごご|pm|下午|chiều")
CONSENT_YES = words("同意します", "同意する", "どういします", "どういする", "i agree", "同意", "đồng ý")
CONSENT_NO = words("同意しない", "同意しません", "どういしない", "不同意", "không đồng ý")
# 「見守り 123456」: the code a family member sends to accept an invitation.
INVITE = re.compile(r"(?:見守り|みまもり|watch)\s*(\d{6})")
INVITE_TYPED = "見守り {code}"  # what the invite link types into the family member's chat (INVITE reads it)
PHONE_IN_TEXT = re.compile(r"[0-9０-９][0-9０-９\-‐ー－()（） ]{8,}[0-9０-９]")
NAME_EDGES = " 　、,"


def _fine_denied(clause: str, match: re.Match[str]) -> bool:
    """Japanese denies after the word (元気じゃない); English, Chinese, Vietnamese before it (not fine, 不好, không khỏe)."""
    if _DENIED_BEFORE.search(clause[: match.start()]):
        return True
    return denied_after(clause, match.end())


def answer_of(typed: str) -> str | None:
    """The check-in answer the words give (WatchSlot.FINE / WORRIED / TALK), or None when they give none."""
    folded = fold(typed)
    if TALK.search(folded):
        return WatchSlot.TALK
    if WORRY.search(folded):
        return WatchSlot.WORRIED
    fine = None
    for clause in clauses(folded):
        match = FINE.search(clause)
        if match is None:
            continue
        if _fine_denied(clause, match):
            return WatchSlot.WORRIED
        fine = WatchSlot.FINE
    return fine


def asks_for_watch(typed: str) -> bool:
    """「見守り」「見守ってほしい」「安否確認」「見守りサービス」: the resident asks about 見守り."""
    return bool(WATCH_WORDS.search(fold(typed))) and len(typed) <= 30
