"""Take the README's screenshot of the staff events pages from the running app.

    .venv/bin/python scripts/screenshot_admin_events.py [--out docs/screenshots/admin-events.png]

Starts the app with the demo staff and demo events on a throw-away database
(as ``make run`` does, in one process), logs in as the demo coordinator,
opens the events list and the nearly full オレンジカフェ with its waiting
list, ticks one person as attended, and saves both pages side by side.
Needs Debian's ``chromium`` package (and fonts-noto-cjk for Japanese).
"""
from __future__ import annotations

import argparse
import base64
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import expect, sync_playwright

PROJECT_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_ROOT))

from bot.demo.staff import DEMO_PASSWORD, load_demo_staff  # noqa: E402
from bot import create_app  # noqa: E402
from bot.cli import migrate  # noqa: E402
from bot.demo.events import load as load_demo_events  # noqa: E402
from simulator.live import CHROMIUM, chromium_options, serve_app  # noqa: E402

VIEWPORT = {"width": 1100, "height": 1500}
EVENT_TITLE = "オレンジカフェ たいら"  # full, with a waiting list (bot/demo/events.py)


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
            load_demo_events(app)
        return app

    return build


def visit(page, url: str) -> tuple[bytes, bytes]:  # noqa: ANN001
    """Log in as the coordinator; photograph the events list and one event page."""
    page.goto(f"{url}/admin/login")
    page.fill("#email", "coordinator@example.jp")
    page.fill("#password", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.get_by_role("link", name="イベント", exact=True).click()
    expect(page.locator("h1")).to_have_text("イベント・サロン")
    listing = page.screenshot()
    page.get_by_role("link", name=EVENT_TITLE).click()
    expect(page.locator("h1")).to_have_text(EVENT_TITLE)
    page.locator("table.attendance input[type=checkbox]").first.check()
    page.get_by_role("button", name="出席を保存").click()
    expect(page.locator(".flash-success")).to_contain_text("出席を保存しました")
    page.evaluate("window.scrollTo(0, 0)")  # the save returns to the attendance list; show the page's top
    return listing, page.screenshot()


def side_by_side(page, left: bytes, right: bytes, out: Path) -> None:  # noqa: ANN001
    """Put the two pages next to each other in one image (drawn by the browser itself)."""
    def img(png: bytes) -> str:
        return f'<img src="data:image/png;base64,{base64.b64encode(png).decode()}">'

    page.set_viewport_size({"width": 2 * VIEWPORT["width"] + 60, "height": 600})
    page.set_content(
        "<style>body{margin:0;background:#cfd6dc;display:grid;grid-template-columns:1fr 1fr;gap:20px;"
        "padding:20px;align-items:start}img{width:100%;box-shadow:0 2px 8px rgba(0,0,0,.25)}</style>"
        + img(left) + img(right)
    )
    page.screenshot(path=str(out), full_page=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=PROJECT_ROOT / "docs" / "screenshots" / "admin-events.png")
    args = parser.parse_args()
    if not Path(CHROMIUM).exists():
        print(f"{CHROMIUM} not found: install Debian's chromium package", file=sys.stderr)
        return 1
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as workdir, serve_app(build_app(Path(workdir))) as live, sync_playwright() as pw:
        browser = pw.chromium.launch(**chromium_options())
        try:
            page = browser.new_page(viewport=VIEWPORT, locale="ja-JP", timezone_id="Asia/Tokyo")
            listing, event_page = visit(page, live.url)
            side_by_side(page, listing, event_page, args.out)
        finally:
            browser.close()
    print(f"saved {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
