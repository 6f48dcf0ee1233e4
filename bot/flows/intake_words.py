"""What residents type instead of tapping, for each question of the consultation.

Every step of bot/flows/intake.py accepts words as well as buttons: many
residents, often elderly, type 「電話」 or 「小名浜の方です」 or tell their whole
story at the first question. Each reader here returns a choice, or None
when the words do not say one clearly (the step then asks again). Short
answers (戻る, 次へ, はい, 同意します) are read by bot/understanding/answers.py;
words are compared normalised (bot/understanding/normalise.py).
"""
from __future__ import annotations

import re
import unicodedata

from bot.municipality import Area, Municipality
from bot.understanding.answers import answer_word, words
from bot.understanding.intents import area_in_text
from bot.understanding.normalise import contains, normalise

# 「1と4」「１、４」: category numbers as residents list them.
NUMBER_LIST = re.compile(r"[\d\s,、と・&and]+")
STATUS = words("相談の状況", "状況", "相談状況", "受付番号", "取り下げ", "取り下げたい", "取下げ", "status", "my consultations",
               "咨询状况", "受理编号", "tình trạng", "tinh trang", "mã tiếp nhận")


def asks_for_status(text: str) -> bool:
    """「相談の状況」「受付番号」: the resident wants to see their records, not a new consultation."""
    word = normalise(text)
    return word in STATUS or any(w in word for w in (normalise("相談の状況"), normalise("受付番号"), normalise("取り下げ")))


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
    found = {code for code, phrases in SUBJECT_WORDS.items() if any(contains(text, w) for w in phrases)}
    others = found - {"self"}
    if len(others) == 1:
        return others.pop()
    if not others and found:
        return "self"
    return None


# -- what it is about --------------------------------------------------------------

# Words for each support field of the profile's categories (SupportField).
FIELD_WORDS: dict[str, tuple[str, ...]] = {
    "elderly": ("介護", "かいご", "高齢", "お年寄り", "年寄り", "老人", "認知症", "にんちしょう", "物忘れ", "ぼけ", "ヘルパー", "デイサービス",
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
    word = normalise(text)
    codes = []
    for category in profile.categories:
        names = {normalise(category.label), normalise(category.label_en), *(_label_parts(category.label)),
                 *(normalise(category.text_in(locale)) for locale in category.translations),
                 *(normalise(category.chip_in(locale)) for locale in ("ja", *category.translations))}
        if word in names or any(contains(text, w) for w in FIELD_WORDS.get(category.field, ())) or any(
            len(name) >= 2 and name in word for name in names
        ):
            codes.append(category.code)
    return codes


def _label_parts(label: str) -> set[str]:
    """「介護・高齢」 -> {介護, 高齢}; 「家族のこと（8050・ダブルケアなど）」 -> {家族のこと, 8050, ダブルケア}."""
    parts = re.split(r"[・、（）()]|など", unicodedata.normalize("NFKC", label))
    return {normalise(part) for part in parts if len(part.strip()) >= 2}


# -- where -------------------------------------------------------------------------

def area_from_text(text: str, profile: Municipality) -> Area | None:
    """The area the words name: 「小名浜」「おなはま」「平の方です」「いわき市小名浜字…」「平のあたりで」."""
    return area_in_text(text, profile)


# -- how soon, how to contact, when ------------------------------------------------

URGENCY_WORDS = {
    # Checked in this order: 「すぐじゃなくていい」 is not 今すぐ.
    "anytime": ("いつでも", "急がない", "急ぎません", "急ぎではない", "急ぎでは", "急ぎじゃ", "急いでない", "急いでいない",
                "急いでません", "急いでいません", "急いでおりません", "急がなく", "急がね", "ゆっくり", "じゃなくて", "でなくて", "後でいい",
                "あとでいい", "いつでもいい", "そのうち",
                "anytime", "whenever", "not urgent", "no hurry", "no rush", "not in a hurry", "不急", "不着急", "随时", "什么时候都可以",
                "không gấp", "không vội", "lúc nào cũng được", "khong gap", "khong voi"),
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
        if any(contains(text, w) for w in phrases):
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
        if short in {normalise(phrase) for phrase in phrases}:
            return code
    return None


def looks_like_story(text: str) -> bool:
    """A message long enough to be the resident telling what happened, not a one-word answer."""
    return len(normalise(text)) >= 15


# -- changing an answer from the summary -------------------------------------------

# Words that name an answer to change, checked in this order: 「内容の種類」 is the categories, 「内容」 alone the
# details (「内容をなおしたいです」).
CHANGE_WORDS = {
    "who": ("どなた", "誰", "だれ", "who", "谁", "ai cần"),
    "categories": ("種類", "困りごと", "分野", "カテゴリ", "category", "categories", "类别", "种类", "loại", "lĩnh vực"),
    "area": ("地区", "住所", "場所", "地域", "area", "address", "地区", "地址", "khu vực", "địa chỉ"),
    "urgency": ("急ぎ", "急いで", "urgency", "urgent", "紧急", "gấp"),
    "times": ("時間", "時間帯", "time", "times", "时间", "thời gian", "giờ"),
    "contact": ("連絡方法", "電話番号", "連絡先", "電話", "contact", "phone", "联系方式", "电话", "liên lạc", "điện thoại"),
    "details": ("詳しく", "詳しい", "内容", "書いたこと", "文章", "details", "what i wrote", "详细", "内容", "chi tiết",
                "nội dung"),
}
# Words that say the resident wants to change something on the summary.
CHANGE_VERBS = ("直し", "直す", "直せ", "変え", "変更", "修正", "訂正", "違う", "違い", "間違", "書き直", "change", "edit",
                "fix", "correct", "wrong", "修改", "更改", "改一下", "不对", "sửa", "thay đổi", "đổi", "sai")


def change_from_text(text: str) -> str | None:
    """The answer the resident wants to change on the summary (「地区を変えたい」 -> area); "" when they do not say
    which (「直したいです」); None when the words are not about changing."""
    wants_change = any(contains(text, verb) for verb in CHANGE_VERBS)
    short = len(normalise(text)) <= 12
    if not wants_change and not short:
        return None
    for step, names in CHANGE_WORDS.items():
        if any(contains(text, name) for name in names):
            return step if wants_change or short else None
    return "" if wants_change and len(normalise(text)) <= 30 else None
