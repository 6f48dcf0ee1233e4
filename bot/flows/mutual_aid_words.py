"""What residents type about 住民支え合い, in every resident language (compared folded; never shown)."""
from __future__ import annotations

import re

from bot.text import fold

ASK_WORDS = tuple(fold(word) for word in (
    "手伝ってほしい", "手伝って欲しい", "手伝ってください", "手伝って下さい", "手伝ってもらいたい", "手伝って",
    "てつだってほしい", "てつだって", "お手伝いをお願い", "頼みたい", "たのみたい", "代行",
    "help me with", "need help with", "i need a hand", "need a hand", "帮我", "需要帮忙", "cần giúp", "can giup",
))
OFFER_WORDS = tuple(fold(word) for word in (
    "手伝える", "手伝いたい", "てつだえる", "てつだいたい", "ボランティアしたい", "ボランティアをしたい",
    "支え手", "i can help", "want to volunteer", "我可以帮忙", "想做志愿者", "tôi có thể giúp", "muốn làm tình nguyện",
))
POINT_WORDS = tuple(fold(word) for word in ("ポイント", "ぽいんと", "points", "积分", "điểm"))
SERVICE_WORDS = tuple(fold(word) for word in (
    "生活支援サービス", "せいかつしえんさーびす", "移動販売", "いどうはんばい", "移動スーパー", "mobile shop",
    "support services", "くらしのサービス", "移动售货", "生活支援服务", "bán hàng lưu động", "dịch vụ hỗ trợ",
))
# Words about a task, in every resident language (compared folded).
TASK_WORDS: dict[str, tuple[str, ...]] = {
    "call": ("声かけ", "見守り", "みまもり", "こえかけ", "check on", "探望", "thăm hỏi"),
    "shopping": ("買い物", "買物", "かいもの", "買いもの", "shopping", "groceries", "买东西", "购物", "mua sắm", "đi chợ"),
    "outing": ("通院", "病院", "外出", "つういん", "びょういん", "hospital", "clinic", "doctor", "看病", "医院",
               "bệnh viện"),
    "garden": ("庭", "草取り", "草むしり", "にわ", "garden", "weeds", "院子", "vườn"),
    "rubbish": ("ごみ", "ゴミ", "rubbish", "garbage", "trash", "垃圾", "rác"),
    "cleaning": ("掃除", "そうじ", "cleaning", "clean", "打扫", "dọn dẹp"),
    "windows": ("窓", "まど", "window", "窗", "cửa sổ"),
    "bulb": ("電球", "でんきゅう", "蛍光灯", "light bulb", "bulb", "灯泡", "bóng đèn"),
    "laundry": ("洗濯", "せんたく", "laundry", "洗衣", "giặt"),
    "cooking": ("調理", "料理", "ごはん作り", "りょうり", "cooking", "cook", "做饭", "nấu ăn"),
    "heavy": ("重い", "おもい", "家具", "heavy", "move furniture", "搬", "đồ nặng"),
    "circular": ("回覧板", "かいらんばん", "circular", "传阅板", "bảng thông báo"),
}
# Words in a request that tell of a bigger trouble than the help asked (offered as a consultation).
CONCERN_WORDS = tuple(fold(word) for word in (
    "食べていない", "食べてない", "食べられない", "食事をしていない", "ご飯を食べ", "たべていない", "たべてない",
    "お金がない", "お金が足りない", "お金がなく", "払えない", "生活費", "おかねがない",
    "忘れ", "わすれ", "物忘れ", "認知", "ひとりで不安", "眠れない",
    "not eating", "no money", "can't pay", "forgetting", "没吃饭", "没钱", "健忘", "không ăn", "không có tiền", "hay quên",
))
ANYTIME_WORDS = tuple(fold(word) for word in ("いつでも", "いつでもいい", "anytime", "any time", "随时", "lúc nào cũng"))
LEAVE_WORDS = tuple(fold(word) for word in (
    "支え手をやめる", "支え手をやめたい", "ささえてをやめる", "支え合いをやめる", "支え合いをやめたい", "登録を削除",
    "stop being a supporter", "delete my supporter", "不再做志愿者", "không làm người giúp nữa",
))
# A request for a parent or another family member (asked by family).
FAMILY_WORDS = tuple(fold(word) for word in (
    "母の", "父の", "母に", "父に", "親の", "親に", "祖母", "祖父", "おばあちゃん", "おじいちゃん", "実家",
    "ははの", "ちちの", "my mother", "my father", "my parents", "my mom", "my dad", "我妈", "我爸", "父母",
    "mẹ tôi", "bố tôi", "cha tôi",
))
SERVICE_KIND_WORDS: dict[str, tuple[str, ...]] = {
    "mobile_shop": tuple(fold(w) for w in ("移動販売", "いどうはんばい", "移動スーパー", "mobile shop", "移动售货",
                                            "bán hàng lưu động")),
    "delivery": tuple(fold(w) for w in ("配達", "宅配", "はいたつ", "delivery", "送货", "giao hàng")),
    "transport": tuple(fold(w) for w in ("送迎", "移送", "送り迎え", "そうげい", "ride", "transport", "接送",
                                          "đưa đón")),
}
# How often: 一度だけ / 毎週 (a weekly word with a negation reads as once).
NOT_WEEKLY_WORDS = tuple(fold(word) for word in (
    "毎週じゃない", "毎週ではない", "毎週でなく", "まいしゅうじゃない", "not weekly", "not every week", "不是每周",
    "không phải hàng tuần",
))
WEEKLY_WORDS = tuple(fold(word) for word in (
    "毎週", "まいしゅう", "週1", "週一", "週に1", "週に一", "しゅういち", "しゅうに", "定期", "ていき", "weekly",
    "every week", "每周", "每个星期", "hàng tuần", "mỗi tuần",
))
ONCE_WORDS = tuple(fold(word) for word in (
    "一度", "1度", "一回", "1回", "いちど", "いっかい", "今回だけ", "こんかいだけ", "だけ", "once", "one time",
    "just this", "一次", "只这次", "một lần", "lần này",
))
# Who the help is for: the resident, or a family member (a parent, most often).
NOT_SELF_WORDS = tuple(fold(word) for word in (
    "自分じゃない", "自分ではない", "じぶんじゃない", "本人じゃない", "not me", "not for me", "不是我", "không phải tôi",
))
FOR_FAMILY_WORDS = tuple(fold(word) for word in (
    "家族", "かぞく", "母", "父", "親", "両親", "はは", "ちち", "りょうしん", "おかあさん", "おとうさん", "祖母", "祖父",
    "family", "parent", "mother", "father", "mom", "dad", "家人", "妈妈", "爸爸", "父母", "gia đình", "mẹ", "bố",
    *NOT_SELF_WORDS,
))
SELF_WORDS = tuple(fold(word) for word in (
    "自分", "じぶん", "わたし", "私", "本人", "ほんにん", "myself", "for me", "我自己", "自己", "本人", "bản thân",
    "cho tôi", "chính tôi",
))
# The resident's answer to 「お手伝いはいかがでしたか？」.
GOOD_WORDS = tuple(fold(word) for word in (
    "良かった", "よかった", "助かった", "たすかった", "助かりました", "たすかりました", "ありがとう", "満足", "安心",
    "good", "great", "thank", "helpful", "很好", "谢谢", "满意", "tốt", "cảm ơn", "hài lòng",
))
PROBLEM_WORDS = tuple(fold(word) for word in (
    "問題", "もんだい", "困った", "こまった", "来なかった", "こなかった", "来ません", "遅れ", "おくれ", "嫌",
    "怖", "こわ", "不安", "失礼", "壊", "こわれ", "なくなった", "無くなった", "よくなかった", "良くなかった",
    "困り", "こまり", "来てもらえな", "きてもらえな", "来てくれな", "きてくれな", "来られなかった", "ひどい", "がっかり",
    "problem", "didn't come", "did not come", "late", "rude", "broke", "missing", "not good", "问题", "没来", "迟到",
    "不好", "vấn đề", "không đến", "trễ", "không tốt",
))
# Negated: 「問題ありませんでした」「困らなかった」「遅れずに来てくれた」 say it went well. Read before PROBLEM_WORDS.
NO_PROBLEM_WORDS = tuple(fold(word) for word in (
    "問題な", "問題はな", "問題ありません", "問題はありません", "もんだいな", "もんだいありません", "困らなかった",
    "困っていない", "困ってない", "こまらなかった", "こまってない", "不安はな", "遅れず", "おくれず",
    "no problem", "not a problem", "没问题", "没有问题", "không có vấn đề", "không vấn đề",
))
# Hours typed after 終わりました: 「二時間」「1時間半」「two hours」「hai tiếng rưỡi」.
KANJI_DIGITS = str.maketrans("一二三四五六七八九", "123456789")
NUMBER_WORDS = {fold(word): number for word, number in (
    ("いちじかん", "1"), ("にじかん", "2"), ("さんじかん", "3"), ("one", "1"), ("two", "2"), ("three", "3"), ("four", "4"),
    ("两", "2"), ("một", "1"), ("hai", "2"), ("ba", "3"),
)}
HALF_WORDS = tuple(fold(word) for word in ("半", "はん", "half", "rưỡi"))
MINUTES = re.compile(r"(\d+)(分|ふん|ぷん|min|phút)")  # 「90分」 (folded)
