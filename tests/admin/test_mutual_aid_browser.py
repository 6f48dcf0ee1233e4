"""In headless Chromium: the SC opens the board with the demo data, sends an open call, and sees it waiting.

Uses Debian's ``chromium`` package through Playwright; skipped where it is absent.
"""
from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from bot.demo.mutual_aid import load_demo_mutual_aid
from bot.models import HelpOffer, HelpRequest, Supporter
from simulator.live import CHROMIUM, chromium_options, serve_app
from tests.admin.conftest import FAST_HASHING, create_staff
from tests.admin.test_records_browser import log_in

if not Path(CHROMIUM).exists():
    pytest.skip(f"browser tests need Chromium at {CHROMIUM}", allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api", reason="browser tests need Playwright (pip install playwright)")
expect = sync_api.expect


@pytest.fixture
def live(make_app):  # noqa: ANN001
    running = serve_app(lambda endpoint: make_app(**FAST_HASHING))
    yield running
    running.stop()


def test_the_sc_works_the_board_in_a_browser(live) -> None:  # noqa: ANN001
    app = live.app
    with app.app_context():
        load_demo_mutual_aid(app)
        assert load_demo_mutual_aid(app)[-1] == "demo mutual aid: supporters exist, nothing added"
    create_staff(app, "sc@city.example.jp", "支援 一子", "life_support", ("taira",))
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(**chromium_options())
        tab = browser.new_context(viewport={"width": 1200, "height": 900}, locale="ja-JP",
                                  timezone_id="Asia/Tokyo").new_page()
        tab.set_default_timeout(15_000)
        log_in(tab, live, "sc@city.example.jp")
        tab.get_by_role("link", name="支え合い").click()
        waiting = tab.locator("#waiting")
        expect(waiting).to_contain_text("電球の交換")
        expect(waiting).not_to_contain_text("通院")  # 小名浜's request is another SC's
        expect(tab.locator("#load")).to_contain_text("城山 和子")
        expect(tab.locator("#load")).not_to_contain_text("小名浜 陽子")
        waiting.get_by_role("row").filter(has_text="電球の交換").get_by_role("link").click()
        expect(tab.locator("#candidates")).to_contain_text("城山 和子")  # 電球交換 is one of her skills
        tab.locator("#open-call").click()
        expect(tab.locator("#request-status")).to_have_text("呼びかけ中")
        expect(tab.locator("#offers")).to_contain_text("返事待ち")
        tab.get_by_role("link", name="支え合い").click()
        expect(waiting.get_by_role("row").filter(has_text="電球の交換")).to_contain_text("返事待ち")
        tab.get_by_role("link", name="支え手名簿・グループ").click()
        expect(tab.locator("#supporters")).to_contain_text("応募")
        expect(tab.get_by_role("heading", name="平 城山 支え合いの会")).to_be_visible()
        browser.close()
    with app.extensions["tsunagu"].db.transaction() as session:
        bulb = session.scalars(select(HelpRequest).where(HelpRequest.name == "佐々木 一男")).one()
        assert bulb.status == "calling"
        assert session.scalar(select(func.count(HelpOffer.id)).where(HelpOffer.request_id == bulb.id)) >= 1
        assert session.scalar(select(func.count(Supporter.id))) == 6
