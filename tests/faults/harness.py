"""What the fault-injection tests share: the real processes, a cuttable
TCP proxy, a LINE-like webhook sender that redelivers, and the figures.

Everything runs on loopback and stops by itself. The processes are started
as in the Procfile (gunicorn with its flags, ``huey_consumer``), on a
database of their own: a temporary SQLite file, or, when DATABASE_URL is
set, a PostgreSQL database named ``<db>_faults`` that the test creates and
drops, so the suite's own database is never touched.
"""
from __future__ import annotations

import contextlib
import http.client
import json
import os
import random
import shlex
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from flask import request

from bot.cli import migrate
from simulator.platform import LinePlatform
from tests.support import event_envelope, sign

ROOT = Path(__file__).resolve().parents[2]
REPORT_FILE = ROOT / "bench" / "results" / "faults.jsonl"
CHANNEL_SECRET = "test-channel-secret"
ACCESS_TOKEN = "test-access-token"


# -- the figures ---------------------------------------------------------------------


@dataclass
class FaultFigures:
    """What a fault test observed; written out when TSUNAGU_FAULT_REPORT=1."""

    test: str
    backend: str = field(default_factory=lambda: backend_name())
    sent: int = 0  # distinct events the sender delivered (first deliveries)
    deliveries: int = 0  # HTTP requests, redeliveries included
    accepted: int = 0  # distinct events that got a 200
    processed: int = 0  # distinct accepted events the bot processed
    duplicates: int = 0  # records, replies or pushes that happened twice
    lost: int = 0  # accepted events never processed, or answers never delivered
    faults: dict = field(default_factory=dict)
    seconds: float = 0.0

    def record(self) -> None:
        if os.environ.get("TSUNAGU_FAULT_REPORT") != "1":
            return
        REPORT_FILE.parent.mkdir(parents=True, exist_ok=True)
        line = {**asdict(self), "at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
        with REPORT_FILE.open("a", encoding="utf-8") as report:
            report.write(json.dumps(line, ensure_ascii=False) + "\n")


def backend_name() -> str:
    if os.environ.get("DATABASE_URL"):
        return "postgresql+redis" if os.environ.get("REDIS_URL") else "postgresql"
    return "sqlite"


# -- databases -----------------------------------------------------------------------


def own_redis_url() -> str:
    """The suite's Redis with the database number below, so flushing it touches nobody.

    Parallel workers take every other number (tests/conftest.py), leaving this one free.
    """
    url = os.environ.get("REDIS_URL", "")
    if not url:
        return ""
    parts = urlsplit(url)
    number = int(parts.path.strip("/") or 0)
    return urlunsplit(parts._replace(path=f"/{(number - 1) % 16}"))


@contextlib.contextmanager
def fault_database(tmp_path: Path) -> Iterator[str]:
    """A migrated database of the test's own: SQLite, or ``<db>_faults`` on PostgreSQL."""
    external = os.environ.get("DATABASE_URL")
    if not external:
        url = f"sqlite:///{tmp_path / 'faults.db'}"
        migrate(url)
        yield url
        return
    from sqlalchemy import create_engine, text

    parts = urlsplit(external)
    name = parts.path.strip("/") + "_faults"
    url = urlunsplit(parts._replace(path=f"/{name}"))
    admin = create_engine(urlunsplit(parts._replace(path="/postgres")), isolation_level="AUTOCOMMIT")

    def drop() -> None:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))

    drop()
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        migrate(url)
        yield url
    finally:
        drop()
        admin.dispose()


def app_config(line_url: str, database_url: str, tmp_path: Path, **overrides: object) -> dict:
    config = {
        "LINE_CHANNEL_SECRET": CHANNEL_SECRET,
        "LINE_CHANNEL_ACCESS_TOKEN": ACCESS_TOKEN,
        "LINE_API_ENDPOINT": line_url,
        "DATABASE_URL": database_url,
        "HUEY_FILE": str(tmp_path / "faults-queue.db"),
        "REDIS_URL": own_redis_url(),
        "SECRET_KEY": "fault-secret-key",
        "SIMULATOR": False,
        "LINE_REQUEST_TIMEOUT": 1.0,
        "OUTBOX_BACKOFF_BASE": 0.05,
        "OUTBOX_BACKOFF_CAP": 0.5,
        "SWEEP_GRACE_SECONDS": 0,
        "TESTING": True,
    }
    config.update(overrides)
    return config


# -- the fake LINE platform, keeping which reply token each reply used ---------------


class RecordingPlatform(LinePlatform):
    """The fake LINE platform, also noting the reply token of every accepted reply."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.reply_tokens_used: list[str] = []

    def _reply(self):  # noqa: ANN202
        response = super()._reply()
        body = request.get_json(silent=True) or {}
        with self._lock:
            self.reply_tokens_used.append(body.get("replyToken"))
        return response

    def outage(self, *responses: int | str) -> None:
        """Answer every reply and push with these (cycled) until :meth:`recover`; ``()`` recovers."""
        with self._lock:
            self._outage = list(responses)
            self._outage_turn = 0

    def recover(self) -> None:
        self.outage()

    def _next_scripted(self, path: str) -> int | str | None:
        with self._lock:
            outage = getattr(self, "_outage", [])
            if outage and path.endswith(("/message/reply", "/message/push")):
                self._outage_turn += 1
                return outage[self._outage_turn % len(outage)]
        return super()._next_scripted(path)

    def retry_keys_sent(self) -> list[str]:
        with self._lock:
            return [sent.retry_key for sent in self.sent if sent.kind == "push" and sent.retry_key]


# -- the processes -------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def procfile_command(kind: str) -> list[str]:
    """The Procfile's command for ``web`` or ``worker``, with its flags."""
    for line in (ROOT / "Procfile").read_text().splitlines():
        if line.startswith(f"{kind}:"):
            return shlex.split(line.split(":", 1)[1])
    raise LookupError(kind)


class Stack:
    """gunicorn (one worker, the Procfile's flags) and huey_consumer, killable at will."""

    def __init__(self, config: dict, tmp_path: Path) -> None:
        self.port = free_port()
        self.env = {**os.environ, "PYTHONPATH": str(ROOT), "PORT": str(self.port), "WEB_CONCURRENCY": "1",
                    "WORKER_THREADS": "4"}
        for key, value in config.items():
            if key != "TESTING":
                self.env[key] = "1" if value is True else "0" if value is False else str(value)
        self.logs = tmp_path
        self.web: subprocess.Popen | None = None
        self.worker: subprocess.Popen | None = None
        self.kills = {"web": 0, "worker": 0}

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def _spawn(self, kind: str) -> subprocess.Popen:
        argv = [_expand(arg, self.env) for arg in procfile_command(kind)]
        binary = Path(sys.executable).parent / argv[0]
        with (self.logs / f"{kind}.log").open("ab") as log:
            return subprocess.Popen([str(binary), *argv[1:]], cwd=ROOT, env=self.env, stdout=log, stderr=log,
                                    start_new_session=True)

    def start_web(self, wait: bool = True) -> None:
        self.web = self._spawn("web")
        if wait:
            self.wait_healthy()

    def start_worker(self) -> None:
        self.worker = self._spawn("worker")

    def kill(self, kind: str) -> None:
        process = getattr(self, kind)
        if process is not None and process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)  # gunicorn's arbiter and its worker together
            process.wait(timeout=10)
            self.kills[kind] += 1
        setattr(self, kind, None)

    def stop(self) -> None:
        for kind in ("web", "worker"):
            process = getattr(self, kind)
            if process is not None and process.poll() is None:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)
            setattr(self, kind, None)

    def wait_healthy(self, timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
            with contextlib.suppress(OSError, http.client.HTTPException):
                connection.request("GET", "/healthz")
                response = connection.getresponse()
                response.read()
                if response.status == 200:
                    connection.close()
                    return
            connection.close()
            time.sleep(0.05)
        raise AssertionError(f"the web process did not come up; see {self.logs / 'web.log'}")


def _expand(arg: str, env: dict) -> str:
    """Expand the Procfile's ``${NAME:-default}`` with the given environment."""
    while "${" in arg:
        start = arg.index("${")
        end = arg.index("}", start)
        name, _, default = arg[start + 2 : end].partition(":-")
        arg = arg[:start] + env.get(name, default) + arg[end + 1 :]
    return arg


# -- the sender: LINE's side of the webhook ------------------------------------------


@dataclass
class Delivery:
    """One event as LINE would send it, redelivered until it gets a 200."""

    event: dict
    accepted: bool = False
    attempts: int = 0

    @property
    def key(self) -> str:
        return self.event["webhookEventId"]


def post_webhook(url: str, events: list[dict], timeout: float = 5.0, signature: str | None = None) -> int | None:
    """POST one signed webhook body; return the status, or None when nothing answered."""
    body = json.dumps({"destination": "Ubot", "events": events}, ensure_ascii=False).encode()
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
    try:
        connection.request("POST", "/callback", body=body, headers={
            "Content-Type": "application/json", "X-Line-Signature": signature or sign(body, CHANNEL_SECRET)})
        response = connection.getresponse()
        response.read()
        return response.status
    except (OSError, http.client.HTTPException):
        return None
    finally:
        connection.close()


def redelivered(event: dict) -> dict:
    return {**event, "deliveryContext": {"isRedelivery": True}}


class Sender:
    """Posts deliveries (1–3 events a body) and redelivers every non-200 body, as LINE does."""

    def __init__(self, url: str, deliveries: list[Delivery], seed: int, deadline: float, pace: float = 0.0) -> None:
        self.url = url
        self.pace = pace  # seconds between first deliveries, so the load lasts while faults happen
        self.random = random.Random(seed)
        self.queue = list(deliveries)
        self.deadline = deadline
        self.requests = 0
        self.non_200 = 0

    def run(self) -> None:
        waiting: list[list[Delivery]] = []
        while (self.queue or waiting) and time.monotonic() < self.deadline:
            if waiting and (not self.queue or self.random.random() < 0.5):
                batch = waiting.pop(0)
            else:
                size = min(self.random.randint(1, 3), len(self.queue))
                batch, self.queue = self.queue[:size], self.queue[size:]
                time.sleep(self.pace * size)
            events = [redelivered(d.event) if d.attempts else d.event for d in batch]
            for delivery in batch:
                delivery.attempts += 1
            self.requests += 1
            status = post_webhook(self.url, events)
            if status == 200:
                for delivery in batch:
                    delivery.accepted = True
            else:
                self.non_200 += 1
                waiting.append(batch)
                time.sleep(0.1)


def text_event(line: LinePlatform, user_id: str, words: str) -> dict:
    token = line.issue_reply_token(user_id)
    message = {"type": "text", "id": str(random.randrange(10**15, 10**16)), "text": words, "quoteToken": "q"}
    return event_envelope("message", user_id, reply_token=token, message=message)


# -- a TCP proxy that can be cut -----------------------------------------------------


class Proxy:
    """Forwards loopback TCP to ``target``; ``cut()`` drops every connection and refuses new ones."""

    def __init__(self, host: str, port: int) -> None:
        self.target = (host, port)
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self._up = threading.Event()
        self._up.set()
        self._closing = False
        self._lock = threading.Lock()
        self._sockets: set[socket.socket] = set()
        self._thread = threading.Thread(target=self._accept, daemon=True, name="fault-proxy")
        self._thread.start()

    def _accept(self) -> None:
        while not self._closing:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            if not self._up.is_set():
                client.close()  # the database is "down": refuse
                continue
            try:
                upstream = socket.create_connection(self.target, timeout=5)
            except OSError:
                client.close()
                continue
            with self._lock:
                self._sockets |= {client, upstream}
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(source, sink), daemon=True).start()

    def _pump(self, source: socket.socket, sink: socket.socket) -> None:
        try:
            while True:
                data = source.recv(65536)
                if not data:
                    break
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for sock in (source, sink):
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
                sock.close()
            with self._lock:
                self._sockets -= {source, sink}

    def cut(self) -> None:
        """The database goes away: open connections break, new ones are refused."""
        self._up.clear()
        with self._lock:
            sockets = list(self._sockets)
        for sock in sockets:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)

    def restore(self) -> None:
        self._up.set()

    def close(self) -> None:
        self._closing = True
        self.cut()
        self.listener.close()
        self._thread.join(timeout=5)
