"""In headless Chromium: printing a record (no menu or buttons, a header); a form sent after a logout comes back.

Uses Debian's ``chromium`` package through Playwright; skipped where it is absent.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from simulator.live import CHROMIUM, chromium_options, serve_app
from tests.admin.conftest import FAST_HASHING, STAFF_PASSWORD, create_staff
from tests.admin.records_support import submit_record
from tests.admin.test_records_browser import log_in

if not Path(CHROMIUM).exists():
    pytest.skip(f"browser tests need Chromium at {CHROMIUM}: install Debian's package with `apt-get install chromium`",
                allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api", reason="browser tests need Playwright (pip install playwright)")
expect = sync_api.expect

# The print dialog cannot be seen from a test: the page's call to it is noted instead.
NOTE_PRINT_CALLS = "window.printCalls = 0; window.print = function () { window.printCalls += 1; };"


@pytest.fixture
def live(make_app):  # noqa: ANN001
    running = serve_app(lambda endpoint: make_app(**FAST_HASHING))
    yield running
    running.stop()


@pytest.fixture
def context(live):  # noqa: ANN001
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(**chromium_options())
        context = chromium.new_context(viewport={"width": 1200, "height": 900}, locale="ja-JP", timezone_id="Asia/Tokyo")
        context.add_init_script(NOTE_PRINT_CALLS)
        context.set_default_timeout(15_000)
        yield context
        context.close()
        chromium.close()


def test_the_print_view_hides_the_menu_and_buttons_and_names_who_printed(live, context) -> None:  # noqa: ANN001
    create_staff(live.app, "taira@city.example.jp", "平 太郎", "centre_staff", ("taira",))
    record_id, receipt = submit_record(live.app, details=("母の介護のことで相談です。",))
    page = context.new_page()
    log_in(page, live, "taira@city.example.jp")
    page.goto(f"{live.url}/admin/records/{record_id}")
    expect(page.locator("#print-header")).to_be_hidden()  # on screen, the header is not there

    with context.expect_page() as opened:
        page.get_by_role("link", name="印刷する").click()
    printing = opened.value
    printing.wait_for_load_state("load")
    printing.wait_for_function("window.printCalls === 1")
    printing.emulate_media(media="print")

    header = printing.locator("#print-header")
    expect(header).to_be_visible()
    expect(header).to_contain_text(f"受付番号 {receipt}")
    expect(header).to_contain_text("印刷した職員：平 太郎")
    expect(header).to_contain_text("印刷日時：")
    expect(printing.get_by_text("母の介護のことで相談です。")).to_be_visible()
    expect(printing.get_by_role("navigation", name="メニュー")).to_be_hidden()
    expect(printing.get_by_role("button", name="ログアウト")).to_be_hidden()
    expect(printing.locator("#message-form")).to_be_hidden()
    assert printing.get_by_role("button").evaluate_all("buttons => buttons.filter(b => b.offsetParent).length") == 0


def test_a_note_typed_before_a_logout_in_another_tab_comes_back_after_logging_in(live, context) -> None:  # noqa: ANN001
    create_staff(live.app, "taira@city.example.jp", "平 太郎", "centre_staff", ("taira",))
    record_id, _ = submit_record(live.app)
    page = context.new_page()
    log_in(page, live, "taira@city.example.jp")
    page.goto(f"{live.url}/admin/records/{record_id}")
    page.get_by_label("職員メモ（本人には見えません）").fill("兄に電話したが不在。明日もう一度かける。")

    other_tab = context.new_page()
    other_tab.goto(f"{live.url}/admin/")
    other_tab.get_by_role("button", name="ログアウト").click()
    page.get_by_role("button", name="メモを追加").click()

    expect(page.get_by_text("入力した内容は残してあります。")).to_be_visible()
    page.get_by_label("メールアドレス").fill("taira@city.example.jp")
    page.get_by_label("パスワード").fill(STAFF_PASSWORD)
    page.get_by_role("button", name="ログイン").click()

    page.wait_for_url(f"{live.url}/admin/records/{record_id}")
    expect(page.get_by_text("ログインする前に入力した内容を、フォームに戻しました。")).to_be_visible()
    expect(page.get_by_label("職員メモ（本人には見えません）")).to_have_value("兄に電話したが不在。明日もう一度かける。")
    page.get_by_role("button", name="メモを追加").click()
    expect(page.get_by_text("メモを追加しました。")).to_be_visible()
