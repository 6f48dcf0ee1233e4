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
from bot.text import fold
from bot.understanding.answers import answer_word, words
from bot.understanding.intents import area_in_text
from bot.understanding.negation import clauses, topic_denied
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
    "health": ("健康", "病気", "こころ", "心の", "心が", "心療", "メンタル", "うつ", "眠れない", "体調", "病院", "通院", "health",
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
    """The profile's category codes the words name, in profile order.

    A topic said to be no worry does not count: in 「介護のことです。お金の心配はありません」
    only 介護 does (bot/understanding/negation.py).
    """
    kept = [clause for clause in clauses(text) if not _only_denied_topics(normalise(clause))]
    if len(kept) < len(clauses(text)):
        text = "、".join(kept)
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


def _only_denied_topics(clause: str) -> bool:
    """Whether every support-field word in the clause is said to be no worry (「お金の心配はありません」)."""
    found = [(at.start(), at.end()) for words in FIELD_WORDS.values() for w in words
             if not w.isascii() for at in re.finditer(re.escape(normalise(w)), clause)]
    return bool(found) and all(topic_denied(clause, end) or any(s <= start and end < e for s, e in found)
                               for start, end in found)


def _label_parts(label: str) -> set[str]:
    """「介護・高齢」 -> {介護, 高齢}; 「家族のこと（親子の困りごと・介護と子育てなど）」 -> {家族のこと, 親子の困りごと, 介護と子育て}."""
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
    "relation": ("名前", "関係", "立場", "name", "relation", "名字", "关系", "tên", "quan hệ"),
    "interpreter": ("通訳", "interpreter", "翻译", "phiên dịch"),
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


# -- the person concerned, safe contact, interpreter --------------------------------

# Who the resident is to the person concerned (RELATIONS in bot/flows/intake_questions.py). Only words
# that name the resident's own role; 「母のことです」 (about my mother) is kept in the resident's words.
RELATION_WORDS = {
    "child": ("子ども", "子供", "こども", "息子", "むすこ", "娘", "むすめ", "長男", "長女", "次男", "次女", "son",
              "daughter", "儿子", "女儿", "孩子", "con trai", "con gái", "con gai"),
    "spouse": ("配偶者", "妻", "夫", "主人", "旦那", "家内", "wife", "husband", "spouse", "丈夫", "妻子", "老公", "老婆",
               "vợ", "chồng", "vo", "chong"),
    "parent": ("親", "母親", "父親", "mother", "father", "parent", "妈妈", "爸爸", "父母", "mẹ", "bố", "cha mẹ"),
    "sibling": ("きょうだい", "兄弟", "姉妹", "兄", "弟", "姉", "妹", "brother", "sister", "sibling", "哥哥", "弟弟",
                "姐姐", "妹妹", "anh trai", "chị gái", "em trai", "em gái"),
    "relative": ("親戚", "親族", "孫", "甥", "姪", "嫁", "婿", "義理", "いとこ", "relative", "grandchild", "亲戚", "孙子",
                 "họ hàng", "cháu", "ho hang"),
    "neighbour": ("近所", "きんじょ", "隣", "となり", "neighbour", "neighbor", "邻居", "hàng xóm", "hang xom"),
    "friend": ("知人", "知り合い", "しりあい", "友人", "友達", "ともだち", "friend", "acquaintance", "朋友", "熟人", "bạn",
               "người quen", "nguoi quen"),
    "minsei": ("民生委員", "民生", "みんせいいいん", "minsei", "welfare commissioner", "welfare volunteer", "民生委员",
               "ủy viên dân sinh"),
    "care_manager": ("ケアマネ", "ケアマネジャー", "ケアマネージャー", "care manager", "护理经理", "quản lý chăm sóc"),
    "other": ("その他", "そのほか", "other", "其他", "khác"),
}
_RELATION_BY_WORD = {fold(word): code for code, phrases in RELATION_WORDS.items() for word in phrases}
# Around the word itself: 「私は娘です」「近所の者です」「I'm her daughter」「Tôi là con gái」「我是女儿」.
_BEFORE_RELATION = tuple(fold(w) for w in ("私は", "わたしは", "わたくしは", "僕は", "ぼくは", "その方の", "その人の", "彼女の",
                                           "彼の", "i'm", "i am", "im", "her", "his", "their", "a", "the", "tôi là",
                                           "toi la", "我是"))
_AFTER_RELATION = tuple(fold(w) for w in ("です", "の者", "のもの", "の人", "のひと", "にあたります", "にあたる", "をしています",
                                          "をしてます", "をしている"))


def relation_from_text(text: str) -> str | None:
    """A code of who the resident is to the person (「娘です」 -> child); None unless the words say only that.

    「母の妹の子です」 or 「母のことです」 name more than a role: they are kept in the resident's own words.
    """
    word = answer_word(text)
    changed = True
    while changed and word not in _RELATION_BY_WORD:
        changed = False
        for frame in _BEFORE_RELATION:
            if word.startswith(frame) and len(word) > len(frame):
                word, changed = word[len(frame):], True
        for frame in _AFTER_RELATION:
            if word.endswith(frame) and len(word) > len(frame):
                word, changed = word[: -len(frame)], True
    return _RELATION_BY_WORD.get(word)


# At 「どなたのこと」, the words name the person concerned (「母のことです」); the resident is then their child.
PERSON_WORDS = {
    "child": ("母", "父", "親", "おかあさん", "おとうさん", "お袋", "親父", "mother", "father", "mom", "dad", "parent",
              "妈妈", "爸爸", "母亲", "父亲", "mẹ", "bố", "cha"),
    "spouse": ("夫", "妻", "主人", "旦那", "だんな", "嫁さん", "家内", "husband", "wife", "丈夫", "妻子", "老公", "老婆",
               "chồng", "vợ"),
    "parent": ("息子", "むすこ", "娘", "むすめ", "子ども", "子供", "こども", "son", "daughter", "儿子", "女儿", "孩子",
               "con trai", "con gái"),
    "sibling": ("兄", "弟", "姉", "妹", "きょうだい", "兄弟", "姉妹", "brother", "sister", "哥哥", "弟弟", "姐姐", "妹妹",
                "anh trai", "em trai", "chị gái", "em gái"),
    "relative": ("祖母", "祖父", "おばあちゃん", "おじいちゃん", "孫", "叔母", "叔父", "伯母", "伯父", "grandmother",
                 "grandfather", "grandchild", "奶奶", "爷爷", "孙子", "bà", "ông", "cháu"),
}


def relation_from_person(text: str) -> str | None:
    """Who the resident is to the person their words name (「母のことです」 -> child); None unless plain."""
    found = [code for code, phrases in PERSON_WORDS.items() if any(contains(text, w) for w in phrases)]
    return found[0] if len(found) == 1 else None


# 連絡は不要: someone who reported a concern about another person does not want to be contacted.
NO_CONTACT = ("連絡は不要", "連絡不要", "連絡はいらない", "連絡いらない", "連絡はいりません", "連絡は要りません",
              "連絡しなくて", "連絡はしないで", "連絡はなくて", "連絡はなし", "no contact", "don't contact",
              "do not contact", "不用联系", "无需联系", "不需要联系", "không cần liên lạc", "khong can lien lac")
# 「いりません」: what is asked (contact, an interpreter) is not needed.
NOT_NEEDED = words("不要", "いらない", "いりません", "要らない", "要りません", "必要ない", "必要ありません", "no need",
                   "not needed", "不用", "不需要", "không cần", "khong can", "không cần phiên dịch")


def is_not_needed(text: str) -> bool:
    return answer_word(text) in NOT_NEEDED


def declines_contact(text: str) -> bool:
    """「連絡は不要です」「いりません」: no contact is wanted."""
    return is_not_needed(text) or any(contains(text, w) for w in NO_CONTACT)


SAFE_CONTACT_WORDS = {
    # Checked in this order: 「どちらも避けて」 before 「どちらも」, 「電話はだめ」 before 「電話」.
    "neither": ("どちらも避け", "どちらもだめ", "どちらもダメ", "どっちもだめ", "どちらも困", "両方だめ", "避けてほしい",
                "連絡しないで", "neither", "avoid both", "都不要", "都不行", "都避免", "cả hai đều không",
                "đừng liên lạc"),
    "line": ("lineならよい", "lineなら", "lineがいい", "lineで", "電話はだめ", "電話はダメ", "電話は困", "電話はやめ",
             "line only", "line is safe", "no phone", "no calls", "只能line", "line可以", "không gọi điện",
             "chỉ line"),
    "phone": ("電話ならよい", "電話なら", "電話がいい", "lineはだめ", "lineはダメ", "lineは困", "lineはやめ",
              "phone only", "phone is safe", "call is safe", "no line", "只能电话", "电话可以", "chỉ gọi điện",
              "không line"),
    "both": ("どちらもよい", "どちらでも", "どちらも大丈夫", "どっちでも", "両方", "both", "either", "都可以", "都行",
             "cả hai", "ca hai"),
}


def safe_contact_from_text(text: str) -> str | None:
    """Which way of contact is safe (SafeContact), as the resident put it; None when unclear."""
    return _first_match(text, SAFE_CONTACT_WORDS)


# The languages an interpreter may be asked for, by the resident's locale; other languages are kept as typed.
LANGUAGE_WORDS = {
    "en": ("英語", "えいご", "english", "英文", "英语", "tiếng anh", "tieng anh"),
    "zh_Hans": ("中国語", "ちゅうごくご", "chinese", "mandarin", "中文", "汉语", "普通话", "tiếng trung", "tieng trung"),
    "vi": ("ベトナム語", "vietnamese", "越南语", "tiếng việt", "tieng viet"),
    # Japanese: no interpreter needed (「いいえ、日本語で大丈夫」).
    "ja": ("日本語", "にほんご", "japanese", "日语", "tiếng nhật", "tieng nhat"),
}


def language_from_text(text: str) -> str | None:
    """A locale code when the words name one of the bot's languages (「ベトナム語で」 -> vi)."""
    return _first_match(text, LANGUAGE_WORDS)


# -- signs that someone may have collapsed at home (安否確認) -----------------------------

# Something left as it is at the person's home, and how: 「新聞がたまっている」「電気がつけっぱなし」.
_LEFT_THINGS = r"(?:新聞|しんぶん|郵便|ゆうびん|ポスト|チラシ|電気|でんき|明かり|あかり|灯り|雨戸|あまど|洗濯物)"
_LEFT_STATES = (r"(?:たま|溜ま|いっぱい|あふれ|溢れ|つけっぱなし|付けっぱなし|点けっぱなし|つきっぱなし|ついたまま|"
                r"点いたまま|消えたまま|ついていない|ついてない|つかない|閉まったまま|しまったまま|出しっぱなし|入ったまま)")
_SIGNS_JA = [
    rf"{_LEFT_THINGS}.{{0,8}}{_LEFT_STATES}",
    r"(?:何日|なんにち|数日|すうじつ|しばらく|\d+日|一週間|1週間).{0,8}(?:見ない|みない|見かけない|みかけない|"
    r"見ていない|みていない|見てない|みてない|見かけていない|見かけてない)",
    r"(?:姿|すがた|顔|かお)を?(?:見ない|みない|見かけない|みかけない|見ていない|見てない|見かけていない)",
    r"(?:呼んでも|よんでも|ノックしても|チャイムを?鳴らしても|インターホンを?押しても|声をかけても).{0,8}"
    r"(?:(?:返事|へんじ|応答|反応)が?(?:ない|ありません|なかった)|出てこない|でてこない|出てきません|でてきません)",
    r"(?:返事|へんじ|応答|おうとう|反応|はんのう)が(?:ない|ありません|なかった)",
    r"(?:倒れているかも|たおれているかも|倒れてるかも|中で倒れ|なかで倒れ)",
]
_SIGNS_OTHER = [
    r"(?:newspapers?|mail|post|letters?)\b.{0,30}\b(?:pil(?:ing|ed) up|stack(?:ing|ed) up|overflowing)",
    r"lights?\b.{0,30}\b(?:on (?:all )?day and night|always on|left on|off for days|on all the time)",
    r"(?:haven't|have not|hasn't|has not|not) (?:been )?seen\b.{0,30}\b(?:days?|weeks?|a while)",
    r"no (?:answer|response) at the door|(?:doesn't|does not|won't|will not) (?:answer|open) the door",
    r"报纸.{0,6}(?:堆|积)|信件.{0,6}(?:堆|积)|邮件.{0,6}(?:堆|积)|灯.{0,6}(?:一直亮|没关|一直关)|好几天没(?:见|看到)|"
    r"几天没(?:见|看到)|敲门.{0,6}没(?:人)?(?:应|回应|开)",
    r"(?:báo|thư).{0,20}(?:chất đống|dồn lại|ứ đọng)|đèn.{0,20}(?:sáng cả ngày|bật suốt|tắt suốt)|"
    r"(?:mấy|nhiều|vài) ngày (?:không|chưa) (?:thấy|gặp)|gõ cửa.{0,20}không (?:ai )?(?:trả lời|mở)",
]
_SIGNS = [re.compile(fold(pattern)) for pattern in _SIGNS_JA]
_SIGNS_SPACED = [re.compile(pattern) for pattern in _SIGNS_OTHER]
# What follows a sign that says it is not there: 「新聞はたまっていません」「返事がないことはない」.
_NOT_SO = re.compile(r"[っていおりま]{0,4}(?:ない|ません|ず|なかった)")
_NOT_SO_AFTER_NEGATIVE = re.compile(r"(?:ことは|わけでは|訳では)(?:ない|ありません)")


def welfare_signs(text: str) -> bool:
    """Whether the words suggest the person may have collapsed at home (安否確認).

    Newspapers or post piling up, lights on (or off) day and night, not seen
    for days, no answer at the door. A sign said not to be there
    (「新聞はたまっていません」) does not count.
    """
    compact = fold(text)
    for pattern in _SIGNS:
        for found in pattern.finditer(compact):
            negative = found.group().endswith(("ない", "ません", "なかった"))
            denial = _NOT_SO_AFTER_NEGATIVE if negative else _NOT_SO
            if not denial.match(compact, found.end()):
                return True
    spaced = fold(text, spaces=True)
    return any(pattern.search(spaced) for pattern in _SIGNS_SPACED)
