"""Danger signals in what residents write (命に関わるサイン).

:func:`read_danger` reads one message and returns the kinds of danger it
signals (:func:`detect_danger` returns only those), so the answer can show
the right numbers from the profile (:func:`hotlines_for_kinds`) before
anything else, and the kinds it is unsure about, asked about gently first
(「今、身の危険を感じていますか？」, bot/flows/crisis.py):

==============  ===========================================  =====================
kind            what it means                                numbers (profile kinds)
==============  ===========================================  =====================
``medical``     someone collapsed, is not breathing, ...     emergency_medical (119)
``suicide``     wishes to die, self-harm, a plan             suicide, mental_health, 119
``child_abuse`` a child hit, neglected, screaming next door  child_abuse (189), police
``dv``          violence or control by a partner             dv, police
``violence``    being hit, threatened, stalked; or fear of   police (110)
                hurting someone (介護で「殺してしまいそう」)
==============  ===========================================  =====================

How text is read: NFKC (full-width letters and digits, half-width kana),
case folded, katakana written as hiragana, spaces and punctuation removed
for the Japanese patterns (「死に たい」「ｼﾆﾀｲ」「シニタイ」 are 死にたい);
English is read with single spaces and word boundaries; Chinese (simplified
and traditional forms) like Japanese; Vietnamese with word boundaries, with
its diacritics and, for phrasings that stay unambiguous, without them
("muon chet"), since many phones type Vietnamese without a Vietnamese keyboard.
Hyperbole is not flagged in any language (「mệt muốn chết」 tired to death,
「想死你了」 I miss you so much).

Denials and titles (bot/understanding/negation.py): a signal the sentence
denies in its own clause is not one — 「母は穏やかで、暴れることはありません」
「殴られたことはないです」「My husband never hits me」「他没打我」 raise no
alarm (an alarm there made an urgent DV record without consent). A denial
reaches only its own word: 「殴られて眠れない」「死ぬしかない」「殴られたくない」
are signals. A denied wish to die (「死にたいとは思っていません」「I'm not
suicidal」「我不想死」) and 「楽になりたい」 are *unsure*: whoever writes this is
thinking about it, so the bot asks rather than stays silent or alarms. A title
in quotes (「『死にたい夜に』という番組」) is set aside; someone's quoted words
(「友人が『死にたい』と言っている」) are not.

This errs on the side of showing numbers: a false alarm costs a resident
one extra message; a missed one can cost a life. Choices we made on
purpose, each pinned by a test in ``tests/test_safety.py``:

False positives we accept (flagged although maybe not in danger):

- the past: 「昔は死にたいと思った」 — whoever writes this is thinking about it;
  the numbers do no harm.
- someone else's words: 「友人が死にたいと言っている」 — rightly a signal.
- 「暴力団が近所に」 (暴力 is read as violence), 「救急車で運ばれた」 (past).
- 「子どもが暴れて困る」: a toddler's tantrum reads like an adult son's violence.
- 「夢の中で殴られた」: we cannot tell dreams from life.

Phrasings we deliberately do not flag (the consultation goes on as usual):

- hyperbole: 「死ぬほど疲れた」「死にそうなくらい暑い」「笑い死に」「死ぬ気で頑張る」
- topics, not signals: 「自殺対策の講座」「自殺予防」「自死遺族の会」「虐待防止の研修」
- grief and paperwork: 「父が亡くなった」「死亡届」「相続」「終活」
- illness in the past: 「脳梗塞で倒れてから介護が必要」「倒れた後、入院した」
- objects: 「台風で木が倒れた」, 「殺虫剤」「殺菌」「殺到」「相殺」, 「殴り書き」
- everyday words: 「肩をたたかれた」「眠気に襲われる」「子どもがボールを蹴る」「DVD」,
  「心中お察しします」「まぶたが痙攣する」, 「私に対して」 (わたしにたいして contains しにたい)
- 「薬をたくさん飲んでいる」: many older people take many medicines (only
  「薬を全部／大量に／まとめて飲む」 is a signal).
- burnout without a signal: 「介護がもう限界」 — serious, but too common to
  alarm on; it reaches staff through the consultation (「楽になりたい」 is asked about).
- verbal or economic control without violence (「生活費を渡してくれない」): DV,
  but not an emergency; the consultation routes it (DV・暴力 category).
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from bot.municipality import Hotline, Municipality
from bot.text import fold
from bot.understanding import negation

MEDICAL = "medical"
SUICIDE = "suicide"
CHILD_ABUSE = "child_abuse"
DV = "dv"
VIOLENCE = "violence"

# The order answers are given in: the most time-critical first.
KINDS = (MEDICAL, SUICIDE, CHILD_ABUSE, DV, VIOLENCE)

# Which of the profile's hotline kinds each danger kind calls for, in order.
HOTLINE_KINDS: dict[str, tuple[str, ...]] = {
    MEDICAL: ("emergency_medical",),
    SUICIDE: ("emergency_medical", "suicide", "mental_health"),
    CHILD_ABUSE: ("police", "child_abuse"),
    DV: ("police", "dv"),
    VIOLENCE: ("police",),
}

_PUNCTUATION = re.compile(r"[\s、。，．,.!！?？・…‥「」『』()（）\[\]【】\"'“”‘’／/:;：；＊*♪☆★◆◇→]+")
_ENDING = "[ーっ〜~]*"  # 「死にたーい」「死にたっい」

# Phrases removed before matching: they contain a signal word but are not one.
NOT_SIGNALS_JA = [
    r"死ぬほど", r"死ぬかと思", r"死にそう(?:な|なほど|なくらい|に(?:暑|寒|忙|眠))", r"笑い死", r"死ぬ気で",
    r"自殺(?:対策|予防|防止|総合対策)", r"自死遺族", r"自殺遺族", r"(?:虐待|dv|暴力)(?:防止|予防|対策)",
    r"殺虫", r"殺菌", r"殺到", r"相殺", r"忙殺", r"殺風景", r"黙殺", r"殴り書き",
    r"肩を?たたかれ", r"肩を?叩かれ", r"肩たたき",
    r"(?:眠気|睡魔|不安|恐怖|寂しさ|さみしさ|寒気)に襲われ",
    r"(?:木|塀|棚|家具|電柱|看板|自転車|本棚|ブロック塀|壁|花瓶|会社)が倒れ",
    r"倒れ(?:て|た)(?:から|以来|以降|後|あと|こと|ので|ため|時|とき)",
    r"わたしにたい(?:して|する|し)", r"にたいして", r"にたいする", r"熱中症(?:対策|予防)",
    r"(?:まぶた|瞼|目の下)が?(?:けいれん|痙攣)", r"心中(?:お察し|穏やか|複雑)", r"首を(?:つっこ|突っ込)",
]

SIGNALS_JA: dict[str, list[str]] = {
    SUICIDE: [
        rf"死にた{_ENDING}い", r"死にたく(?!ない)", rf"しにた{_ENDING}い", r"しにたく(?:なる|なった|なります|て)",
        r"消えたい", r"きえたい", r"消えてしまいたい", r"消えてなくなりたい", r"いなくなりたい",
        r"自殺", r"じさつ", r"自死", r"死のう", r"しのうと", r"死んでしまいたい", r"死んでしまおう",
        r"死んだ(?:ほう|方)が(?:まし|いい|楽)", r"死ぬしか", r"死ぬつもり", r"(?:今|いま)から死ぬ", r"これから死ぬ",
        r"生きていたくない", r"生きてる意味", r"生きている意味", r"生きる(?:意味|気力)が(?:ない|無い)",
        r"生きるのが(?:つら|辛|しんど|嫌|いや)", r"生きていても仕方", r"生きてても仕方",
        r"首を?(?:吊|つ[りるろ])", r"首をつった", r"飛び降り", r"とびおり", r"りすとかっと", r"りすか", r"手首を切",
        r"遺書", r"(?:一家|無理|親子)心中", r"心中(?:する|しよう|したい|しか|を考え)",
        r"(?:命|いのち|人生)を(?:絶|断|終わらせ)", r"楽に死",
        r"(?:薬|くすり)を(?:大量に|全部|まとめて)(?:飲|のん|のみ)", r"おーばーどーず", r"(?<![a-z])od(?:した|して|しよう|する)",
    ],
    MEDICAL: [
        r"倒れ(?:た|て|ちゃ|ました|ている|ています)", r"意識が(?:ない|無い|ありません|もうろう|朦朧)", r"意識不明",
        r"息を?して(?:い)?ない", r"息をしていません", r"息が(?:でき|出来)(?:ない|ません)", r"息が苦し",
        r"呼吸(?:が|を)?(?:して(?:い)?ない|がない|が止ま|が苦し|困難)", r"(?:胸|心臓)が(?:痛い|痛くて|苦しい|苦しくて|締め付けられ)",
        r"救急車", r"血が止まら(?:ない|ず|なく|ません)", r"大量に出血", r"大出血", r"(?:けいれん|痙攣)(?:して|が止ま|を起こ)", r"ひきつけ",
        r"反応が(?:ない|無い)",
        r"動かなくなった", r"冷たくなって", r"(?:転んで|転倒して|倒れて)(?:起き上がれ|動け)(?:ない|ず|なく|ません)", r"熱中症",
    ],
    VIOLENCE: [
        r"殴", r"蹴られ", r"蹴飛ばされ", r"叩かれ", r"たたかれ", r"暴力", r"暴れ", r"(?<!自)殺[さされすしせそ]",
        r"ころされ", r"ころしてやる", r"ころしたい", r"ころすぞ", r"ころしそう", r"刃物",
        r"(?:包丁|ナイフ|ないふ)を(?:向け|持って|突きつけ)", r"脅(?:され|迫|し)", r"すとーかー",
        r"(?:付き|つき)まと", r"襲われ", r"おそわれ", r"監禁", r"閉じ込められ", r"性暴力", r"性被害", r"れいぷ",
        r"首を絞め", r"首をしめ",
        # kana only, as やさしい日本語 readers often write
        r"なぐられ", r"ぼうりょく",  # not なぐって (つなぐって) nor けられ (あけられる)
    ],
}

# Words that may or may not mean the wish to die: asked about gently, never alarmed on.
UNSURE_JA = [r"楽になりたい", r"らくになりたい", r"楽になれたら", r"いなくなれたら"]

# DV: "dv" itself, or violence together with a partner.
DV_WORDS_JA = [r"(?<![a-z])dv(?![a-z])", r"でぃーぶい", r"ドメスティック", r"どめすてぃっく", r"もらはら", r"モラハラ"]
PARTNER_WORDS_JA = [
    r"夫", r"おっと", r"妻", r"旦那", r"だんな", r"主人", r"嫁", r"彼氏", r"彼女", r"かれし", r"恋人", r"ぱーとなー",
    r"配偶者", r"元彼", r"内縁", r"交際相手", r"同居人",
]
# Child abuse: the word itself, or harm together with a child.
_A_CHILD = r"(?:子ども|子供|こども|赤ちゃん|赤ん坊|乳児|幼児|児童|わが子|我が子|うちの子)"
CHILD_ABUSE_WORDS_JA = [
    r"(?:児童|子ども|子供|こども)虐待", r"ねぐれくと", r"育児放棄",
    # A child as the one who is hit: 「子どもを叩いてしまう」, not 「子どもがボールを蹴る」.
    _A_CHILD + r"を(?:殴|叩|たたい|蹴|つね|投げ)",
]
# 息子・娘・孫 are left out on purpose: in 8050 households they are adults
# (「息子に殴られる」 is violence against a parent, not child abuse).
CHILD_WORDS_JA = [
    r"子ども", r"子供", r"こども", r"赤ちゃん", r"赤ん坊", r"乳児", r"幼児", r"児童", r"小学生", r"中学生", r"園児",
    r"女の子", r"男の子", r"わが子", r"我が子", r"うちの子", r"隣の子", r"幼い子", r"小さい子", r"子育て",
]
CHILD_HARM_JA = [
    r"虐待", r"殴", r"叩かれ", r"たたかれ", r"蹴られ", r"暴力", r"放置", r"置き去り", r"泣き叫", r"悲鳴", r"怒鳴り声",
    r"あざ", r"痣", r"食べさせてもらえ[ぁ-ん]{0,3}(?:ない|ず|ません)", r"(?:ご飯|食事)を(?:与え|もらえ)[ぁ-ん]{0,4}(?:ない|ず|ません)",
]

SIGNALS_EN: dict[str, list[str]] = {
    SUICIDE: [
        r"\bkill(ing)? my ?self\b", r"\bsuicid(e|al)\b", r"\bwants? to die\b", r"\bwanted to die\b", r"\bwanna die\b",
        r"\bend (my life|it all)\b", r"\b(don'?t|do not) want to (live|be alive)\b", r"\bno reason to live\b",
        r"\bself[- ]?harm", r"\b(cut|cutting|hurt|hurting|harm|harming) my ?self\b", r"\boverdos(e|ed|ing)\b",
        r"\bbetter off dead\b", r"\bhang my ?self\b",
    ],
    MEDICAL: [
        r"\bcollapsed\b", r"\bunconscious\b", r"\bnot breathing\b", r"\bcan'?t breathe\b", r"\bcannot breathe\b",
        r"\bstopped breathing\b", r"\bheart attack\b", r"\bhaving a (stroke|seizure)\b", r"\bpassed out\b",
        r"\bbleeding (heavily|a lot|badly)\b", r"\b(call|need|calling) an ambulance\b", r"\bfell and can'?t get up\b",
    ],
    VIOLENCE: [
        r"\b(hit|hits|hitting|beat|beats|beating|punch(es|ed|ing)?|kick(s|ed|ing)?|chok(es|ed|ing)) me\b",
        r"\b(going to|gonna|will|wants? to|threaten(s|ed|ing)? to) (kill|hurt) me\b", r"\bthreaten(s|ed|ing)? (me|to kill|to hurt)\b",
        r"\bstalk(er|ing|ed|s)?\b", r"\battacked\b", r"\bviolen(ce|t)\b",
        r"\b(might|could|will|want to) (kill|hurt) (him|her|them|my)\b", r"\b(raped|sexual assault)\b",
    ],
}
DV_WORDS_EN = [r"\bdomestic (violence|abuse)\b", r"(?<![a-z])dv(?![a-z])"]
PARTNER_WORDS_EN = [r"\b(husband|wife|partner|boyfriend|girlfriend|spouse|ex)\b"]
CHILD_ABUSE_WORDS_EN = [r"\bchild (abuse|neglect)\b"]
CHILD_WORDS_EN = [r"\b(child|children|kid|kids|baby|toddler)\b"]
CHILD_HARM_EN = [r"\babus(e|ed|es|ing)\b", r"\bneglect(ed|s|ing)?\b", r"\b(beat|beats|beating|beaten)\b",
                 r"\bscreaming\b", r"\bbruises?\b"]

# Chinese (simplified, and the traditional forms residents with zh-Hant phones type),
# matched like Japanese on the compact text.
NOT_SIGNALS_ZH = [r"想死你", r"想死我了", r"(?:自杀|自殺)(?:预防|預防|干预|對策|对策)", r"(?:预防|預防|防止)(?:自杀|自殺)",
                  r"(?:家暴|暴力)(?:预防|防治|讲座)", r"打我(?:的)?(?:电话|手机|号码|電話|手機)", r"救护车(?:的)?(?:电话|号码)是"]
SIGNALS_ZH: dict[str, list[str]] = {
    SUICIDE: [r"想死", r"不想活", r"活不下去", r"自杀", r"自殺", r"轻生", r"輕生", r"寻死", r"(?:结束|結束)(?:我的)?(?:生命|一切)",
              r"活着(?:没有?|沒有?)(?:意思|意义|意義)", r"割腕", r"跳楼", r"跳樓", r"上吊", r"不想(?:再)?活(?:下去|了)",
              r"(?:吃|吞)了?(?:很多|大量|一整瓶|一瓶|所有的?)(?:安眠药|安眠藥|药|藥)"],
    MEDICAL: [r"晕倒", r"暈倒", r"昏倒", r"昏迷", r"(?:失去|没有|沒有|没了)意识", r"不省人事", r"(?:没有|沒有|没)(?:了)?呼吸",
              r"喘不(?:过|過)气", r"呼吸困难", r"呼吸困難", r"救护车", r"救護車", r"心脏病(?:发作|犯了)", r"胸口(?:很|好)?(?:痛|疼|闷)",
              r"流血不止", r"(?:大量)?出血不止", r"抽搐", r"中暑", r"(?:摔倒|跌倒)(?:了)?(?:起不来|爬不起来)", r"叫不醒"],
    VIOLENCE: [r"打我", r"被打", r"挨打", r"踢我", r"被踢", r"殴打", r"毆打", r"暴力", r"(?:要|想|会)杀(?:了)?我", r"杀了你",
               r"威胁", r"威脅", r"恐吓", r"跟踪", r"跟蹤", r"掐(?:我的?)?脖子", r"性侵", r"强奸", r"強姦", r"拿刀"],
}
DV_WORDS_ZH = [r"家暴", r"家庭暴力"]
PARTNER_WORDS_ZH = [r"丈夫", r"老公", r"妻子", r"老婆", r"男朋友", r"女朋友", r"男友", r"女友", r"前夫", r"前妻", r"伴侣", r"配偶"]
CHILD_ABUSE_WORDS_ZH = [r"虐待(?:儿童|兒童|孩子|小孩)", r"(?:儿童|兒童)虐待", r"虐童", r"不给(?:孩子)?(?:饭吃|吃饭)"]
CHILD_WORDS_ZH = [r"孩子", r"小孩", r"儿童", r"兒童", r"婴儿", r"嬰兒", r"宝宝", r"寶寶"]
CHILD_HARM_ZH = [r"虐待", r"被打", r"挨打", r"殴打", r"哭喊", r"惨叫", r"尖叫", r"淤青", r"伤痕", r"没人管", r"不给饭"]

# Vietnamese, with diacritics as written; hyperbole (「mệt muốn chết」 tired to death) is not a signal.
NOT_SIGNALS_VI = [r"\b(mệt|nóng|đói|lạnh|buồn cười|cười|bận|sợ|ngại|xấu hổ|ngượng) muốn chết\b",
                  r"\bphòng chống (tự tử|bạo lực)\b", r"\bphòng ngừa tự tử\b"]
SIGNALS_VI: dict[str, list[str]] = {
    SUICIDE: [r"\bmuốn chết\b", r"\btự tử\b", r"\btự sát\b", r"\bkhông muốn sống\b", r"\bchán sống\b",
              r"\bkết thúc cuộc (đời|sống)\b", r"\bkết liễu\b", r"\b(cắt|rạch) (tay|cổ tay)\b", r"\bnhảy (lầu|cầu)\b",
              r"\b(thắt|treo) cổ\b", r"\buống (hết|cả|nhiều) (lọ |vỉ )?thuốc( ngủ)?\b", r"\bsống không (còn )?ý nghĩa\b"],
    MEDICAL: [r"\bngất( xỉu)?\b", r"\bbất tỉnh\b", r"\bngã quỵ\b", r"\b(không|ngừng) thở\b", r"\bkhó thở\b",
              r"\bcấp cứu\b", r"\bđau ngực\b", r"\bco giật\b", r"\bchảy (nhiều )?máu( nhiều| không ngừng)?\b",
              r"\bđột quỵ\b", r"\bsay nắng\b", r"\bngã không (dậy|đứng dậy) được\b", r"\blên cơn đau tim\b"],
    VIOLENCE: [r"\b(đánh|đá|tát|bóp cổ) tôi\b", r"\bbị (đánh|đá|tát|bóp cổ)\b", r"\bđe dọa\b", r"\bdọa giết\b",
               r"\b(giết|đâm) tôi\b", r"\bbạo lực\b", r"\bbạo hành\b", r"\b(theo dõi|bám theo|rình rập) tôi\b",
               r"\bhiếp dâm\b", r"\bxâm hại\b", r"\bcầm dao\b"],
}
# The same, typed without diacritics (many phones): only phrasings that stay unambiguous
# ("tu tu" is also từ từ, slowly; "bi danh" is bí danh, an alias).
SIGNALS_VI_PLAIN: dict[str, list[str]] = {
    SUICIDE: [r"\bmuon chet\b", r"\btu sat\b", r"\bkhong muon song\b", r"\bchan song\b", r"\bnhay lau\b",
              r"\bket lieu\b"],
    MEDICAL: [r"\bngat xiu\b", r"\bbat tinh\b", r"\bkhong tho duoc\b", r"\bkho tho\b", r"\bcap cuu\b", r"\bdot quy\b",
              r"\bco giat\b"],
    VIOLENCE: [r"\bde doa\b", r"\bgiet toi\b", r"\bbao luc\b", r"\bbao hanh\b", r"\bdanh dap\b"],
}
DV_WORDS_VI = [r"\bbạo lực gia đình\b", r"\bbao luc gia dinh\b"]
PARTNER_WORDS_VI = [r"\b(chồng|vợ|bạn trai|bạn gái|người yêu|chồng cũ|vợ cũ)\b", r"\b(chong|ban trai|ban gai|nguoi yeu)\b"]
CHILD_ABUSE_WORDS_VI = [r"\b(bạo hành|ngược đãi|xâm hại) (trẻ em|trẻ con|con)\b", r"\bbao hanh tre em\b"]
CHILD_WORDS_VI = [r"\b(trẻ em|trẻ con|con tôi|con nhỏ|em bé|đứa trẻ|đứa bé|tre em|con toi)\b"]
CHILD_HARM_VI = [r"\b(bạo hành|ngược đãi|bị đánh|bỏ mặc|bỏ đói|khóc thét|la hét|vết bầm|bao hanh|bi bo doi)\b"]


def _compile(patterns: Iterable[str]) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{pattern})" for pattern in patterns))


def _fold_ja(pattern: str) -> str:
    # Patterns are written as people type them; compare them folded like the text.
    return fold(pattern, spaces=True)


_NOT_SIGNALS = _compile(_fold_ja(p) for p in NOT_SIGNALS_JA)
_UNSURE_JA = _compile(_fold_ja(p) for p in UNSURE_JA)
_SIGNALS_JA = {kind: _compile(_fold_ja(p) for p in patterns) for kind, patterns in SIGNALS_JA.items()}
_DV_JA = _compile(_fold_ja(p) for p in DV_WORDS_JA)
_PARTNER_JA = _compile(_fold_ja(p) for p in PARTNER_WORDS_JA)
_CHILD_ABUSE_JA = _compile(_fold_ja(p) for p in CHILD_ABUSE_WORDS_JA)
_CHILD_JA = _compile(_fold_ja(p) for p in CHILD_WORDS_JA)
_CHILD_HARM_JA = _compile(_fold_ja(p) for p in CHILD_HARM_JA)
_SIGNALS_EN = {kind: _compile(patterns) for kind, patterns in SIGNALS_EN.items()}
_NOT_SIGNALS_EN = _compile([r"\bsuicide (prevention|awareness)\b", r"\b(violence|abuse) prevention\b", r"\bstroke of luck\b"])
_DV_EN = _compile(DV_WORDS_EN)
_PARTNER_EN = _compile(PARTNER_WORDS_EN)
_CHILD_ABUSE_EN = _compile(CHILD_ABUSE_WORDS_EN)
_CHILD_EN = _compile(CHILD_WORDS_EN)
_CHILD_HARM_EN = _compile(CHILD_HARM_EN)
_NOT_SIGNALS_ZH = _compile(_fold_ja(p) for p in NOT_SIGNALS_ZH)
_SIGNALS_ZH = {kind: _compile(_fold_ja(p) for p in patterns) for kind, patterns in SIGNALS_ZH.items()}
_DV_ZH = _compile(DV_WORDS_ZH)
_PARTNER_ZH = _compile(PARTNER_WORDS_ZH)
_CHILD_ABUSE_ZH = _compile(CHILD_ABUSE_WORDS_ZH)
_CHILD_ZH = _compile(CHILD_WORDS_ZH)
_CHILD_HARM_ZH = _compile(CHILD_HARM_ZH)
_NOT_SIGNALS_VI = _compile(unicodedata.normalize("NFKC", p) for p in NOT_SIGNALS_VI)
_SIGNALS_VI = {kind: _compile(unicodedata.normalize("NFKC", p) for p in patterns) for kind, patterns in SIGNALS_VI.items()}
_SIGNALS_VI_PLAIN = {kind: _compile(patterns) for kind, patterns in SIGNALS_VI_PLAIN.items()}
_DV_VI = _compile(unicodedata.normalize("NFKC", p) for p in DV_WORDS_VI)
_PARTNER_VI = _compile(unicodedata.normalize("NFKC", p) for p in PARTNER_WORDS_VI)
_CHILD_ABUSE_VI = _compile(unicodedata.normalize("NFKC", p) for p in CHILD_ABUSE_WORDS_VI)
_CHILD_VI = _compile(unicodedata.normalize("NFKC", p) for p in CHILD_WORDS_VI)
_CHILD_HARM_VI = _compile(unicodedata.normalize("NFKC", p) for p in CHILD_HARM_VI)


def _without_diacritics(text: str) -> str:
    """Vietnamese as typed on a phone without a Vietnamese keyboard: "muốn chết" → "muon chet"."""
    stripped = "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))
    return stripped.replace("đ", "d")


def compact_and_spaced(text: str) -> tuple[str, str]:
    """Return (compact, spaced): the text folded (bot/text.py) for the two kinds of patterns.

    compact, without spaces or punctuation, for Japanese and Chinese; spaced,
    with single spaces and one kind of apostrophe, for English and Vietnamese.
    """
    spaced = fold(text, spaces=True).replace("’", "'")
    return _PUNCTUATION.sub("", spaced), spaced


@dataclass(frozen=True)
class Reading:
    """What one message says about danger.

    ``kinds``: signalled and not denied; answer with the numbers at once.
    ``unsure``: words about suicide that the sentence denies (「死にたいとは思わない」)
    or that may or may not mean it (「楽になりたい」): ask gently first.
    """

    kinds: frozenset[str] = frozenset()
    unsure: frozenset[str] = frozenset()


class _Found:
    """Which kinds a message signals, and which it mentions only to deny them."""

    def __init__(self) -> None:
        self.signalled: set[str] = set()
        self.denied: set[str] = set()

    def add(self, kind: str, found: tuple[bool, bool]) -> None:
        signalled, denied = found
        if signalled:
            self.signalled.add(kind)
        elif denied:
            self.denied.add(kind)


def _in_clauses(pattern: re.Pattern[str], clauses: list[str], language: str) -> tuple[bool, bool]:
    """(signalled, denied) for Japanese or Chinese (``zh``): whether ``pattern`` occurs undenied in a clause.

    A Japanese denial comes after the word (「暴力はふるいません」), and Japanese
    residents use the Chinese patterns' words too (暴力); a Chinese one before it.
    """
    signalled = denied = False
    for clause in clauses:
        for match in pattern.finditer(clause):
            if negation.denied_after(clause, match.end()) or (
                language == "zh" and negation.denied_before(clause, match.start(), "zh")
            ):
                denied = True
            else:
                signalled = True
    return signalled, denied


_CLAUSE_END = re.compile(r"[。、，,.!！?？\n]")


def _in_text(pattern: re.Pattern[str], text: str, language: str) -> tuple[bool, bool]:
    """(signalled, denied) for English or Vietnamese, whose denials come before the word (and 「DVはありません」)."""
    signalled = denied = False
    for match in pattern.finditer(text):
        clause_end = _CLAUSE_END.search(text, match.end())
        clause = text[:clause_end.start()] if clause_end else text
        if negation.denied_before(text, match.start(), language) or negation.denied_after(clause, match.end()):
            denied = True
        else:
            signalled = True
    return signalled, denied


def _either(*found: tuple[bool, bool]) -> tuple[bool, bool]:
    return any(s for s, _ in found), any(d for _, d in found)


def read_danger(text: str) -> Reading:
    """Read one message for danger signals, denials and quoted titles included."""
    if not text or not text.strip():
        return Reading()
    spaced = negation.without_titles(fold(text, spaces=True).replace("’", "'"))
    # Japanese and Chinese clause by clause, each without spaces or punctuation.
    compact = [_NOT_SIGNALS_ZH.sub("", _NOT_SIGNALS.sub("", _PUNCTUATION.sub("", clause)))
               for clause in negation.clauses(spaced)]
    compact = [clause for clause in compact if clause]
    spaced = _NOT_SIGNALS_VI.sub("", _NOT_SIGNALS_EN.sub("", spaced))
    plain = _NOT_SIGNALS_VI.sub("", _without_diacritics(spaced))  # hyperbole typed without diacritics too
    plain = re.sub(r"\b(met|nong|doi|lanh|buon cuoi|cuoi|ban|so) muon chet\b", "", plain)

    found = _Found()
    nothing = (False, False)
    for kind in KINDS:
        found.add(kind, _either(
            _in_clauses(_SIGNALS_JA[kind], compact, "ja") if kind in _SIGNALS_JA else nothing,
            _in_clauses(_SIGNALS_ZH[kind], compact, "zh") if kind in _SIGNALS_ZH else nothing,
            _in_text(_SIGNALS_EN[kind], spaced, "en") if kind in _SIGNALS_EN else nothing,
            _in_text(_SIGNALS_VI[kind], spaced, "vi") if kind in _SIGNALS_VI else nothing,
            _in_text(_SIGNALS_VI_PLAIN[kind], plain, "vi") if kind in _SIGNALS_VI_PLAIN else nothing,
        ))
    whole = "".join(compact)
    violent = VIOLENCE in found.signalled
    partner = bool(_PARTNER_JA.search(whole) or _PARTNER_ZH.search(whole) or _PARTNER_EN.search(spaced)
                   or _PARTNER_VI.search(spaced) or _PARTNER_VI.search(plain))
    found.add(DV, _either(
        _in_clauses(_DV_JA, compact, "ja"), _in_clauses(_DV_ZH, compact, "zh"), _in_text(_DV_EN, spaced, "en"),
        _in_text(_DV_VI, spaced, "vi"), _in_text(_DV_VI, plain, "vi"), (violent and partner, False),
    ))
    child_vi = _CHILD_VI.search(spaced) or _CHILD_VI.search(plain)
    harm = _either(  # harm, in a message that speaks of a child
        _in_clauses(_CHILD_HARM_JA, compact, "ja") if _CHILD_JA.search(whole) else nothing,
        _in_clauses(_CHILD_HARM_ZH, compact, "zh") if _CHILD_ZH.search(whole) else nothing,
        _in_text(_CHILD_HARM_EN, spaced, "en") if _CHILD_EN.search(spaced) else nothing,
        _in_text(_CHILD_HARM_VI, spaced, "vi") if child_vi else nothing,
        _in_text(_CHILD_HARM_VI, plain, "vi") if child_vi else nothing,
    )
    found.add(CHILD_ABUSE, _either(
        _in_clauses(_CHILD_ABUSE_JA, compact, "ja"), _in_clauses(_CHILD_ABUSE_ZH, compact, "zh"),
        _in_text(_CHILD_ABUSE_EN, spaced, "en"), _in_text(_CHILD_ABUSE_VI, spaced, "vi"),
        _in_text(_CHILD_ABUSE_VI, plain, "vi"), harm,
    ))
    kinds = set(found.signalled)
    if kinds & {DV, CHILD_ABUSE}:
        # Their own numbers include the police; "violence" would only repeat it.
        kinds.discard(VIOLENCE)
    unsure = set()
    if not kinds and (SUICIDE in found.denied or _UNSURE_JA.search(whole)):
        unsure.add(SUICIDE)
    return Reading(frozenset(kinds), frozenset(unsure))


def detect_danger(text: str) -> frozenset[str]:
    """Return the kinds of danger a message signals; empty when none (or when unsure, see :func:`read_danger`)."""
    return read_danger(text).kinds


def ordered(kinds: Iterable[str]) -> list[str]:
    """Kinds in the order the answer speaks about them (most time-critical first)."""
    wanted = set(kinds)
    return [kind for kind in KINDS if kind in wanted]


def hotlines_for_kinds(profile: Municipality, kinds: Iterable[str]) -> list[Hotline]:
    """The profile's numbers for these kinds: emergency numbers first, each once."""
    wanted: list[str] = []
    for kind in ordered(kinds):
        for hotline_kind in HOTLINE_KINDS[kind]:
            if hotline_kind not in wanted:
                wanted.append(hotline_kind)
    # 119 and 110 before counselling lines, whatever kind asked for them.
    wanted.sort(key=lambda k: 0 if k in ("emergency_medical", "police") else 1)
    hotlines: dict[str, Hotline] = {}
    for hotline_kind in wanted:
        for hotline in profile.hotlines_for(hotline_kind):
            hotlines.setdefault(hotline.code, hotline)
    return list(hotlines.values())
