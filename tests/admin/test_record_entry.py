"""相談の登録（電話・窓口）: a consultation taken by phone or at the counter joins the queue and the figures."""
from __future__ import annotations

from sqlalchemy import select

from bot.models.intake import IntakeRecord
from tests.admin.support import page_text
from tests.admin.test_figures import _table

FORM = {"entry-channel": "phone", "entry-subject": "self", "entry-person_name": "山田 トメ",
        "entry-phone": "0246-22-1111", "entry-area": "taira", "entry-categories": ["elderly", "money"],
        "entry-urgency": "days", "entry-details": "一人暮らしで、介護保険の申請のしかたがわかりません。",
        "entry-consent": "y"}


def records(app) -> list[IntakeRecord]:  # noqa: ANN001
    with app.extensions["tsunagu"].db.transaction() as session:
        found = list(session.scalars(select(IntakeRecord).order_by(IntakeRecord.id)))
        session.expunge_all()
        return found


def test_a_phone_consultation_joins_the_queue_is_found_by_name_and_phone_and_counted_as_phone(
        app, as_coordinator, audit_entries) -> None:  # noqa: ANN001
    assert "電話・窓口の相談を登録" in page_text(as_coordinator.get("/admin/records/"))
    page = as_coordinator.get("/admin/records/new")
    assert page.status_code == 200 and "地区から振り分ける" in page_text(page)

    made = as_coordinator.post("/admin/records/new", {**FORM, "entry-centre": ""})
    assert made.status_code == 302
    [record] = records(app)
    assert (record.source, record.centre_code, record.categories, record.phone, record.resident_id) == (
        "phone", "taira", ["elderly", "money"], "0246221111", None)  # routed by its area
    shown = page_text(as_coordinator.get(made.location))
    assert record.receipt_number in shown and "介護保険の申請" in shown
    assert "電話・窓口で受け付けた相談です。" in shown and "ブロック" not in shown  # no LINE to write to
    assert "受付経路 電話" in shown and "ご本人の名前 山田 トメ" in shown
    for words in ("山田", "0246221111", "0246-22-1111"):
        assert record.receipt_number in page_text(as_coordinator.get("/admin/records/", query_string={"q": words}))
    [entry] = audit_entries("records.create")
    assert entry["details"]["channel"] == "phone" and "介護" not in str(audit_entries())

    channels = _table(as_coordinator.get("/admin/figures/?mode=staff"), "channels")
    header, total = channels[0], channels[-1]
    assert total[header.index("電話")] == "1" and total[header.index("LINE")] == "0"


def test_centre_staff_file_it_at_their_own_centre(app, as_centre_staff) -> None:  # noqa: ANN001
    page = as_centre_staff.get("/admin/records/new")
    assert "地区から振り分ける" not in page_text(page)
    form = {**FORM, "entry-channel": "counter", "entry-area": "onahama", "entry-centre": "taira",
            "entry-urgency": "now"}
    assert as_centre_staff.post("/admin/records/new", form).status_code == 302
    [record] = records(app)
    assert (record.source, record.centre_code, record.urgent) == ("counter", "taira", True)
    # Another centre is not theirs to file at: refused, nothing made.
    refused = as_centre_staff.post("/admin/records/new", {**form, "entry-centre": "onahama"})
    assert refused.status_code == 400 and len(records(app)) == 1


def test_without_consent_or_with_bad_input_nothing_is_made(app, as_coordinator) -> None:  # noqa: ANN001
    cases = [
        ({**FORM, "entry-consent": ""}, "記録への同意を確かめてから登録してください。"),
        ({**FORM, "entry-details": "  "}, "入力してください。"),
        ({**FORM, "entry-phone": "abc"}, "電話番号を確かめてください"),
        ({**FORM, "entry-channel": "fax"}, ""),
        ({**FORM, "entry-area": "atlantis"}, ""),
        ({**FORM, "entry-categories": ["nonsense"]}, ""),
        ({**FORM, "entry-details": "あ" * 5001}, "文字以内で入力してください。"),
    ]
    for form, message in cases:
        response = as_coordinator.post("/admin/records/new", form)
        assert response.status_code == 400, form
        assert message in page_text(response)
        assert "山田 トメ" in response.get_data(as_text=True)  # what was typed is kept
    assert records(app) == []
    assert as_coordinator.post("/admin/records/new", FORM, csrf=False).status_code == 400
    assert records(app) == []


def test_words_of_danger_in_what_was_said_make_it_urgent_whatever_was_chosen(app, as_coordinator) -> None:  # noqa: ANN001
    form = {**FORM, "entry-centre": "", "entry-urgency": "anytime",
            "entry-details": "電話の本人が「もう死にたい」と繰り返していました。"}
    assert as_coordinator.post("/admin/records/new", form).status_code == 302
    [record] = records(app)
    assert record.urgent and "suicide" in record.danger_kinds
