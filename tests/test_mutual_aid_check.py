"""住民支え合い, the check two days after: 「お手伝いはいかがでしたか？」 answered by tap or in words."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from bot.models import HelpDone, HelpRequest, Resident, utcnow
from bot.tasks.mutual_aid import send_help_notices_now
from tests.events_support import tsunagu_of
from tests.support import Worker
from tests.test_mutual_aid import ask_for_shopping, service_call, supporter


def helped(app, chat, user_id: str = "U" + "r" * 32):  # noqa: ANN001, ANN201
    """A resident whose shopping was done, asked two days later (the worker's clock moved on)."""
    resident = ask_for_shopping(chat, user_id)
    helper = supporter(app, chat, "U" + "k" * 32, "鈴木一郎")
    with tsunagu_of(app).db.transaction() as session:
        request_id = session.scalars(select(HelpRequest.id).where(HelpRequest.status == "open")).one()
    service_call(app, "assign", request_id, helper.supporter_id, None)
    service_call(app, "confirm", request_id)
    service_call(app, "record_done", request_id, hours=1, by="staff")
    assert send_help_notices_now(tsunagu_of(app), utcnow() + timedelta(days=1)) == set()  # not yet
    send_help_notices_now(tsunagu_of(app), utcnow() + timedelta(days=2, minutes=1))
    Worker(app).drain()
    assert resident.last_text() == "お手伝いはいかがでしたか？ 困ったことがあれば、このまま書いてください。"
    assert resident.chips() == ["良かった", "問題があった"]
    resident.request_id = request_id
    resident.good_data = resident.messages()[-1]["quickReply"]["items"][0]["action"]["data"]
    return resident


def check_of(app, request_id: int) -> tuple:  # noqa: ANN001
    with tsunagu_of(app).db.transaction() as session:
        request = session.get(HelpRequest, request_id)
        return request.check_result, request.check_words


def test_a_problem_tapped_then_told_in_words_is_kept_for_the_sc(app, chat):
    resident = helped(app, chat)
    resident.tap_chip("問題があった")
    assert resident.last_text() == "どんなことがありましたか？ このまま書いて送ってください。"
    resident.says("約束の時間になっても来ませんでした")
    assert resident.last_text() == "お知らせありがとうございます。生活支援コーディネーターが確認して、ご連絡します。"
    assert check_of(app, resident.request_id) == ("problem", "約束の時間になっても来ませんでした")
    resident.says("こんにちは")  # the words were told; the next message is an ordinary one
    assert check_of(app, resident.request_id) == ("problem", "約束の時間になっても来ませんでした")


def test_typed_thanks_are_a_good_answer_and_other_words_go_on_as_usual(app, chat):
    resident = helped(app, chat)
    resident.says("ポイント")
    assert check_of(app, resident.request_id) == (None, "")  # not an answer to the check
    resident.says("とてもたすかりました。ありがとう")
    assert resident.last_text() == "お知らせありがとうございます。よかったです。"
    assert check_of(app, resident.request_id) == ("good", "とてもたすかりました。ありがとう")
    resident.taps(resident.good_data)  # the button of the earlier message: a second answer changes nothing
    assert check_of(app, resident.request_id) == ("good", "とてもたすかりました。ありがとう")


def test_worrying_words_are_offered_as_a_consultation(app, chat):
    resident = helped(app, chat)
    resident.says("助かったけど、母は最近ご飯を食べていないみたいです")
    texts = [m.get("text", "") for m in resident.new_messages()]
    assert "お知らせありがとうございます。生活支援コーディネーターが確認して、ご連絡します。" in texts
    assert "相談" in resident.last_text()
    assert check_of(app, resident.request_id)[0] == "problem"


def test_a_danger_signal_wins_over_the_check(app, chat):
    resident = helped(app, chat)
    resident.says("もう死にたい")
    texts = [m.get("text", "") for m in resident.new_messages()]
    assert any(t.startswith("つらい気持ちを打ち明けてくださって") and "119" in t for t in texts)
    assert check_of(app, resident.request_id) == (None, "")


def test_forged_or_late_answers_change_nothing(app, chat):
    resident = helped(app, chat)
    stranger = chat("U" + "z" * 32, "他人")
    stranger.follows()
    for data in (f"help:good:{resident.request_id}", f"help:problem:{resident.request_id}", "help:problem:abc",
                 "help:good:999999"):
        stranger.taps(data)
        assert "終了しています" in stranger.last_text()
    assert check_of(app, resident.request_id) == (None, "")
    # A week later, 「よかった」 is no answer to an old check.
    with tsunagu_of(app).db.transaction() as session:
        session.get(HelpRequest, resident.request_id).checked_at = utcnow() - timedelta(days=8)
    resident.says("よかった")
    assert check_of(app, resident.request_id) == (None, "")


def test_how_often_and_for_whom_typed_in_english(app, chat):
    son = chat("U" + "y" * 32, "Ken", language="en")
    son.follows()
    son.says("I need help with shopping for my mother")
    son.says("Taira")
    son.says("anytime")
    assert son.last_text() == "Is it just once, or every week?"
    son.says("every week please")
    assert son.last_text() == "Who is the help for?"
    son.says("戻る")
    assert son.last_text() == "Is it just once, or every week?"
    son.says("weekly")
    son.says("for my mom")
    son.says("none")
    with tsunagu_of(app).db.transaction() as session:
        request = session.scalars(select(HelpRequest)).one()
        assert (request.frequency, request.asked_by) == ("weekly", "family")


def test_plain_and_negated_japanese_answers(app, chat):
    resident = chat("U" + "x" * 32, "山田")
    resident.follows()
    resident.says("ごみ出しを手伝ってほしい")
    resident.says("平")
    resident.says("いつでもいい")
    resident.says("まいしゅう")
    resident.says("もどる")
    resident.says("毎週じゃないです")
    assert resident.last_text() == "どなたのためのお手伝いですか？"
    resident.says("ははのため")
    resident.says("なし")
    with tsunagu_of(app).db.transaction() as session:
        request = session.scalars(select(HelpRequest)).one()
        assert (request.frequency, request.asked_by) == ("once", "family")


def test_done_asks_the_hours_tapped_or_typed_in_any_language(app, chat):
    ask_for_shopping(chat)
    helper = supporter(app, chat, "U" + "w" * 32, "Lan")
    with tsunagu_of(app).db.transaction() as session:
        request_id = session.scalars(select(HelpRequest.id)).one()
        session.scalars(select(Resident).where(Resident.line_user_id == helper.user_id)).one().locale = "vi"
    service_call(app, "assign", request_id, helper.supporter_id, None)
    done_data = f"help:done:{request_id}"
    helper.taps(done_data)
    assert helper.last_text().startswith("Cảm ơn bạn đã giúp. Bạn đã giúp mấy tiếng?")
    helper.taps("help:start:13")  # a forged choice: asked again, nothing recorded
    helper.says("15時間くらいかな")  # more than 12 hours: not believed
    with tsunagu_of(app).db.transaction() as session:
        assert session.scalars(select(HelpDone)).all() == []
    helper.says("hai tiếng")
    assert helper.last_text() == "Cảm ơn bạn. Đã ghi lại việc giúp đỡ."
    with tsunagu_of(app).db.transaction() as session:
        [done] = session.scalars(select(HelpDone)).all()
        assert (done.hours, done.points) == (2, 200)
    helper.taps(done_data)  # the reminder's button again: recorded once only
    with tsunagu_of(app).db.transaction() as session:
        assert len(session.scalars(select(HelpDone)).all()) == 1
