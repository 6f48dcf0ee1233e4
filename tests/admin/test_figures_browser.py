"""In headless Chromium: the figures page with its charts, the switch to staff mode, a number that opens the
queue, and the printed report.

Uses Debian's ``chromium`` package through Playwright; skipped where it is absent.
"""
from __future__ import annotations

from tests.admin.records_support import submit_record
from tests.admin.test_print_browser import context, expect, live  # noqa: F401 - the same browser, print noted
from tests.admin.test_records_browser import log_in
from tests.admin.conftest import create_staff


def test_a_centre_reads_its_figures_switches_to_staff_mode_and_opens_the_records(live, context) -> None:  # noqa: ANN001
    create_staff(live.app, "taira@city.example.jp", "平 太郎", "centre_staff", ("taira",))
    for n in range(11):
        submit_record(live.app, area="taira", categories=("elderly", "money") if n < 2 else ("elderly",))
    submit_record(live.app, area="onahama", categories=("children",))  # another centre's: never counted here
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    log_in(page, live, "taira@city.example.jp")

    page.get_by_role("link", name="集計").click()

    expect(page.locator("h1")).to_contain_text("年度")
    categories = page.locator('table[data-table="categories"]')
    expect(categories.locator("tbody tr").first).to_contain_text("11")
    expect(categories.locator("tbody tr").first).to_contain_text("10未満")  # 2 about money
    for image in page.locator(".chart img").all():  # the SVG charts draw under the page's CSP
        assert image.evaluate("img => img.complete && img.naturalWidth > 0")
    assert not [error for error in errors if "Content Security Policy" in error]

    page.get_by_label("表示").select_option("staff")
    page.get_by_role("button", name="表示する").click()
    expect(page.locator(".lead")).to_contain_text("職員用表示")
    page.locator('table[data-table="categories"] tbody tr').first.get_by_role("link", name="2", exact=True).click()

    expect(page.locator("h1")).to_have_text("受付一覧")
    assert "category=money" in page.url and "centre=taira" in page.url
    expect(page.locator("tr.record-row")).to_have_count(2)


def test_the_printed_report_hides_the_form_and_names_the_period(live, context) -> None:  # noqa: ANN001
    create_staff(live.app, "taira@city.example.jp", "平 太郎", "centre_staff", ("taira",))
    submit_record(live.app, area="taira")
    page = context.new_page()
    log_in(page, live, "taira@city.example.jp")
    page.goto(f"{live.url}/admin/figures/")

    page.get_by_role("link", name="印刷する（A4）").click()
    page.wait_for_load_state("load")
    page.wait_for_function("window.printCalls === 1")
    page.emulate_media(media="print")

    expect(page.locator("#print-header")).to_be_visible()
    expect(page.locator("#print-header")).to_contain_text("会議用")
    expect(page.locator("#figures-period")).to_be_hidden()
    expect(page.locator(".site-nav")).to_be_hidden()
    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF")
