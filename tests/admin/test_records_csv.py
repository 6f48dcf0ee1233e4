"""The queue as CSV: Excel opens it in Japanese, formulas never run, scope and filters apply, audited."""
from __future__ import annotations

import csv
import io

from bot.models.intake import IntakeRecord
from bot.models.workflow import RecordWorkflow
from tests.admin.records_support import submit_record


def test_the_csv_is_utf8_with_bom_and_crlf(app, browser, audit_entries) -> None:  # noqa: ANN001
    _, receipt = submit_record(app, categories=("elderly", "money"))
    response = browser("taira").get("/admin/records/export.csv?category=money")

    body = response.data
    assert response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"].startswith('attachment; filename="records-')
    assert body.startswith(b"\xef\xbb\xbf")
    assert b"\r\n" in body and body.count(b"\n") == body.count(b"\r\n")
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert rows[0][:3] == ["受付番号", "受付日時", "状態"]
    assert rows[1][0] == receipt and rows[1][2] == "新規" and rows[1][5] == "介護・高齢、お金・生活の困りごと"
    entry = audit_entries("records.export")[-1]
    assert entry["details"] == {"count": 1, "category": "money", "receipts": [receipt]}  # each record's history shows it


def test_cells_that_would_start_a_formula_are_made_text(app, browser, staff) -> None:  # noqa: ANN001
    record_id, _ = submit_record(app)
    with app.extensions["tsunagu"].db.transaction() as session:
        from bot.models import StaffAccount

        account = session.get(StaffAccount, staff["taira"].id)
        account.name = '=HYPERLINK("http://evil.example","x")'
        session.add(RecordWorkflow(record=session.get(IntakeRecord, record_id), assignee_id=account.id))

    rows = list(csv.reader(io.StringIO(browser("taira").get("/admin/records/export.csv").data.decode("utf-8-sig"))))

    assert rows[1][8] == "'=HYPERLINK(\"http://evil.example\",\"x\")"


def test_the_csv_holds_no_consultation_text(app, browser) -> None:  # noqa: ANN001
    submit_record(app, details=("とても個人的な内容です",), phone="09012345678", contact="phone")
    body = browser("taira").get("/admin/records/export.csv").data.decode("utf-8-sig")
    assert "とても個人的な内容です" not in body and "09012345678" not in body
