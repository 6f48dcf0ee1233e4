"""Take the README's screenshots of the intake queue and a record page from the running app.

    .venv/bin/python scripts/screenshot_admin.py [--out docs/screenshots]

Starts the app with the demo data (staff, consultations, response templates)
on a throw-away database, in one process with a queue worker, logs in as the
demo coordinator, photographs the queue (admin-queue.png), then opens the
8050 family's record, sends the resident a message from a response template
and photographs the record page (admin-record.png). Needs Debian's
``chromium`` package (and fonts-noto-cjk for Japanese).
"""
from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import expect, sync_playwright

PROJECT_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_ROOT))

from bot.demo.staff import DEMO_PASSWORD, load_demo_staff  # noqa: E402
from bot import create_app  # noqa: E402
from bot.cli import migrate  # noqa: E402
from bot.demo.intake import load as load_demo_intake  # noqa: E402
from bot.demo.workflow import load as load_demo_workflow  # noqa: E402
from simulator.live import CHROMIUM, chromium_options, serve_app  # noqa: E402

VIEWPORT = {"width": 1200, "height": 1000}
FAMILY_DETAILS = "80代の母と50代の兄の二人暮らしです。"  # bot/demo/intake.py


def build_app(workdir: Path):  # noqa: ANN201
    database_url = f"sqlite:///{workdir / 'tsunagu.db'}"
    migrate(database_url)

    def build(endpoint: str):  # noqa: ANN202
        app = create_app({
            "DATABASE_URL": database_url,
            "HUEY_FILE": str(workdir / "queue.db"),
            "LINE_API_ENDPOINT": endpoint,
            "LINE_CHANNEL_SECRET": "simulator-channel-secret",
            "LINE_CHANNEL_ACCESS_TOKEN": "simulator-access-token",
            "SECRET_KEY": "screenshot-only",
            "SIMULATOR": True,
        })
        with app.app_context():
            load_demo_staff(app)
            load_demo_intake(app)
            load_demo_workflow(app)
        return app

    return build


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=PROJECT_ROOT / "docs" / "screenshots")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as workdir, serve_app(build_app(Path(workdir))) as live, sync_playwright() as pw:
        browser = pw.chromium.launch(**chromium_options())
        page = browser.new_page(viewport=VIEWPORT, locale="ja-JP", timezone_id="Asia/Tokyo")
        page.set_default_timeout(15_000)
        page.goto(f"{live.url}/admin/login")
        page.fill("#email", "coordinator@example.jp")
        page.fill("#password", DEMO_PASSWORD)
        page.click("button[type=submit]")
        page.get_by_role("link", name="受付一覧").click()
        expect(page.locator("h1")).to_have_text("受付一覧")
        page.screenshot(path=str(args.out / "admin-queue.png"), full_page=True)

        page.get_by_label("受付番号・内容で検索").fill("80代の母")
        page.get_by_role("button", name="絞り込む").click()
        page.locator("tr.record-row a").first.click()
        expect(page.get_by_text(FAMILY_DETAILS)).to_be_visible()
        page.get_by_label("定型文").select_option(label="受付のお礼と連絡予定")
        page.get_by_role("button", name="送信する").click()
        expect(page.locator(".flash-success")).to_be_visible()
        page.wait_for_timeout(1500)  # the worker delivers the push to the simulator
        page.reload()
        page.screenshot(path=str(args.out / "admin-record.png"), full_page=True)
        browser.close()
    print(f"saved {args.out / 'admin-queue.png'} and {args.out / 'admin-record.png'}")


if __name__ == "__main__":
    main()
