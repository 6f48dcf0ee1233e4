"""Tsunagu (つなぐ): a LINE front door for a city's welfare consultations."""
from __future__ import annotations

import logging
from typing import Any

from flask import Flask
from linebot.v3 import WebhookParser
from werkzeug.middleware.proxy_fix import ProxyFix

from bot.bounds import DatabaseId
from bot.config import load_config, validate_for_production
from bot.container import Tsunagu
from bot.db import Database
from bot.messaging.line_api import LineApi
from bot.municipality import load_profile
from bot.services.figures import watch_records


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Build the web application (and the worker's task queue)."""
    settings = load_config(config)
    validate_for_production(settings)

    app = Flask(__name__, instance_relative_config=False)
    app.config.update(settings)
    if not app.config["SECRET_KEY"]:
        # Development only: validate_for_production refuses this on a real channel.
        app.config["SECRET_KEY"] = "dev-insecure-secret"
    app.config["MAX_CONTENT_LENGTH"] = max(settings["MAX_WEBHOOK_BYTES"], 16 * 1024 * 1024)

    tsunagu = Tsunagu(
        config=settings,
        db=Database(settings["DATABASE_URL"]),
        profile=load_profile(settings["MUNICIPALITY"]),
        line=LineApi(
            settings["LINE_API_ENDPOINT"],
            settings["LINE_DATA_API_ENDPOINT"],
            settings["LINE_CHANNEL_ACCESS_TOKEN"],
            settings["LINE_REQUEST_TIMEOUT"],
        ),
        webhook_parser=WebhookParser(settings["LINE_CHANNEL_SECRET"]),
    )
    app.extensions["tsunagu"] = tsunagu
    watch_records(tsunagu.db.sessionmaker)  # the figures' daily summary follows every change of a record
    # Ids in URLs: ``<dbid:record_id>`` matches only an id a row can have (otherwise 404, never a 500).
    app.url_map.converters["dbid"] = DatabaseId
    if settings["TRUST_PROXY_HOPS"]:
        # Behind a load balancer: take the client's address and scheme from
        # X-Forwarded-* (login throttling, audit, secure cookies rely on them).
        hops = settings["TRUST_PROXY_HOPS"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)

    from bot.tasks import queue

    queue.configure(app)
    tsunagu.huey = queue.huey

    from bot.inbox.store import InboxWriter
    from bot.tasks.inbox import process_sources

    tsunagu.inbox = InboxWriter(tsunagu.db, start_work=process_sources)

    from bot import health
    from bot.inbox import webhook

    app.register_blueprint(webhook.bp)
    app.register_blueprint(health.bp)

    from admin import init_admin

    init_admin(app)

    from bot.cli import register_cli

    register_cli(app)

    if settings["SIMULATOR"]:
        try:
            from simulator.web import register_simulator
        except ModuleNotFoundError as missing:
            # The simulator is a development tool and may be left out of an
            # install; anything else that fails to import is a real error.
            if missing.name not in {"simulator", "simulator.web"}:
                raise
        else:
            register_simulator(app)

    logging.getLogger("bot").setLevel(logging.INFO)
    return app
