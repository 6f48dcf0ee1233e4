"""The simulator page's endpoints, with the bot calling the simulator's LINE API over HTTP."""
import io
import uuid

import pytest
from linebot.v3.messaging import ApiClient, Configuration, MessagingApi, MessagingApiBlob, RichMenuRequest

from bot.messaging.line_api import LineApiError
from simulator.chats import stable_user_id
from simulator.live import serve_app
from tests.support import Worker

HEADERS = {"X-Requested-With": "tsunagu-simulator"}
HANAKO = stable_user_id("山田 花子")
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000001e221bc330000000049454e44ae426082"
)


@pytest.fixture
def live(make_app):
    """The app on loopback with its simulator; the bot's SDK calls reach /simulator/api over HTTP."""
    running = serve_app(lambda endpoint: make_app(LINE_API_ENDPOINT=endpoint, SIMULATOR=True), with_worker=False)
    yield running
    running.stop()


@pytest.fixture
def page(live):
    return live.app.test_client()


@pytest.fixture
def worker(live):
    return Worker(live.app)


def feed(page, after=0):
    response = page.get(f"/simulator/feed?after={after}")
    assert response.status_code == 200
    return response.get_json()


def chat_of(data, user_id=HANAKO):
    return [e for e in data["entries"] if e["userId"] == user_id]


def test_the_page_shows_the_residents_stickers_and_the_citys_districts(page):
    html = page.get("/simulator/").get_data(as_text=True)

    assert 'data-area="taira"' in html and 'data-area="onahama"' in html
    assert 'data-sticker="52002734"' in html
    residents = feed(page)["residents"]
    assert [r["displayName"] for r in residents] == ["山田 花子", "佐藤 健一", "Maria Santos"]
    assert {r["status"] for r in residents} == {"new"}


def test_following_and_tapping_a_chip_through_the_page(page, worker):
    assert page.post(f"/simulator/residents/{HANAKO}/follow", headers=HEADERS).get_json()["webhookStatus"] == 200
    worker.drain()
    greeting = [e for e in chat_of(feed(page)) if e["kind"] == "received"][-1]
    assert "友だち追加ありがとうございます" in greeting["html"]
    assert "言語/Language" in greeting["quickReply"]

    answer = page.post(f"/simulator/residents/{HANAKO}/tap", headers=HEADERS,
                       json={"action": {"type": "postback", "label": "言語/Language", "data": "menu:language",
                                        "displayText": "言語/Language"}})
    worker.drain()

    assert answer.get_json()["ok"] is True
    entries = chat_of(feed(page, greeting["seq"]))
    assert [e["kind"] for e in entries] == ["shown", "webhook", "received"]
    assert "どの言語で表示しますか" in entries[-1]["html"]
    assert feed(page)["residents"][0]["status"] == "friend"


def test_a_date_picker_tap_sends_the_picked_date(page, worker):
    page.post(f"/simulator/residents/{HANAKO}/follow", headers=HEADERS)
    action = {"type": "datetimepicker", "label": "日付", "data": "events:date", "mode": "date"}

    page.post(f"/simulator/residents/{HANAKO}/tap", headers=HEADERS, json={"action": action, "picked": "2025-05-10"})

    webhook = [e for e in feed(page)["entries"] if e["kind"] == "webhook"][-1]
    assert '"params": {\n      "date": "2025-05-10"\n    }' in webhook["event"]


def test_sharing_a_district_sends_its_coordinates_and_name(page, worker):
    page.post(f"/simulator/residents/{HANAKO}/follow", headers=HEADERS)

    page.post(f"/simulator/residents/{HANAKO}/location", headers=HEADERS, json={"area": "onahama"})
    worker.drain()

    sent = [e for e in feed(page)["entries"] if e["kind"] == "sent"][-1]
    assert "小名浜" in sent["html"] and "36.9455, 140.9059" in sent["html"]
    assert "お近くの窓口は小名浜" in [e for e in feed(page)["entries"] if e["kind"] == "received"][-1]["html"]


def test_a_photo_upload_is_shown_and_fetched_by_the_bot(live, page, worker):
    page.post(f"/simulator/residents/{HANAKO}/follow", headers=HEADERS)

    response = page.post(f"/simulator/residents/{HANAKO}/image", headers=HEADERS,
                         data={"image": (io.BytesIO(PNG), "photo.png", "image/png")})
    worker.drain()

    assert response.get_json()["ok"] is True
    sent = [e for e in feed(page)["entries"] if e["kind"] == "sent"][-1]
    message_id = sent["html"].split('data-message-id="')[1].split('"')[0]
    assert page.get(f"/simulator/content/{message_id}").data == PNG
    assert live.app.extensions["tsunagu"].line.get_content(message_id) == PNG


def test_a_sticker_and_new_residents(page, worker):
    created = page.post("/simulator/residents", headers=HEADERS, json={"displayName": "Kim", "language": "ko"})
    user_id = created.get_json()["userId"]
    page.post(f"/simulator/residents/{user_id}/follow", headers=HEADERS)
    page.post(f"/simulator/residents/{user_id}/sticker", headers=HEADERS, json={"stickerId": "52002735"})
    worker.drain()

    assert created.status_code == 201
    entries = chat_of(feed(page), user_id)
    assert "🙏" in [e for e in entries if e["kind"] == "sent"][-1]["html"]
    # A phone in a language the bot does not speak yet gets English.
    greeting, thanks = [e["html"] for e in entries if e["kind"] == "received"]
    assert "Thank you for adding us, Kim." in greeting
    assert "Thanks for the sticker!" in thanks


def test_pushes_appear_in_the_feed_without_any_action_by_the_resident(live, page, worker):
    page.post(f"/simulator/residents/{HANAKO}/follow", headers=HEADERS)
    worker.drain()
    seen = feed(page)["entries"][-1]["seq"]

    live.app.extensions["tsunagu"].line.push(HANAKO, [{"type": "text", "text": "職員からのお返事です"}], str(uuid.uuid4()))

    [push] = feed(page, seen)["entries"]
    assert push["kind"] == "received" and "職員からのお返事です" in push["html"]


@pytest.mark.invalid_bodies
def test_violations_are_in_the_feed(live, page):
    line = live.app.extensions["tsunagu"].line
    with pytest.raises(LineApiError):
        line.push(HANAKO, [{"type": "text", "text": "x" * 5001}], str(uuid.uuid4()))

    [violation] = [e for e in feed(page)["entries"] if e["kind"] == "violation"]
    assert "/v2/bot/message/push -> 400" in violation["text"]
    assert "messages[0].text" in violation["text"]


def test_the_rich_menu_the_bot_sets_is_shown(live, page):
    configuration = Configuration(host=f"{live.url}/simulator/api",
                                  access_token=live.app.config["LINE_CHANNEL_ACCESS_TOKEN"])
    with ApiClient(configuration) as client:
        api = MessagingApi(client)
        rich_menu_id = api.create_rich_menu(RichMenuRequest.from_dict({
            "size": {"width": 2500, "height": 843}, "selected": True, "name": "main", "chatBarText": "メニュー",
            "areas": [{"bounds": {"x": 0, "y": 0, "width": 2500, "height": 843},
                       "action": {"type": "postback", "label": "相談する", "data": "menu:consult"}}],
        })).rich_menu_id
        MessagingApiBlob(client).set_rich_menu_image(rich_menu_id, PNG, _headers={"Content-Type": "image/png"})
        api.set_default_rich_menu(rich_menu_id)
        client.rest_client.pool_manager.clear()

    shown = feed(page)["richMenu"]

    assert f"/simulator/richmenu/{rich_menu_id}/image" in shown and "menu:consult" in shown
    assert page.get(f"/simulator/richmenu/{rich_menu_id}/image").data == PNG


def test_posts_from_other_sites_are_refused(page):
    response = page.post(f"/simulator/residents/{HANAKO}/follow")

    assert response.status_code == 403
    assert [e for e in feed(page)["entries"] if e["kind"] == "webhook"] == []


def test_what_the_app_would_not_send_gets_a_clear_error(page):
    page.post(f"/simulator/residents/{HANAKO}/follow", headers=HEADERS)

    response = page.post(f"/simulator/residents/{HANAKO}/say", headers=HEADERS, json={"text": "  "})

    assert response.status_code == 400
    assert "Type something first" in response.get_json()["error"]
    assert page.post("/simulator/residents/Unobody/say", headers=HEADERS, json={"text": "x"}).status_code == 400
