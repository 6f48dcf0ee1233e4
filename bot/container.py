"""The application's shared objects: built once per app, used by the web process and the worker."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from linebot.v3 import WebhookParser

from bot.db import Database
from bot.messaging.line_api import LineApi
from bot.municipality import Municipality


@dataclass
class Tsunagu:
    """Everything the web process and the worker share, built once per app."""

    config: dict[str, Any]
    db: Database
    profile: Municipality
    line: LineApi
    webhook_parser: WebhookParser
    inbox: Any = None  # bot.inbox.store.InboxWriter: stores webhook events, starts the worker
    huey: Any = None  # bot.tasks.queue.huey, configured for this app
