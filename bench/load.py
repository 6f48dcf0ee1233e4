"""A closed-loop load generator that runs in its own process: signed LINE webhook bodies over keep-alive.

``run(url, ...)`` starts a child process (so the generator does not share
a GIL with anything it measures) with ``connections`` threads, each with
one keep-alive ``http.client`` connection, posting freshly generated,
signed bodies until ``duration`` seconds or ``max_requests`` have passed.
Requests started during the first ``warmup`` seconds are not counted.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import http.client
import itertools
import json
import random
import secrets
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent

# What residents do on an ordinary busy evening: mostly typing and tapping.
TEXTS = ("相談したいです", "こんにちは", "メニュー", "サロンの予定を教えてください", "ありがとうございます",
         "母の介護のことで話を聞いてほしいです。最近、夜に眠れないようで心配しています。",
         "生活費が足りなくて困っています", "はい", "いいえ", "小名浜に住んでいます")
POSTBACKS = ("menu:consult", "menu:events", "menu:mine", "menu:language")


def make_event(rng: random.Random, user: str) -> dict:
    """One webhook event of the usual mix: 60% text, 25% postback, 5% each follow, sticker, location."""
    roll = rng.random()
    event: dict = {"mode": "active", "timestamp": int(time.time() * 1000),
                   "source": {"type": "user", "userId": user},
                   "webhookEventId": "01" + uuid.uuid4().hex.upper()[:24],
                   "deliveryContext": {"isRedelivery": False}, "replyToken": secrets.token_hex(16)}
    message_id = str(rng.randrange(10**17, 10**18))
    if roll < 0.60:
        event.update(type="message", message={"type": "text", "id": message_id, "text": rng.choice(TEXTS),
                                              "quoteToken": secrets.token_urlsafe(16)})
    elif roll < 0.85:
        event.update(type="postback", postback={"data": rng.choice(POSTBACKS)})
    elif roll < 0.90:
        event.update(type="follow", follow={"isUnblocked": False})
    elif roll < 0.95:
        event.update(type="message", message={"type": "sticker", "id": message_id, "packageId": "446",
                                              "stickerId": "1988", "stickerResourceType": "STATIC",
                                              "quoteToken": secrets.token_urlsafe(16)})
    else:
        event.update(type="message", message={"type": "location", "id": message_id, "title": "位置情報",
                                              "address": "福島県いわき市小名浜", "latitude": 36.94,
                                              "longitude": 140.90})
    return event


def pick_user(rng: random.Random, residents: int) -> str:
    """A few residents write a lot, most a little (a Zipf-like mix)."""
    n = min(residents - 1, int(rng.paretovariate(1.2)) - 1)
    return f"U{(n * 2654435761) % (16**32):032x}"


def make_body(rng: random.Random, events: int, residents: int) -> bytes:
    """A delivery as LINE batches it: ``events`` events of different residents."""
    body = {"destination": "U" + "0" * 32, "events": [make_event(rng, pick_user(rng, residents))
                                                       for _ in range(events)]}
    return json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()


def sign(body: bytes, secret: str) -> str:
    return base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest()).decode()


def _generate(url: str, secret: str, events: int, residents: int, connections: int, duration: float,
              max_requests: int, warmup: float, seed: int) -> dict:
    parts = urlsplit(url)
    counter = itertools.count()
    started = time.perf_counter()
    measure_from = started + warmup
    deadline = measure_from + duration
    samples: list[tuple[float, float, int]] = []  # (start, latency, status)
    errors: list[str] = []
    lock = threading.Lock()

    def client(index: int) -> None:
        rng = random.Random(seed * 1000 + index)
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
        mine = []
        while time.perf_counter() < deadline and next(counter) < max_requests:
            body = make_body(rng, events, residents)
            headers = {"Content-Type": "application/json", "X-Line-Signature": sign(body, secret)}
            start = time.perf_counter()
            try:
                connection.request("POST", parts.path or "/", body, headers)
                response = connection.getresponse()
                response.read()
                status = response.status
            except (OSError, http.client.HTTPException) as exc:
                connection.close()
                connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
                with lock:
                    errors.append(type(exc).__name__)
                status = 0
            mine.append((start, time.perf_counter() - start, status))
        connection.close()
        with lock:
            samples.extend(mine)

    threads = [threading.Thread(target=client, args=(i,)) for i in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    ended = time.perf_counter()
    counted = [s for s in samples if s[0] >= measure_from]
    last = max((s[0] + s[1] for s in counted), default=ended)
    window = max(1e-9, min(last, ended) - measure_from)
    ok = [s[1] for s in counted if s[2] == 200]
    return {"requests": len(counted), "ok": len(ok), "failed": len(counted) - len(ok),
            "errors": sorted(set(errors)), "window_seconds": round(window, 3),
            "latencies": ok, "events_per_request": events}


def run(url: str, *, secret: str, events: int = 1, residents: int = 5000, connections: int = 16,
        duration: float = 8.0, max_requests: int = 50_000, warmup: float = 1.0, seed: int = 8) -> dict:
    """Load ``url`` from a child process and return its counts and 200 latencies (seconds)."""
    arguments = [url, secret, events, residents, connections, duration, max_requests, warmup, seed]
    output = subprocess.run([sys.executable, "-m", "bench.load", json.dumps(arguments)], cwd=ROOT,
                            capture_output=True, text=True, check=True, timeout=duration + warmup + 120).stdout
    return json.loads(output)


if __name__ == "__main__":
    print(json.dumps(_generate(*json.loads(sys.argv[1]))))
