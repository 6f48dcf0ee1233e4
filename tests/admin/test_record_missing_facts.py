"""What staff must know before they contact anyone: the person concerned, safe contact, the language."""
from __future__ import annotations

import csv
import io

from bot.models import utcnow
from bot.services.intake import Answers, IntakeService
from bot.services.residents import ResidentService
from tests.admin.records_support import submit_record, user_id
from tests.admin.support import page_text, table_rows


def submit_about_someone_else(app, *, locale: str = "vi") -> tuple[int, str]:  # noqa: ANN001
    """A Vietnamese-speaking resident reports a neighbour who may have collapsed; no contact wanted."""
    tsunagu = app.extensions["tsunagu"]
    with tsunagu.db.transaction() as session:
        resident = ResidentService(session).get_or_create(user_id(900))
        resident.display_name = "Nguyen"
        resident.locale = locale
        answers = Answers(
            subject="neighbour", categories=["elderly"], area_code="taira", area_source="chosen", urgency="now",
            contact_method="none", person_name="佐藤トメ", relation="minsei", welfare_check=True,
            details=[{"kind": "text", "id": "n1", "text": "新聞がたまっています"}],
        )
        record = IntakeService(session, tsunagu.profile).submit(resident, answers, consent_at=utcnow())
        return record.id, record.receipt_number


def submit_about_violence(app) -> tuple[int, str]:  # noqa: ANN001
    tsunagu = app.extensions["tsunagu"]
    with tsunagu.db.transaction() as session:
        resident = ResidentService(session).get_or_create(user_id(901))
        resident.locale = "en"
        answers = Answers(
            subject="self", categories=["violence"], area_code="taira", area_source="chosen", urgency="days",
            contact_method="phone", phone="09012345678", safe_contact="phone", interpreter="en",
            contact_times="平日の午前",
        )
        record = IntakeService(session, tsunagu.profile).submit(resident, answers, consent_at=utcnow())
        return record.id, record.receipt_number


def test_the_record_page_shows_the_person_the_relation_and_what_to_know_before_contacting(app, browser) -> None:  # noqa: ANN001
    record_id, _ = submit_about_someone_else(app)
    page = browser("taira").get(f"/admin/records/{record_id}")
    text = page_text(page)
    html = page.get_data(as_text=True)

    assert 'id="record-language"' in html and "言語：ベトナム語" in text  # the badge at the top
    assert "その方の名前 佐藤トメ" in text
    assert "相談者の立場 民生委員" in text
    assert "連絡の前に" in text
    assert "相談者は連絡を望んでいません。" in text
    assert "その方が家の中で倒れているおそれがあります（安否確認）" in text
    assert "連絡方法 不要（相談者が連絡を望まない）" in text


def test_safe_contact_and_the_interpreter_are_shown_prominently(app, browser) -> None:  # noqa: ANN001
    record_id, _ = submit_about_violence(app)
    page = browser("taira").get(f"/admin/records/{record_id}")
    text = page_text(page)

    assert "言語：英語" in text and "通訳が必要：英語" in text
    assert "安全な連絡方法（暴力の相談）：電話なら安全（LINEは避ける）" in text
    assert "その方の名前" not in text  # the resident consulted about themself


def test_a_japanese_resident_gets_no_language_badge(app, browser) -> None:  # noqa: ANN001
    record_id, _ = submit_record(app)
    html = browser("taira").get(f"/admin/records/{record_id}").get_data(as_text=True)
    assert 'id="record-language"' not in html and "連絡の前に" not in html


def test_the_queue_row_shows_the_language_and_the_welfare_check(app, browser) -> None:  # noqa: ANN001
    _, receipt = submit_about_someone_else(app)
    _, japanese_receipt = submit_record(app)
    rows = {row.split()[0]: row for row in table_rows(browser("taira").get("/admin/records/"))}
    assert "ベトナム語" in rows[receipt] and "安否確認" in rows[receipt]
    assert "ベトナム語" not in rows[japanese_receipt] and "安否確認" not in rows[japanese_receipt]


def test_the_csv_has_the_language_the_interpreter_and_the_welfare_check(app, browser) -> None:  # noqa: ANN001
    submit_about_someone_else(app)
    submit_about_violence(app)
    body = browser("taira").get("/admin/records/export.csv").get_data(as_text=True).lstrip("\ufeff")
    rows = list(csv.reader(io.StringIO(body, newline="")))
    header = rows[0]
    assert header[-3:] == ["言語", "通訳", "安否確認"]
    assert sorted(tuple(row[-3:]) for row in rows[1:]) == [("ベトナム語", "", "要確認"), ("英語", "英語", "")]
    assert "佐藤トメ" not in body  # no names in the export
