"""After a receipt: every message a resident sends is answered, once per burst, and kept on the right record."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.handlers import dispatch
from bot.models import InboxEvent, OutboundMessage
from bot.models.intake import IntakeMessage, IntakeRecord
from tests.test_intake_flow import JPEG, answer_until, db, send_image, send_sticker, start


def thread_texts(app) -> list[str]:  # noqa: ANN001
    """What the resident sent after the consultation, on every record, in order (a photo as "image")."""
    with db(app).transaction() as session:
        return [m.text or m.kind for m in session.scalars(
            select(IntakeMessage).where(IntakeMessage.direction == IntakeMessage.FROM_RESIDENT,
                                        IntakeMessage.phase == IntakeMessage.THREAD).order_by(IntakeMessage.id))]


def receipt_of(app) -> str:  # noqa: ANN001
    with db(app).transaction() as session:
        return session.scalars(select(IntakeRecord)).one().receipt_number


def later(app, minutes: float) -> None:  # noqa: ANN001
    """Let time pass since the last acknowledgement."""
    with db(app).transaction() as session:
        for record in session.scalars(select(IntakeRecord)):
            if record.acked_at is not None:
                record.acked_at -= timedelta(minutes=minutes)


def replies_per_message(app) -> list[int]:  # noqa: ANN001
    """For each message event the resident sent, how many replies (outbox rows) it got."""
    with db(app).transaction() as session:
        events = session.scalars(
            select(InboxEvent).where(InboxEvent.event_type == "message").order_by(InboxEvent.id)).all()
        return [len(session.scalars(select(OutboundMessage).where(OutboundMessage.source_event_id == e.id)).all())
                for e in events]


def test_thank_you_and_photos_after_a_receipt_are_answered_once_per_burst(app, chat, line) -> None:  # noqa: ANN001
    resident = start(chat)
    answer_until(resident)
    receipt = receipt_of(app)

    resident.says("ありがとうございました")
    (ack,) = resident.new_messages()
    assert ack["text"] == f"受け取りました。受付番号 {receipt} のご相談として、小名浜地区保健福祉センターの担当者に届けました。"
    for number in ("9001", "9002", "9003"):
        line.set_content(number, JPEG, "image/jpeg")
        send_image(resident, number)
    assert resident.new_messages() == []  # three photos a moment later: the acknowledgement covers them

    later(app, minutes=app.config["THREAD_ACK_MINUTES"])
    resident.says("写真は家計簿です")
    (ack,) = resident.new_messages()
    assert f"受付番号 {receipt}" in ack["text"]
    assert thread_texts(app) == ["ありがとうございました", "image", "image", "image", "写真は家計簿です"]


def test_the_acknowledgement_window_is_a_setting(make_app, line) -> None:  # noqa: ANN001
    from tests.conftest import CHANNEL_SECRET
    from tests.support import Chat, Worker

    app = make_app(THREAD_ACK_MINUTES=0)
    resident = Chat(app.test_client(), line, Worker(app), "U" + "c" * 32, CHANNEL_SECRET)
    line.set_profile(resident.user_id, "山田", "ja")
    resident.follows()
    resident.tap_chip("相談する")
    answer_until(resident)
    resident.says("よろしくお願いします")
    resident.says("明日は家にいます")
    assert len(resident.new_messages()) == 2  # no window: each message its own answer


@pytest.mark.parametrize("typed", ["やめる", "メニュー"])
def test_after_leaving_another_flow_the_next_message_is_answered(app, chat, typed) -> None:  # noqa: ANN001
    resident = start(chat)
    answer_until(resident)
    resident.tap_chip("イベント・サロン")
    resident.says(typed)
    resident.new_messages()

    resident.says("だれにも言えなくて…眠れないです")

    (answer,) = resident.new_messages()
    assert receipt_of(app) in answer["text"]
    assert thread_texts(app) == ["だれにも言えなくて…眠れないです"]


def test_after_a_crisis_notice_and_cancel_the_next_message_is_answered_and_kept(app, chat) -> None:  # noqa: ANN001
    resident = chat()
    resident.follows()
    resident.tap_chip("イベント・サロン")
    resident.says("もう死にたい")
    resident.says("やめる")
    resident.new_messages()

    resident.says("だれにも言えなくて…眠れないです")

    assert len(resident.new_messages()) == 1
    with db(app).transaction() as session:
        record = session.scalars(select(IntakeRecord)).one()
        assert record.urgent and "だれにも言えなくて…眠れないです" in [m.text for m in record.messages]


def test_after_a_crisis_notice_later_messages_are_answered(app, chat) -> None:  # noqa: ANN001
    resident = chat()
    resident.follows()
    resident.says("父が倒れて意識がありません")
    resident.new_messages()
    resident.says("いま病院にいます")
    resident.says("付き添っています")  # within the window: covered by the answer just given
    later(app, minutes=app.config["THREAD_ACK_MINUTES"])
    resident.says("ありがとうございました")
    assert replies_per_message(app) == [1, 1, 0, 1]


def test_each_kind_of_message_after_a_receipt_gets_exactly_one_reply(app, chat, line) -> None:  # noqa: ANN001
    resident = start(chat)
    answer_until(resident)
    before = len(replies_per_message(app))
    resident.says("ありがとう")
    later(app, minutes=60)
    line.set_content("9101", JPEG, "image/jpeg")
    send_image(resident, "9101")
    send_sticker(resident)
    resident.shares_location(37.05, 140.89)
    resident.send("message", message={"type": "video", "id": "9102", "duration": 1000,
                                      "contentProvider": {"type": "line"}, "quoteToken": "q"})
    assert replies_per_message(app)[before:] == [1, 1, 1, 1, 1]
    assert "動画や音声の内容は、文章で送るか" in resident.last_text()  # not "start a consultation": one is open
    assert all(len(sent.messages) == 1 for sent in line.sent[-5:] if sent.to == resident.user_id)


def test_a_resident_who_reads_english_is_acknowledged_in_english(app, chat, line) -> None:  # noqa: ANN001
    resident = chat(language="en")
    resident.follows()
    resident.tap_chip("Consult")
    resident.tap_chip("Myself")
    resident.tap_chip("Work")
    resident.tap_chip("Next")
    resident.tap_chip("Taira 平")
    resident.tap_chip("Skip")
    resident.tap_chip("Within a few days")
    resident.tap_chip("By LINE")
    resident.tap_chip("I agree")
    resident.tap_chip("Send")
    resident.new_messages()
    receipt = receipt_of(app)

    resident.says("Thank you")

    (ack,) = resident.new_messages()
    assert ack["text"].startswith("Received. We passed it to the staff at ")
    assert f"as part of consultation {receipt}." in ack["text"]


def test_a_message_no_handler_answered_still_gets_an_answer(app, chat, monkeypatch, caplog) -> None:  # noqa: ANN001
    """The processor's rule, whatever a handler does: a resident's message is never met with silence."""
    monkeypatch.setitem(dispatch.HANDLERS, ("message", "text"), lambda ctx: None)  # a handler that forgets
    resident = chat()
    resident.follows()
    resident.new_messages()

    resident.says("こんばんは、母のことで")

    (answer,) = resident.new_messages()
    assert "うまく読み取れませんでした" in answer["text"]
    assert "got no answer" in caplog.text and "母のこと" not in caplog.text


# -- several open consultations and no current one: the resident is asked which -------------------------


def two_old_consultations(app, chat, age: timedelta = timedelta(days=7), **kwargs):  # noqa: ANN001, ANN003, ANN201
    """A resident with consultations at 平, then 小名浜, ``age`` ago; returns (chat, 平 receipt, 小名浜 receipt)."""
    from bot.models import utcnow
    from bot.services.intake import Answers, IntakeService
    from bot.services.residents import ResidentService

    resident = chat(**kwargs)
    resident.follows()
    receipts = []
    with db(app).transaction() as session:
        someone = ResidentService(session).get_or_create(resident.user_id)
        for area, category in (("taira", "elderly"), ("onahama", "money")):
            answers = Answers(subject="self", categories=[category], area_code=area, urgency="days",
                              contact_method="line")
            record = IntakeService(session, app.extensions["tsunagu"].profile).submit(someone, answers, consent_at=utcnow())
            record.created_at -= age
            record.thread_notice_at = utcnow()
            receipts.append(record.receipt_number)
    resident.new_messages()
    return resident, *receipts


def threads_by_receipt(app) -> dict[str, list[str]]:  # noqa: ANN001
    with db(app).transaction() as session:
        return {record.receipt_number: [m.text or m.kind for m in record.messages if m.phase == IntakeMessage.THREAD]
                for record in session.scalars(select(IntakeRecord))}


def test_messages_held_through_cancel_are_filed_with_the_next_choice(app, chat) -> None:  # noqa: ANN001
    resident, taira, onahama = two_old_consultations(app, chat)
    resident.says("母の薬が変わりました")
    assert resident.chips() == [onahama, taira]
    resident.says("やめる")
    resident.new_messages()
    assert threads_by_receipt(app) == {taira: [], onahama: []}

    resident.says("来週また病院です")
    assert "どのご相談について" in resident.last_text()
    resident.says(taira[-3:])  # the last digits of the receipt number are enough

    assert threads_by_receipt(app) == {taira: ["母の薬が変わりました", "来週また病院です"], onahama: []}
    assert f"受付番号 {taira} のご相談として" in resident.last_text()


def test_a_held_message_taken_back_is_not_filed(app, chat) -> None:  # noqa: ANN001
    resident, taira, onahama = two_old_consultations(app, chat)
    said = resident.says("まちがえて送りました")
    resident.send("unsend", unsend={"messageId": said["message"]["id"]})
    resident.says("家賃の相談のつづきです")
    resident.tap_chip(onahama)
    assert threads_by_receipt(app) == {taira: [], onahama: ["家賃の相談のつづきです"]}


def test_a_vietnamese_resident_is_asked_which_consultation_in_vietnamese(app, chat) -> None:  # noqa: ANN001
    resident, taira, onahama = two_old_consultations(app, chat, language="vi")
    resident.says("Mẹ tôi đã nhập viện")
    question = resident.last_text()
    assert question.startswith("Tin nhắn này về yêu cầu tư vấn nào?")
    assert f"• {taira}: " in question and "(" in question and "（" not in question
    resident.tap_chip(taira)
    assert f"yêu cầu tư vấn số {taira}" in resident.last_text()
    assert threads_by_receipt(app)[taira] == ["Mẹ tôi đã nhập viện"]


def test_right_after_a_second_consultation_messages_go_to_it_without_asking(app, chat) -> None:  # noqa: ANN001
    resident, taira, onahama = two_old_consultations(app, chat, age=timedelta(minutes=10))
    resident.says("母は今日デイサービスです")
    assert f"受付番号 {onahama} のご相談として" in resident.last_text()
    assert threads_by_receipt(app) == {taira: [], onahama: ["母は今日デイサービスです"]}


def test_a_day_later_the_newest_consultation_is_not_assumed(app, chat) -> None:  # noqa: ANN001
    resident, taira, onahama = two_old_consultations(app, chat, age=timedelta(days=1))
    resident.says("母は今日デイサービスです")
    assert resident.chips() == [onahama, taira]
    assert threads_by_receipt(app) == {taira: [], onahama: []}
