"""Printing a record: a print view that names the receipt, the time and who printed it; audited."""
from __future__ import annotations

from tests.admin.records_support import submit_record
from tests.admin.support import page_text


def test_the_print_view_is_audited_and_names_the_receipt_and_who_printed(app, browser, audit_entries) -> None:  # noqa: ANN001
    record_id, receipt = submit_record(app)
    taira = browser("taira")

    record_page = taira.get(f"/admin/records/{record_id}").get_data(as_text=True)
    printed = taira.get(f"/admin/records/{record_id}/print")
    html = printed.get_data(as_text=True)

    assert f'href="/admin/records/{record_id}/print"' in record_page and "印刷する" in record_page
    assert printed.status_code == 200
    assert "印刷した職員：平 太郎" in page_text(printed) and f"受付番号 {receipt}" in page_text(printed)
    assert 'src="/admin/static/admin/print.js' in html and "<script>" not in html  # the CSP allows no inline script
    assert [entry["details"]["receipt"] for entry in audit_entries("records.print")] == [receipt]
    assert "print.js" not in record_page  # only the print view opens the dialog


def test_the_print_view_stays_within_the_scope(app, browser) -> None:  # noqa: ANN001
    record_id, _ = submit_record(app, area="onahama")

    assert browser("taira").get(f"/admin/records/{record_id}/print").status_code == 404
