"""The worker's queue: one huey instance, pointed at Redis or SQLite by ``create_app``.

Tasks are module-level functions declared with ``@huey.task()`` in the
modules beside this one, so a caller imports the task it queues and "go to
definition" reaches its body. Huey wants its instance when a task is
declared, at import time, while where the queue lives is configuration:
``huey`` starts with nowhere to queue (queuing before an app exists is an
error) and :func:`configure` points it at the app's Redis or SQLite queue.

A task body finds the app it works for with :func:`current`. The consumer
(``huey_consumer bot.worker.huey``) creates exactly one app; tests create
several on one database and one queue, and their worker pushes the app
context of the app it runs tasks for.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from flask import Flask, current_app, has_app_context
from huey import Huey
from huey.storage import BlackHoleStorage, RedisStorage, SqliteStorage

if TYPE_CHECKING:
    from bot.container import Tsunagu


class NotConfigured(BlackHoleStorage):
    """Where the queue points before ``create_app``: queuing fails loudly instead of vanishing."""

    def enqueue(self, data, priority=None) -> None:  # noqa: ANN001
        raise RuntimeError("the task queue has no storage yet: create the app first (bot.create_app)")


huey = Huey("tsunagu", storage_class=NotConfigured)
_app: Flask | None = None


def configure(app: Flask) -> None:
    """Point the queue at the app's storage and make the app the one tasks run for.

    Redis when ``REDIS_URL`` is set; otherwise a SQLite file. The embedded
    queue only wakes the worker: the events and messages it names are
    durable in the database, and the sweeper re-queues any that a lost task
    leaves behind. So no fsync per enqueue (WAL keeps it crash-safe for the
    process; only a power cut can drop the newest entries, as with Redis).
    """
    global _app
    config = app.config
    huey.name = f"tsunagu-{config['MUNICIPALITY']}"
    if config["REDIS_URL"]:
        huey.storage_class, huey.storage_kwargs = RedisStorage, {"url": config["REDIS_URL"]}
    else:
        huey.storage_class, huey.storage_kwargs = SqliteStorage, {"filename": config["HUEY_FILE"], "fsync": False}
    huey.immediate = config["HUEY_IMMEDIATE"]
    huey.storage = huey.create_storage()
    _app = app


def current() -> Tsunagu:
    """The shared objects of the app a task runs for: the one whose context is pushed, else the process's app."""
    if has_app_context():
        return current_app.extensions["tsunagu"]
    if _app is None:
        raise RuntimeError("no app to run the task for: create the app first (bot.create_app)")
    return _app.extensions["tsunagu"]
