"""相談する: a resident consults through LINE; what they see, and what staff will find."""
import logging
import re
import threading
from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.i18n import translations
from bot.models import Conversation, InboxEvent, utcnow
from bot.models.intake import IntakeAttachment, IntakeRecord, RecordStatus
from bot.services.intake import DRAFT_ANSWER_KEYS, Answers, IntakeService
from bot.services.residents import ResidentService
from bot.tasks.intake import purge_intake_drafts_now
from tests.conftest import CHANNEL_SECRET
from tests.support import Chat, Worker

JPEG = b"\xff\xd8\xff\xe0" + b"photo of the unpaid bills" * 10
STORY = "母の介護で仕事を休みがちです。お金のことも心配です。"


# -- helpers: what the resident does, and what the database holds ---------------------------------


def start(chat, **kwargs):
    """A resident adds the account and taps 相談する."""
    resident = chat(**kwargs)
    resident.follows()
    resident.tap_chip("相談する")
    resident.new_messages()
    return resident


HAPPY_PATH = [
    ("who", lambda r: r.tap_chip("家族")),
    ("relation", lambda r: r.tap_chip("子ども")),
    ("person", lambda r: r.says("山田ハナ")),
    ("categories", lambda r: (r.tap_chip("介護・高齢"), r.tap_chip("お金・生活の困りごと"), r.tap_chip("次へ"))),
    ("area", lambda r: r.tap_chip("小名浜")),
    ("details", lambda r: (r.says(STORY), r.tap_chip("次へ"))),
    ("urgency", lambda r: r.tap_chip("数日以内")),
    ("contact", lambda r: r.tap_chip("電話で")),
    ("phone", lambda r: r.says("090-1234-5678")),
    ("times", lambda r: r.tap_chip("平日の午前")),
    ("consent", lambda r: r.tap_chip("同意する")),
    ("confirm", lambda r: r.tap_chip("送信する")),
]


def answer_until(resident, stop: str | None = None, *, start: str = "who") -> None:
    """Answer the questions the usual way, from ``start`` up to (not including) ``stop``."""
    steps = [step for step, _ in HAPPY_PATH]
    for step, act in HAPPY_PATH[steps.index(start):]:
        if step == stop:
            break
        act(resident)
    resident.new_messages()


def texts(messages) -> str:
    return "\n".join(m.get("text", "") for m in messages)


def chips_of(message) -> list[str]:
    return [item["action"]["label"] for item in (message.get("quickReply") or {}).get("items", [])]


def db(app):
    return app.extensions["tsunagu"].db


def the_record(app) -> dict:
    """The one record, as staff would read it."""
    with db(app).transaction() as session:
        record = session.scalars(select(IntakeRecord)).one()
        return {
            "receipt": record.receipt_number, "subject": record.subject, "categories": record.categories,
            "area": record.area_code, "area_source": record.area_source, "centre": record.centre_code,
            "urgency": record.urgency, "urgent": record.urgent, "contact": record.contact_method,
            "phone": record.phone, "times": record.contact_times, "status": record.status,
            "consent_at": record.consent_at, "consent_version": record.consent_version, "legal_basis": record.legal_basis,
            "flags": [flag["code"] for flag in record.flags], "details": record.details, "source": record.source,
            "danger": record.danger_kinds,
            "person_name": record.person_name, "relation": record.relation, "safe_contact": record.safe_contact,
            "interpreter": record.interpreter, "welfare_check": record.welfare_check,
            "thread": [(m.phase, m.kind, m.text) for m in record.messages],
            "photos": [(a.status, a.content) for a in record.attachments],
        }


def record_count(app) -> int:
    with db(app).transaction() as session:
        return len(session.scalars(select(IntakeRecord.id)).all())


def intake_conversation(app) -> Conversation:
    with db(app).transaction() as session:
        return session.scalars(select(Conversation).where(Conversation.flow == "intake").order_by(Conversation.id.desc())).first()


def age_conversation(app, by: timedelta) -> None:
    """Make the resident's last answer ``by`` older, as if they had walked away."""
    with db(app).transaction() as session:
        conversation = session.scalars(
            select(Conversation).where(Conversation.flow == "intake").order_by(Conversation.id.desc())
        ).first()
        conversation.updated_at -= by
        conversation.expires_at -= by


def send_image(resident, message_id: str, drain: bool = True):
    message = {"type": "image", "id": message_id, "contentProvider": {"type": "line"}, "quoteToken": "q"}
    return resident.send("message", message=message, drain=drain)


def send_sticker(resident):
    message = {"type": "sticker", "id": "77", "packageId": "446", "stickerId": "1988",
               "stickerResourceType": "STATIC", "quoteToken": "q"}
    return resident.send("message", message=message)


# -- the whole conversation -----------------------------------------------------------------------


def test_a_resident_consults_by_tapping_and_gets_a_receipt_number_and_next_steps(app, chat, line):
    resident = chat()
    resident.follows()
    resident.tap_chip("相談する")
    assert "どなたのことでのご相談ですか？" in resident.last_reply_text()
    assert resident.chips() == ["自分", "家族", "近所・知り合いの人", "やめる"]
    answer_until(resident)

    receipt = resident.last_reply_text()
    record = the_record(app)
    assert record["receipt"].startswith("IW-") and record["receipt"] in receipt
    assert "担当：小名浜地区保健福祉センター" in receipt
    assert "☎ 0246-22-1111（平日 8:30〜17:15）" in receipt
    assert "お知らせいただいた番号にお電話します" in receipt
    assert resident.chips()[0] == "相談の状況"
    assert record == {
        **record,
        "subject": "family", "categories": ["elderly", "money"], "area": "onahama", "area_source": "chosen",
        "centre": "onahama", "urgency": "days", "urgent": False, "contact": "phone", "phone": "09012345678",
        "times": "平日の午前", "status": "new", "consent_version": "2026-12", "legal_basis": "consent",
        "flags": ["multi_field"], "details": STORY, "source": "intake",
    }
    assert record["consent_at"] is not None
    assert intake_conversation(app).data == {"record_id": 1}  # the draft is gone once submitted
    assert line.violations == []


def test_every_question_also_takes_typed_answers(app, chat):
    resident = start(chat)
    resident.says("母のことです")
    assert "その方のお名前" in resident.last_text()  # 「母のこと」 said who the resident is to her
    resident.says("わからないです")
    assert "どんなことでお困りですか" in resident.last_text()
    resident.says("介護とお金")
    assert "選んでいるもの：介護・高齢、お金・生活の困りごと" in resident.last_text()
    resident.says("１と７")  # by the numbers of the list
    assert "健康・こころ" in resident.last_text()
    resident.says("次へ")
    resident.says("小名浜の方です")
    assert "困っていることを" in resident.last_text()
    resident.says(STORY)
    resident.says("以上です")
    resident.says("急ぎではないです")
    resident.says("電話でお願いします")
    resident.says("０９０ー１２３４ー５６７８")  # full-width digits and the long-vowel mark as dashes
    resident.says("火曜の午後")
    resident.says("はい")
    assert "・連絡方法：電話で（090-1234-5678）" in resident.last_text()
    assert "・連絡の時間帯：火曜の午後" in resident.last_text()
    resident.says("はい")
    record = the_record(app)
    assert record["subject"] == "family"
    assert record["categories"] == ["elderly", "money", "health"]
    assert (record["area"], record["area_source"]) == ("onahama", "typed")
    assert (record["urgency"], record["phone"], record["times"]) == ("anytime", "09012345678", "火曜の午後")


def test_a_phone_number_typed_at_the_contact_question_is_taken_at_once(app, chat):
    resident = start(chat)
    answer_until(resident, "contact")
    resident.says("090-8765-4321に電話してください")
    assert "連絡のつきやすい時間帯" in resident.last_text()


def test_an_invalid_phone_number_is_asked_again_with_an_example(app, chat):
    resident = start(chat)
    answer_until(resident, "phone")
    resident.says("12345")
    assert "電話番号を確かめられませんでした" in resident.last_text()
    assert "お電話番号を送ってください" in resident.last_text()
    resident.says("0246-22-1111")
    assert "連絡のつきやすい時間帯" in resident.last_text()


def test_contact_by_line_needs_neither_phone_nor_times(app, chat):
    resident = start(chat)
    answer_until(resident, "contact")
    resident.tap_chip("LINEで")
    assert "個人情報の取り扱い" in resident.last_text()
    resident.tap_chip("同意する")
    assert "連絡の時間帯" not in resident.last_text()
    assert "変更：時間帯" not in resident.chips()
    resident.tap_chip("送信する")
    assert "このトークで、担当者からご連絡します" in resident.last_text()
    record = the_record(app)
    assert (record["contact"], record["phone"], record["times"]) == ("line", None, None)


# -- who, what, where -------------------------------------------------------------------------------


def test_a_concern_about_a_neighbour_is_told_the_centre_may_visit(app, chat):
    resident = start(chat)
    resident.tap_chip("近所・知り合いの人")
    assert "センターの職員がその方を訪ねて、様子をうかがうことがあります。" in resident.last_text()
    assert "アウトリーチ" not in resident.last_text()  # staff's word, not residents'
    assert "ご連絡くださった方のことは、その方に伝えません" in resident.last_text()
    resident.tap_chip("近所の人")
    resident.tap_chip("わからない")
    resident.tap_chip("介護・高齢")
    resident.tap_chip("次へ")
    assert "その方がお住まいの地区" in resident.last_text()
    resident.tap_chip("平")
    assert "気になっている方の様子" in resident.last_text()


def test_categories_are_chosen_several_at_once_within_13_quick_replies(app, chat):
    resident = start(chat)
    resident.tap_chip("自分")
    assert len(resident.chips()) == 13
    assert resident.chips()[-4:] == ["ほかの項目 ▶ 2/2", "次へ", "戻る", "やめる"]
    resident.tap_chip("介護・高齢")
    resident.tap_chip("ほかの項目 ▶ 2/2")
    assert resident.chips()[:3] == ["DV・暴力", "生活のちょっとした手伝い", "わからない・その他"]
    resident.tap_chip("生活のちょっとした手伝い")
    resident.tap_chip("ほかの項目 ▶ 1/2")
    assert resident.chips()[0] == "✓介護・高齢"
    resident.tap_chip("✓介護・高齢")  # tapped again: taken off
    assert "選んでいるもの：生活のちょっとした手伝い（ごみ出し・買物など）" in resident.last_text()
    resident.tap_chip("次へ")
    assert "お住まいの地区" in resident.last_text()


def test_next_without_a_category_asks_for_one_and_offers_unknown(app, chat):
    resident = start(chat)
    resident.tap_chip("自分")
    resident.tap_chip("次へ")
    assert "「わからない・その他」で大丈夫です" in resident.last_text()


def test_all_13_areas_are_reachable_by_paging(app, chat):
    resident = start(chat)
    answer_until(resident, "area")
    assert resident.chips() == ["平", "小名浜", "勿来", "田人", "常磐", "遠野", "内郷", "好間", "ほかの地区 ▶ 2/2",
                                "位置情報を送る", "わからない", "戻る", "やめる"]
    resident.tap_chip("ほかの地区 ▶ 2/2")
    assert resident.chips()[:5] == ["三和", "四倉", "久之浜大久", "小川", "川前"]
    resident.tap_chip("川前")
    resident.tap_chip("書かずに次へ")
    answer = resident.last_text()
    assert "どのくらい急ぎますか" in answer


def test_a_city_with_more_areas_than_quick_replies_still_works(make_app, line, tmp_path):
    from bot.municipality import PROFILES_DIR

    data = (PROFILES_DIR / "iwaki.toml").read_text(encoding="utf-8")
    extra = "".join(
        f'\n[[areas]]\ncode = "extra{n}"\nname = "新地区{n}"\nkana = "しんちく{n}"\nlat = 37.0\nlon = 140.9\n'
        for n in range(1, 9)
    )
    data = data.replace('areas = ["taira"]', 'areas = ["taira", ' + ", ".join(f'"extra{n}"' for n in range(1, 9)) + "]")
    path = tmp_path / "bigcity.toml"
    path.write_text(data.replace("# Consultation categories", extra + "\n# Consultation categories"), encoding="utf-8")
    app = make_app(MUNICIPALITY=str(path))
    resident = Chat(app.test_client(), line, Worker(app), "U" + "d" * 32, CHANNEL_SECRET)
    line.set_profile(resident.user_id, "佐藤", "ja")
    resident.follows()
    resident.tap_chip("相談する")
    answer_until(resident, "area")
    seen = []
    for _ in range(3):
        labels = resident.chips()
        assert len(labels) <= 13
        seen += labels[:-5]
        resident.tap_chip(next(label for label in labels if label.startswith("ほかの地区")))
    assert len(set(seen)) == 21  # every area appears on some page
    resident.says("新地区7")  # or the name is simply typed
    assert "困っていることを" in resident.last_text()
    resident.tap_chip("書かずに次へ")


def test_sharing_a_location_picks_the_nearest_area(app, chat):
    resident = start(chat)
    answer_until(resident, "area")
    resident.shares_location(36.947, 140.903, "小名浜港", "福島県いわき市小名浜")
    assert "位置情報から「小名浜」地区としました（担当：小名浜地区保健福祉センター）" in resident.last_text()
    answer_until(resident, "phone", start="details")
    resident.says("090-1234-5678")
    resident.tap_chip("平日の午後")
    resident.tap_chip("同意する")
    resident.tap_chip("送信する")
    record = the_record(app)
    assert (record["area"], record["area_source"], record["centre"]) == ("onahama", "location", "onahama")


def test_an_unknown_area_goes_to_the_city_coordinator(app, chat):
    resident = start(chat)
    answer_until(resident, "area")
    resident.tap_chip("わからない")
    assert "保健福祉課 地域共生社会推進係が内容を確認して" in resident.last_reply_text()
    answer_until(resident, "consent", start="details")
    resident.tap_chip("同意する")
    assert "地区：わからない（市の保健福祉課 地域共生社会推進係が担当を決めます）" in resident.last_reply_text()
    resident.tap_chip("送信する")
    assert "担当：保健福祉課 地域共生社会推進係" in resident.last_reply_text()
    assert "担当のセンターを決めます" in resident.last_reply_text()
    record = the_record(app)
    assert (record["area"], record["centre"]) == (None, None)


# -- details: several messages and photos --------------------------------------------------------


def test_details_take_several_messages_and_photos_fetched_into_our_database(app, chat, line):
    resident = start(chat)
    answer_until(resident, "details")
    resident.says("母が認知症です。")
    assert "受け取りました（1件）" in resident.last_text()
    line.set_content("7001", JPEG, "image/jpeg")
    send_image(resident, "7001")
    assert "写真を受け取りました（1枚）" in resident.last_text()
    resident.says("夜も目が離せません。")
    assert "受け取りました（3件）" in resident.last_text()
    with db(app).transaction() as session:
        photo = session.scalars(select(IntakeAttachment)).one()
        assert (photo.status, photo.content, photo.content_type, photo.record_id) == ("stored", JPEG, "image/jpeg", None)
    resident.tap_chip("次へ")
    answer_until(resident, "consent", start="urgency")
    resident.tap_chip("同意する")
    assert "母が認知症です。\n夜も目が離せません。（写真1枚）" in resident.last_text()
    resident.tap_chip("送信する")
    record = the_record(app)
    assert record["details"] == "母が認知症です。\n夜も目が離せません。"
    assert [(phase, kind) for phase, kind, _ in record["thread"]] == [("details", "text"), ("details", "image"),
                                                                      ("details", "text")]
    assert record["photos"] == [("stored", JPEG)]


def test_a_photo_that_line_cannot_give_at_first_is_fetched_on_a_retry(app, chat, line):
    resident = start(chat)
    answer_until(resident, "details")
    line.set_content("7002", JPEG, "image/jpeg")
    line.inject_failures("/content", 500, 503)
    send_image(resident, "7002")
    with db(app).transaction() as session:
        photo = session.scalars(select(IntakeAttachment)).one()
        assert (photo.status, photo.attempts, photo.content) == ("stored", 2, JPEG)


def test_a_photo_line_keeps_refusing_is_given_up_after_the_configured_attempts(make_app, line):
    app = make_app(PHOTO_FETCH_MAX_ATTEMPTS=2)

    def chat(user_id: str = "U" + "a" * 32) -> Chat:
        line.set_profile(user_id, "山田花子", "ja")
        return Chat(app.test_client(), line, Worker(app), user_id, CHANNEL_SECRET)

    resident = start(chat)
    answer_until(resident, "details")
    line.set_content("7003", JPEG, "image/jpeg")
    line.inject_failures("/content", *[503] * 10)
    send_image(resident, "7003")
    with db(app).transaction() as session:
        photo = session.scalars(select(IntakeAttachment)).one()
        assert (photo.status, photo.attempts, photo.content) == (IntakeAttachment.UNAVAILABLE, 2, None)


def test_a_photo_dropped_while_changing_the_details_is_not_kept(app, chat, line):
    resident = start(chat)
    answer_until(resident, "confirm")
    resident.tap_chip("変更：詳しく")
    line.set_content("7010", JPEG, "image/jpeg")
    send_image(resident, "7010")
    resident.tap_chip("戻る")  # changed their mind: the details as they were
    assert "（写真" not in resident.last_text()
    resident.tap_chip("送信する")
    assert the_record(app)["photos"] == []
    with db(app).transaction() as session:
        assert session.scalars(select(IntakeAttachment)).all() == []


def test_details_can_be_skipped_or_rewritten(app, chat):
    resident = start(chat)
    answer_until(resident, "details")
    resident.says("まちがえて送りました")
    resident.tap_chip("消して書き直す")
    assert resident.chips()[0] == "書かずに次へ"
    resident.tap_chip("書かずに次へ")
    answer_until(resident, "consent", start="urgency")
    resident.tap_chip("同意する")
    assert "・詳しい内容：（なし）" in resident.last_text()


def test_words_with_hajime_inside_the_consultation_are_the_residents_not_a_menu_request(app, chat):
    resident = start(chat)
    answer_until(resident, "details")
    resident.says("はじめまして")
    assert "受け取りました（1件）" in resident.last_text()
    resident.says("最初は母が")
    assert "受け取りました（2件）" in resident.last_text()


# -- 戻る, やめる, メニュー, resume, expiry ----------------------------------------------------------------


def test_back_goes_one_step_back_with_the_earlier_answer_kept(app, chat):
    resident = start(chat)
    answer_until(resident, "area")
    resident.tap_chip("戻る")
    assert "1. 介護・高齢 ✓" in resident.last_text()
    assert "4. お金・生活の困りごと ✓" in resident.last_text()
    resident.says("戻る")
    assert "その方のお名前" in resident.last_text()
    resident.says("戻る")
    assert "あなたは、その方の何にあたりますか" in resident.last_text()
    resident.says("戻る")
    assert "どなたのことでのご相談ですか" in resident.last_text()
    resident.says("もどる")
    assert "これが最初の質問です" in resident.last_text()
    resident.tap_chip("家族")
    resident.tap_chip("子ども")
    resident.says("山田ハナ")
    resident.tap_chip("次へ")  # the categories chosen before are still there
    assert "お住まいの地区" in resident.last_text()


def test_back_from_the_time_question_returns_to_the_phone_number(app, chat):
    resident = start(chat)
    answer_until(resident, "times")
    resident.tap_chip("戻る")
    assert "お電話番号を送ってください" in resident.last_text()
    assert resident.chips()[0] == "090-1234-5678でよい"
    resident.tap_chip("090-1234-5678でよい")
    assert "連絡のつきやすい時間帯" in resident.last_text()


@pytest.mark.parametrize("how", ["typed", "chip"])
def test_cancel_deletes_the_draft_with_its_photos(app, chat, line, how):
    resident = start(chat)
    answer_until(resident, "details")
    line.set_content("7003", JPEG, "image/jpeg")
    send_image(resident, "7003")
    resident.says("内緒の話です")
    if how == "typed":
        resident.says("やめる")
    else:
        resident.tap_chip("やめる")
    said = texts(resident.new_messages())
    assert "入力された内容は削除しました" in said and "中止しました" in said
    conversation = intake_conversation(app)
    assert (conversation.end_reason, conversation.data) == ("cancelled", {})
    with db(app).transaction() as session:
        assert session.scalars(select(IntakeAttachment)).all() == []
    assert record_count(app) == 0
    resident.tap_chip("相談する")
    assert "入力の途中の相談があります" not in resident.last_text()


def test_menu_leaves_the_flow_and_the_draft_is_offered_again_later(app, chat):
    resident = start(chat)
    answer_until(resident, "urgency")
    resident.says("メニュー")
    said = texts(resident.new_messages())
    assert "24時間保存します" in said and "ご用件を選んでください" in said
    assert intake_conversation(app).end_reason == "left"
    resident.tap_chip("相談する")
    assert "入力の途中の相談があります" in resident.last_text()
    resident.tap_chip("続きから")
    assert "どのくらい急ぎますか" in resident.last_text()
    answer_until(resident, start="urgency")
    record = the_record(app)
    assert (record["subject"], record["area"], record["details"]) == ("family", "onahama", STORY)


def test_another_menu_item_keeps_the_draft_for_later(app, chat):
    resident = start(chat)
    answer_until(resident, "area")
    resident.taps("menu:language")
    resident.taps("language:set:ja")
    resident.says("こんにちは")  # no flow now: the unfinished consultation is offered
    assert "入力の途中の相談があります" in resident.last_text()
    resident.says("続き")
    assert "お住まいの地区" in resident.last_text()


def test_a_resident_back_after_a_long_pause_is_offered_to_continue_or_start_over(app, chat):
    resident = start(chat)
    answer_until(resident, "area")
    age_conversation(app, timedelta(hours=3))
    resident.says("こんにちは")
    assert "入力の途中の相談があります" in resident.last_text()
    assert resident.chips() == ["続きから", "最初から", "やめる"]
    resident.tap_chip("最初から")
    assert "どなたのことでのご相談ですか" in resident.last_text()
    resident.tap_chip("自分")
    assert "✓" not in "".join(resident.chips())  # the earlier answers are gone


def test_an_answer_after_a_long_pause_is_simply_taken(app, chat):
    resident = start(chat)
    answer_until(resident, "area")
    age_conversation(app, timedelta(hours=3))
    resident.says("小名浜")
    assert "困っていることを" in resident.last_text()


def test_a_draft_expires_after_24_hours_and_the_resident_is_told_once(app, chat):
    resident = start(chat)
    answer_until(resident, "area")
    age_conversation(app, timedelta(hours=25))
    resident.says("小名浜")
    assert "24時間たったため削除しました" in resident.last_text()
    assert resident.chips()[0] == "相談をはじめる"
    assert intake_conversation(app).data == {}
    resident.tap_chip("相談をはじめる")
    assert "24時間" not in resident.last_text()
    assert "どなたのことでのご相談ですか" in resident.last_text()


def test_the_worker_deletes_expired_drafts_even_if_the_resident_never_returns(app, chat):
    resident = start(chat)
    answer_until(resident, "urgency")
    age_conversation(app, timedelta(hours=25))
    assert purge_intake_drafts_now(app.extensions["tsunagu"]) == 1
    conversation = intake_conversation(app)
    assert (conversation.data, conversation.end_reason) == ({"expired_untold": True}, "purged")  # no answers kept
    resident.taps("menu:consult")
    assert "前回、入力の途中だった相談は、24時間たったため削除しました" in resident.last_text()


def test_a_draft_without_answers_expires_silently(app, chat):
    resident = start(chat)  # tapped 相談する and answered nothing
    age_conversation(app, timedelta(hours=25))
    purge_intake_drafts_now(app.extensions["tsunagu"])
    resident.taps("menu:consult")
    assert "24時間" not in resident.last_text()


# -- consent and the summary ---------------------------------------------------------------------------


def test_consent_explains_purpose_who_sees_and_retention(app, chat):
    resident = start(chat)
    answer_until(resident, "consent")
    consent = resident.last_text()
    assert "支援におつなぎするためだけに使います" in consent and "見るのは担当の" in consent
    assert "相談が終わってから5年で、あなたが分かる情報を消します" in consent
    assert resident.chips() == ["同意する", "同意しない", "詳しく", "戻る", "やめる"]
    resident.tap_chip("詳しく")  # the whole text, with the same answers under it
    consent = resident.last_text()
    assert "目的：" in consent and "見る人：" in consent and "保存：相談が終わってから5年間" in consent
    assert resident.chips() == ["同意する", "同意しない", "戻る", "やめる"]


def test_declining_consent_creates_nothing_and_gives_the_centres_phone(app, chat):
    resident = start(chat)
    answer_until(resident, "consent")
    resident.tap_chip("同意しない")
    answer = resident.last_text()
    assert "相談の記録は作らず、入力された内容は削除しました" in answer
    assert "小名浜地区保健福祉センター\n☎ 0246-22-1111（平日 8:30〜17:15）" in answer
    assert record_count(app) == 0
    conversation = intake_conversation(app)
    assert conversation.data == {} and conversation.ended_at is not None


def test_one_answer_is_changed_from_the_summary_and_the_summary_comes_back(app, chat):
    resident = start(chat)
    answer_until(resident, "confirm")
    assert "・地区：小名浜（担当：小名浜地区保健福祉センター）" in resident.last_text()
    resident.tap_chip("変更：地区")
    resident.tap_chip("平")
    assert "・地区：平（担当：平地区保健福祉センター）" in resident.last_text()
    assert "・急ぎ：数日以内" in resident.last_text()  # the other answers are untouched
    resident.tap_chip("変更：急ぎ")
    resident.tap_chip("戻る")  # changed their mind: the summary, unchanged
    assert "・急ぎ：数日以内" in resident.last_text()
    resident.says("連絡方法を変えたい")
    resident.tap_chip("LINEで")
    assert "・連絡方法：LINEで" in resident.last_text()
    resident.tap_chip("変更：連絡方法")
    resident.tap_chip("会って話したい")  # the time given earlier still holds
    assert "・連絡の時間帯：平日の午前" in resident.last_text()
    resident.tap_chip("変更：時間帯")
    resident.says("水曜の10時以降")
    assert "・連絡の時間帯：水曜の10時以降" in resident.last_text()
    resident.tap_chip("送信する")
    record = the_record(app)
    assert (record["centre"], record["contact"], record["phone"], record["times"]) == ("taira", "meet", None, "水曜の10時以降")


def test_changing_to_phone_from_the_summary_asks_for_the_number(app, chat):
    resident = start(chat)
    for step, act in HAPPY_PATH:
        if step == "contact":
            resident.tap_chip("LINEで")
            resident.tap_chip("同意する")
            break
        act(resident)
    resident.tap_chip("変更：連絡方法")
    resident.tap_chip("電話で")
    resident.says("0246-22-1111")
    assert "連絡のつきやすい時間帯" in resident.last_text()
    resident.tap_chip("平日の午後")
    assert "・連絡方法：電話で（0246-22-1111）" in resident.last_text()  # a landline grouped too


def test_more_words_at_the_summary_are_added_to_the_details(app, chat):
    resident = start(chat)
    answer_until(resident, "confirm")
    resident.says("それと、父も最近物忘れがひどくなってきました。")
    assert "詳しい内容に追加しました" in resident.last_text()
    resident.tap_chip("送信する")
    assert the_record(app)["details"].endswith("父も最近物忘れがひどくなってきました。")


def test_tapping_send_twice_makes_one_record(app, chat):
    resident = start(chat)
    answer_until(resident, "confirm")
    resident.tap_chip("送信する")
    receipt = the_record(app)["receipt"]
    resident.taps("intake:submit")
    assert f"このご相談は受付済みです（受付番号 {receipt}）" in resident.last_text()
    assert record_count(app) == 1


# -- unexpected input ------------------------------------------------------------------------------------


def test_a_sticker_gets_a_hint_and_the_same_choices(app, chat):
    resident = start(chat)
    resident.tap_chip("自分")
    before = resident.chips()
    send_sticker(resident)
    assert "当てはまるものを押すか" in resident.last_text()
    assert resident.chips() == before


def test_a_photo_sent_before_the_details_question_is_kept_with_the_consultation(app, chat, line):
    resident = start(chat)
    answer_until(resident, "area")
    area_chips = resident.chips()
    line.set_content("7004", JPEG, "image/jpeg")
    line.inject_failures("/content", 503)  # fetched from LINE: refused once, then given
    send_image(resident, "7004")
    reply = resident.last_text()
    assert reply.startswith("写真を受け取りました。ご相談の内容に添えてお送りします。")
    assert "お住まいの地区を選んでください" in reply
    assert resident.chips() == area_chips
    with db(app).transaction() as session:
        photo = session.scalars(select(IntakeAttachment)).one()
        assert (photo.status, photo.attempts, photo.content, photo.record_id) == ("stored", 1, JPEG, None)
    answer_until(resident, "consent", start="area")
    resident.tap_chip("同意する")
    assert f"・詳しい内容：{STORY}（写真1枚）" in resident.last_text()
    resident.tap_chip("送信する")
    record = the_record(app)
    assert record["photos"] == [("stored", JPEG)]
    assert [(phase, kind) for phase, kind, _ in record["thread"]] == [("details", "image"), ("details", "text")]


def test_a_photo_at_the_summary_is_kept_and_only_the_choice_asked_again(app, chat, line):
    resident = start(chat)
    answer_until(resident, "confirm")
    chips = resident.chips()
    line.set_content("7006", JPEG, "image/jpeg")
    send_image(resident, "7006")
    assert resident.last_text() == ("写真を受け取りました。ご相談の内容に添えてお送りします。\n\n"
                                    "「送信する」か、変えたい項目の「変更」を押してください。")
    assert resident.chips() == chips
    resident.tap_chip("変更：地区")
    line.set_content("7007", JPEG, "image/jpeg")
    send_image(resident, "7007")
    resident.tap_chip("戻る")  # the change is undone, the photo stays
    assert "（写真2枚）" in resident.last_text()
    resident.tap_chip("送信する")
    assert the_record(app)["photos"] == [("stored", JPEG), ("stored", JPEG)]


def test_photos_before_the_details_question_count_towards_the_limit(app, chat, line):
    resident = start(chat)
    ids = [str(7100 + n) for n in range(11)]
    for message_id in ids:
        line.set_content(message_id, JPEG, "image/jpeg")
        send_image(resident, message_id)
    assert "写真は10枚まで受け付けています。" in resident.last_text()
    assert resident.chips() == ["自分", "家族", "近所・知り合いの人", "やめる"]
    with db(app).transaction() as session:
        assert sorted(photo.line_message_id for photo in session.scalars(select(IntakeAttachment))) == ids[:10]


def test_a_video_at_any_question_is_declined_with_what_to_do_instead(app, chat, line):
    resident = start(chat)
    message = {"type": "video", "id": "7011", "duration": 1000, "contentProvider": {"type": "line"}, "quoteToken": "q"}
    resident.send("message", message=message)
    # Photos are taken at any question now: saying "send photos at the details" would mislead.
    assert "写真のほかは受け取れません。" in resident.last_text()
    assert "「詳しい内容」" not in resident.last_text()
    assert resident.chips() == ["自分", "家族", "近所・知り合いの人", "やめる"]
    with db(app).transaction() as session:
        assert session.scalars(select(IntakeAttachment)).all() == []


def test_free_text_where_a_choice_is_expected_gets_a_hint_and_the_same_choices(app, chat):
    resident = start(chat)
    answer_until(resident, "urgency")
    resident.says("りんご")
    assert "「今すぐ」「数日以内」「いつでもよい」から選んでください" in resident.last_text()
    assert resident.chips() == ["今すぐ連絡がほしい", "数日以内", "いつでもよい", "戻る", "やめる"]


def test_a_location_outside_the_area_question_gets_a_hint(app, chat):
    resident = start(chat)
    resident.shares_location(37.05, 140.88)
    assert "位置情報は、地区の質問のときに使えます" in resident.last_text()


def test_a_whole_story_at_the_first_question_is_kept_and_the_question_asked_again(app, chat):
    resident = start(chat)
    resident.says("実は最近、母の物忘れがひどくて、一人で買い物に行けなくなりました。")
    assert "お話を、相談の内容として受け取りました" in resident.last_text()
    resident.tap_chip("家族")
    resident.tap_chip("子ども")
    resident.tap_chip("わからない")
    resident.says("介護")
    resident.tap_chip("次へ")
    resident.tap_chip("小名浜")
    assert "（いま1件受け取っています）" in resident.last_text()


def test_a_message_that_reads_like_a_request_for_help_is_offered_a_consultation(app, chat):
    resident = chat()
    resident.follows()
    resident.says("母の介護で困っています")
    assert "ご相談としてお受けします" in resident.last_text()
    assert resident.chips() == ["はい、相談する", "いいえ"]
    resident.tap_chip("はい、相談する")
    assert "お話を、相談の内容として受け取りました" in resident.last_text()
    answer_until(resident, "details")
    resident.tap_chip("次へ")
    answer_until(resident, "consent", start="urgency")
    resident.tap_chip("同意する")
    resident.tap_chip("送信する")
    assert the_record(app)["details"] == "母の介護で困っています"


def test_declining_the_offer_deletes_what_was_written(app, chat):
    resident = chat()
    resident.follows()
    resident.says("借金があって夜も眠れません。どうしたらいいかわかりません")
    resident.tap_chip("いいえ")
    assert "書いてくださった内容は削除しました" in resident.last_text()
    assert intake_conversation(app).data == {}


def test_a_greeting_is_not_mistaken_for_a_request_for_help(app, chat):
    resident = chat()
    resident.follows()
    resident.says("こんにちは")
    assert "ご相談としてお受けします" not in resident.last_text()


# -- safety first ----------------------------------------------------------------------------------------


def test_a_crisis_message_mid_flow_gets_the_numbers_first_and_the_consultation_is_urgent(app, chat):
    resident = start(chat)
    answer_until(resident, "area")
    resident.says("もう死にたい")
    crisis, notice, question = resident.new_messages()
    assert crisis["text"].startswith("つらい気持ちを打ち明けてくださって")
    assert "救急・消防 ☎ 119" in crisis["text"]
    assert "いのちの電話（ナビダイヤル） ☎ 0570-783-556（10:00〜22:00）" in crisis["text"]
    assert "よりそいホットライン ☎ 0120-279-338" in crisis["text"]
    receipt = the_record(app)["receipt"]
    assert "緊急のご相談として" in notice["text"] and receipt in notice["text"]
    assert "お住まいの地区" in question["text"] and "相談の続きも" in question["text"]
    record = the_record(app)  # staff see it at once, before the resident finishes
    assert record["urgent"] and record["danger"] == ["suicide"]
    assert record["thread"] == [("danger", "text", "もう死にたい")]

    resident.tap_chip("小名浜")
    answer_until(resident, start="details")
    record = the_record(app)
    assert record["receipt"] == receipt and record_count(app) == 1
    assert record["urgent"] and record["legal_basis"] == "consent"
    assert "danger" in record["flags"] and "urgent" in record["flags"]
    assert "急ぎのご相談として" in resident.last_text()


def test_the_receipt_says_plainly_when_the_crisis_notices_desk_hands_over_to_the_areas(app, chat):
    resident = start(chat)
    answer_until(resident, "area")
    resident.says("もう死にたい")
    _crisis, notice, _question = resident.new_messages()
    told = re.search(r"緊急のご相談として(.+?)にお伝えしました", notice["text"]).group(1)
    resident.tap_chip("小名浜")
    answer_until(resident, start="details")
    receipt = resident.last_reply_text()
    desk = re.search(r"担当：(.+)", receipt).group(1)
    assert desk != told  # no area yet: the coordinator's desk; then 小名浜's centre takes the record
    assert f"先ほどの緊急のメッセージは{told}にお伝えしました。地区が分かったため、このご相談は{desk}が担当します。" in receipt


def test_a_crisis_after_the_area_is_answered_names_the_areas_desk_as_the_receipt_does(app, chat):
    resident = start(chat)
    answer_until(resident, "urgency")  # the area is chosen and the details given
    resident.says("もう死にたい")
    _crisis, notice, *_rest = resident.new_messages()
    told = re.search(r"緊急のご相談として(.+?)にお伝えしました", notice["text"]).group(1)
    answer_until(resident, start="urgency")
    receipt = resident.last_reply_text()
    assert re.search(r"担当：(.+)", receipt).group(1) == told
    assert "先ほどの緊急のメッセージは" not in receipt


def test_a_crisis_in_a_new_consultation_becomes_that_consultations_urgent_record(app, chat):
    resident = start(chat)
    answer_until(resident)
    first = the_record(app)["receipt"]
    resident.tap_chip("相談する")
    answer_until(resident, "area")
    resident.says("もう死にたい")
    _crisis, notice, _question = resident.new_messages()
    # The signal belongs to the consultation being written, not to the earlier one (maybe another centre's).
    assert "緊急のご相談として" in notice["text"] and first not in notice["text"]
    with db(app).transaction() as session:
        earlier, urgent = session.scalars(select(IntakeRecord).order_by(IntakeRecord.id)).all()
        assert not earlier.urgent and urgent.urgent and urgent.receipt_number in notice["text"]


def test_a_crisis_in_the_details_is_also_kept_as_details(app, chat):
    resident = start(chat)
    answer_until(resident, "details")
    resident.says("夫に殴られて、家に帰れません")
    crisis, notice, ack = resident.new_messages()
    assert "DV相談＋（プラス） ☎ 0120-279-889" in crisis["text"] and "警察 ☎ 110" in crisis["text"]
    assert "受け取りました（1件）" in ack["text"]


def test_a_crisis_without_any_flow_makes_a_minimal_urgent_record_and_later_words_join_it(app, chat):
    resident = chat()
    resident.follows()
    resident.new_messages()
    resident.says("父が倒れて意識がありません")
    crisis, notice = resident.new_messages()
    assert crisis["text"].startswith("人が倒れている、意識や呼吸がおかしいときは、すぐに119番")
    record = the_record(app)
    assert record["source"] == "danger_signal" and record["legal_basis"] == "vital_interest" and record["urgent"]
    assert record["receipt"] in notice["text"] and "保健福祉課" in notice["text"]
    resident.says("救急車が来ました")  # still a signal: the same record, not a new one
    resident.says("いま病院にいます")
    assert record_count(app) == 1
    assert [text for _, _, text in the_record(app)["thread"]] == ["父が倒れて意識がありません", "救急車が来ました", "いま病院にいます"]


def test_a_crisis_during_another_flow_ends_it_and_the_next_words_join_the_urgent_record(app, chat):
    resident = chat()
    resident.follows()
    resident.taps("menu:language")
    resident.new_messages()
    resident.says("子どもを叩いてしまいます")
    crisis, notice = resident.new_messages()
    assert "189" in crisis["text"] and "途中だった操作は、いったん終わりにしました。" in notice["text"]
    assert the_record(app)["danger"] == ["child_abuse"]
    resident.says("どうしたらいいか分かりません")
    assert the_record(app)["thread"][-1] == ("thread", "text", "どうしたらいいか分かりません")
    assert "受け取りました" in resident.last_text()


# -- after submitting: thread, status, withdraw, unsend ----------------------------------------------------


def test_messages_after_submitting_join_the_record_for_staff(app, chat, line):
    resident = start(chat)
    answer_until(resident)
    resident.says("明日の午後なら家にいます")
    (ack,) = resident.new_messages()
    receipt = the_record(app)["receipt"]
    assert ack["text"] == f"受け取りました。受付番号 {receipt} のご相談として、小名浜地区保健福祉センターの担当者に届けました。"
    line.set_content("7005", JPEG, "image/jpeg")
    send_image(resident, "7005")
    assert resident.new_messages() == []  # a moment later: the acknowledgement covers it
    record = the_record(app)
    assert record["thread"][-2:] == [("thread", "text", "明日の午後なら家にいます"), ("thread", "image", None)]
    assert record["photos"] == [("stored", JPEG)]


def test_a_resident_whose_record_was_made_elsewhere_is_told_once_that_messages_reach_staff(app, chat):
    resident = chat()
    resident.follows()
    with db(app).transaction() as session:  # e.g. by the admin view, from a phone call
        someone = ResidentService(session).get_or_create(resident.user_id)
        answers = Answers(subject="self", categories=["work"], area_code="taira", urgency="days", contact_method="line")
        record = IntakeService(session, app.extensions["tsunagu"].profile).submit(someone, answers, consent_at=utcnow())
        receipt = record.receipt_number
    resident.new_messages()
    resident.says("明日は一日家にいます")
    notice = resident.last_text()
    assert f"受付番号 {receipt} のご相談として平地区保健福祉センターに届きました" in notice
    resident.says("よろしくお願いします")
    assert resident.last_text() == notice  # not repeated, and not a second answer right after it


def test_a_closed_record_takes_no_more_messages(app, chat):
    resident = start(chat)
    answer_until(resident)
    with db(app).transaction() as session:
        session.scalars(select(IntakeRecord)).one().status = RecordStatus.CLOSED
    resident.says("ありがとうございました")
    assert resident.last_text() == "どういたしまして。またいつでも声をかけてください。"  # a kind word, not "not understood"
    assert the_record(app)["thread"][-1][2] != "ありがとうございました"


def test_the_status_lists_each_record_plainly_and_one_can_be_withdrawn(app, chat):
    resident = start(chat)
    answer_until(resident)
    receipt = the_record(app)["receipt"]
    resident.tap_chip("相談の状況")
    listing = resident.last_text()
    assert f"受付番号：{receipt}" in listing
    assert "担当：小名浜地区保健福祉センター" in listing and "状況：受付済み" in listing
    assert "受付日：" in listing
    resident.says("この件で追加です")  # the list asks nothing: words go to the record as usual
    assert the_record(app)["thread"][-1][2] == "この件で追加です"
    resident.taps("status:withdraw")
    assert f"受付番号 {receipt}（小名浜地区保健福祉センター）のご相談を取り下げますか" in resident.last_text()
    resident.tap_chip("いいえ")
    assert the_record(app)["status"] == "new"
    resident.taps("status:withdraw")
    resident.tap_chip("はい、取り下げる")
    assert f"受付番号 {receipt} のご相談を取り下げました" in resident.last_text()
    assert the_record(app)["status"] == "withdrawn"
    resident.says("相談の状況")
    assert "状況：取り下げ済み" in resident.last_text()
    assert "取り下げたい" not in resident.chips()


def test_with_several_open_records_the_resident_picks_which_to_withdraw(app, chat):
    resident = start(chat)
    answer_until(resident)
    resident.tap_chip("相談する")
    answer_until(resident)
    with db(app).transaction() as session:
        first, second = [r.receipt_number for r in session.scalars(select(IntakeRecord).order_by(IntakeRecord.id))]
    resident.says("相談の状況")
    resident.tap_chip("取り下げたい")
    assert resident.chips() == [second, first, "戻る"]
    resident.says(first[-3:])  # the last digits are enough
    resident.says("はい")
    with db(app).transaction() as session:
        statuses = [r.status for r in session.scalars(select(IntakeRecord).order_by(IntakeRecord.id))]
    assert statuses == ["withdrawn", "new"]


def test_the_rich_menu_and_typed_words_open_the_status(app, chat):
    resident = start(chat)
    answer_until(resident)
    resident.taps("menu:status")  # the rich menu's 相談の状況 tile
    assert "状況：受付済み" in resident.last_text()
    resident.says("取り下げたい")
    assert "状況：受付済み" in resident.last_text() and "取り下げたい" in resident.chips()


def test_no_records_yet(app, chat):
    resident = chat()
    resident.follows()
    resident.says("相談の状況")
    assert "まだご相談の記録はありません" in resident.last_text()


def test_unsending_removes_the_words_from_the_draft_and_from_the_record(app, chat):
    resident = start(chat)
    answer_until(resident, "details")
    taken_back = resident.says("やっぱり書かない方がよかった")["message"]["id"]
    resident.send("unsend", unsend={"messageId": taken_back})
    assert intake_conversation(app).data["details"] == []
    resident.tap_chip("次へ")  # the chips under the last answer are still there
    answer_until(resident, start="urgency")
    later = resident.says("この話は取り消します")["message"]["id"]
    resident.send("unsend", unsend={"messageId": later})
    assert the_record(app)["thread"] == [("thread", "unsent", None)]


# -- robustness: restarts, concurrency, privacy -----------------------------------------------------------


def test_a_new_worker_process_continues_the_conversation(app, make_app, chat, line):
    resident = start(chat)
    answer_until(resident, "area")
    app.extensions["tsunagu"].db.dispose()  # the old process is gone
    restarted = make_app()
    again = Chat(restarted.test_client(), line, Worker(restarted), resident.user_id, CHANNEL_SECRET)
    again.says("小名浜")
    assert "困っていることを" in again.last_text()
    answer_until(again, start="details")
    assert the_record(restarted)["area"] == "onahama"


def test_two_messages_of_one_resident_handled_at_once_by_two_workers_are_both_kept_in_order(app, make_app, chat):
    resident = start(chat)
    answer_until(resident, "details")
    second_process = make_app()
    resident.says("一通目：母のことです", drain=False)
    resident.says("二通目：父のこともです", drain=False)
    workers = [Worker(app), Worker(second_process)]
    errors = []

    def run(worker):
        try:
            worker.drain()
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(worker,)) for worker in workers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    Worker(app).drain()
    details = intake_conversation(app).data["details"]
    assert [item["text"] for item in details] == ["一通目：母のことです", "二通目：父のこともです"]
    replies = [message["text"].split("。")[0] for message in resident.new_messages()]
    assert replies == ["受け取りました（1件）", "受け取りました（2件）"]  # one answer each, in order


def test_what_residents_wrote_is_never_logged_nor_left_in_the_inbox(app, chat, caplog):
    caplog.set_level(logging.DEBUG)
    resident = start(chat)
    answer_until(resident)
    resident.says("もう一つ、借金の督促状が届いています")
    assert "督促状" not in caplog.text and "仕事を休みがち" not in caplog.text and "09012345678" not in caplog.text
    with db(app).transaction() as session:
        payloads = str(session.scalars(select(InboxEvent.payload)).all())
    assert "仕事を休みがち" not in payloads and "督促状" not in payloads and "090-1234-5678" not in payloads


def test_every_message_fits_lines_limits(app, chat, line):
    resident = start(chat)
    answer_until(resident)
    assert line.violations == []
    for message in line.messages_to(resident.user_id):
        assert len(chips_of(message)) <= 13
        assert all(len(label) <= 20 for label in chips_of(message))


def test_a_resident_who_reads_english_consults_in_english(app, chat, line):
    if translations("en").gettext("どなたのことでのご相談ですか？") == "どなたのことでのご相談ですか？":
        pytest.skip("the English catalog does not have the consultation texts yet: run scripts/i18n.py update")
    resident = chat(user_id="U" + "e" * 32, language="en")
    resident.follows()
    resident.taps("menu:consult")
    assert "Who is this consultation about?" in resident.last_reply_text()
    resident.tap_chip("Family")
    resident.tap_chip("Their child")
    resident.says("Hana Yamada")
    assert "1. Elderly care" in resident.last_reply_text()  # the button's short name
    assert resident.chips()[:2] == ["Elderly care", "Disability"]  # the profile's short label: 20 characters at most
    resident.tap_chip("Elderly care")
    resident.tap_chip("Next")
    resident.tap_chip("Onahama 小名浜")  # the translation, and the Japanese name on signs
    resident.says("My mother has dementia.")
    resident.tap_chip("Next")
    resident.tap_chip("Contact me now")
    resident.tap_chip("By phone")
    resident.says("090-1234-5678")
    resident.tap_chip("No, Japanese is fine")
    resident.tap_chip("Weekday mornings")
    assert "About your personal information" in resident.last_reply_text()
    resident.tap_chip("I agree")
    assert "・Contact: By phone (090-1234-5678)" in resident.last_reply_text()
    resident.tap_chip("Send")
    assert "Receipt number: IW-" in resident.last_reply_text()
    assert line.violations == []
    record = the_record(app)
    assert (record["categories"], record["times"]) == (["elderly"], "平日の午前")  # the slot's msgid: staff read it in their language


def test_a_draft_holds_the_answer_keys_the_service_knows(app, chat, line):
    resident = start(chat)
    answer_until(resident, "confirm")
    data = intake_conversation(app).data
    # What the resident answered is what the service reads (resuming a draft) and 戻る restores.
    # Asked only of some residents: whether contact is safe (DV), an interpreter, signs of a collapse.
    assert set(data) - {"consent_at", "consent_version"} == set(DRAFT_ANSWER_KEYS) - {
        "safe_contact", "interpreter", "welfare_check"}
