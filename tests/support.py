"""Test helpers: signed webhook deliveries, a resident's chat, and the worker."""
from __future__ import annotations

import base64
import hashlib
import hmac
import itertools
import json
import os
import time
import uuid
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from jinja2 import BytecodeCache

LOCALES = Path(__file__).resolve().parent.parent / "locales"
_ids = itertools.count(1)


_compiled: dict[Path, tuple[int, int]] = {}  # .po -> (its mtime, its .mo's mtime) when this process compiled it


def compile_catalogs() -> None:
    """Compile the .po catalogs, as ``make`` does, so English answers are testable.

    A catalog this process compiled before is compiled again only if its .po or .mo changed since.
    """
    for po_path in LOCALES.glob("*/LC_MESSAGES/messages.po"):
        mo_path = po_path.with_suffix(".mo")
        if _compiled.get(po_path) == _mtimes(po_path, mo_path):
            continue
        with po_path.open("rb") as po_file:
            catalog = read_po(po_file)
        # Written aside, then renamed: a test running in another process never reads half a catalog.
        partial = mo_path.with_suffix(f".mo.{os.getpid()}")
        with partial.open("wb") as mo_file:
            write_mo(mo_file, catalog)
        os.replace(partial, mo_path)
        _compiled[po_path] = _mtimes(po_path, mo_path)


def _mtimes(po_path: Path, mo_path: Path) -> tuple[int, int]:
    return po_path.stat().st_mtime_ns, mo_path.stat().st_mtime_ns if mo_path.exists() else 0


class CompiledTemplates(BytecodeCache):
    """Jinja's compiled templates, kept in memory and shared by every app a test process builds.

    Each app has its own Jinja environment, which compiles each template on
    first use; the tests build an app per test. Jinja checks each template's
    source against the checksum kept with its code.
    """

    def __init__(self) -> None:
        self._code: dict[str, bytes] = {}

    def load_bytecode(self, bucket) -> None:  # noqa: ANN001
        if (code := self._code.get(bucket.key)) is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket) -> None:  # noqa: ANN001
        self._code[bucket.key] = bucket.bytecode_to_string()


def sign(body: bytes, secret: str) -> str:
    return base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest()).decode()


def now_ms() -> int:
    return int(time.time() * 1000)


def event_envelope(event_type: str, user_id: str, *, reply_token: str | None = None, **fields: Any) -> dict:
    event = {
        "type": event_type,
        "mode": "active",
        "timestamp": now_ms(),
        "source": {"type": "user", "userId": user_id},
        "webhookEventId": "01" + uuid.uuid4().hex.upper()[:24],
        "deliveryContext": {"isRedelivery": False},
    }
    if reply_token:
        event["replyToken"] = reply_token
    event.update(fields)
    return event


def post_events(client, events: list[dict], secret: str, *, signature: str | None = None):  # noqa: ANN001, ANN201
    body = json.dumps({"destination": "Ubot", "events": events}, ensure_ascii=False).encode()
    return client.post(
        "/callback",
        data=body,
        headers={"X-Line-Signature": signature or sign(body, secret), "Content-Type": "application/json"},
    )


def run_like_the_consumer(huey, limit: int) -> None:  # noqa: ANN001
    """Run up to ``limit`` queued tasks as huey's consumer does: ``huey.execute()`` applies their retries.

    Like the consumer, the tasks run for the app the process created last.
    """
    for _ in range(limit):
        task = huey.dequeue()
        if task is None:
            return
        huey.execute(task)


class Worker:
    """Runs the queued tasks in this thread, as the huey consumer would, for ``app``.

    Apps of one test share the queue (as processes share Redis); the tasks
    run for this worker's app, whose context it pushes around each one.
    """

    def __init__(self, app) -> None:  # noqa: ANN001
        self.app = app
        self.huey = app.extensions["tsunagu"].huey

    def drain(self, timeout: float = 15.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            # Redis dequeues block for a second on an empty queue: look first.
            task = self.huey.dequeue() if self.huey.pending_count() else None
            if task is not None:
                self.execute(task)
                continue
            due = self.huey.read_schedule(datetime.now(timezone.utc).replace(tzinfo=None))
            if due:
                for task in due:
                    self.execute(task)
                continue
            if self.huey.scheduled_count() == 0 and self.huey.pending_count() == 0:
                return
            time.sleep(0.005)
        raise AssertionError("the task queue did not drain")

    def execute(self, task) -> None:  # noqa: ANN001
        with self.app.app_context():
            task.execute()


class Chat:
    """One resident talking to the bot through LINE (signed webhooks, the fake platform)."""

    def __init__(self, client, line, worker: Worker, user_id: str, secret: str) -> None:  # noqa: ANN001
        self.client, self.line, self.worker = client, line, worker
        self.user_id, self.secret = user_id, secret
        self._seen = 0

    def send(self, event_type: str, *, reply: bool = True, drain: bool = True, **fields: Any):  # noqa: ANN201
        token = self.line.issue_reply_token(self.user_id) if reply else None
        event = event_envelope(event_type, self.user_id, reply_token=token, **fields)
        response = post_events(self.client, [event], self.secret)
        assert response.status_code == 200, response.data
        if drain:
            self.worker.drain()
        return event

    def follows(self, **kwargs: Any) -> dict:
        return self.send("follow", follow={"isUnblocked": False}, **kwargs)

    def says(self, words: str, **kwargs: Any) -> dict:
        message = {"type": "text", "id": str(next(_ids) + 10**15), "text": words, "quoteToken": "q"}
        return self.send("message", message=message, **kwargs)

    def taps(self, data: str, params: dict | None = None, **kwargs: Any) -> dict:
        postback = {"data": data}
        if params:
            postback["params"] = params
        return self.send("postback", postback=postback, **kwargs)

    def shares_location(self, latitude: float, longitude: float, title: str = "", address: str = "") -> dict:
        message = {"type": "location", "id": str(next(_ids) + 10**15), "latitude": latitude,
                   "longitude": longitude, "title": title, "address": address}
        return self.send("message", message=message)

    # What the resident sees
    def messages(self) -> list[dict]:
        return self.line.messages_to(self.user_id)

    def new_messages(self) -> list[dict]:
        messages = self.messages()
        fresh, self._seen = messages[self._seen :], len(messages)
        return fresh

    def last_text(self) -> str:
        texts = [m.get("text", "") for m in self.messages() if m.get("type") == "text"]
        assert texts, "the bot has said nothing"
        return texts[-1]

    def last_reply_text(self) -> str:
        """The texts of the newest reply or push, as one string (a receipt comes as two bubbles)."""
        requests = self.line.requests_to(self.user_id)
        assert requests, "the bot has said nothing"
        return "\n".join(m.get("text", "") for m in requests[-1] if m.get("type") == "text")

    def chips(self) -> list[str]:
        """Labels of the quick-reply chips under the newest message."""
        messages = self.messages()
        assert messages, "the bot has said nothing"
        items = (messages[-1].get("quickReply") or {}).get("items", [])
        return [item["action"]["label"] for item in items]

    def tap_chip(self, label: str) -> dict:
        items = (self.messages()[-1].get("quickReply") or {}).get("items", [])
        for item in items:
            action = item["action"]
            if action["label"] == label:
                if action["type"] == "postback":
                    return self.taps(action["data"])
                if action["type"] == "message":
                    return self.says(action["text"])
        raise AssertionError(f"no chip {label!r} in {[i['action']['label'] for i in items]}")

    # The rich menu the resident sees (installed with `flask rich-menu`)
    def rich_menu_actions(self) -> list[dict]:
        """The actions of the rich menu this resident sees, tabs first."""
        menu_id = self.line.rich_menu_of(self.user_id)
        assert menu_id is not None, "no rich menu is shown"
        return [area["action"] for area in self.line.rich_menus[menu_id].definition["areas"]]

    def taps_tab(self, page: str, **kwargs: Any) -> dict:
        """Tap a tab of the rich menu: LINE switches the menu, then sends the tab's postback."""
        tabs = [a for a in self.rich_menu_actions() if a["type"] == "richmenuswitch"]
        action = next((a for a in tabs if a.get("data") == f"tab:{page}"), None)
        assert action is not None, f"no tab {page!r} in {[a.get('data') for a in tabs]}"
        status = self.line.switch_rich_menu(self.user_id, action["richMenuAliasId"])
        return self.taps(action["data"], {"newRichMenuAliasId": action["richMenuAliasId"], "status": status}, **kwargs)

    def taps_tile(self, label: str, **kwargs: Any) -> dict:
        """Tap a tile of the rich menu shown now, by its label."""
        action = next((a for a in self.rich_menu_actions() if a.get("label") == label), None)
        assert action is not None, f"no tile {label!r} in {[a.get('label') for a in self.rich_menu_actions()]}"
        if action["type"] == "message":
            return self.says(action["text"], **kwargs)
        return self.taps(action["data"], **kwargs)


class ThreadedWorker:
    """Several worker threads taking tasks from the real queue at once, like ``huey_consumer -k thread``."""

    def __init__(self, app, threads: int = 4) -> None:  # noqa: ANN001
        self.app = app
        self.huey = app.extensions["tsunagu"].huey
        self.threads = threads
        self.errors: list[BaseException] = []

    def run_until_idle(self, timeout: float = 30.0) -> None:
        import threading

        deadline = time.monotonic() + timeout

        def loop() -> None:
            while time.monotonic() < deadline:
                task = self.huey.dequeue() if self.huey.pending_count() else None
                if task is None:
                    due = self.huey.read_schedule(datetime.now(timezone.utc).replace(tzinfo=None))
                    for scheduled in due:
                        self.huey.enqueue(scheduled)
                    if not due:
                        if self.huey.pending_count() == 0 and self.huey.scheduled_count() == 0:
                            return
                        time.sleep(0.005)
                    continue
                try:
                    with self.app.app_context():
                        task.execute()
                except BaseException as exc:  # noqa: BLE001 - reported to the test
                    self.errors.append(exc)

        workers = [threading.Thread(target=loop) for _ in range(self.threads)]
        for thread in workers:
            thread.start()
        for thread in workers:
            thread.join()
        assert not self.errors, self.errors
