"""``POST /callback``: verify, store, enqueue, answer. Nothing else."""
from __future__ import annotations

import json
import logging
import math

from flask import Blueprint, abort, current_app, jsonify, request
from sqlalchemy.exc import InterfaceError, OperationalError

bp = Blueprint("webhook", __name__)
log = logging.getLogger(__name__)

ACCEPTED = ('{"status":"ok"}', 200, {"Content-Type": "application/json"})
MAX_NESTING = 32  # LINE's events nest a few levels; far deeper cannot even be stored as JSON


def _not_json(constant: str) -> float:
    """NaN and Infinity: Python reads them, but they are not JSON and PostgreSQL refuses them."""
    raise ValueError(f"{constant} is not JSON")


def _finite(number: str) -> float:
    """A JSON number as a float; one too large for a float (``1e400``) cannot be stored as JSON again."""
    value = float(number)
    if value in (math.inf, -math.inf):
        raise ValueError("number out of range")
    return value


def _nesting(value: object) -> int:
    """How deeply lists and objects nest in ``value`` (without recursing)."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, (list, dict)):
            deepest = max(deepest, depth)
            if depth <= MAX_NESTING:
                stack.extend((child, depth + 1) for child in (item.values() if isinstance(item, dict) else item))
    return deepest


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
        events = json.loads(body, parse_constant=_not_json, parse_float=_finite)["events"]
        if not isinstance(events, list):
            raise TypeError("events is not a list")
        # Depth is at most the number of brackets: count those first (fast, in C).
        if body.count("[") + body.count("{") > MAX_NESTING and _nesting(events) > MAX_NESTING:
            raise ValueError("nested too deeply")
    except (ValueError, KeyError, TypeError, RecursionError):
        abort(400, "malformed body")

    tsunagu = current_app.extensions["tsunagu"]
    try:
        # Stored, and the worker started on them.
        tsunagu.inbox.store(events)
    except (OperationalError, InterfaceError) as exc:
        # Database down or restarting: nothing was stored, so LINE must redeliver.
        # Only the error's class is logged: its text may quote the events.
        log.warning("could not store webhook events (%s); answering 503", type(exc.orig).__name__)
        return jsonify(status="unavailable"), 503, {"Retry-After": "1"}
    return ACCEPTED
