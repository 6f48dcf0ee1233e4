"""Take the README's screenshots of the intake queue and a record page from the running app.

    .venv/bin/python scripts/screenshot_admin.py [--out docs/screenshots]

Starts the app with the demo data (staff, consultations, response templates)
on a throw-away database, in one process with a queue worker, logs in as the
demo coordinator (second factor set up beforehand, its code computed as an
authenticator app would), photographs the queue (admin-queue.png), then opens
the 8050 family's record, sends the resident a message from a response
template and photographs the record page (admin-record.png); opens the
resident page of that family, whose household holds another resident
(admin-resident.png); then a resident writes a danger signal and the alert
appears on the open page (admin-alert.png). Needs Debian's ``chromium``
package (and fonts-noto-cjk for Japanese).
"""
from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

import pyotp
from sqlalchemy import select

from playwright.sync_api import expect, sync_playwright

PROJECT_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_ROOT))

from bot.demo.mutual_aid import load_demo_mutual_aid
from bot.demo.staff import DEMO_PASSWORD, load_demo_staff  # noqa: E402
from bot import create_app  # noqa: E402
from bot.cli import migrate  # noqa: E402
from bot.demo.intake import load as load_demo_intake  # noqa: E402
from bot.demo.workflow import load as load_demo_workflow  # noqa: E402
from bot.demo.watch import load as load_demo_watch  # noqa: E402
from bot.demo.figures import load as load_demo_figures  # noqa: E402
from bot.demo.notices import load as load_demo_notices  # noqa: E402
from admin.two_factor import SecondFactors  # noqa: E402
from bot.models import StaffAccount, utcnow  # noqa: E402
from bot.models.intake import IntakeMessage, IntakeRecord  # noqa: E402
from bot.services.households import Households  # noqa: E402
from bot.services.intake import IntakeService  # noqa: E402
from bot.services.residents import ResidentService  # noqa: E402
from simulator.live import CHROMIUM, chromium_options, serve_app  # noqa: E402

VIEWPORT = {"width": 1200, "height": 1000}
FAMILY_DETAILS = "80代の母と50代の兄の二人暮らしです。"  # bot/demo/intake.py
COORDINATOR = "coordinator@example.jp"


class Everyone:
    """The coordinator's scope: every centre (what Households.link needs to find a record by receipt)."""

    def filter_by_centre(self, stmt, centre_code):  # noqa: ANN001, ANN201
        return stmt


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
            "ALERT_POLL_SECONDS": 1,
        })
        with app.app_context():
            load_demo_staff(app)
            load_demo_intake(app)
            load_demo_workflow(app)
            load_demo_watch(app)
            load_demo_mutual_aid(app)
            load_demo_notices(app)
            load_demo_figures(app)
            prepare(app)
        return app

    return build


SECRETS: dict[str, str] = {}
LIFE_SUPPORT_EMAIL = "sc@example.jp"


def prepare(app) -> None:  # noqa: ANN001
    """The coordinator's second factor, and the 8050 family's household with one more resident in it."""
    with app.extensions["tsunagu"].db.transaction() as session:
        factors = SecondFactors(session, app.extensions["tsunagu_admin"].secrets)
        for email in (COORDINATOR, LIFE_SUPPORT_EMAIL):
            account = session.scalars(select(StaffAccount).where(StaffAccount.email == email)).one()
            SECRETS[email] = factors.offer(account)
            factors.enrol(account, pyotp.TOTP(SECRETS[email]).now(), utcnow())
        coordinator = session.scalars(select(StaffAccount).where(StaffAccount.email == COORDINATOR)).one()
        family = session.scalars(select(IntakeRecord).join(IntakeMessage).where(
            IntakeMessage.text.like(f"%{FAMILY_DETAILS}%"))).first()
        # Another demo resident, with a consultation of their own, joins the household.
        other = session.scalars(select(IntakeRecord).where(IntakeRecord.resident_id != family.resident_id)
                                .order_by(IntakeRecord.id)).first()
        households = Households(session, app.extensions["tsunagu"].profile)
        households.link(Everyone(), family.resident, "child", coordinator.id)
        households.link(Everyone(), other.resident, "sibling", coordinator.id, family.receipt_number)


def danger_signal(app) -> None:  # noqa: ANN001
    """A resident of 平 writes that they want to die: an urgent record (as bot/flows/crisis.py makes it)."""
    tsunagu = app.extensions["tsunagu"]
    with tsunagu.db.transaction() as session:
        resident = ResidentService(session).get_or_create("U" + "d" * 32)
        resident.display_name, resident.area_code = "佐藤太郎", "taira"
        IntakeService(session, tsunagu.profile).raise_alarm(resident, "もう死にたい", "screenshot-1", {"suicide"})


def figures(page, live, out: Path) -> None:  # noqa: ANN001
    """The figures page in meeting mode (admin-figures.png) and as printed on A4 (admin-figures-print.png)."""
    page.goto(f"{live.url}/admin/figures/")
    expect(page.locator(".chart img").first).to_be_visible()
    page.set_viewport_size({"width": VIEWPORT["width"], "height": 1500})
    page.screenshot(path=str(out / "admin-figures.png"))
    printing = page.context.browser.new_page(viewport={"width": 794, "height": 1123}, locale="ja-JP",
                                             timezone_id="Asia/Tokyo")  # A4 at 96 dpi
    printing.context.add_cookies(page.context.cookies())
    printing.emulate_media(media="print")
    printing.goto(f"{live.url}/admin/figures/?mode=meeting")
    printing.screenshot(path=str(out / "admin-figures-print.png"))  # the first A4 page
    printing.close()


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
        page.fill("#email", COORDINATOR)
        page.fill("#password", DEMO_PASSWORD)
        page.click("button[type=submit]")
        page.fill("#code", pyotp.TOTP(SECRETS[COORDINATOR]).now())
        page.click("button[type=submit]")
        page.get_by_role("link", name="受付一覧").click()
        expect(page.locator("h1")).to_have_text("受付一覧")
        page.screenshot(path=str(args.out / "admin-queue.png"), full_page=True)

        page.get_by_label("受付番号・内容・名前・電話番号で検索").fill("80代の母")
        page.get_by_role("button", name="絞り込む").click()
        page.locator("tr.record-row a").first.click()
        expect(page.get_by_text(FAMILY_DETAILS)).to_be_visible()
        page.get_by_label("定型文").select_option(label="受付のお礼と連絡予定")
        page.get_by_role("button", name="送信する").click()
        expect(page.locator(".flash-success")).to_be_visible()
        page.wait_for_timeout(1500)  # the worker delivers the push to the simulator
        page.reload()
        page.screenshot(path=str(args.out / "admin-record.png"), full_page=True)

        page.locator("#resident-link").click()
        expect(page.locator(".household-member").first).to_be_visible()
        page.screenshot(path=str(args.out / "admin-resident.png"), full_page=True)

        page.get_by_role("link", name="お知らせ", exact=True).click()
        page.get_by_role("link", name="小川のサロン再開のお知らせ").click()
        expect(page.locator("#reach")).to_be_visible()
        page.screenshot(path=str(args.out / "admin-notices.png"), full_page=True)
        page.get_by_role("link", name="見守り", exact=True).click()
        expect(page.locator("h1")).to_have_text("見守りボード")
        page.screenshot(path=str(args.out / "admin-watch.png"), full_page=True)

        danger_signal(live.app)
        expect(page.locator(".alert-line").first).to_be_visible(timeout=10_000)
        page.screenshot(path=str(args.out / "admin-alert.png"))

        figures(page, live, args.out)
        # 住民支え合い: the SC's board (the demo SC of the first centre).
        page.get_by_role("button", name="ログアウト").click()
        page.goto(f"{live.url}/admin/login")
        page.fill("#email", LIFE_SUPPORT_EMAIL)
        page.fill("#password", DEMO_PASSWORD)
        page.click("button[type=submit]")
        page.fill("#code", pyotp.TOTP(SECRETS[LIFE_SUPPORT_EMAIL]).now())
        page.click("button[type=submit]")
        page.get_by_role("link", name="支え合い").click()
        expect(page.locator("#waiting")).to_be_visible()
        page.screenshot(path=str(args.out / "admin-mutual-aid.png"), full_page=True)
        page.locator("#checks a").first.click()  # a request with the resident's answer after the help
        expect(page.locator("#request-check")).to_be_visible()
        page.screenshot(path=str(args.out / "admin-mutual-aid-request.png"), full_page=True)
        browser.close()
    print(f"saved the admin screenshots in {args.out}")


if __name__ == "__main__":
    main()
