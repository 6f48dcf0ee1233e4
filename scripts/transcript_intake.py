"""Print a consultation (相談する) as residents see it, for the README.

    python scripts/transcript_intake.py > /tmp/transcript.md

The real application runs on a throw-away SQLite database and talks to the
fake LINE platform (simulator/platform.py) over loopback, exactly as in the
tests; a resident's taps and words are sent as signed webhooks. The output
is Markdown: the resident's messages, the bot's answers, and the quick-reply
chips under each answer.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import itertools
import json
import sys
import tempfile
import time
import uuid
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot import create_app  # noqa: E402
from bot.cli import migrate  # noqa: E402
from simulator.platform import LinePlatform, serve  # noqa: E402

SECRET, TOKEN = "transcript-secret", "transcript-token"
# The transcript reads the same whenever it is made: a Thursday morning, when the centres are open.
THURSDAY_MORNING = datetime(2026, 12, 3, 10, tzinfo=ZoneInfo("Asia/Tokyo"))
_ids = itertools.count(1)


class Resident:
    """One resident talking to the bot; records the conversation as Markdown."""

    def __init__(self, app, line: LinePlatform, user_id: str, name: str) -> None:  # noqa: ANN001
        self.client, self.line, self.user_id = app.test_client(), line, user_id
        self.lines: list[str] = []
        self.seen = 0
        line.set_profile(user_id, name, "ja")

    def _send(self, event_type: str, shown: str | None, **fields) -> None:  # noqa: ANN003
        event = {
            "type": event_type, "mode": "active", "timestamp": int(time.time() * 1000),
            "source": {"type": "user", "userId": self.user_id},
            "webhookEventId": uuid.uuid4().hex.upper()[:26], "deliveryContext": {"isRedelivery": False},
            "replyToken": self.line.issue_reply_token(self.user_id), **fields,
        }
        body = json.dumps({"destination": "Ubot", "events": [event]}, ensure_ascii=False).encode()
        signature = base64.b64encode(hmac.new(SECRET.encode(), body, hashlib.sha256).digest()).decode()
        response = self.client.post("/callback", data=body, headers={"X-Line-Signature": signature,
                                                                     "Content-Type": "application/json"})
        assert response.status_code == 200, response.data
        if shown:
            self.lines.append(f"**住民** ▸ {shown}\n")
        self._record_answers()

    def _record_answers(self) -> None:
        messages = self.line.messages_to(self.user_id)
        for message in messages[self.seen:]:
            body = message.get("text", f"[{message.get('type')}]").replace("\n", "  \n> ")
            self.lines.append(f"> **つなぐ** ▸ {body}")
            chips = [item["action"]["label"] for item in (message.get("quickReply") or {}).get("items", [])]
            if chips:
                self.lines.append(">  \n> " + " ".join(f"`{chip}`" for chip in chips))
            self.lines.append("")
        self.seen = len(messages)

    def follows(self) -> None:
        self._send("follow", "（友だち追加）", follow={"isUnblocked": False})

    def says(self, words: str) -> None:
        message = {"type": "text", "id": str(next(_ids) + 10**15), "text": words, "quoteToken": "q"}
        self._send("message", words, message=message)

    def taps(self, label: str) -> None:
        """Tap the chip with this label under the newest answer."""
        items = (self.line.messages_to(self.user_id)[-1].get("quickReply") or {}).get("items", [])
        action = next(item["action"] for item in items if item["action"]["label"] == label)
        if action["type"] == "postback":
            self._send("postback", f"`{label}`", postback={"data": action["data"]})
        else:
            self.says(action["text"])

    def sends_photo(self, data: bytes) -> None:
        message_id = str(next(_ids) + 10**15)
        self.line.set_content(message_id, data, "image/jpeg")
        message = {"type": "image", "id": message_id, "contentProvider": {"type": "line"}, "quoteToken": "q"}
        self._send("message", "（写真）", message=message)

    def note(self, text: str) -> None:
        self.lines.append(f"*{text}*\n")


def staff_writes(app, resident: Resident, body: str) -> None:  # noqa: ANN001
    """A member of the record's centre sends a LINE message from the record page (admin/records.py does the same)."""
    from sqlalchemy import select

    from bot.models.intake import IntakeRecord
    from bot.models.staff import CENTRE_STAFF
    from bot.services.workflow import Actor, Workflow
    from bot.tasks.delivery import deliver_to

    tsunagu = app.extensions["tsunagu"]
    with app.app_context():
        with tsunagu.db.transaction() as session:
            record = session.scalars(select(IntakeRecord).order_by(IntakeRecord.id.desc())).first()
            workflow = Workflow(session, tsunagu.profile)
            workflow.send_message(record, Actor(None, CENTRE_STAFF, (record.centre_code,)), body)
        for recipient in workflow.recipients:
            deliver_to(recipient)
    resident._record_answers()


def main() -> int:
    line = LinePlatform(TOKEN)
    server = serve(line)
    line.url = server.url
    with tempfile.TemporaryDirectory() as tmp:
        database = f"sqlite:///{Path(tmp) / 'transcript.db'}"
        migrate(database)
        app = create_app({
            "LINE_CHANNEL_SECRET": SECRET, "LINE_CHANNEL_ACCESS_TOKEN": TOKEN, "LINE_API_ENDPOINT": server.url,
            "DATABASE_URL": database, "HUEY_FILE": str(Path(tmp) / "queue.db"), "HUEY_IMMEDIATE": True,
            "SECRET_KEY": "transcript", "SIMULATOR": False, "REDIS_URL": "", "CLOCK": lambda: THURSDAY_MORNING,
        })
        try:
            print(conversation(app, line))
        finally:
            app.extensions["tsunagu"].line.close()
            app.extensions["tsunagu"].db.dispose()
            server.shutdown()
    return 0


def conversation(app, line: LinePlatform) -> str:  # noqa: ANN001
    hanako = Resident(app, line, "U" + "1" * 32, "山田花子")
    hanako.note("ボタンを使わず、すべて文字で入力する住民")
    hanako.follows()
    hanako.says("相談したいです")
    hanako.says("家族のことです")
    hanako.says("娘です")
    hanako.says("山田キヨ")
    hanako.says("介護")
    hanako.says("お金")
    hanako.says("以上です")
    hanako.says("小名浜の方です")
    hanako.says("母（82歳）と二人暮らしです。最近、母のもの忘れがひどくなり、夜中に外へ出てしまうこともあります。")
    hanako.says("母は穏やかで、暴れることはありません。")
    hanako.says("私は仕事を休みがちになり、収入が減って生活費も心配です。")
    hanako.sends_photo(b"\xff\xd8\xff\xe0" + b"a photo of a letter from the care insurance office")
    hanako.says("いじょうです")
    hanako.says("数日以内")
    hanako.says("電話でおねがいします")
    hanako.says("０９０ー１２３４ー５６７８")
    hanako.says("火曜の午後")
    hanako.says("はい、いいです")
    hanako.says("急ぎを変えたいです")
    hanako.says("今すぐ")
    hanako.says("これでおねがいします")
    hanako.note("後日、同じトークで")
    hanako.says("明日の午後なら家にいます")
    hanako.says("母はデイサービスの日です")
    hanako.note("（続けて送ったメッセージには返事を重ねません。どちらも受付番号の記録に職員向けに加わります）")
    hanako.note("小名浜地区保健福祉センターの担当者が、記録の画面からメッセージを送ります")
    staff_writes(app, hanako, "お母さまの物忘れについて、かかりつけの病院はありますか。")
    hanako.says("はい、小名浜の〇〇クリニックです")
    hanako.says("さっきの相談はどうなってますか")

    taro = Resident(app, line, "U" + "2" * 32, "佐藤太郎")
    taro.note("別の住民。イベントを探している途中で")
    taro.follows()
    taro.taps("イベント・サロン")
    taro.says("もう死にたい")
    taro.says("だれにも言えなくて…眠れないです")
    taro.says("やめる")
    taro.says("ありがとう")
    return "\n".join(["## 文字だけで相談する（山田花子さん）", "", *hanako.lines, "",
                      "## イベントを探している途中の危険のサイン（佐藤太郎さん）", "", *taro.lines])


if __name__ == "__main__":
    sys.exit(main())
