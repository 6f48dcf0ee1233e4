"""Short answers, as residents type them in every resident language: yes, no, cancel, back, done...

A flow that asks a question reads the answer with :func:`is_yes`,
:func:`is_no`, :func:`is_next`... or all at once with :func:`answer_of`.
A flow may add its own confirmation phrases on top of the shared words
(「申し込む」 in the events, 「取り消す」 when cancelling a sign-up):
``is_yes(typed, also=SIGN_UP_YES)``.

The answer is read clause by clause (「はい、いいです」 is はい and いいです),
each without its polite or dialect ending (「以上です」「んだっぺ」「vâng ạ」).
Every clause must be a word of one kind, or a courtesy that goes with any
answer (「お願いします」「ありがとう」): so 「はいらない」 is not はい,
「いいえ、いいです」 is no, and 「はい、いいえ」 is nothing. Words whose
meaning depends on the question (「いいです」「大丈夫」 can mean "no,
thank you") are not shared yes words; the consultation adds them where they
cannot be misread (:data:`AGREE`).
"""
from __future__ import annotations

import re

from bot.understanding.normalise import normalise

# Clauses end at punctuation, and at spaces between words that are not Latin (「はい いいです」, not "not sure").
_CLAUSE_BREAKS = re.compile(r"[、,，。．.!！?？…]+|(?<![a-zà-ỹ])\s+|\s+(?![a-zà-ỹ])")
_EDGES = " 　、。,.!！?？…「」『』()（）〜~-"
# Polite and dialect endings taken off an answer (「次へです」「はいだっぺ」「vâng ạ」), longest first.
_ENDINGS = tuple(sorted({normalise(e) for e in (
    "でお願いします", "お願いします", "でお願い", "でいいです", "でいい", "で大丈夫です", "で大丈夫", "でございます",
    "ですね", "ですよ", "です", "でした", "だっぺ", "っぺ", "だべ", "だよ", "だね", "よね", "よ", "ね", "な", "で",
    "してください", "してけろ", "けろ", "ください", "ạ", "nhé", "nha", "啊", "吧", "呀", "的",
    "please", "thanks", "thank you", "ー",
)}, key=len, reverse=True))


def words(*typed: str) -> frozenset[str]:
    """Words written as :func:`answer_word` writes them, to compare with an answer."""
    return frozenset(normalise(word) for word in typed)


def answer_word(typed: str) -> str:
    """The normalised answer without one polite ending and the punctuation around it (「次へです。」 -> 次へ)."""
    word = normalise(typed).strip(_EDGES)
    for ending in _ENDINGS:
        if word.endswith(ending) and len(word) > len(ending):
            return word[: -len(ending)].strip(_EDGES)
    return word


def _forms(clause: str) -> set[str]:
    """A clause as typed, and without one or two endings (「以上です」 -> 以上; 「んだっぺよ」 -> んだ)."""
    forms = {clause.strip(_EDGES)}
    for _ in range(2):
        forms |= {form[: -len(ending)].strip(_EDGES) for form in forms for ending in _ENDINGS
                  if form.endswith(ending) and len(form) > len(ending)}
    return forms


def _clauses(typed: str) -> list[str]:
    return [c for c in _CLAUSE_BREAKS.split(normalise(typed, spaces=True)) if c.strip(_EDGES)]


def _is(typed: str, table: frozenset[str]) -> bool:
    return any(form in table for form in _forms(normalise(typed)))


# -- the shared words ------------------------------------------------------------------------

YES = words(
    # ja (やさしい日本語 is the same words in kana, which normalise to the same), dialect too
    "はい", "はーい", "はいはい", "はいよ", "うん", "ええ", "お願いします", "お願い", "ok", "おk", "おっけー", "了解",
    "りょうかい", "承知", "承知しました", "了解しました", "わかりました", "分かりました", "いいよ", "そうです", "そう", "んだ", "んだんだ",
    "頼みます", "たのみます", "頼む", "よろしく", "お願いしたい",
    # en
    "yes", "yeah", "yep", "yup", "y", "okay", "sure", "of course", "yes please", "please", "alright", "all right",
    # zh_Hans
    "是", "是的", "好", "好的", "可以", "对", "对的", "行", "嗯", "好啊", "没问题", "要",
    # vi, with and without diacritics
    "có", "vâng", "dạ", "được", "ừ", "dạ vâng", "vâng ạ", "co", "vang", "da", "duoc", "ok ạ",
)
NO = words(
    "いいえ", "いえ", "いや", "嫌", "やだ", "いやだ", "やんだ", "しない", "しません", "やめる", "やめます", "やめとく", "やめときます",
    "やめておきます", "いらない", "いりません", "要らない", "いらねぇ", "いんね", "結構", "いいえ結構", "遠慮します",
    "ちがう", "違う", "違います", "だめ", "必要ない", "必要ありません",
    "no", "nope", "nah", "no thanks", "no thank you", "not now", "don't",
    "不", "不是", "不要", "不行", "不用", "算了", "不需要", "不用了",
    "không", "thôi", "không cần", "không ạ", "không muốn", "khong", "thoi", "khong can",
)
# Said with any answer: 「はい、お願いします」「いいえ、ありがとう」.
COURTESY = words("お願いします", "お願い", "よろしく", "よろしくお願いします", "ありがとう", "ありがとうございます", "すみません",
                 "どうも", "いい", "いいです", "thanks", "thank you", "please", "谢谢", "麻烦了", "cảm ơn", "cam on", "ạ")
# やめる in any flow (the text handler): not 「取り消す」「キャンセルします」, which confirm cancelling a sign-up.
CANCEL = words("やめる", "やめます", "やめたい", "やめて", "やめっぺ", "中止", "中止します", "キャンセル", "取り消し", "cancel",
               "stop", "quit", "停止", "取消", "退出", "hủy", "dừng lại", "huy", "dung lai")
BACK = words("戻る", "戻ります", "戻って", "戻りたい", "前へ", "まえへ", "前に戻る", "ひとつ前", "一つ前", "back", "go back", "戻",
             "返回", "上一步", "后退", "quay lại", "trở lại", "quay lai", "tro lai")
# Done with this question (次へ), and at the details 「以上です」: never stored as part of the details.
NEXT = words("次へ", "次", "つぎ", "次に進む", "進む", "以上", "終わり", "これで終わり", "おしまい", "それだけ", "これだけ", "これで全部", "全部",
             "終了", "完了", "ok", "next", "done", "決定", "これで", "書き終わった", "書き終わりました", "終わった",
             "終わりました", "以上になります", "that's all", "that's it", "finished", "i'm done", "all done",
             "下一步", "完成", "好了", "就这些", "没有了", "写完了", "完了",
             "tiếp", "tiếp theo", "xong", "xong rồi", "hết", "hết rồi", "vậy thôi", "tiep theo", "xong roi", "het roi")
SKIP = words("書かずに次へ", "スキップ", "skip", "なし", "無し", "特になし", "特にない", "特にありません", "ない", "何もない", "なにもない", "ありません",
             "とばす", "飛ばす", "none", "nothing", "跳过", "没有", "无", "不用", "bỏ qua", "không có", "bo qua", "khong co")
UNKNOWN = words("分からない", "分かりません", "不明", "知らない", "しらない", "分からん", "分からねぇ", "わがんね", "わがんない",
                "知らん", "unknown", "don't know", "i don't know", "not sure", "no idea", "dunno", "idk", "?", "？",
                "不知道", "不清楚", "不确定", "không biết", "không rõ", "khong biet", "khong ro")
RESUME = words("続き", "続きを", "続ける", "続けます", "続きから", "続きをお願い", "再開", "continue", "resume", "继续", "接着",
               "tiếp tục", "tiep tuc")
# Not 「最初から」「はじめから」: the text handler reads 最初・はじめ as a wish for the menu.
RESTART = words("やり直す", "やり直し", "やり直します", "やり直したい", "start over", "restart", "重新开始", "重来",
                "làm lại", "lam lai")

# -- the consultation's own yes and no ---------------------------------------------------------
# Agreeing to be offered a consultation, to the consent text, and sending the summary: 「いいです」「大丈夫」
# are yes here, as the consultation always has read them (they can also mean "no, thank you", so they are
# not among the shared words).
AGREE = words("同意", "同意する", "同意します", "いいです", "いい", "大丈夫", "相談する", "相談します", "相談したい",
              "はじめる", "始める", "はじめます", "始めます", "agree", "i agree", "送信", "送信する", "送る",
              "送ります", "この内容で送る", "我同意", "发送", "đồng ý", "tôi đồng ý", "gửi", "dong y", "toi dong y", "gui")
DISAGREE = words("同意しない", "同意しません", "相談しない", "相談しません", "disagree", "i do not agree", "don't agree", "不同意", "không đồng ý",
                 "khong dong y")
# 「これでお願いします」 at the summary: this as it is.
SEND = AGREE | words("これ", "この内容", "この内容で", "このまま", "それ", "それで", "それでいい", "送って", "送信して", "send", "send it", "submit",
                     "提交", "就这样", "gửi đi", "như vậy")

# What each question adds to the shared words (for :func:`answer_of`).
AT = {"any": (frozenset(), frozenset()), "offered": (AGREE, DISAGREE), "consent": (AGREE, DISAGREE),
      "confirm": (SEND, DISAGREE)}
_KINDS = (("cancel", CANCEL), ("back", BACK), ("no", NO), ("yes", YES), ("next", NEXT), ("skip", SKIP),
          ("unknown", UNKNOWN), ("resume", RESUME), ("restart", RESTART))


def answer_of(typed: str, at: str = "any") -> str | None:
    """yes, no, cancel, back, next, skip, unknown, resume or restart; None when the words are not one answer."""
    also_yes, also_no = AT[at]
    tables = [(kind, table | also_yes if kind == "yes" else table | also_no if kind == "no" else table)
              for kind, table in _KINDS]
    whole = next((kind for kind, table in tables if _is(typed, table)), None)
    if whole is not None:
        return whole
    found = set()
    for clause in _clauses(typed):
        if _is(clause, COURTESY):
            continue  # 「以上です。よろしくお願いします」: the courtesy goes with the answer
        kind = next((kind for kind, table in tables if _is(clause, table)), None)
        if kind is None:
            return None
        found.add(kind)
    return found.pop() if len(found) == 1 else None


def is_yes(typed: str, also: frozenset[str] = frozenset()) -> bool:
    """Whether the answer is yes: a shared word, or one of the flow's own ``also`` (made with :func:`words`)."""
    return _reads_as(typed, YES | also)


def is_no(typed: str, also: frozenset[str] = frozenset()) -> bool:
    """Whether the answer is no: a shared word, or one of the flow's own ``also`` (made with :func:`words`)."""
    return _reads_as(typed, NO | also)


def _reads_as(typed: str, table: frozenset[str]) -> bool:
    """The whole answer is in ``table``, or each clause is, or a courtesy beside one that is."""
    if _is(typed, table):
        return True
    clauses = _clauses(typed)
    return len(clauses) > 1 and any(_is(c, table) for c in clauses) and all(
        _is(c, table) or _is(c, COURTESY) for c in clauses)


# 「詳しく」 at the consent question: the whole consent text.
MORE = words("詳しく", "詳細", "全文", "もっと詳しく", "詳しく見る", "details", "more", "read more", "full text",
             "详细", "详情", "chi tiết", "xem chi tiết")


def is_more(typed: str) -> bool:
    return _is(typed, MORE)


def is_cancel(typed: str) -> bool:
    return _is(typed, CANCEL)


def is_back(typed: str) -> bool:
    return _is(typed, BACK)


def is_next(typed: str) -> bool:
    return _reads_as(typed, NEXT)


def is_skip(typed: str) -> bool:
    return _is(typed, SKIP)


def is_unknown(typed: str) -> bool:
    return _is(typed, UNKNOWN)


def is_resume(typed: str) -> bool:
    return _is(typed, RESUME)


def is_restart(typed: str) -> bool:
    return _is(typed, RESTART)
