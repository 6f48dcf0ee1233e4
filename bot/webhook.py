"""``POST /callback``: verify, store, enqueue, answer. Nothing else."""
from __future__ import annotations

import json
import logging

from flask import Blueprint, abort, current_app, jsonify, request

from bot.services.inbox import InboxService

bp = Blueprint("webhook", __name__)
log = logging.getLogger(__name__)


@bp.post("/callback")
def callback():
    """Accept a webhook delivery from LINE."""
    limit = current_app.config["MAX_WEBHOOK_BYTES"]
    if request.content_length is not None and request.content_length > limit:
        abort(413)
    raw = request.get_data(cache=False)
    if len(raw) > limit:
        abort(413)
    signature = request.headers.get("X-Line-Signature", "")
    if not signature:
        abort(400, "missing signature")
    try:
        body = raw.decode("utf-8")
    except UnicodeDecodeError:
        abort(400, "body is not UTF-8")

    # The SDK's verifier (HMAC-SHA256 over the raw body, constant-time compare).
    # Events are parsed one by one later, so one odd event cannot sink the batch.
    validator = current_app.extensions["tsunagu"].webhook_parser.signature_validator
    if not validator.validate(body, signature):
        log.warning("webhook with a bad signature from %s", request.remote_addr)
        abort(400, "invalid signature")
    try:
        events = json.loads(body)["events"]
        if not isinstance(events, list):
            raise TypeError("events is not a list")
    except (ValueError, KeyError, TypeError):
        abort(400, "malformed body")

    tsunagu = current_app.extensions["tsunagu"]
    with tsunagu.db.transaction() as session:
        sources = InboxService(session).store(events)
    for source in sorted(sources):
        try:
            tsunagu.tasks.process_source(source)
        except Exception:  # noqa: BLE001 - the sweeper picks the events up
            log.exception("could not enqueue events; the sweeper will pick them up")
    return jsonify(status="ok")
