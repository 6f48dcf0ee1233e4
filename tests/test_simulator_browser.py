"""In a real browser: open the simulator, follow the bot, tap through a quick reply.

Uses Debian's ``chromium`` package through Playwright (``.ci/run`` installs
it); skipped where it is absent.
"""
import re
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.messaging.line_api import LineApiError
from bot.models import Resident
from simulator.chats import stable_user_id
from simulator.live import CHROMIUM, chromium_options, serve_app

if not Path(CHROMIUM).exists():
    pytest.skip(
        f"browser tests need Chromium at {CHROMIUM}: install Debian's package with `apt-get install chromium`",
        allow_module_level=True,
    )
sync_api = pytest.importorskip("playwright.sync_api", reason="browser tests need Playwright (pip install playwright)")
expect = sync_api.expect

HANAKO = stable_user_id("山田 花子")


@pytest.fixture
def live(make_app):
    """The whole app on loopback, with a queue worker thread standing in for huey_consumer."""
    running = serve_app(lambda endpoint: make_app(LINE_API_ENDPOINT=endpoint, SIMULATOR=True))
    yield running
    running.stop()


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(**chromium_options())
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, live):
    context = browser.new_context(viewport={"width": 1200, "height": 900}, locale="ja-JP", timezone_id="Asia/Tokyo")
    tab = context.new_page()
    tab.set_default_timeout(15_000)
    tab.goto(f"{live.url}/simulator/")
    yield tab
    context.close()


def stored_locale(live, user_id):
    with live.app.extensions["tsunagu"].db.transaction() as session:
        return session.scalars(select(Resident.locale).where(Resident.line_user_id == user_id)).one()


def test_follow_the_bot_and_tap_through_a_quick_reply(page, live):
    chat = page.locator(".chat:not([hidden])")
    expect(page.locator(".resident[aria-pressed=true]")).to_contain_text("山田 花子")
    expect(page.locator("#message-input")).to_be_disabled()

    page.get_by_role("button", name="Add friend 友だち追加").first.click()

    expect(chat.locator(".row-bot")).to_contain_text("山田 花子さん、友だち追加ありがとうございます。")
    chips = page.locator("#quick-replies .chip")
    expect(chips).to_contain_text(["相談する", "イベント・サロン", "申込の確認", "言語/Language"])
    expect(page.locator("#message-input")).to_be_enabled()

    chips.filter(has_text="言語/Language").click()

    expect(chat.locator(".row-resident").last).to_contain_text("言語/Language")
    expect(chat.locator(".row-bot").last).to_contain_text("どの言語で表示しますか？")
    page.locator("#quick-replies .chip", has_text="English").click()

    expect(chat.locator(".row-bot").last).to_contain_text("English")
    assert stored_locale(live, HANAKO) == "en"
    expect(page.locator("#webhook-log summary").first).to_contain_text("200 postback")
    expect(page.locator("#violations")).to_be_hidden()


def test_typed_words_and_a_push_appear_without_reloading(page, live):
    page.locator("#follow-button").click()
    chat = page.locator(".chat:not([hidden])")
    expect(chat.locator(".row-bot")).to_have_count(1)

    page.locator("#message-input").fill("メニュー")
    page.locator("#message-input").press("Enter")

    expect(chat.locator(".row-resident").last).to_contain_text("メニュー")
    expect(chat.locator(".row-bot").last).to_contain_text("ご用件を選んでください。")
    live.app.extensions["tsunagu"].line.push(HANAKO, [{"type": "text", "text": "職員の佐藤です。"}],
                                             "0b6e7c1e-5d1a-4c8e-9a3b-2f4d6e8a0c1b")
    expect(chat.locator(".row-bot").last).to_contain_text("職員の佐藤です。")


@pytest.mark.invalid_bodies
def test_a_violation_is_shown_loudly(page, live):
    page.locator("#follow-button").click()
    expect(page.locator(".chat:not([hidden]) .row-bot")).to_have_count(1)

    with pytest.raises(LineApiError):
        live.app.extensions["tsunagu"].line.push(HANAKO, [{"type": "text", "text": ""}],
                                                 "1b6e7c1e-5d1a-4c8e-9a3b-2f4d6e8a0c1b")

    banner = page.get_by_role("alert")
    expect(banner).to_be_visible()
    expect(banner).to_contain_text("messages[0].text")


def test_a_sticker_and_a_district_from_the_attachment_panel(page):
    page.locator("#follow-button").click()
    chat = page.locator(".chat:not([hidden])")
    expect(chat.locator(".row-bot")).to_have_count(1)

    page.get_by_role("button", name="Stickers, photos, location / スタンプ・画像・位置情報").click()
    page.get_by_role("button", name="ありがとう / Thanks").click()

    expect(chat.locator(".row-resident .sticker").last).to_have_text("🙏")
    expect(chat.locator(".row-bot").last).to_contain_text("スタンプありがとうございます。")

    page.locator("#attach-toggle").click()
    page.locator("#open-location").click()
    page.get_by_role("dialog").get_by_role("button", name="小名浜").click()

    expect(chat.locator(".row-resident .location-title").last).to_have_text("小名浜")
    expect(chat.locator(".row-bot").last).to_contain_text("お近くの窓口は小名浜")


def test_a_date_picker_opens_a_date_input_and_sends_the_date(page, live):
    page.locator("#follow-button").click()
    chat = page.locator(".chat:not([hidden])")
    expect(chat.locator(".row-bot")).to_have_count(1)
    picker = {"type": "datetimepicker", "label": "日付を選ぶ", "data": "events:on", "mode": "date",
              "initial": "2025-05-10", "min": "2025-05-01", "max": "2025-05-31"}
    live.app.extensions["tsunagu"].line.push(
        HANAKO, [{"type": "text", "text": "いつがよいですか？", "quickReply": {"items": [{"type": "action", "action": picker}]}}],
        "2b6e7c1e-5d1a-4c8e-9a3b-2f4d6e8a0c1b")

    page.locator("#quick-replies .chip", has_text="日付を選ぶ").click()
    dialog = page.get_by_role("dialog")
    expect(dialog.locator("input[type=date]")).to_have_value("2025-05-10")
    dialog.locator("input[type=date]").fill("2025-05-20")
    dialog.get_by_role("button", name="OK").click()

    expect(page.locator("#webhook-log summary").first).to_contain_text("200 postback")
    sent = [e.data["event"] for e in live.app.extensions["simulator"].entries_after(0) if e.kind == "webhook"][-1]
    assert sent["postback"] == {"data": "events:on", "params": {"date": "2025-05-20"}}


def test_a_photo_from_this_computer_is_sent_and_shown(page, live, tmp_path):
    page.locator("#follow-button").click()
    chat = page.locator(".chat:not([hidden])")
    expect(chat.locator(".row-bot")).to_have_count(1)
    photo = tmp_path / "photo.png"
    photo.write_bytes(bytes.fromhex(
        "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
        "1f15c4890000000d49444154789c6360000002000001e221bc330000000049454e44ae426082"))

    page.locator("#image-input").set_input_files(str(photo))

    expect(chat.locator(".row-resident img").last).to_have_attribute("src", re.compile(r"^/simulator/content/\d+$"))
    expect(chat.locator(".row-bot")).to_have_count(2)
