"""What residents type instead of tapping, for each question of the consultation.

Every step of bot/flows/intake.py accepts words as well as buttons: many
residents, often elderly, type 「電話」 or 「小名浜の方です」 or tell their whole
story at the first question. Each reader here returns a choice, or None
when the words do not say one clearly (the step then asks again).
"""
from __future__ import annotations

import re
import unicodedata

from bot.flows.words import answer_word, words
from bot.municipality import Area, Municipality
from bot.text import fold

# 「1と4」「１、４」: category numbers as residents list them.
NUMBER_LIST = re.compile(r"[\d\s,、と・&and]+")
BACK = words("戻る", "もどる", "戻ります", "戻って", "前へ", "まえへ", "前に戻る", "ひとつ前", "一つ前", "back", "戻")
NEXT = words("次へ", "つぎへ", "次", "つぎ", "次に進む", "進む", "以上", "以上です", "おわり", "終わり", "終わりです",
             "おしまい", "それだけ", "それだけです", "終了", "完了", "ok", "okです", "next", "done", "決定", "これで")
SKIP = words("書かずに次へ", "スキップ", "skip", "なし", "無し", "特になし", "特にない", "ない", "ありません", "とばす", "飛ばす")
# Yes and no besides the shared words (bot/flows/words.py): agreeing to the consent text, sending the
# summary, and 「いいです」「大丈夫」, read as yes here as the consultation always has (they can also
# mean "no, thank you", so they are not among the shared words).
INTAKE_YES = words("同意", "同意する", "同意します", "いいです", "大丈夫", "だいじょうぶ", "agree", "i agree", "送信",
                   "送信する", "送る", "送ります", "この内容で送る")
INTAKE_NO = words("同意しない", "同意しません", "disagree", "i do not agree", "don't agree")
RESUME = words("続き", "つづき", "続ける", "続けます", "続きから", "つづきから", "再開", "continue", "resume")
# Not 「最初から」「はじめから」: the text handler reads 最初・はじめ as a wish for the menu.
RESTART = words("やり直す", "やりなおす", "やり直し", "やり直します", "start over", "restart")
UNKNOWN = words("わからない", "分からない", "わかりません", "分かりません", "不明", "知らない", "しらない", "わからん",
                "unknown", "don't know", "not sure", "?", "？")
STATUS = words("相談の状況", "状況", "相談状況", "受付番号", "取り下げ", "取り下げたい", "取下げ", "status", "my consultations")

# The same answers in Chinese and Vietnamese (with and without diacritics; spaces are folded away).
BACK |= words("返回", "上一步", "后退", "quay lại", "trở lại", "quay lai", "tro lai")
NEXT |= words("下一步", "完成", "好了", "就这些", "没有了", "tiếp", "tiếp theo", "xong", "xong rồi", "hết", "tiep theo",
              "xong roi")
SKIP |= words("跳过", "没有", "无", "不用", "bỏ qua", "không có", "bo qua", "khong co")
INTAKE_YES |= words("同意", "我同意", "发送", "đồng ý", "gửi", "dong y", "gui")
INTAKE_NO |= words("不同意", "không đồng ý", "khong dong y")
RESUME |= words("继续", "接着", "tiếp tục", "tiep tuc")
RESTART |= words("重新开始", "重来", "làm lại", "lam lai")
UNKNOWN |= words("不知道", "不清楚", "不确定", "không biết", "không rõ", "khong biet", "khong ro", "わかんない")
STATUS |= words("咨询状况", "受理编号", "tình trạng", "tinh trang", "mã tiếp nhận")
# 「詳しく」 at the consent question: the whole consent text.
MORE = words("詳しく", "くわしく", "詳細", "全文", "もっと詳しく", "詳しく見る", "details", "more", "read more", "full text",
             "详细", "详情", "全文", "chi tiết", "xem chi tiết", "chi tiet")


def is_back(text: str) -> bool:
    return answer_word(text) in BACK


def is_more(text: str) -> bool:
    return answer_word(text) in MORE


def is_next(text: str) -> bool:
    return answer_word(text) in NEXT


def is_skip(text: str) -> bool:
    return answer_word(text) in SKIP


def is_resume(text: str) -> bool:
    return answer_word(text) in RESUME


def is_restart(text: str) -> bool:
    return answer_word(text) in RESTART


def is_unknown(text: str) -> bool:
    return answer_word(text) in UNKNOWN


def asks_for_status(text: str) -> bool:
    """「相談の状況」「受付番号」: the resident wants to see their records, not a new consultation."""
    word = fold(text)
    return word in STATUS or any(w in word for w in (fold("相談の状況"), fold("受付番号"), fold("取り下げ")))


# -- who needs help ----------------------------------------------------------------

SUBJECT_WORDS = {
    "neighbour": ("近所", "きんじょ", "知り合い", "しりあい", "知人", "友人", "友達", "ともだち", "隣", "となり", "近くの",
                  "民生委員", "利用者", "neighbour", "neighbor", "friend", "someone", "acquaintance"),
    "family": ("家族", "かぞく", "母", "父", "夫", "妻", "主人", "旦那", "だんな", "息子", "むすこ", "娘", "むすめ",
               "子ども", "子供", "こども", "親", "祖母", "祖父", "兄", "弟", "姉", "妹", "孫", "嫁", "婿", "義理",
               "おばあちゃん", "おじいちゃん", "family", "mother", "father", "husband", "wife", "son", "daughter",
               "parent", "child", "grand"),
    "self": ("自分", "じぶん", "私", "わたし", "わたくし", "僕", "ぼく", "俺", "おれ", "本人", "自身", "myself", "me",
             "self", "mine",
             "我", "自己", "本人", "tôi", "bản thân", "toi", "ban than"),
}
SUBJECT_WORDS["neighbour"] += ("邻居", "鄰居", "朋友", "熟人", "hàng xóm", "người quen", "bạn tôi", "hang xom", "nguoi quen")
SUBJECT_WORDS["family"] += ("家人", "家里", "妈妈", "母亲", "爸爸", "父亲", "丈夫", "老公", "妻子", "老婆", "儿子", "女儿",
                            "孩子", "父母", "爷爷", "奶奶", "gia đình", "mẹ", "bố", "chồng", "vợ", "con trai", "con gái",
                            "ông bà", "bà nội", "bà ngoại", "ông nội", "ông ngoại", "gia dinh")


def subject_from_text(text: str) -> str | None:
    """自分 / 家族 / 近所: whose trouble the words are about; None when unclear.

    「私の母のこと」 is about the family, 「私の近所の人」 about a neighbour: the
    other person wins over the writer. Family and neighbour together is unclear.
    """
    found = {code for code, phrases in SUBJECT_WORDS.items() if any(_contains(text, w) for w in phrases)}
    others = found - {"self"}
    if len(others) == 1:
        return others.pop()
    if not others and found:
        return "self"
    return None


def _contains(text: str, word: str) -> bool:
    """Whether the resident's ``text`` contains ``word`` (both as typed): Latin words on word boundaries."""
    if fold(word).isascii():
        return re.search(rf"(?<![a-z]){re.escape(fold(word, spaces=True))}(?![a-z])", fold(text, spaces=True)) is not None
    return fold(word) in fold(text)


# -- what it is about --------------------------------------------------------------

# Words for each support field of the profile's categories (SupportField).
FIELD_WORDS: dict[str, tuple[str, ...]] = {
    "elderly": ("介護", "かいご", "高齢", "お年寄り", "年寄り", "老人", "認知症", "物忘れ", "ヘルパー", "デイサービス",
                "施設", "要介護", "寝たきり", "elderly", "care", "dementia"),
    "disability": ("障がい", "障害", "障碍", "しょうがい", "車いす", "車椅子", "発達", "手帳", "disability", "disabled"),
    "children": ("子ども", "子供", "こども", "子育て", "育児", "保育", "学校", "不登校", "いじめ", "妊娠", "出産", "赤ちゃん",
                 "child", "children", "parenting", "school"),
    "livelihood": ("お金", "おかね", "生活費", "借金", "ローン", "生活保護", "困窮", "収入", "支払い", "払えない", "滞納",
                   "食べ物", "食費", "money", "debt", "welfare"),
    "work": ("仕事", "しごと", "就職", "失業", "働", "職", "求職", "解雇", "ハローワーク", "work", "job"),
    "housing": ("住まい", "住居", "家賃", "引っ越", "立ち退", "アパート", "住む", "空き家", "ごみ屋敷", "ゴミ屋敷",
                "housing", "rent", "home"),
    "health": ("健康", "病気", "こころ", "心", "メンタル", "うつ", "眠れない", "体調", "病院", "通院", "health",
               "mental", "illness"),
    "hikikomori": ("ひきこもり", "引きこもり", "引き籠", "閉じこもり", "外に出ない", "部屋から出", "hikikomori",
                   "withdrawn"),
    "family": ("家族", "8050", "ダブルケア", "親子", "夫婦", "きょうだい", "家庭", "family"),
    "violence": ("dv", "暴力", "虐待", "殴", "ドメスティック", "モラハラ", "violence", "abuse"),
    "daily_help": ("手伝", "ごみ出し", "ゴミ出し", "ごみ", "ゴミ", "買い物", "買物", "電球", "掃除", "草", "庭", "雪かき",
                   "見守り", "声かけ", "shopping", "rubbish", "garbage", "chores"),
    "unknown": ("わからない", "分からない", "その他", "そのほか", "ほか", "色々", "いろいろ", "other", "not sure"),
}
# The same fields in Chinese and Vietnamese.
for _field, _words_zh_vi in {
    "elderly": ("护理", "介护", "老人", "养老", "老年", "痴呆", "chăm sóc", "người già", "người cao tuổi", "nguoi gia"),
    "disability": ("残疾", "残障", "障碍", "khuyết tật", "khuyet tat"),
    "children": ("孩子", "育儿", "儿童", "学校", "怀孕", "trẻ em", "con cái", "nuôi con", "trường học", "tre em"),
    "livelihood": ("钱", "生活费", "借钱", "欠债", "收入", "低保", "tiền", "nợ", "thu nhập", "tien", "no nan"),
    "work": ("工作", "失业", "找工作", "việc làm", "công việc", "thất nghiệp", "viec lam", "cong viec"),
    "housing": ("住房", "房租", "住处", "搬家", "nhà ở", "tiền nhà", "thuê nhà", "nha o", "thue nha"),
    "health": ("健康", "生病", "医院", "心理", "失眠", "sức khỏe", "bệnh", "bệnh viện", "suc khoe", "benh vien"),
    "hikikomori": ("闭门不出", "蛰居", "不出门", "thu mình", "không ra khỏi nhà"),
    "family": ("家庭", "家人", "gia đình", "gia dinh"),
    "violence": ("家暴", "暴力", "虐待", "bạo lực", "bạo hành", "bao luc"),
    "daily_help": ("倒垃圾", "垃圾", "购物", "买东西", "帮忙", "打扫", "đổ rác", "mua sắm", "dọn dẹp", "giúp việc", "do rac"),
    "unknown": ("不知道", "其他", "其它", "không biết", "khác", "khong biet"),
}.items():
    FIELD_WORDS[_field] += _words_zh_vi


def categories_from_text(text: str, profile: Municipality) -> list[str]:
    """The profile's category codes the words name, in profile order."""
    word = fold(text)
    codes = []
    for category in profile.categories:
        names = {fold(category.label), fold(category.label_en), *(_label_parts(category.label)),
                 *(fold(category.text_in(locale)) for locale in category.translations),
                 *(fold(category.chip_in(locale)) for locale in ("ja", *category.translations))}
        if word in names or any(_contains(text, w) for w in FIELD_WORDS.get(category.field, ())) or any(
            len(name) >= 2 and name in word for name in names
        ):
            codes.append(category.code)
    return codes


def _label_parts(label: str) -> set[str]:
    """「介護・高齢」 -> {介護, 高齢}; 「家族のこと（親子の困りごと・介護と子育てなど）」 -> {家族のこと, 親子の困りごと, 介護と子育て}."""
    parts = re.split(r"[・、（）()]|など", unicodedata.normalize("NFKC", label))
    return {fold(part) for part in parts if len(part.strip()) >= 2}


# -- where -------------------------------------------------------------------------

def area_from_text(text: str, profile: Municipality) -> Area | None:
    """The area the words name: 「小名浜」「おなはま」「平の方です」「いわき市小名浜字…」."""
    area = profile.find_area(text)
    if area is not None:
        return area
    word = fold(text)
    found = {}
    for candidate in profile.areas:
        # Names of one character (平) only count on their own: 「平日」 is not 平.
        names = [fold(n) for n in (candidate.name, candidate.kana, *candidate.aliases,
                                   *(candidate.text_in(locale) for locale in candidate.translations))]
        if any(len(name) >= 2 and name in word for name in names):
            found[candidate.code] = candidate
    return next(iter(found.values())) if len(found) == 1 else None


# -- how soon, how to contact, when ------------------------------------------------

URGENCY_WORDS = {
    # Checked in this order: 「すぐじゃなくていい」 is not 今すぐ.
    "anytime": ("いつでも", "急がない", "急ぎません", "急ぎではない", "いそがない", "ゆっくり", "じゃなくて", "でなくて",
                "anytime", "whenever", "not urgent", "no hurry", "不急", "不着急", "随时", "什么时候都可以",
                "không gấp", "lúc nào cũng được", "khong gap"),
    "now": ("今すぐ", "いますぐ", "すぐ", "急ぎ", "急いで", "至急", "早く", "はやく", "今日", "きょう", "緊急", "now",
            "urgent", "asap", "immediately", "today", "马上", "立刻", "紧急", "很急", "今天", "ngay lập tức", "gấp",
            "khẩn cấp", "hôm nay", "khan cap", "hom nay"),
    "days": ("数日", "すうじつ", "今週", "近いうち", "2,3日", "2、3日", "二三日", "明日", "あした", "days", "soon",
             "this week", "tomorrow", "几天", "这周", "本周", "明天", "vài ngày", "tuần này", "ngày mai", "vai ngay",
             "ngay mai"),
}
CONTACT_WORDS = {
    "phone": ("電話", "でんわ", "tel", "phone", "call", "携帯", "电话", "手机", "điện thoại", "gọi", "dien thoai"),
    "meet": ("会って", "あって", "会いたい", "面談", "直接", "訪問", "来て", "窓口", "会う", "meet", "visit", "in person",
             "见面", "面谈", "上门", "窗口", "gặp", "trực tiếp", "gap truc tiep"),
    "line": ("line", "らいん", "メッセージ", "トーク", "チャット", "message", "chat", "消息", "留言", "tin nhắn", "nhắn tin",
             "tin nhan"),
}
TIME_WORDS = {
    "morning": ("平日の午前", "平日午前", "午前", "午前中", "ごぜん", "ごぜんちゅう", "朝", "あさ", "morning", "am",
                "weekday mornings", "上午", "早上", "工作日上午", "buổi sáng", "sáng", "buoi sang"),
    "afternoon": ("平日の午後", "平日午後", "午後", "ごご", "昼", "昼から", "afternoon", "pm", "weekday afternoons",
                  "下午", "工作日下午", "buổi chiều", "chiều", "buoi chieu"),
    "any": ("いつでもよい", "いつでも", "いつでもいい", "何時でも", "なんじでも", "any time", "anytime", "whenever",
            "随时", "什么时候都可以", "都可以", "lúc nào cũng được", "bất cứ lúc nào", "luc nao cung duoc"),
}


def _first_match(text: str, table: dict[str, tuple[str, ...]]) -> str | None:
    for code, phrases in table.items():
        if any(_contains(text, w) for w in phrases):
            return code
    return None


def urgency_from_text(text: str) -> str | None:
    return _first_match(text, URGENCY_WORDS)


def contact_from_text(text: str) -> str | None:
    if re.search(r"\d{2,}", unicodedata.normalize("NFKC", text)):
        return "phone"  # a number typed straight away
    return _first_match(text, CONTACT_WORDS)


def time_from_text(text: str) -> str | None:
    """A time-slot code when the words are one of the offered choices; else None.

    Anything else (「火曜の午後」「10時以降」) is a wish in the resident's own
    words and is kept as typed.
    """
    short = answer_word(text)
    for code, phrases in TIME_WORDS.items():
        if short in {fold(phrase) for phrase in phrases}:
            return code
    return None


def looks_like_story(text: str) -> bool:
    """A message long enough to be the resident telling what happened, not a one-word answer."""
    return len(fold(text)) >= 15
