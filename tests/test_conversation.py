"""A resident's first conversation: greeting, menu, language, and never silence."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from bot.models import Conversation, Resident, utcnow
from tests.support import Chat, Worker


def resident(app, user_id: str) -> Resident:  # noqa: ANN001
    with app.extensions["tsunagu"].db.transaction() as session:
        return session.scalars(select(Resident).where(Resident.line_user_id == user_id)).one()


def test_follow_stores_the_profile_and_greets_by_name_with_the_menu(chat, app):
    hanako = chat(display_name="山田花子")
    hanako.follows()
    assert hanako.last_text().startswith("山田花子さん、友だち追加ありがとうございます。")
    assert "いわき市" in hanako.last_text()
    assert hanako.chips() == ["相談する", "イベント・サロン", "申込の確認", "言語/Language"]
    stored = resident(app, hanako.user_id)
    assert stored.display_name == "山田花子"
    assert stored.is_following and stored.locale == "ja"


def test_a_resident_whose_phone_is_in_english_is_greeted_in_english(chat):
    john = chat(user_id="U" + "e" * 32, display_name="John", language="en")
    john.follows()
    assert john.last_text().startswith("Thank you for adding us, John.")
    assert john.chips()[0] == "Consult"


def test_greeting_still_comes_when_the_profile_lookup_fails(chat, line):
    hanako = chat()
    line.inject_failures(f"/profile/{hanako.user_id}", 500)
    hanako.follows()
    assert hanako.last_text().startswith("友だち追加ありがとうございます。")


def test_block_then_unblock_marks_the_resident_and_welcomes_them_back(chat, app):
    hanako = chat()
    hanako.follows()
    hanako.send("unfollow", reply=False)
    assert resident(app, hanako.user_id).is_blocked
    hanako.new_messages()
    hanako.send("follow", follow={"isUnblocked": True})
    assert not resident(app, hanako.user_id).is_blocked
    [welcome] = hanako.new_messages()  # one short bubble, not the new friend's greeting
    assert welcome["text"] == "山田花子さん、おかえりなさい。\nご用件があれば、下のボタンから選んでください。"
    assert "友だち追加" not in welcome["text"]
    assert hanako.chips()[0] == "相談する"


def test_a_resident_who_unblocks_in_english_is_welcomed_back_in_english(chat, app):
    john = chat(user_id="U" + "e" * 32, display_name="John", language="en")
    john.follows()
    john.send("unfollow", reply=False)
    john.send("follow", follow={"isUnblocked": False})  # even when LINE leaves the flag out: we know them
    assert john.last_text() == "Welcome back, John.\nIf there is anything we can do, please choose below."


def test_resident_switches_the_language_and_the_bot_answers_in_it(chat, app):
    hanako = chat()
    hanako.follows()
    hanako.tap_chip("言語/Language")
    assert "Which language" in hanako.last_text()
    assert hanako.chips() == ["日本語", "やさしい日本語", "English", "简体中文", "Tiếng Việt"]
    hanako.tap_chip("English")
    assert hanako.last_text() == "The display language is now English."
    assert resident(app, hanako.user_id).locale == "en"
    hanako.says("hello there")
    assert "Sorry, I could not understand that." in hanako.last_text()


def test_language_can_be_chosen_by_typing(chat, app):
    hanako = chat()
    hanako.follows()
    hanako.says("言語")
    hanako.says("ＥＮＧＬＩＳＨ")  # full-width, as some phones type it
    assert resident(app, hanako.user_id).locale == "en"


def test_unexpected_answer_repeats_the_question(chat):
    hanako = chat()
    hanako.follows()
    hanako.tap_chip("言語/Language")
    hanako.says("フランス語")
    assert "Which language" in hanako.last_text()


def test_cancel_ends_the_flow_and_offers_the_menu(chat, app):
    hanako = chat()
    hanako.follows()
    hanako.tap_chip("言語/Language")
    hanako.says("やめる")
    assert hanako.last_text().startswith("中止しました。")
    assert "相談する" in hanako.chips()
    with app.extensions["tsunagu"].db.transaction() as session:
        assert session.scalars(select(Conversation.end_reason)).one() == "cancelled"


def test_text_that_matches_nothing_gets_help_and_the_menu(chat):
    hanako = chat()
    hanako.says("あいうえお")
    assert hanako.last_text().startswith("すみません、うまく読み取れませんでした。")
    assert "相談する" in hanako.chips()


def test_every_kind_of_message_gets_an_answer(chat, line):
    hanako = chat()
    hanako.send("message", message={"type": "sticker", "id": "1", "packageId": "446", "stickerId": "1988",
                                         "stickerResourceType": "STATIC", "quoteToken": "q"})
    assert "スタンプ" in hanako.last_text()
    for kind in ("image", "video", "audio"):
        hanako.send("message", message={"type": kind, "id": "2", "quoteToken": "q",
                                             "contentProvider": {"type": "line"}, "duration": 1000})
        assert "受け取りました" in hanako.last_text()
    hanako.send("message", message={"type": "file", "id": "3", "fileName": "a.pdf", "fileSize": 10})
    assert "受け取りました" in hanako.last_text()
    hanako.shares_location(36.9455, 140.9059, "小名浜港")
    assert "小名浜地区保健福祉センター" in hanako.last_text()


def test_a_button_from_an_old_message_explains_itself(chat):
    hanako = chat()
    hanako.taps("language:set:en")  # no language conversation is active
    assert "このボタンの受付は終了しています" in hanako.last_text()


def test_conversation_survives_a_restart_of_the_worker(make_app, client, line):
    first = make_app()
    hanako = Chat(first.test_client(), line, Worker(first), "U" + "b" * 32, "test-channel-secret")
    line.set_profile(hanako.user_id, "山田花子", "ja")
    hanako.follows()
    hanako.tap_chip("言語/Language")
    # A new process on the same database carries on where the old one stopped.
    second = make_app()
    hanako.client, hanako.worker = second.test_client(), Worker(second)
    hanako.tap_chip("English")
    assert hanako.last_text() == "The display language is now English."


def test_an_expired_conversation_is_not_resumed(chat, app):
    hanako = chat()
    hanako.follows()
    hanako.tap_chip("言語/Language")
    with app.extensions["tsunagu"].db.transaction() as session:
        conversation = session.scalars(select(Conversation)).one()
        conversation.expires_at = utcnow() - timedelta(minutes=1)
    hanako.says("English")  # now means "the language menu item", not an answer
    assert "Which language" in hanako.last_text() or "どの言語" in hanako.last_text()
    with app.extensions["tsunagu"].db.transaction() as session:
        reasons = session.scalars(select(Conversation.end_reason).order_by(Conversation.id)).all()
    assert reasons[0] == "expired"


def test_a_location_off_the_globe_is_asked_again_not_measured(chat):
    # No phone sends these, but a forged or broken client might: never a crash, never a made-up centre.
    hanako = chat()
    hanako.shares_location(999.0, 140.9)
    assert "うまく読み取れませんでした" in hanako.last_text()
    hanako.shares_location(36.9455, 181.0)
    assert "うまく読み取れませんでした" in hanako.last_text()
    assert all("センター" not in message.get("text", "") for message in hanako.messages())
