"""お知らせ設定 on LINE, and notices as residents receive them: opt-in, language, cards, sign-up, stop."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from bot.models import Resident
from bot.models.notices import NoticeOpen, NoticeSetting
from bot.tasks.notices import send_notice
from tests.events_support import buttons_in, create_event, flex_messages, texts_in, tsunagu_of
from tests.notices_support import compose, results

HANAKO = "U" + "a" * 32
TARO = "U" + "b" * 32
LAN = "U" + "c" * 32


def setting_of(app, user_id: str) -> NoticeSetting | None:  # noqa: ANN001
    with tsunagu_of(app).db.transaction() as session:
        resident = session.scalars(select(Resident).where(Resident.line_user_id == user_id)).one()
        return session.get(NoticeSetting, resident.id)


def send(app, worker, notice_id: int) -> None:  # noqa: ANN001
    with app.app_context():
        send_notice(notice_id)
    worker.drain()


def test_a_resident_opens_the_settings_by_typing_and_chooses_topics_and_a_parents_area(app, chat):
    hanako = chat(HANAKO)
    hanako.follows()

    hanako.says("おしらせせってい")
    assert "受け取りたいお知らせ" in hanako.last_text()
    assert "サロン・イベント" in hanako.chips() and "防災" in hanako.chips()
    hanako.tap_chip("サロン・イベント")
    assert "✓サロン・イベント" in hanako.chips()
    hanako.says("防災もお願いします")
    hanako.tap_chip("地区を選ぶ")
    hanako.tap_chip("次へ")
    hanako.tap_chip("小川")  # the parent's area, elsewhere in the city
    hanako.tap_chip("完了")

    setting = setting_of(app, HANAKO)
    assert (setting.topics, setting.areas, setting.stopped) == (["salons", "disaster"], ["ogawa"], False)
    assert "お知らせの設定を保存しました" in hanako.last_text()


def test_only_residents_who_opted_in_receive_a_notice_and_it_ends_with_how_to_stop(app, chat, line, worker):
    hanako, taro = chat(HANAKO), chat(TARO)
    for resident in (hanako, taro):
        resident.follows()
    hanako.says("通知の設定")
    hanako.tap_chip("サロン・イベント")
    hanako.tap_chip("完了")

    send(app, worker, compose(app))

    assert "小川でサロンを開きます。" in hanako.last_text()
    assert "「お知らせ設定」と送る" in hanako.last_text()
    assert hanako.chips() == ["お知らせ設定"]
    assert not any("サロンを開きます" in t for t in line.texts_to(TARO))


def test_essential_notices_reach_everyone_and_say_so(app, chat, worker):
    taro = chat(TARO)
    taro.follows()

    send(app, worker, compose(app, essential=True, title="避難所の開設", topic="disaster",
                              texts={"ja": "台風のため避難所を開きました。"}))

    assert taro.last_text().startswith("【重要なお知らせ】避難所の開設")


def test_stopping_takes_one_message_and_nothing_more_arrives(app, chat, line, worker):
    hanako = chat(HANAKO)
    hanako.follows()
    hanako.says("お知らせ")
    hanako.tap_chip("サロン・イベント")
    hanako.tap_chip("完了")

    hanako.says("お知らせを止めたい")
    assert "お知らせを止めました" in hanako.last_text()
    count = len(hanako.messages())
    send(app, worker, compose(app))

    assert setting_of(app, HANAKO).stopped is True
    assert len(hanako.messages()) == count


def test_a_notice_arrives_in_the_residents_language_with_the_fallback_to_easy_japanese(app, chat, worker):
    lan, taro = chat(LAN, "Lan", "vi"), chat(TARO, "太郎", "ja")
    for resident in (lan, taro):
        resident.follows()
        resident.says("お知らせ設定")
        resident.tap_chip(resident.chips()[0])
        resident.says("完了")

    send(app, worker, compose(app, texts={"ja": "サロンを開きます。", "vi": "Chúng tôi mở salon.",
                                          "ja_Hira": "さろんを ひらきます。"}))
    assert "Chúng tôi mở salon." in lan.last_text()
    send(app, worker, compose(app, title="体操", texts={"ja": "体操教室を開きます。", "ja_Hira": "たいそうを します。"}))
    assert "たいそうを します。" in lan.last_text()
    assert "体操教室を開きます。" in taro.last_text()


def test_an_event_notice_is_a_card_whose_button_opens_the_sign_up_and_is_counted(app, chat, worker):
    hanako = chat(HANAKO)
    hanako.follows()
    hanako.says("お知らせ設定")
    hanako.tap_chip("サロン・イベント")
    hanako.tap_chip("完了")
    event_id = create_event(app)

    notice_id = compose(app, event_id=event_id, image_url="https://example.jp/salon.jpg")
    send(app, worker, notice_id)

    [card] = flex_messages(hanako.messages()[-2:])
    assert "サロンのお知らせ" in texts_in(card["contents"])
    assert card["contents"]["hero"]["url"] == "https://example.jp/salon.jpg"
    hanako.taps(buttons_in(card["contents"])["申し込む"])
    assert "何名で参加されますか" in hanako.last_text()  # the events flow's own sign-up
    assert results(app, notice_id)["opened"] == 1
    assert results(app, notice_id)["delivered"] == 1


def test_a_forged_notice_button_is_answered_and_changes_nothing(app, chat):
    hanako = chat(HANAKO)
    hanako.follows()
    for data in ("notices:topic:nonsense", "notices:event:99999999999999999999999999999", "notices:event:x.y",
                 "notices:areapage:999", "notices:area:atlantis"):
        hanako.taps(data)
        assert hanako.last_text()
    setting = setting_of(app, HANAKO)
    assert setting is None or (setting.topics, setting.areas) == ([], [])
    with tsunagu_of(app).db.transaction() as session:
        assert session.scalars(select(NoticeOpen)).all() == []


@pytest.mark.parametrize("typed", ["お知らせ設定", "おしらせ", "通知の設定を変えたい", "おしらせの せってい", "Notice settings",
                                   "thông báo", "通知设置"])
def test_typed_words_open_the_settings(chat, typed):
    hanako = chat(HANAKO)
    hanako.follows()
    hanako.says(typed)
    assert any(label.endswith(("サロン・イベント", "Salons and events", "Salon và sự kiện", "沙龙和活动"))
               for label in hanako.chips())


@pytest.mark.parametrize("typed", ["お知らせを止めたい", "通知いらないです", "おしらせ とめて", "stop notifications"])
def test_typed_words_stop_notices_at_once(app, chat, typed):
    hanako = chat(HANAKO)
    hanako.follows()
    hanako.says(typed)
    assert setting_of(app, HANAKO).stopped is True


def test_a_denied_stop_does_not_stop_and_a_sentence_about_a_letter_is_not_the_settings(app, chat):
    hanako = chat(HANAKO)
    hanako.follows()
    hanako.says("お知らせは止めないでください")
    assert setting_of(app, HANAKO) is None
    hanako.says("市役所から届いたお知らせの書類が読めなくて困っています")
    assert "受け取りたいお知らせ" not in hanako.last_text()


def test_a_vietnamese_resident_reads_the_settings_and_the_footer_in_vietnamese(app, chat, worker):
    lan = chat(LAN, "Lan", "vi")
    lan.follows()
    lan.says("thông báo")
    assert "Hãy bấm loại thông báo" in lan.last_text()
    lan.tap_chip("Salon và sự kiện")
    lan.says("xong")  # 完了, typed

    send(app, worker, compose(app))

    assert "Để đổi hoặc dừng thông báo" in lan.last_text()
    assert lan.last_text().startswith("[Thông báo] サロンのお知らせ")  # no Vietnamese text: Japanese, labelled


def test_a_resident_who_blocks_after_a_notice_is_counted_in_its_results(app, chat, worker):
    hanako = chat(HANAKO)
    hanako.follows()
    hanako.says("お知らせ")
    hanako.tap_chip("サロン・イベント")
    notice_id = compose(app)
    send(app, worker, notice_id)

    hanako.send("unfollow", reply=False)

    assert results(app, notice_id)["blocked"] == 1
