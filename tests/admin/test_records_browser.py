"""In headless Chromium: the coordinator forwards a new record to 平, 平 accepts it, writes to the
resident (the fake LINE platform receives the push) and closes it.

Uses Debian's ``chromium`` package through Playwright; skipped where it is absent.
"""
from __future__ import annotations

import time
from pathlib import Path

import pytest

from simulator.live import CHROMIUM, chromium_options, serve_app
from tests.admin.conftest import FAST_HASHING, STAFF_PASSWORD, create_staff
from tests.admin.records_support import status_of, submit_record, user_id
from tests.admin.support import authenticator_code

if not Path(CHROMIUM).exists():
    pytest.skip(f"browser tests need Chromium at {CHROMIUM}: install Debian's package with `apt-get install chromium`",
                allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api", reason="browser tests need Playwright (pip install playwright)")
expect = sync_api.expect

RESIDENT = user_id(4242)


@pytest.fixture
def live(make_app):  # noqa: ANN001
    """The app on loopback with a queue worker thread; LINE is the tests' fake platform."""
    running = serve_app(lambda endpoint: make_app(**FAST_HASHING))
    yield running
    running.stop()


@pytest.fixture
def page(live):  # noqa: ANN001
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(**chromium_options())
        context = chromium.new_context(viewport={"width": 1200, "height": 900}, locale="ja-JP", timezone_id="Asia/Tokyo")
        tab = context.new_page()
        tab.set_default_timeout(15_000)
        yield tab
        context.close()
        chromium.close()


def log_in(page, live, email: str) -> None:  # noqa: ANN001
    page.goto(f"{live.url}/admin/login")
    page.get_by_label("メールアドレス").fill(email)
    page.get_by_label("パスワード").fill(STAFF_PASSWORD)
    page.get_by_role("button", name="ログイン").click()
    if "/admin/login/code" in page.url:  # the second factor: the code the authenticator app shows
        page.get_by_label("確認コード").fill(authenticator_code(live.app, email))
        page.get_by_role("button", name="ログイン").click()
    expect(page.get_by_role("button", name="ログアウト")).to_be_visible()


def wait_for(condition, timeout: float = 10.0) -> None:  # noqa: ANN001
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def test_forward_accept_message_and_close_in_a_browser(live, page, line) -> None:  # noqa: ANN001
    app = live.app
    create_staff(app, "coordinator@city.example.jp", "調整 一郎", "coordinator")
    create_staff(app, "taira@city.example.jp", "平 太郎", "centre_staff", ("taira",))
    record_id, receipt = submit_record(app, area=None, line_user=RESIDENT, details=("どこに相談すればいいかわかりません",))

    log_in(page, live, "coordinator@city.example.jp")
    page.get_by_role("link", name="受付一覧").click()
    page.get_by_role("link", name=receipt).click()
    expect(page.get_by_text("どこに相談すればいいかわかりません")).to_be_visible()
    page.get_by_label("転送先のセンター").select_option("taira")
    page.get_by_label("転送先へのメモ（任意）").fill("平地区の方です。お願いします。")
    page.get_by_role("button", name="転送する").click()
    expect(page.get_by_text("転送しました。")).to_be_visible()
    assert status_of(app, record_id) == ("forwarded", "taira")
    page.get_by_role("button", name="ログアウト").click()

    log_in(page, live, "taira@city.example.jp")
    page.get_by_role("link", name="受付一覧").click()
    page.get_by_role("link", name=receipt).click()
    expect(page.get_by_text("平地区の方です。お願いします。").first).to_be_visible()
    page.get_by_role("button", name="受け入れる").click()
    expect(page.locator("#record-status")).to_have_text("対応中")

    page.get_by_label("本人へのメッセージ（LINE）").fill("平地区保健福祉センターの平です。明日お電話します。")
    page.get_by_role("button", name="送信する").click()
    # The form's own page load first: reloading while it is under way detaches the page.
    expect(page.get_by_text("メッセージを送信しました。")).to_be_visible()
    wait_for(lambda: any("明日お電話します。" in text for text in line.texts_to(RESIDENT)))
    page.reload()
    expect(page.locator(".delivery").first).to_have_text("送信済み")

    page.get_by_role("link", name="完了にする…").click()
    page.get_by_label("完了の理由（結果）").select_option("resolved")
    page.get_by_role("button", name="完了にする").click()
    expect(page.locator("#record-status")).to_have_text("完了")
    wait_for(lambda: any("「相談する」" in text for text in line.texts_to(RESIDENT)))
    assert status_of(app, record_id) == ("closed", "taira")
