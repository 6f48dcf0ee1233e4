"""Simulated residents talk to the real bot: webhooks in, replies and pushes back, rules enforced."""
import json
import threading
import time
import uuid

import pytest
from sqlalchemy import select

from bot.messaging.line_api import LineApiError
from bot.models import Resident
from simulator.chats import BLOCKED, FRIEND, Simulator, SimulatorError, stable_user_id
from simulator.render import STICKERS
from simulator.web import in_process_webhook
from tests.conftest import CHANNEL_SECRET

PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000001e221bc330000000049454e44ae426082"
)


@pytest.fixture
def simulator(app, line):
    """The page's simulator, on the test's fake platform, posting to this app's /callback."""
    return Simulator(line, CHANNEL_SECRET, in_process_webhook(app), residents=(("山田 花子", "ja"), ("Maria", "en")))


@pytest.fixture
def hanako(simulator):
    return stable_user_id("山田 花子")


def kinds(simulator, user_id=None):
    return [e.kind for e in simulator.entries_after(0) if user_id is None or e.user_id == user_id]


def received(simulator, user_id):
    return [e.message for e in simulator.entries_after(0) if e.kind == "received" and e.user_id == user_id]


def stored_resident(app, user_id):
    with app.extensions["tsunagu"].db.transaction() as session:
        return session.scalars(select(Resident).where(Resident.line_user_id == user_id)).one()


def test_residents_are_registered_with_the_platform_with_name_and_language(simulator, app, line, worker):
    maria = stable_user_id("Maria")

    simulator.follow(maria)
    worker.drain()

    resident = stored_resident(app, maria)
    assert (resident.display_name, resident.locale) == ("Maria", "en")
    assert simulator.residents[maria].status == FRIEND


def test_following_gets_the_greeting_as_a_reply_in_the_chat(simulator, hanako, worker, line):
    simulator.follow(hanako)
    worker.drain()

    [greeting] = received(simulator, hanako)
    assert "山田 花子さん、友だち追加ありがとうございます" in greeting["text"]
    assert [sent.kind for sent in line.sent] == ["reply"]
    assert kinds(simulator, hanako) == ["note", "webhook", "received"]
    assert line.violations == []


def test_tapping_a_quick_reply_sends_its_postback_and_shows_its_display_text(simulator, hanako, worker):
    simulator.follow(hanako)
    worker.drain()
    [greeting] = received(simulator, hanako)
    chip = next(item["action"] for item in greeting["quickReply"]["items"] if item["action"]["label"] == "言語/Language")

    simulator.tap(hanako, chip)
    worker.drain()

    shown = [e for e in simulator.entries_after(0) if e.kind == "shown"]
    assert [e.text for e in shown] == ["言語/Language"]
    webhook = [e for e in simulator.entries_after(0) if e.kind == "webhook"][-1]
    assert webhook.data["event"]["postback"] == {"data": "menu:language"}
    assert webhook.data["status"] == 200
    assert "どの言語で表示しますか" in received(simulator, hanako)[-1]["text"]


def test_typed_words_reach_the_bot_and_the_bot_answers(simulator, hanako, worker):
    simulator.follow(hanako)
    simulator.say(hanako, "メニュー")
    worker.drain()

    sent = [e.message for e in simulator.entries_after(0) if e.kind == "sent"]
    assert [m["text"] for m in sent] == ["メニュー"]
    assert received(simulator, hanako)[-1]["text"] == "ご用件を選んでください。"


def test_a_photo_is_kept_for_the_bots_content_api_call(simulator, hanako, app, worker):
    simulator.follow(hanako)
    entry = simulator.send_image(hanako, PNG, "image/png")
    worker.drain()

    message_id = [e for e in simulator.entries_after(0) if e.kind == "sent"][-1].message["id"]
    assert entry.data["event"]["message"]["id"] == message_id
    assert app.extensions["tsunagu"].line.get_content(message_id) == PNG
    assert "ファイルを受け取りました" in received(simulator, hanako)[-1]["text"]


def test_a_sticker_and_a_location_reach_the_bot(simulator, hanako, worker):
    simulator.follow(hanako)
    simulator.send_sticker(hanako, STICKERS[0])
    simulator.share_location(hanako, 36.9455, 140.9059, "小名浜", "いわき市小名浜")
    worker.drain()

    answers = [m["text"] for m in received(simulator, hanako)]
    assert "スタンプありがとうございます" in answers[1]
    assert "小名浜" in answers[2]


def test_blocking_sends_unfollow_and_later_pushes_are_not_delivered(simulator, hanako, app, worker, line):
    simulator.follow(hanako)
    worker.drain()

    simulator.block(hanako)
    worker.drain()
    app.extensions["tsunagu"].line.push(hanako, [{"type": "text", "text": "お元気ですか"}], str(uuid.uuid4()))

    assert simulator.residents[hanako].status == BLOCKED
    assert stored_resident(app, hanako).blocked_at is not None
    [undelivered] = [e for e in simulator.entries_after(0) if e.kind == "note" and e.message]
    assert undelivered.message["text"] == "お元気ですか"
    assert "blocked" in undelivered.text


def test_unblocking_sends_follow_with_is_unblocked(simulator, hanako, worker):
    simulator.follow(hanako)
    simulator.block(hanako)

    simulator.follow(hanako)
    worker.drain()

    follows = [e.data["event"] for e in simulator.entries_after(0) if e.kind == "webhook" and e.data["event"]["type"] == "follow"]
    assert [f["follow"]["isUnblocked"] for f in follows] == [False, True]


def test_a_resident_can_unsend_only_their_own_message(simulator, hanako, worker):
    simulator.follow(hanako)
    simulator.say(hanako, "まちがえました")
    message_id = [e for e in simulator.entries_after(0) if e.kind == "sent"][-1].message["id"]

    with pytest.raises(SimulatorError):
        simulator.unsend(stable_user_id("Maria"), message_id)
    entry = simulator.unsend(hanako, message_id)
    worker.drain()

    assert entry.data["event"]["unsend"] == {"messageId": message_id}
    assert "unsent" in kinds(simulator, hanako)


def test_a_reused_reply_token_is_shown_as_a_violation(simulator, hanako, app, line, worker):
    simulator.follow(hanako)
    worker.drain()
    token = [e for e in simulator.entries_after(0) if e.kind == "webhook"][-1].data["event"]["replyToken"]

    with pytest.raises(LineApiError, match="Invalid reply token"):
        app.extensions["tsunagu"].line.reply(token, [{"type": "text", "text": "もう一度"}])

    [violation] = [e for e in simulator.entries_after(0) if e.kind == "violation"]
    assert "Invalid reply token" in violation.text


def test_a_webhook_the_bot_refuses_is_shown_as_a_violation(app, line):
    wrong_secret = Simulator(line, "not-the-channel-secret", in_process_webhook(app), residents=(("A", "ja"),))

    entry = wrong_secret.follow(stable_user_id("A"))

    assert entry.data["status"] == 400
    [violation] = [e for e in wrong_secret.entries_after(0) if e.kind == "violation"]
    assert "answered 400 to a follow event" in violation.text


@pytest.mark.parametrize(
    ("do", "message"),
    [
        (lambda s, u: s.say(u, "   "), "Type something"),
        (lambda s, u: s.say(u, "あ" * 5001), "5000"),
        (lambda s, u: s.send_image(u, b"GIF89a", "application/pdf"), "image"),
        (lambda s, u: s.share_location(u, 137.0, 37.0), "Latitude"),
        (lambda s, u: s.tap(u, {"type": "uri", "uri": "https://example.com"}), "sends no event"),
        (lambda s, u: s.say("Unobody", "こんにちは"), "No simulated resident"),
    ],
)
def test_what_the_line_app_would_not_send_is_refused(simulator, hanako, line, do, message):
    with pytest.raises(SimulatorError, match=message):
        do(simulator, hanako)
    assert not [e for e in simulator.entries_after(0) if e.kind == "webhook"]


def test_new_residents_need_a_name_and_a_known_language(simulator, line):
    resident = simulator.add_resident("鈴木", "ko")

    assert resident.user_id.startswith("U") and len(resident.user_id) == 33
    with pytest.raises(SimulatorError):
        simulator.add_resident("  ", "ja")
    with pytest.raises(SimulatorError):
        simulator.add_resident("Someone", "klingon")


def test_entries_are_numbered_so_the_page_asks_only_for_new_ones(simulator, hanako, worker):
    simulator.follow(hanako)
    worker.drain()
    seen = simulator.entries_after(0)[-1].seq

    simulator.say(hanako, "メニュー")
    worker.drain()

    newer = simulator.entries_after(seen)
    assert [e.kind for e in newer] == ["sent", "webhook", "received"]
    assert [e.seq for e in newer] == [seen + 1, seen + 2, seen + 3]
    assert json.dumps(newer[0].message, ensure_ascii=False)


def test_the_loading_animation_shows_in_the_residents_chat(simulator, hanako, app):
    app.extensions["tsunagu"].line.show_loading(hanako, 10)

    [loading] = [e for e in simulator.entries_after(0) if e.kind == "loading"]
    assert (loading.user_id, loading.data["seconds"]) == (hanako, 10)


def test_a_waiting_page_is_woken_by_a_push(simulator, hanako, app):
    seen = simulator.entries_after(0)[-1].seq if simulator.entries_after(0) else 0
    push = threading.Timer(0.2, app.extensions["tsunagu"].line.push,
                           (hanako, [{"type": "text", "text": "お知らせです"}], str(uuid.uuid4())))
    started = time.monotonic()
    push.start()

    [entry] = simulator.entries_after(seen, wait=10)

    push.join()
    assert entry.message["text"] == "お知らせです"
    assert time.monotonic() - started < 5
