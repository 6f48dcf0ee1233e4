"""A resident in crisis: a danger signal wins over any open flow, and a denial is not an alarm.

Through the signed webhook and the fake LINE platform, in Japanese and in
another language (issue 14, findings 1 and 4).
"""
from __future__ import annotations

import pytest
from sqlalchemy import select

from bot.flows.crisis import says_mistake
from bot.models.intake import IntakeRecord, RecordStatus
from bot.models.workflow import RecordEvent

JPEG = b"\xff\xd8\xff\xe0" + b"a photo of the bruise" * 10


def db(app):
    return app.extensions["tsunagu"].db


def records(app) -> list[dict]:
    """The records, as staff would read them."""
    with db(app).transaction() as session:
        return [
            {"receipt": r.receipt_number, "status": r.status, "urgent": r.urgent, "danger": r.danger_kinds,
             "legal_basis": r.legal_basis, "thread": [(m.phase, m.kind, m.text) for m in r.messages],
             "events": [(e.action, e.actor_kind, e.details) for e in session.scalars(
                 select(RecordEvent).where(RecordEvent.record_id == r.id))]}
            for r in session.scalars(select(IntakeRecord).order_by(IntakeRecord.id))
        ]


def searching_events(chat, language: str = "ja"):
    """A resident who opened イベント・サロン and is asked which area."""
    resident = chat(language=language)
    resident.follows()
    resident.taps("menu:events")
    resident.taps("events:area")
    resident.new_messages()
    return resident


def send_image(resident, message_id: str):
    message = {"type": "image", "id": message_id, "contentProvider": {"type": "line"}, "quoteToken": "q"}
    return resident.send("message", message=message)


# -- finding 1: a crisis ends the open flow, and what follows joins the urgent record ------------------


def test_a_crisis_during_an_event_search_ends_it_and_the_next_words_reach_the_urgent_record(app, chat, line):
    resident = searching_events(chat)
    resident.says("もう死にたい")
    crisis, notice = resident.new_messages()  # the numbers, then the notice: no third bubble
    assert crisis["text"].startswith("つらい気持ちを打ち明けてくださって") and "119" in crisis["text"]
    receipt = records(app)[0]["receipt"]
    assert receipt in notice["text"]
    assert notice["text"].endswith("途中だった操作は、いったん終わりにしました。")

    resident.says("だれにも言えなくて…眠れないです")
    (ack,) = resident.new_messages()
    assert ack["text"].startswith("受け取りました。") and receipt in ack["text"]
    line.set_content("8101", JPEG, "image/jpeg")
    send_image(resident, "8101")
    assert resident.new_messages() == []  # the same burst: the answer just given covers it
    (record,) = records(app)
    assert record["urgent"] and record["danger"] == ["suicide"]
    assert record["thread"] == [("danger", "text", "もう死にたい"), ("thread", "text", "だれにも言えなくて…眠れないです"),
                                ("thread", "image", None)]

    resident.says("やめる")
    (stopped,) = resident.new_messages()
    assert "中止しました" in stopped["text"]
    resident.says("ありがとう")  # free words after やめる are answered too
    assert len(resident.new_messages()) == 1
    resident.says("イベント")  # something else: the event search again
    assert "どのように探しますか" in resident.last_text()
    assert len(records(app)) == 1 and records(app)[0]["status"] == RecordStatus.NEW  # the urgent record stays


def test_a_crisis_in_english_ends_the_event_search_and_the_next_words_reach_the_urgent_record(app, chat):
    resident = searching_events(chat, language="en")
    resident.says("I want to die")
    crisis, notice = resident.new_messages()
    assert "119" in crisis["text"]
    assert notice["text"].endswith("What you were doing has been stopped for now.")
    resident.says("I can't tell anyone and I can't sleep")
    (ack,) = resident.new_messages()
    receipt = records(app)[0]["receipt"]
    assert ack["text"].startswith("Received.") and receipt in ack["text"]
    assert records(app)[0]["thread"][-1] == ("thread", "text", "I can't tell anyone and I can't sleep")


def test_tapping_a_menu_item_after_a_crisis_starts_it_and_later_words_are_read_by_it(app, chat):
    resident = searching_events(chat)
    resident.says("夫に殴られました")
    resident.taps("menu:events")
    resident.taps("events:area")
    resident.new_messages()
    resident.says("平")
    assert records(app)[0]["thread"] == [("danger", "text", "夫に殴られました")]


# -- finding 4: a denial raises no alarm ---------------------------------------------------------------


def test_a_denied_signal_in_the_details_of_a_consultation_raises_no_alarm(app, chat):
    resident = chat()
    resident.follows()
    resident.taps("menu:consult")
    resident.tap_chip("家族")
    resident.tap_chip("子ども")
    resident.tap_chip("わからない")
    resident.tap_chip("介護・高齢")
    resident.tap_chip("次へ")
    resident.tap_chip("平")
    resident.new_messages()
    resident.says("母は穏やかで、暴れることはありません")
    (ack,) = resident.new_messages()
    assert "110" not in ack["text"] and "受け取りました（1件）" in ack["text"]
    assert records(app) == []


def test_a_denial_outside_any_flow_raises_no_alarm_in_japanese_or_vietnamese(app, chat):
    resident = chat()
    resident.follows()
    resident.says("母は穏やかで、暴れることはありません")
    resident.says("Chồng tôi không bao giờ đánh tôi")
    assert all("110" not in m.get("text", "") for m in resident.messages())
    assert records(app) == []


def test_a_denied_wish_to_die_is_asked_about_and_no_lets_the_event_search_go_on(app, chat):
    resident = searching_events(chat)
    resident.says("死にたいとは思っていません")
    (question,) = resident.new_messages()
    assert question["text"] == "今、身の危険を感じていますか？"
    assert resident.chips() == ["はい、感じています", "いいえ、大丈夫です"]
    assert records(app) == []
    resident.tap_chip("いいえ、大丈夫です")
    kind, asked_again = resident.new_messages()
    assert kind["text"] == "わかりました。お答えくださって、ありがとうございます。"
    assert "平" in [item["action"]["label"] for item in asked_again["quickReply"]["items"]]  # the area question
    resident.tap_chip("平")
    assert records(app) == []


def test_yes_to_the_gentle_question_gives_the_full_answer_and_an_urgent_record(app, chat):
    resident = searching_events(chat)
    resident.says("死にたいとは思わないけど、つらいです")
    resident.says("はい")
    crisis, notice = resident.new_messages()[-2:]
    assert "119" in crisis["text"] and "途中だった操作は" in notice["text"]
    (record,) = records(app)
    assert record["urgent"] and record["danger"] == ["suicide"]
    assert record["thread"] == [("danger", "text", "死にたいとは思わないけど、つらいです")]
    resident.says("ずっと眠れません")
    assert records(app)[0]["thread"][-1] == ("thread", "text", "ずっと眠れません")


def test_the_gentle_question_in_english_takes_a_typed_no(app, chat):
    resident = chat(language="en")
    resident.follows()
    resident.new_messages()
    resident.says("I'm not suicidal, just tired")
    (question,) = resident.new_messages()
    assert question["text"] == "Are you in danger right now?"
    resident.says("no")
    (kind,) = resident.new_messages()
    assert kind["text"].startswith("I see. Thank you for telling me.")
    assert records(app) == []


def test_a_gentle_question_inside_a_consultation_keeps_the_words_and_yes_makes_it_urgent(app, chat):
    resident = chat()
    resident.follows()
    resident.taps("menu:consult")
    resident.tap_chip("自分")
    resident.tap_chip("介護・高齢")
    resident.tap_chip("次へ")
    resident.tap_chip("平")
    resident.new_messages()
    resident.says("介護に疲れて、もう楽になりたい")
    ack, question = resident.new_messages()
    assert "受け取りました（1件）" in ack["text"] and question["text"] == "今、身の危険を感じていますか？"
    resident.tap_chip("はい、感じています")
    crisis, notice, asked = resident.new_messages()
    assert "119" in crisis["text"] and "緊急のご相談として" in notice["text"]
    assert "相談の続きも" in asked["text"]
    (record,) = records(app)
    assert record["urgent"] and record["thread"] == [("danger", "text", "介護に疲れて、もう楽になりたい")]
    resident.tap_chip("次へ")  # the consultation goes on where it was: the details are kept
    assert "急ぎ" in resident.last_text() or "いつまで" in resident.last_text()


# -- a misunderstanding is taken back -----------------------------------------------------------------


def test_an_alarm_the_resident_says_was_a_misunderstanding_is_withdrawn_and_staff_see_why(app, chat):
    resident = chat()
    resident.follows()
    resident.new_messages()
    resident.says("夢の中で殴られた")  # a false alarm we accept: dreams cannot be told from life
    assert "まちがいでした" in resident.chips()
    resident.tap_chip("まちがいでした")
    (said,) = resident.new_messages()[-1:]
    (record,) = records(app)
    assert f"受付番号 {record['receipt']} の緊急のご相談は取り消しました" in said["text"]
    assert record["status"] == RecordStatus.WITHDRAWN
    assert record["events"] == [("withdraw", "resident", {"because": "misunderstanding"})]
    resident.says("ありがとう")
    assert len(records(app)[0]["thread"]) == 1  # nothing more joins a withdrawn record


def test_a_typed_misunderstanding_withdraws_the_alarm_too(app, chat):
    resident = chat()
    resident.follows()
    resident.says("夢の中で殴られた")
    resident.says("大丈夫です、違います")
    assert "取り消しました" in resident.last_text()
    assert records(app)[0]["status"] == RecordStatus.WITHDRAWN


def test_stopping_never_withdraws_a_real_urgent_record(app, chat):
    resident = chat()
    resident.follows()
    resident.says("夫に殴られています")
    resident.says("やめる")
    (record,) = records(app)
    assert record["status"] == RecordStatus.NEW and record["urgent"]


def test_words_that_do_not_answer_the_gentle_question_go_back_to_the_interrupted_flow(app, chat):
    resident = searching_events(chat)
    resident.says("死にたいとは思っていません")
    resident.says("平")  # the area the event search asked for
    assert resident.last_text() == "平地区のイベントは見つかりませんでした。ほかの探し方もお試しください。"
    assert records(app) == []


@pytest.mark.parametrize(("typed", "mistake"), [
    ("まちがいです", True), ("大丈夫です、違います", True), ("間違えました、すみません", True), ("It was a mistake", True),
    ("搞错了", True), ("Tôi nhầm rồi", True),
    # words for staff, not a retraction
    ("生まれてきたのが間違いでした", False), ("間違いなくつらい", False), ("違う病院に行きました", False),
])
def test_only_a_message_that_says_just_that_takes_an_alarm_back(typed, mistake):
    assert says_mistake(typed) is mistake


def test_words_asked_about_still_join_an_open_consultation_after_no(app, chat):
    resident = chat()
    resident.follows()
    resident.says("夢の中で殴られた")  # an urgent record, open
    resident.says("やめる")
    resident.says("死にたいとは思っていません")
    resident.tap_chip("いいえ、大丈夫です")
    assert records(app)[0]["thread"][-1] == ("thread", "text", "死にたいとは思っていません")


def test_a_clear_signal_instead_of_an_answer_makes_the_interrupted_consultation_urgent(app, chat):
    resident = chat()
    resident.follows()
    resident.taps("menu:consult")
    resident.tap_chip("自分")
    resident.new_messages()
    resident.says("死にたいとは思わないけど")
    assert resident.last_text() == "今、身の危険を感じていますか？"
    resident.says("やっぱり、もう死にたい")
    crisis, notice, asked = resident.new_messages()[-3:]
    assert "119" in crisis["text"] and "緊急のご相談として" in notice["text"] and "相談の続きも" in asked["text"]
    (record,) = records(app)
    assert record["urgent"] and record["thread"] == [("danger", "text", "やっぱり、もう死にたい")]
    resident.tap_chip("介護・高齢")  # the consultation goes on where it was
    assert records(app)[0]["legal_basis"] == "vital_interest"
