"""In headless Chromium: a resident's danger message (through the signed webhook) puts a banner on the
open admin page of staff of the record's centre, without a reload, and not on another centre's page.

Uses Debian's ``chromium`` package through Playwright; skipped where it is absent.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from simulator.live import CHROMIUM, chromium_options, serve_app
from tests.admin.conftest import FAST_HASHING, create_staff
from tests.admin.records_support import submit_record, user_id
from tests.admin.test_records_browser import log_in
from tests.conftest import CHANNEL_SECRET
from tests.support import Chat

if not Path(CHROMIUM).exists():
    pytest.skip(f"browser tests need Chromium at {CHROMIUM}: install Debian's package with `apt-get install chromium`",
                allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api", reason="browser tests need Playwright (pip install playwright)")
expect = sync_api.expect

RESIDENT = user_id(5151)


@pytest.fixture
def live(make_app):  # noqa: ANN001
    """The app on loopback with a queue worker thread; pages ask for alerts every second."""
    running = serve_app(lambda endpoint: make_app(ALERT_POLL_SECONDS=1, **FAST_HASHING))
    yield running
    running.stop()


@pytest.fixture
def chromium(live):  # noqa: ANN001
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(**chromium_options())
        yield browser
        browser.close()


def staff_page(chromium, live, email: str, path: str):  # noqa: ANN001, ANN201
    """A member of staff logged in, with one admin page open and its alerts polling."""
    context = chromium.new_context(viewport={"width": 1200, "height": 900}, locale="ja-JP", timezone_id="Asia/Tokyo")
    tab = context.new_page()
    tab.set_default_timeout(15_000)
    log_in(tab, live, email)
    tab.goto(f"{live.url}{path}")
    expect(tab.locator("#alerts")).to_have_attribute("data-ready", "yes")  # the page knows where news starts
    return tab


def test_a_danger_message_shows_a_banner_on_the_centres_open_pages_only(live, chromium, line) -> None:  # noqa: ANN001
    app = live.app
    create_staff(app, "taira@city.example.jp", "平 太郎", "centre_staff", ("taira",))
    create_staff(app, "onahama@city.example.jp", "小名浜 花子", "centre_staff", ("onahama",))
    record_id, receipt = submit_record(app, area="taira", line_user=RESIDENT)
    taira = staff_page(chromium, live, "taira@city.example.jp", "/admin/events/")  # not the queue: any page
    queue = staff_page(chromium, live, "taira@city.example.jp", "/admin/records/")  # a second tab on the queue
    onahama = staff_page(chromium, live, "onahama@city.example.jp", "/admin/")
    expect(taira.locator("#alerts")).to_be_hidden()
    row = queue.locator(f'tr[data-record-id="{record_id}"]')
    expect(row).not_to_have_class(re.compile("record-urgent"))

    line.set_profile(RESIDENT, "相談 花子", "ja")
    resident = Chat(app.test_client(), line, None, RESIDENT, CHANNEL_SECRET)
    resident.says("夫に殴られて逃げています", drain=False)  # the live app's worker answers

    banner = taira.locator("#alerts")
    expect(banner).to_be_visible()
    expect(banner).to_contain_text(receipt)
    expect(banner.get_by_role("link")).to_have_attribute("href", f"/admin/records/{record_id}")
    expect(row).to_have_class(re.compile("record-urgent"))  # the queue's row, without a reload
    expect(queue.locator("#alerts")).to_contain_text(receipt)
    onahama.wait_for_timeout(2500)  # two of its polls
    expect(onahama.locator("#alerts")).to_be_hidden()
    banner.get_by_role("link").click()
    expect(taira.get_by_text("夫に殴られて逃げています").first).to_be_visible()
