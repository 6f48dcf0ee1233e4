"""In a real browser: the simulator shows the rich menu's tab strip, and a tab switches the page."""
from pathlib import Path

import pytest

from simulator.live import CHROMIUM, chromium_options, serve_app
from tests.support import compile_catalogs

if not Path(CHROMIUM).exists():
    pytest.skip(f"browser tests need Chromium at {CHROMIUM}", allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api", reason="browser tests need Playwright (pip install playwright)")
expect = sync_api.expect


@pytest.fixture
def live(make_app):
    compile_catalogs()
    running = serve_app(lambda endpoint: make_app(LINE_API_ENDPOINT=endpoint, SIMULATOR=True))
    assert running.app.test_cli_runner().invoke(args=["rich-menu"]).exit_code == 0
    yield running
    running.stop()


def test_a_resident_taps_the_living_tab_then_a_tile(live):
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(**chromium_options())
        context = browser.new_context(viewport={"width": 1200, "height": 900}, locale="ja-JP", timezone_id="Asia/Tokyo")
        page = context.new_page()
        page.set_default_timeout(15_000)
        page.goto(f"{live.url}/simulator/")
        chat = page.locator(".chat:not([hidden])")
        page.get_by_role("button", name="Add friend 友だち追加").first.click()
        expect(chat.locator(".row-bot")).to_contain_text("友だち追加ありがとうございます")
        expect(page.locator("#richmenu img")).to_have_attribute("alt", "tsunagu-ja-consult")

        page.locator("#richmenu .richmenu-tab", has_text="くらし・見守り").click()

        expect(page.locator("#richmenu img")).to_have_attribute("alt", "tsunagu-ja-living")
        expect(page.locator("#webhook-log summary").first).to_contain_text("200 postback")
        page.locator("#richmenu .richmenu-area", has_text="手伝える").click()
        expect(chat.locator(".row-resident").last).to_contain_text("手伝える")
        page.locator("#richmenu .richmenu-tab", has_text="相談・イベント").click()
        expect(page.locator("#richmenu img")).to_have_attribute("alt", "tsunagu-ja-consult")
        expect(page.locator("#violations")).to_be_hidden()
        browser.close()
