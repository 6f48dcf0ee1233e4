"""電話してほしい: a resident who would rather talk asks to be called back, and staff find a record to call."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from bot.models import Resident
from bot.models.intake import IntakeRecord
from bot.services.intake import CALLBACK_CONSENT_VERSION
from tests.events_support import tsunagu_of


def records(app) -> list[dict]:  # noqa: ANN001
    with tsunagu_of(app).db.transaction() as session:
        return [{"source": r.source, "contact": r.contact_method, "phone": r.phone, "centre": r.centre_code,
                 "area": r.area_code, "consent_version": r.consent_version, "consent_at": r.consent_at,
                 "legal_basis": r.legal_basis, "thread": [m.text for m in r.messages], "receipt": r.receipt_number}
                for r in session.scalars(select(IntakeRecord).order_by(IntakeRecord.id))]


def set_area(app, user_id: str, area_code: str) -> None:  # noqa: ANN001
    with tsunagu_of(app).db.transaction() as session:
        session.scalars(select(Resident).where(Resident.line_user_id == user_id)).one().area_code = area_code


@pytest.mark.parametrize("typed", ["電話してほしい", "電話ください", "電話で話したい", "でんわください", "折り返し電話をお願いします"])
def test_typing_call_me_asks_the_number_with_the_consent_in_one_line(app, chat, typed):
    resident = chat()
    resident.follows()
    resident.new_messages()
    resident.says(typed)
    [question] = resident.new_messages()
    assert question["text"] == ("お電話でお話をうかがいます。おかけする電話番号を送ってください（例：090-1234-5678）。\n"
                                "番号とご相談の内容は、ご相談のためだけに市の相談窓口が使います。")
    assert resident.chips() == ["やめる"]
    resident.says("090-1234-5678")
    [receipt] = resident.new_messages()
    [record] = records(app)
    # No area known: the coordinator decides which centre calls.
    assert receipt["text"] == (f"受け付けました（受付番号 {record['receipt']}）。保健福祉課 地域共生社会推進係の担当者から "
                               "090-1234-5678 にお電話します（平日 8:30〜17:15）。")
    assert len(receipt["text"]) <= 200
    assert resident.chips()[0] == "相談する"
    assert record == {**record, "source": "callback", "contact": "phone", "phone": "09012345678", "centre": None,
                      "area": None, "consent_version": CALLBACK_CONSENT_VERSION, "legal_basis": "consent",
                      "thread": [typed]}
    assert record["consent_at"] is not None
    resident.says("母が最近、元気がないです")  # what follows joins the record, and the resident is told so once
    assert f"受付番号 {record['receipt']} のご相談として" in resident.last_text()
    assert records(app)[0]["thread"] == [typed, "母が最近、元気がないです"]


def test_a_known_area_goes_to_its_centre_and_a_known_number_is_offered(app, chat):
    resident = chat()
    resident.follows()
    set_area(app, resident.user_id, "onahama")
    resident.says("電話してほしい")
    resident.says("0246-22-1111")
    assert "小名浜地区保健福祉センターの担当者から 0246-22-1111 にお電話します" in resident.last_text()
    resident.says("もう一度、電話ください")
    assert "0246-22-1111 におかけしてよいですか？" in resident.last_text()
    assert resident.chips() == ["0246-22-1111でよい", "やめる"]
    resident.tap_chip("0246-22-1111でよい")
    first, second = records(app)
    assert (first["centre"], second["centre"]) == ("onahama", "onahama")
    assert second["phone"] == "0246221111"


def test_the_chip_under_phone_consultation_starts_the_call_back(app, chat):
    resident = chat()
    resident.follows()
    resident.taps("menu:phone")  # 電話で相談 on the rich menu
    assert "電話してほしい" in resident.chips()
    resident.tap_chip("電話してほしい")
    assert "おかけする電話番号を送ってください" in resident.last_text()
    resident.says("はい")  # not a number, and no number is known: asked again, briefly
    assert resident.last_text() == "電話番号を確かめられませんでした。市外局番から、数字で送ってください。"
    resident.says("０９０ー１２３４ー５６７８")
    assert "にお電話します" in resident.last_text()
    assert records(app)[0]["phone"] == "09012345678"


def test_stopping_keeps_nothing_and_answers_in_one_bubble(app, chat):
    resident = chat()
    resident.follows()
    resident.says("電話してほしい")
    resident.new_messages()
    resident.tap_chip("やめる")
    [stopped] = resident.new_messages()
    assert stopped["text"] == "中止しました。ほかにご用件があれば選んでください。"
    resident.says("電話ください")
    resident.new_messages()
    resident.says("やめる")
    assert len(resident.new_messages()) == 1
    assert records(app) == []


def test_english_vietnamese_and_chinese_residents_are_called_back_too(app, chat):
    john = chat(user_id="U" + "1" * 32, display_name="John", language="en")
    john.follows()
    john.says("Please call me back")
    assert john.last_text().startswith("We will call you to talk. Please send the phone number to call")
    assert "Only the city's help desks will use your number" in john.last_text()
    john.says("090-1111-2222")
    assert "will call you on 090-1111-2222 (Weekdays 8:30–17:15)." in john.last_text()
    lan = chat(user_id="U" + "2" * 32, display_name="Lan", language="vi")
    lan.follows()
    lan.says("Hãy gọi cho tôi")
    assert lan.last_text().startswith("Chúng tôi sẽ gọi điện để nghe bạn nói.")
    lan.says("080-3333-4444")
    assert "sẽ gọi cho bạn theo số 080-3333-4444" in lan.last_text()
    wei = chat(user_id="U" + "5" * 32, display_name="Wei", language="zh-Hans")
    wei.follows()
    wei.says("请给我打电话")
    assert wei.last_text().startswith("我们会打电话听您说。")
    wei.says("070-5555-6666")
    assert "会打电话到 070-5555-6666" in wei.last_text()
    assert [r["phone"] for r in records(app)] == ["09011112222", "08033334444", "07055556666"]


def test_inside_a_consultation_a_call_is_the_answer_to_how_to_contact(app, chat):
    resident = chat()
    resident.follows()
    for typed in ("相談", "自分のことです", "介護", "次へ", "平", "次へ", "数日以内"):
        resident.says(typed)
    resident.says("電話で話したい")  # the consultation's own question reads it, not the call back
    assert "お電話番号を送ってください" in resident.last_text()
    resident.says("090-1234-5678")
    assert "連絡のつきやすい時間帯" in resident.last_text()
    assert records(app) == []


def test_a_danger_signal_still_comes_first(app, chat):
    resident = chat()
    resident.follows()
    resident.says("もう死にたい。電話してほしい")
    assert "119" in "\n".join(resident.line.texts_to(resident.user_id)[-2:])
    assert "おかけする電話番号" not in resident.last_text()
    assert records(app)[0]["source"] == "danger_signal"
