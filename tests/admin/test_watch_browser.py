"""In headless Chromium: the 見守り board shows an unanswered check-in in red, and one click logs the call.

Uses Debian's ``chromium`` package through Playwright; skipped where it is absent.
"""
from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.models import Resident, utcnow
from bot.models.intake import IntakeRecord
from bot.models.watch import WatchSlot, WatchStep
from bot.services.watch import WatchService
from simulator.live import CHROMIUM, chromium_options, serve_app
from tests.admin.conftest import FAST_HASHING, create_staff
from tests.admin.records_support import submit_record
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


def unanswered_check_in(app) -> None:  # noqa: ANN001
    """A resident of 平 whose check-in of yesterday got no answer; the family has been told."""
    record_id, _ = submit_record(app, area="taira", display_name="見守 花子")
    tsunagu = app.extensions["tsunagu"]
    with tsunagu.db.transaction() as session:
        resident = session.get(Resident, session.get(IntakeRecord, record_id).resident_id)
        service = WatchService(session, tsunagu.profile)
        plan = service.start_plan(resident, interval_days=1, hour=9, starts_on=service.today())
        yesterday = utcnow() - timedelta(days=1)
        session.add(WatchSlot(plan_id=plan.id, due_at=yesterday, sent_at=yesterday, state=WatchSlot.SENT,
                              stage=WatchSlot.CONTACTS_ALERTED))


def test_staff_see_the_overdue_check_in_in_red_and_log_a_call(live, line) -> None:  # noqa: ANN001
    app = live.app
    create_staff(app, "taira@city.example.jp", "平 太郎", "centre_staff", ("taira",))
    unanswered_check_in(app)
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(**chromium_options())
        page = browser.new_context(locale="ja-JP", timezone_id="Asia/Tokyo").new_page()
        page.set_default_timeout(15_000)
        log_in(page, live, "taira@city.example.jp")
        page.get_by_role("link", name="見守り", exact=True).click()
        expect(page.locator("h1")).to_have_text("見守りボード")
        item = page.locator("#watch-unanswered li.watch-unanswered")
        expect(item).to_contain_text("見守 花子")
        expect(item).to_contain_text("家族に連絡済み")
        expect(item).to_have_css("color", "rgb(176, 0, 32)")
        expect(page.locator("#watch-due")).to_contain_text("見守 花子")

        item.get_by_label("結果").select_option(label="無事を確認")
        item.get_by_label("メモ（任意）").fill("電話で元気を確認")
        item.get_by_role("button", name="記録する").click()
        expect(page.locator(".flash-success")).to_contain_text("記録しました。")
        expect(page.locator("#watch-unanswered li.watch-unanswered")).to_have_count(0)
        browser.close()
    with app.extensions["tsunagu"].db.transaction() as session:
        step = session.scalars(select(WatchStep).where(WatchStep.kind == WatchStep.CALL)).one()
        assert (step.result, step.note) == ("safe", "電話で元気を確認")
