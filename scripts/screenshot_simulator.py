"""Take the README's screenshot of the LINE simulator from the running app.

    .venv/bin/python scripts/screenshot_simulator.py [--out docs/screenshots/simulator.png]

Starts the app with demo data on a throw-away database (as ``make run`` does,
in one process), follows the bot as a resident, taps a quick reply and types
a message, then saves the page. Needs Debian's ``chromium`` package.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import expect, sync_playwright

PROJECT_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_ROOT))

from bot import create_app  # noqa: E402
from bot.cli import DEMO_LOADERS, migrate  # noqa: E402
from simulator.live import CHROMIUM, chromium_options, serve_app  # noqa: E402

VIEWPORT = {"width": 1200, "height": 960}


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
            for load in DEMO_LOADERS:
                load(app)
        return app

    return build


def converse(page, url: str) -> None:  # noqa: ANN001
    """Follow the bot, then tap the first quick reply (the start of a consultation)."""
    page.goto(f"{url}/simulator/")
    page.locator("#follow-button").click()
    chat = page.locator(".chat:not([hidden])")
    expect(chat.locator(".row-bot")).to_have_count(1, timeout=15_000)
    page.locator("#quick-replies .chip").first.click()
    expect(chat.locator(".row-bot")).to_have_count(2, timeout=15_000)
    page.locator("#webhook-log details").first.click()  # show one event as the bot received it


def open_living_tab(page) -> None:  # noqa: ANN001
    """Tap the rich menu's くらし・見守り tab (the menu is installed before the page opens)."""
    page.locator("#richmenu .richmenu-tab", has_text="くらし・見守り").click()
    expect(page.locator("#richmenu img")).to_have_attribute("alt", "tsunagu-ja-living", timeout=15_000)
    page.mouse.move(0, 0)  # no hover highlight in the picture


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=PROJECT_ROOT / "docs" / "screenshots" / "simulator.png")
    parser.add_argument("--rich-menu", action="store_true",
                        help="install the rich menu and show its くらし・見守り tab (use with --out)")
    args = parser.parse_args()
    if not Path(CHROMIUM).exists():
        print(f"{CHROMIUM} not found: install Debian's chromium package", file=sys.stderr)
        return 1
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as workdir, serve_app(build_app(Path(workdir))) as live, sync_playwright() as pw:
        browser = pw.chromium.launch(**chromium_options())
        try:
            page = browser.new_page(viewport=VIEWPORT, locale="ja-JP", timezone_id="Asia/Tokyo")
            if args.rich_menu:
                live.app.test_cli_runner().invoke(args=["rich-menu"])
            converse(page, live.url)
            if args.rich_menu:
                open_living_tab(page)
            page.wait_for_timeout(300)  # let the last bubble settle
            page.screenshot(path=str(args.out))
        finally:
            browser.close()
    print(f"saved {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
