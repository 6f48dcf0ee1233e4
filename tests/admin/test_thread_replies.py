"""A resident with consultations at two centres answers staff: the answer reaches the centre that asked."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from bot.models.intake import IntakeMessage, IntakeRecord
from tests.admin.records_support import move, submit_record, user_id
from tests.admin.support import page_text


def two_consultations(app, chat, n: int):  # noqa: ANN001, ANN201
    """A resident who consulted 平 first, then 小名浜; returns (chat, (平 id, receipt), (小名浜 id, receipt))."""
    resident = chat(user_id=user_id(n))
    resident.follows()
    taira = submit_record(app, line_user=user_id(n), area="taira", categories=("elderly",))
    onahama = submit_record(app, line_user=user_id(n), area="onahama", categories=("money",))
    for record_id, _ in (taira, onahama):
        move(app, record_id, ("start", "centre_staff", {}))
    resident.new_messages()
    return resident, taira, onahama


def thread_of(app, record_id: int) -> list[str]:  # noqa: ANN001
    """What the resident wrote on the record after the consultation, in order."""
    with app.extensions["tsunagu"].db.transaction() as session:
        return [m.text or m.kind for m in session.scalars(
            select(IntakeMessage).where(IntakeMessage.record_id == record_id,
                                        IntakeMessage.direction == IntakeMessage.FROM_RESIDENT,
                                        IntakeMessage.phase == IntakeMessage.THREAD).order_by(IntakeMessage.id))]


def age_records(app, by: timedelta) -> None:  # noqa: ANN001
    with app.extensions["tsunagu"].db.transaction() as session:
        for record in session.scalars(select(IntakeRecord)):
            record.created_at -= by
            if record.focused_at is not None:
                record.focused_at -= by


def test_the_answer_to_a_centres_question_goes_to_that_centres_record_only(app, browser, chat, worker, line) -> None:  # noqa: ANN001
    resident, (taira_id, taira_receipt), (onahama_id, onahama_receipt) = two_consultations(app, chat, 950)
    taira_staff, onahama_staff = browser("taira"), browser("onahama")

    taira_staff.post(f"/admin/records/{taira_id}/messages", {"message-body": "お母さまは今どちらにお住まいですか。"})
    worker.drain()
    (question,) = resident.new_messages()
    assert question["text"].startswith(f"【平地区保健福祉センターより・受付番号 {taira_receipt}】\n")

    resident.says("母は平の自宅でひとり暮らしです")

    (ack,) = resident.new_messages()
    assert f"受付番号 {taira_receipt} のご相談として" in ack["text"] and "平地区保健福祉センター" in ack["text"]
    assert "母は平の自宅でひとり暮らしです" in page_text(taira_staff.get(f"/admin/records/{taira_id}"))
    assert "母は平の自宅でひとり暮らしです" not in page_text(onahama_staff.get(f"/admin/records/{onahama_id}"))
    assert thread_of(app, onahama_id) == [] and onahama_receipt not in ack["text"]


def test_staff_answering_makes_the_next_message_acknowledged_again(app, browser, chat, worker) -> None:  # noqa: ANN001
    resident = chat(user_id=user_id(951))
    resident.follows()
    record_id, receipt = submit_record(app, line_user=user_id(951))
    move(app, record_id, ("start", "centre_staff", {}))
    resident.new_messages()

    resident.says("明日は家にいます")
    assert len(resident.new_messages()) == 1
    resident.says("午後からなら大丈夫です")
    assert resident.new_messages() == []  # the same burst: one answer is enough
    browser("taira").post(f"/admin/records/{record_id}/messages", {"message-body": "では明日の午後に伺います。"})
    worker.drain()
    assert receipt in resident.new_messages()[0]["text"]
    resident.says("よろしくお願いします")

    (ack,) = resident.new_messages()
    assert f"受付番号 {receipt}" in ack["text"]
    assert thread_of(app, record_id) == ["明日は家にいます", "午後からなら大丈夫です", "よろしくお願いします"]


def test_without_a_current_consultation_the_resident_is_asked_which_and_nothing_is_lost(app, browser, chat, line) -> None:  # noqa: ANN001
    resident, (taira_id, taira_receipt), (onahama_id, onahama_receipt) = two_consultations(app, chat, 952)
    age_records(app, timedelta(days=5))

    resident.says("その後、母が入院しました")
    (question,) = resident.new_messages()
    assert question["text"].startswith("どのご相談についてのメッセージですか？")
    assert f"{onahama_receipt}：お金・生活の困りごと（小名浜地区保健福祉センター）" in question["text"]
    assert f"{taira_receipt}：介護・高齢（平地区保健福祉センター）" in question["text"]
    assert resident.chips() == [onahama_receipt, taira_receipt]
    assert thread_of(app, taira_id) == thread_of(app, onahama_id) == []  # held until the resident says

    line.set_content("8101", b"\xff\xd8\xff\xe0 hospital letter", "image/jpeg")
    resident.send("message", message={"type": "image", "id": "8101", "contentProvider": {"type": "line"},
                                      "quoteToken": "q"})
    assert resident.new_messages() == []  # the question a moment ago covers it
    resident.tap_chip(taira_receipt)

    (ack,) = resident.new_messages()
    assert f"受付番号 {taira_receipt} のご相談として" in ack["text"] and "平地区保健福祉センター" in ack["text"]
    assert thread_of(app, taira_id) == ["その後、母が入院しました", "image"]
    assert thread_of(app, onahama_id) == []
    page = page_text(browser("onahama").get(f"/admin/records/{onahama_id}"))
    assert "入院" not in page
    resident.says("退院の予定はまだです")  # the conversation is now about 平's consultation
    assert thread_of(app, taira_id)[-1] == "退院の予定はまだです"


def test_a_danger_signal_goes_to_the_record_staff_wrote_on_or_else_to_a_new_one(app, browser, chat, worker) -> None:  # noqa: ANN001
    resident, (taira_id, _), (onahama_id, _) = two_consultations(app, chat, 953)
    age_records(app, timedelta(days=1))  # neither consultation is the one being talked about now

    resident.says("もう死にたい")  # nothing says which: a new urgent record, not a guess at another centre's
    resident.new_messages()
    with app.extensions["tsunagu"].db.transaction() as session:
        taira, onahama = session.get(IntakeRecord, taira_id), session.get(IntakeRecord, onahama_id)
        assert not taira.urgent and not onahama.urgent
        (new,) = session.scalars(select(IntakeRecord).where(IntakeRecord.id.not_in([taira_id, onahama_id]))).all()
        assert new.urgent and new.danger_kinds == ["suicide"]

    resident.taps("menu:consult")  # the resident moves on; later staff at 平 write to them
    resident.says("やめる")
    browser("taira").post(f"/admin/records/{taira_id}/messages", {"message-body": "その後いかがですか。"})
    worker.drain()
    resident.new_messages()
    resident.says("夫に殴られました")
    resident.new_messages()
    with app.extensions["tsunagu"].db.transaction() as session:
        assert session.get(IntakeRecord, taira_id).urgent
        assert not session.get(IntakeRecord, onahama_id).urgent
