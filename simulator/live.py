"""The whole app on loopback in this process: web server plus a queue worker thread.

``make run`` uses gunicorn and a separate huey consumer; browser tests and
the README screenshot need the same thing inside one Python process, on a
free port, stopped cleanly afterwards. The app is built after the port is
known, because its ``LINE_API_ENDPOINT`` must point at its own
``/simulator/api``.
"""
from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field

from flask import Flask
from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server

log = logging.getLogger(__name__)


class _QuietHandler(WSGIRequestHandler):
    protocol_version = "HTTP/1.0"  # close each connection, so shutdown never waits on keep-alive

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        pass


def _not_ready(environ: dict, start_response: Callable) -> list[bytes]:
    start_response("503 Service Unavailable", [("Content-Type", "text/plain")])
    return [b"starting"]


@dataclass
class QueueWorker:
    """Runs the app's queued tasks in a thread, as ``huey_consumer`` does in its own process."""

    huey: object
    poll_seconds: float = 0.02
    _stop: threading.Event = field(default_factory=threading.Event)
    _thread: threading.Thread | None = None

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="simulator-queue-worker", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                due = list(self.huey.read_schedule())
                task = self.huey.dequeue()
                for ready in [*due, *([task] if task is not None else [])]:
                    self.huey.execute(ready)
                if not due and task is None:
                    self._stop.wait(self.poll_seconds)
            except Exception:  # noqa: BLE001 - keep working, as the consumer does
                log.exception("queue worker task failed")
                self._stop.wait(self.poll_seconds)

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=10)


@dataclass
class LiveApp:
    """A running app: ``url`` is its base, e.g. ``http://127.0.0.1:40123``."""

    url: str
    app: Flask
    _server: BaseWSGIServer
    _thread: threading.Thread
    worker: QueueWorker | None = None

    def stop(self) -> None:
        if self.worker is not None:
            self.worker.stop()
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=10)

    def __enter__(self) -> LiveApp:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()


def serve_app(build: Callable[[str], Flask], *, with_worker: bool = True) -> LiveApp:
    """Serve ``build(line_api_endpoint)`` on a free loopback port until ``stop()``."""
    server = make_server("127.0.0.1", 0, _not_ready, threaded=True, request_handler=_QuietHandler)
    url = f"http://127.0.0.1:{server.port}"
    try:
        app = build(f"{url}/simulator/api")
    except BaseException:
        server.server_close()
        raise
    server.app = app
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, name=f"simulator-app:{server.port}", daemon=True
    )
    thread.start()
    worker = None
    if with_worker:
        worker = QueueWorker(app.extensions["tsunagu"].huey)
        worker.start()
    return LiveApp(url, app, server, thread, worker)


CHROMIUM = "/usr/bin/chromium"  # Debian's package; Playwright drives it instead of downloading its own


def chromium_options() -> dict:
    """Playwright ``launch()`` options for the system's headless Chromium."""
    return {
        "executable_path": CHROMIUM,
        "headless": True,
        "args": ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                 "--disable-extensions", "--no-first-run", "--lang=ja-JP"],
    }
