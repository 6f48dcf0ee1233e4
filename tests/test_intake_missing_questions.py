"""相談する: the facts staff need that a resident is asked for, short and skippable.

About someone else: who they are, where they live, who the resident is to
them. A neighbour may want no contact. Signs that someone collapsed at home
get advice to call 119/110 now. Violence: whether LINE or a call is safe.
Residents who do not use Japanese: an interpreter, and which phone lines
answer in Japanese only.
"""
from sqlalchemy import select

from bot.models import Resident
from bot.models.intake import IntakeRecord
from tests.test_intake_flow import STORY, answer_until, db, start, the_record


def resident_area(app, user_id: str = "U" + "a" * 32) -> str | None:
    with db(app).transaction() as session:
        return session.scalars(select(Resident.area_code).where(Resident.line_user_id == user_id)).one()


# -- the person concerned ---------------------------------------------------------------------------


def test_a_consultation_about_a_family_member_asks_who_they_are_and_routes_by_their_area(app, chat):
    resident = start(chat)
    resident.tap_chip("家族")
    assert "あなたは、その方の何にあたりますか" in resident.last_text()
    assert resident.chips() == ["子ども", "配偶者", "親", "きょうだい", "ほかの親族", "その他", "戻る", "やめる"]
    resident.tap_chip("子ども")
    assert "その方のお名前" in resident.last_text()
    assert resident.chips() == ["わからない", "戻る", "やめる"]
    resident.says("山田ハナ")
    answer_until(resident, "area", start="categories")
    assert "その方がお住まいの地区" in resident.last_text()
    answer_until(resident, "confirm", start="area")
    summary = resident.last_text()
    assert "・その方のお名前：山田ハナ" in summary and "・あなたとのご関係：子ども" in summary
    assert "変更：その方" in resident.chips()
    resident.tap_chip("送信する")

    record = the_record(app)
    assert (record["person_name"], record["relation"]) == ("山田ハナ", "child")
    assert (record["area"], record["centre"]) == ("onahama", "onahama")  # the mother's area decides the centre
    assert resident_area(app) is None  # and is not taken for the resident's own


def test_the_name_may_be_unknown_and_the_relation_typed_in_the_residents_words(app, chat):
    resident = start(chat)
    resident.says("近所の人のことです")
    resident.says("近所の者です")
    resident.says("はい")
    assert "お名前を短く送るか、「わからない」を押してください。" in resident.last_text()
    resident.says("わかりません")
    assert "どんなことでお困りですか" in resident.last_text()
    answer_until(resident, "confirm", start="categories")
    assert "・その方のお名前：わからない" in resident.last_text()
    assert "・あなたとのご関係：近所の人" in resident.last_text()
    resident.tap_chip("送信する")
    assert (the_record(app)["person_name"], the_record(app)["relation"]) == (None, "neighbour")


def test_a_relation_the_bot_cannot_name_is_kept_as_written_for_staff(app, chat):
    resident = start(chat)
    resident.tap_chip("家族")
    resident.says("母の妹の子です")
    resident.tap_chip("わからない")
    answer_until(resident, "confirm", start="categories")
    assert "・あなたとのご関係：母の妹の子です" in resident.last_text()


def test_the_person_can_be_changed_from_the_summary_and_back_undoes_the_change(app, chat):
    resident = start(chat)
    answer_until(resident, "confirm")
    resident.tap_chip("変更：その方")
    assert "あなたは、その方の何にあたりますか" in resident.last_text()
    resident.tap_chip("配偶者")
    resident.says("山田タロウ")
    assert "入力内容を確かめてください" in resident.last_text()
    assert "・その方のお名前：山田タロウ" in resident.last_text()
    assert "・あなたとのご関係：配偶者" in resident.last_text()
    resident.says("名前を変えたい")
    resident.tap_chip("戻る")  # undoes the change just started
    assert "・その方のお名前：山田タロウ" in resident.last_text()


def test_a_consultation_about_oneself_asks_none_of_it_and_remembers_the_area(app, chat):
    resident = start(chat)
    resident.tap_chip("自分")
    assert "どんなことでお困りですか" in resident.last_text()
    answer_until(resident, "confirm", start="categories")
    assert "その方のお名前" not in resident.last_text()
    assert "変更：その方" not in resident.chips()
    resident.tap_chip("送信する")
    assert resident_area(app) == "onahama"


# -- 連絡は不要 -----------------------------------------------------------------------------------------


def neighbour_until_contact(resident, details: str = "となりのおばあさんが最近元気がありません。") -> None:
    resident.tap_chip("近所・知り合いの人")
    resident.tap_chip("近所の人")
    resident.tap_chip("わからない")
    resident.tap_chip("介護・高齢")
    resident.tap_chip("次へ")
    resident.tap_chip("平")
    resident.says(details)
    resident.tap_chip("次へ")
    resident.tap_chip("数日以内")


def test_a_neighbour_may_ask_for_no_contact_and_is_asked_no_phone_or_times(app, chat):
    resident = start(chat)
    neighbour_until_contact(resident)
    assert "連絡は不要" in resident.chips()
    resident.tap_chip("連絡は不要")
    assert "個人情報の取り扱い" in resident.last_text()  # no phone number, no convenient time
    resident.tap_chip("同意する")
    assert "・連絡方法：連絡は不要" in resident.last_text()
    assert "連絡の時間帯" not in resident.last_text() and "変更：時間帯" not in resident.chips()
    resident.tap_chip("送信する")
    assert "こちらからご連絡はしません" in resident.last_text()
    record = the_record(app)
    assert (record["contact"], record["phone"], record["times"]) == ("none", None, None)


def test_no_contact_can_be_typed_and_back_from_consent_returns_to_the_contact_question(app, chat):
    resident = start(chat)
    neighbour_until_contact(resident)
    resident.says("連絡はいりません")
    assert "個人情報の取り扱い" in resident.last_text()
    resident.tap_chip("戻る")
    assert "ご連絡の方法を選んでください" in resident.last_text()


def test_no_contact_is_asked_again_when_the_report_turns_out_to_be_about_family(app, chat):
    resident = start(chat)
    neighbour_until_contact(resident)
    resident.tap_chip("連絡は不要")
    resident.tap_chip("同意する")
    resident.tap_chip("変更：どなた")
    resident.tap_chip("家族")
    resident.tap_chip("子ども")
    resident.tap_chip("わからない")
    assert "ご連絡の方法を選んでください" in resident.last_text()
    assert "連絡は不要" not in resident.chips()
    resident.tap_chip("LINEで")
    assert "・連絡方法：LINEで" in resident.last_text()


def test_only_a_report_about_someone_else_offers_no_contact(app, chat):
    resident = start(chat)
    answer_until(resident, "contact")
    assert "連絡は不要" not in resident.chips()
    resident.says("連絡は不要です")
    assert "「LINEで」「電話で」「会って話したい」から選んでください" in resident.last_text()


# -- 安否確認 -------------------------------------------------------------------------------------------


def test_signs_of_a_collapse_at_home_get_welfare_check_advice_once_and_a_flag_for_staff(app, chat):
    resident = start(chat)
    neighbour_until_contact(resident, details="となりのおばあさんの家、新聞がたまっていて、何日も姿を見ていません。")
    texts = "\n".join(m.get("text", "") for m in resident.messages())
    assert texts.count("119番（救急）か110番（警察）に電話して、安否の確認を頼んでください") == 1
    resident.tap_chip("LINEで")
    resident.tap_chip("同意する")
    resident.tap_chip("変更：詳しく")
    resident.says("夜も電気がつけっぱなしです。")
    assert "安否の確認" not in resident.last_text()  # said once
    resident.tap_chip("次へ")
    resident.tap_chip("送信する")
    assert the_record(app)["welfare_check"] is True


def test_a_sign_said_not_to_be_there_gives_no_advice(app, chat):
    resident = start(chat)
    neighbour_until_contact(resident, details="新聞はたまっていませんが、最近元気がないようです。")
    texts = "\n".join(m.get("text", "") for m in resident.messages())
    assert "安否の確認" not in texts


def test_welfare_check_advice_in_english_says_the_lines_answer_in_japanese(app, chat):
    resident = chat(user_id="U" + "w" * 32, language="en")
    resident.follows()
    resident.taps("menu:consult")
    resident.tap_chip("A neighbour/friend")
    resident.tap_chip("Neighbour")
    resident.tap_chip("I don't know")
    resident.tap_chip("Elderly care")
    resident.tap_chip("Next")
    resident.tap_chip("Taira 平")
    resident.says("Her newspapers are piling up and we have not seen her for days.")
    assert "call 119 (ambulance) or 110 (police) now" in resident.last_text()
    assert "These lines answer in Japanese." in resident.last_text()


# -- DV: is contact safe? ---------------------------------------------------------------------------------


def test_a_consultation_about_violence_asks_whether_line_or_a_call_is_safe(app, chat):
    resident = start(chat)
    resident.tap_chip("自分")
    resident.tap_chip("ほかの項目 ▶ 2/2")
    resident.tap_chip("DV・暴力")
    resident.tap_chip("次へ")
    resident.tap_chip("平")
    resident.tap_chip("書かずに次へ")
    resident.tap_chip("数日以内")
    assert "このLINEや電話に、こちらから連絡しても安全ですか？" in resident.last_text()
    assert resident.chips()[:4] == ["LINEならよい", "電話ならよい", "どちらもよい", "どちらも避けてほしい"]
    resident.says("電話はだめです")
    assert "ご連絡の方法を選んでください" in resident.last_text()
    assert "電話で" not in resident.chips()  # the way that is not safe is not offered
    resident.tap_chip("戻る")
    assert "連絡しても安全ですか" in resident.last_text()
    resident.tap_chip("LINEならよい")
    resident.tap_chip("LINEで")
    resident.tap_chip("同意する")
    assert "・安全な連絡：LINEならよい" in resident.last_text()
    resident.tap_chip("変更：安全な連絡")
    resident.tap_chip("どちらも避けてほしい")
    assert "・安全な連絡：どちらも避けてほしい" in resident.last_text()
    resident.tap_chip("送信する")
    assert the_record(app)["safe_contact"] == "neither"


def test_a_danger_signal_of_violence_in_the_details_also_asks_whether_contact_is_safe(app, chat):
    resident = start(chat)
    answer_until(resident, "details")
    resident.says("夫に殴られています")
    assert "110番" in "\n".join(m.get("text", "") for m in resident.new_messages())
    resident.tap_chip("次へ")
    resident.tap_chip("数日以内")
    assert "このLINEや電話に、こちらから連絡しても安全ですか？" in resident.last_text()
    resident.says("どちらも避けてほしいです")
    assert "こちらから連絡するときは十分に気をつけます" in resident.last_text()
    answer_until(resident, start="contact")
    assert the_record(app)["safe_contact"] == "neither"


def test_a_consultation_without_violence_is_not_asked_about_safe_contact(app, chat):
    resident = start(chat)
    answer_until(resident, "contact")
    assert "ご連絡の方法を選んでください" in resident.last_text()
    answer_until(resident, start="contact")
    assert the_record(app)["safe_contact"] is None


# -- an interpreter, and Japanese-only lines ------------------------------------------------------------


def consult_in_vietnamese(chat):  # noqa: ANN001, ANN201
    resident = chat(user_id="U" + "v" * 32, language="vi")
    resident.follows()
    resident.taps("menu:consult")
    resident.tap_chip("Bản thân tôi")
    resident.taps("intake:cat:elderly")
    resident.taps("intake:catdone")
    resident.taps("intake:area:onahama")
    resident.says("Tôi sống một mình và cần giúp đỡ.")
    resident.taps("intake:detailsdone")
    resident.taps("intake:urgency:days")
    resident.taps("intake:contact:phone")
    resident.says("090-1234-5678")
    return resident


def test_a_vietnamese_resident_who_asks_for_a_call_is_asked_about_an_interpreter(app, chat, line):
    resident = consult_in_vietnamese(chat)
    assert "Bạn có cần phiên dịch khi nói chuyện không?" in resident.last_reply_text()
    assert resident.chips()[:3] == ["Có (Tiếng Việt)", "Ngôn ngữ khác", "Không cần phiên dịch"]
    resident.tap_chip("Có (Tiếng Việt)")
    resident.taps("intake:times:morning")
    resident.says("đồng ý")
    assert "・Phiên dịch: Tiếng Việt" in resident.last_reply_text()
    resident.taps("intake:submit")
    receipt = resident.last_reply_text()
    assert "Các số điện thoại này chỉ trả lời bằng tiếng Nhật." in receipt
    assert the_record(app)["interpreter"] == "vi"
    assert line.violations == []


def test_another_language_can_be_typed_and_back_returns_to_the_interpreter_question(app, chat):
    resident = consult_in_vietnamese(chat)
    resident.tap_chip("Ngôn ngữ khác")
    assert "Vui lòng gửi ngôn ngữ bạn cần" in resident.last_text()
    resident.says("tiếng Tagalog")
    resident.tap_chip("Quay lại")
    assert "Bạn có cần phiên dịch" in resident.last_text()
    resident.says("không")
    resident.taps("intake:times:morning")
    resident.says("đồng ý")
    assert "・Phiên dịch: Không cần" in resident.last_text()
    resident.taps("intake:change:interpreter")
    resident.says("tiếng Tagalog")
    assert "・Phiên dịch: tiếng Tagalog" in resident.last_text()
    resident.taps("intake:submit")
    assert the_record(app)["interpreter"] == "tiếng Tagalog"


def test_a_japanese_resident_who_asks_for_a_call_is_not_asked_about_an_interpreter(app, chat):
    resident = start(chat)
    answer_until(resident, "times")
    assert "連絡のつきやすい時間帯" in resident.last_text()
    answer_until(resident, start="times")
    assert "日本語での対応" not in resident.last_text()
    assert the_record(app)["interpreter"] is None


def test_crisis_numbers_for_an_english_reader_say_which_lines_answer_in_japanese(app, chat):
    resident = chat(user_id="U" + "c" * 32, language="en")
    resident.follows()
    resident.says("I want to die")
    crisis = resident.messages()[-2]["text"]
    assert "Yorisoi Hotline" in crisis
    assert "Except for Yorisoi Hotline (also in foreign languages), these lines answer in Japanese." in crisis


def test_crisis_numbers_for_a_japanese_reader_have_no_such_note(app, chat):
    resident = chat()
    resident.follows()
    resident.says("もう死にたい")
    assert "日本語での対応" not in "\n".join(m.get("text", "") for m in resident.messages())


def test_the_record_keeps_only_what_applies(app, chat):
    """A draft's answers for a question no longer asked (the contact changed) do not reach the record."""
    resident = consult_in_vietnamese(chat)
    resident.tap_chip("Có (Tiếng Việt)")
    resident.taps("intake:times:morning")
    resident.says("đồng ý")
    resident.taps("intake:change:contact")
    resident.taps("intake:contact:line")
    assert "Phiên dịch" not in resident.last_text()
    resident.taps("intake:submit")
    with db(app).transaction() as session:
        record = session.scalars(select(IntakeRecord)).one()
        assert (record.contact_method, record.interpreter) == ("line", None)
