"""Danger signals: realistic messages, the false alarms we accept, and what we deliberately let pass.

The module docstring of bot/services/safety.py lists the same choices in words.
"""
import pytest

from bot.municipality import load_profile
from bot.services.safety import Reading, detect_danger, hotlines_for_kinds, read_danger

IWAKI = load_profile("iwaki")


@pytest.mark.parametrize(
    ("message", "kinds"),
    [
        # suicide: plain, softened, kana, half-width, spaced, stretched, English
        ("もう死にたいです", {"suicide"}),
        ("最近、消えてしまいたいと思うことが増えました", {"suicide"}),
        ("しにたい", {"suicide"}),
        ("ｼﾆﾀｲ", {"suicide"}),
        ("シニタイ", {"suicide"}),
        ("死に たい", {"suicide"}),
        ("死にたーい", {"suicide"}),
        ("生きているのがつらくて、いなくなりたい", {"suicide"}),
        ("生きてる意味がわからない", {"suicide"}),
        ("介護に疲れて、母と一緒に死のうかと考えてしまいます", {"suicide"}),
        ("一家心中しかないと思っています", {"suicide"}),
        ("薬を全部飲んでしまおうかと思う", {"suicide"}),
        ("リスカがやめられません", {"suicide"}),
        ("首をつろうと思った", {"suicide"}),
        ("遺書を書きました", {"suicide"}),
        ("自殺したい", {"suicide"}),
        ("I want to die", {"suicide"}),
        ("I keep thinking about killing myself", {"suicide"}),
        ("I don't want to live anymore", {"suicide"}),
        # medical emergencies
        ("父が倒れて意識がありません", {"medical"}),
        ("祖母が息をしていない！", {"medical"}),
        ("母が転んで起き上がれない", {"medical"}),
        ("救急車を呼んだほうがいいですか", {"medical"}),
        ("隣のおじいさんが倒れている", {"medical"}),
        ("My father collapsed and is not breathing", {"medical"}),
        # violence
        ("息子に殴られます", {"violence"}),
        ("近所の人に包丁を向けられた", {"violence"}),
        ("元同僚につきまとわれています", {"violence"}),
        ("介護していて、母を殺してしまいそうで怖い", {"violence"}),
        ("He threatened to kill me", {"violence"}),
        # domestic violence: the word, or violence from a partner
        ("夫に殴られています", {"dv"}),
        ("ＤＶを受けています", {"dv"}),
        ("DVかもしれません", {"dv"}),
        ("彼氏に蹴られた", {"dv"}),
        ("主人のモラハラがひどいです", {"dv"}),
        ("My husband hits me", {"dv"}),
        # child abuse: the word, or harm with a child
        ("隣の家から毎晩子どもの泣き叫ぶ声がします", {"child_abuse"}),
        ("子どもを叩いてしまいます", {"child_abuse"}),
        ("児童虐待ではないかと心配です", {"child_abuse"}),
        ("近所の子どもがご飯を与えられていないようです", {"child_abuse"}),
        ("I think the child next door is being abused", {"child_abuse"}),
        # several at once
        ("夫に殴られて、もう死にたい", {"dv", "suicide"}),
    ],
)
def test_realistic_danger_messages_are_recognised(message, kinds):
    assert detect_danger(message) == kinds


@pytest.mark.parametrize(
    "message",
    [
        # hyperbole
        "死ぬほど疲れた",
        "今日は死にそうなくらい暑いですね",
        "笑い死にしそう",
        "死ぬ気で頑張ります",
        # topics, not signals
        "自殺対策の講座に参加したいです",
        "自死遺族の会について知りたい",
        "虐待防止の研修はありますか",
        # grief and paperwork
        "父が亡くなりました。手続きを教えてください",
        "死亡届の出し方",
        "相続の相談をしたい",
        # illness in the past
        "母は脳梗塞で倒れてから介護が必要になりました",
        "父が倒れた後、ずっと入院しています",
        # objects and everyday words
        "台風で木が倒れた",
        "殺虫剤の使い方",
        "問い合わせが殺到しているようですね",
        "殴り書きのメモで失礼します",
        "肩をたたかれて振り向きました",
        "午後は眠気に襲われます",
        "子どもがボールを蹴る音がうるさい",
        "DVDを返したい",
        "わたしにたいして、みんな冷たい",
        "心中お察しします",
        "まぶたが痙攣して気になる",
        "薬をたくさん飲んでいて心配です",
        # burnout and control without a signal: serious, but routed by the consultation
        "介護がもう限界です",
        "楽になりたい",
        "夫が生活費を渡してくれない",
        # plain consultations
        "母の介護で仕事を休みがちです",
        "家賃が払えません",
        "",
        "   ",
    ],
)
def test_everyday_phrasings_are_deliberately_not_flagged(message):
    assert detect_danger(message) == frozenset()


@pytest.mark.parametrize(
    ("message", "kinds"),
    [
        # The past: whoever writes this is thinking about it (a denial is asked about, below).
        ("昔は死にたいと思ったこともあった", {"suicide"}),
        # Someone else's words: rightly a signal.
        ("友人が死にたいと言っている", {"suicide"}),
        # 暴力 in 暴力団 reads as violence.
        ("暴力団の事務所が近所にできて不安です", {"violence"}),
        # The past tense of an emergency.
        ("昨日、救急車で運ばれました", {"medical"}),
        # A toddler's tantrum and an adult son's violence read alike.
        ("子どもが暴れて困っています", {"violence"}),
        # Dreams cannot be told from life.
        ("夢の中で殴られた", {"violence"}),
    ],
)
def test_false_alarms_we_accept_rather_than_miss_a_real_one(message, kinds):
    assert detect_danger(message) == kinds


@pytest.mark.parametrize(
    ("kinds", "numbers"),
    [
        ({"medical"}, ["119"]),
        ({"suicide"}, ["119", "0120-279-338", "0570-783-556"]),
        ({"child_abuse"}, ["110", "189"]),
        ({"dv"}, ["110", "0120-279-889"]),
        ({"violence"}, ["110"]),
        ({"dv", "suicide"}, ["119", "110", "0120-279-338", "0570-783-556", "0120-279-889"]),
    ],
)
def test_each_kind_gets_the_right_numbers_from_the_profile_emergency_first(kinds, numbers):
    assert [hotline.number for hotline in hotlines_for_kinds(IWAKI, kinds)] == numbers


def test_another_citys_profile_gives_its_own_numbers():
    takamatsu = load_profile("takamatsu")
    numbers = [hotline.number for hotline in hotlines_for_kinds(takamatsu, {"suicide"})]
    assert numbers[0] == "119"
    assert len(numbers) >= 2


# -- the other resident languages: 简体中文 (and traditional forms), Tiếng Việt, やさしい日本語 ----------

@pytest.mark.parametrize(
    ("message", "kinds"),
    [
        # Chinese
        ("我真的不想活了", {"suicide"}),
        ("最近总是想死", {"suicide"}),
        ("我想自杀", {"suicide"}),
        ("我想自殺", {"suicide"}),  # traditional characters, from a zh-Hant phone
        ("我妈妈晕倒了，叫不醒", {"medical"}),
        ("爸爸喘不过气，请叫救护车", {"medical"}),
        ("老公喝了酒就打我", {"dv"}),
        ("我遭受家暴，很害怕", {"dv"}),
        ("隔壁的孩子每天被打，一直哭喊", {"child_abuse"}),
        ("有人一直跟踪我", {"violence"}),
        # Vietnamese, with and without diacritics
        ("Tôi muốn chết", {"suicide"}),
        ("toi muon chet", {"suicide"}),
        ("Tôi không muốn sống nữa", {"suicide"}),
        ("Mẹ tôi bị ngất xỉu, không tỉnh lại", {"medical"}),
        ("Bố tôi khó thở, cần gọi cấp cứu", {"medical"}),
        ("Chồng tôi đánh tôi mỗi ngày", {"dv"}),
        ("Tôi bị bạo lực gia đình", {"dv"}),
        ("Con tôi bị đánh ở nhà hàng xóm, khóc thét", {"child_abuse"}),
        ("Có người đe dọa giết tôi", {"violence"}),
        # やさしい日本語 / kana only
        ("もう しにたい", {"suicide"}),
        ("きえたいです", {"suicide"}),
        ("おっとに なぐられます", {"dv"}),
    ],
)
def test_danger_is_recognised_in_every_resident_language(message, kinds):
    assert detect_danger(message) == frozenset(kinds)


@pytest.mark.parametrize(
    "message",
    [
        # Chinese hyperbole and everyday words
        "想死你了！",  # I miss you so much
        "累死了，今天工作太多",
        "笑死我了",
        "请打我电话 090-1234-5678",
        "我想参加自杀预防的讲座",
        "我妈妈需要护理，我想咨询一下",
        # Vietnamese hyperbole and ambiguity without diacritics
        "Hôm nay mệt muốn chết",
        "hom nay met muon chet",
        "nóng muốn chết",
        "Từ từ thôi, không gấp",
        "tu tu thoi",
        "Tôi muốn đăng ký tham gia salon",
        "Mẹ tôi cần người chăm sóc",
    ],
)
def test_everyday_phrasings_in_other_languages_are_not_flagged(message):
    assert detect_danger(message) == frozenset()


# -- denials and quoted titles: no alarm, or a gentle question about suicide ---------------------------------


@pytest.mark.parametrize(
    "message",
    [
        "母は穏やかで、暴れることはありません",
        "母は穏やかで暴れることはありません",
        "父は暴れることはない",
        "夫に殴られたことはないです",
        "息子は暴れていません",
        "父は暴力はふるいません",
        "DVはありません",
        "子どもを叩いたことはありません",
        "隣の人に脅されたことはありません",
        # a quoted title: a programme, not the resident's words
        "『死にたい夜に』という番組を見ました",
        "テレビで「自殺」の特集を見ました",
        # English, Chinese, Vietnamese
        "My husband never hits me",
        "He doesn't hit me, he is kind",
        "他从来没有打我",
        "老公没打我",
        "Chồng tôi không bao giờ đánh tôi",
        "chong toi khong danh toi",
    ],
)
def test_a_denied_signal_raises_no_alarm(message):
    assert read_danger(message).kinds == frozenset()
    assert read_danger(message).unsure == frozenset()


@pytest.mark.parametrize(
    "message",
    [
        # Whoever writes this is thinking about it: not silence, a gentle question.
        "死にたいとは思っていません",
        "死にたいとは思わない",
        "死にたいわけではないです",
        "自殺しようとは思いません",
        "楽になりたい",
        "I'm not suicidal",
        "I don't want to die",
        "我不想死",
        "Tôi không muốn chết",
    ],
)
def test_a_denied_wish_to_die_is_asked_about_gently(message):
    assert read_danger(message) == Reading(kinds=frozenset(), unsure=frozenset({"suicide"}))


@pytest.mark.parametrize(
    ("message", "kinds"),
    [
        # The denial belongs to another word, or is not one.
        ("夫に殴られて眠れない", {"dv"}),
        ("死ぬしかない", {"suicide"}),
        ("死にたくてたまらない", {"suicide"}),
        ("夫に殴られたんです", {"dv"}),
        ("夫に殴られたくない", {"dv"}),
        ("生きてる意味がわからない", {"suicide"}),
        ("リスカがやめられません", {"suicide"}),
        ("母が転んで起き上がれない", {"medical"}),
        # A denial reaches only its clause.
        ("殴られたことはないけど、夫に蹴られた", {"dv"}),
        ("死にたいとは思わないけど、消えたい", {"suicide"}),
        # Someone's quoted words are a signal.
        ("友人が『死にたい』と言っている", {"suicide"}),
        ("He never listens and he hits me", {"violence"}),
        ("He said no and hit me", {"violence"}),
        ("别打我", {"violence"}),  # "don't hit me": a plea, not a denial
        ("我不想活了", {"suicide"}),
    ],
)
def test_a_denial_elsewhere_in_the_message_does_not_hide_a_signal(message, kinds):
    assert detect_danger(message) == kinds
