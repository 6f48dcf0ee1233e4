"""In headless Chromium: a member of staff composes a notice, sees its reach and cost, sends it,
and the residents who asked for it receive it through the fake LINE platform.

Uses Debian's ``chromium`` package through Playwright; skipped where it is absent.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from simulator.live import CHROMIUM, chromium_options, serve_app
from tests.admin.conftest import FAST_HASHING, create_staff
from tests.admin.test_records_browser import log_in
from tests.notices_support import residents_with_settings

if not Path(CHROMIUM).exists():
    pytest.skip(f"browser tests need Chromium at {CHROMIUM}: install Debian's package with `apt-get install chromium`",
                allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api", reason="browser tests need Playwright (pip install playwright)")
expect = sync_api.expect


@pytest.fixture
def live(make_app):  # noqa: ANN001
    running = serve_app(lambda endpoint: make_app(**FAST_HASHING))
    yield running
    running.stop()


def test_compose_preview_and_send_a_notice(live, line) -> None:  # noqa: ANN001
    app = live.app
    create_staff(app, "taira@city.example.jp", "平 太郎", "centre_staff", ("taira",))
    users = residents_with_settings(app, 3, topics=("health",))
    line.quota_limit = 200
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(**chromium_options())
        tab = browser.new_context(locale="ja-JP", timezone_id="Asia/Tokyo").new_page()
        tab.set_default_timeout(15_000)
        log_in(tab, live, "taira@city.example.jp")
        tab.goto(f"{live.url}/admin/notices/")
        tab.get_by_role("link", name="お知らせを作る").click()
        tab.get_by_label("件名").fill("健康相談会のお知らせ")
        tab.get_by_label("本文（日本語）").fill("12月10日に平で健康相談会を開きます。")
        tab.get_by_label("お知らせの種類").select_option("health")
        tab.get_by_role("button", name="確認へ進む").click()

        expect(tab.locator("#reach")).to_have_text("3")
        expect(tab.locator("#cost")).to_have_text("3")
        expect(tab.locator("#quota")).to_contain_text("200 通（上限 200 通、使用 0 通）")
        tab.get_by_role("button", name="送信する").click()
        for _ in range(40):  # the live worker sends; the results page shows it after a reload
            if tab.locator("#delivered").count() and tab.locator("#delivered").inner_text() == "3":
                break
            tab.wait_for_timeout(250)
            tab.reload()
        expect(tab.locator("#delivered")).to_have_text("3")
        expect(tab.locator("#failed")).to_have_text("0")
        browser.close()
    assert sorted({sent.to for sent in line.sent}) == sorted(users)
    assert all("健康相談会を開きます" in sent.messages[0]["text"] for sent in line.sent)
