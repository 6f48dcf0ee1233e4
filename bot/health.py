"""``GET /healthz`` for load balancers and the city's monitoring."""
from __future__ import annotations

from flask import Blueprint, current_app, jsonify
from sqlalchemy import text

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz():
    """Report whether the database and the task queue answer."""
    tsunagu = current_app.extensions["tsunagu"]
    status = {"database": "ok", "queue": "ok"}
    code = 200
    try:
        with tsunagu.db.engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except Exception as exc:  # noqa: BLE001 - any failure means unhealthy
        status["database"] = f"error: {type(exc).__name__}"
        code = 503
    try:
        status["queue_pending"] = tsunagu.huey.pending_count()
    except Exception as exc:  # noqa: BLE001
        status["queue"] = f"error: {type(exc).__name__}"
        code = 503
    return jsonify(status), code
