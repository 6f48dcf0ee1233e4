"""The simulator in the running app: LINE's API under ``/simulator/api``, the phone page at ``/simulator/``.

``create_app`` calls :func:`register_simulator` only when the simulator is
enabled (never with a real channel: ``bot.config.validate_for_production``
refuses that). The bot's code does not know it is talking to a simulator:
its SDK calls ``LINE_API_ENDPOINT``, which points at ``/simulator/api``, and
the page's residents reach the real ``POST /callback`` with signed webhooks.

Webhooks are handed to the app in-process through its WSGI entry point,
headers and raw body as LINE sends them. That needs no assumption about the
address the server is reachable at from itself (a port published by a
container, a proxy in front), and still runs the real route, signature check
included.
"""
from __future__ import annotations

from flask import Blueprint, Flask, Response, abort, current_app, jsonify, render_template, request
from werkzeug.middleware.dispatcher import DispatcherMiddleware
from werkzeug.test import Client

from simulator import render
from simulator.chats import LANGUAGES, Entry, PostWebhook, Simulator, SimulatorError
from simulator.platform import LinePlatform

API_PREFIX = "/simulator/api"
LONG_POLL_SECONDS = 8.0
# Browsers cannot add custom headers to cross-site form posts without asking
# first, so this header keeps other sites from driving the simulator.
REQUIRED_HEADER = ("X-Requested-With", "tsunagu-simulator")

bp = Blueprint(
    "simulator", __name__, url_prefix="/simulator", template_folder="templates", static_folder="static"
)


def register_simulator(app: Flask) -> Simulator:
    """Mount the fake LINE platform and the simulator page on the app."""
    platform = LinePlatform(app.config["LINE_CHANNEL_ACCESS_TOKEN"])
    simulator = Simulator(platform, app.config["LINE_CHANNEL_SECRET"], in_process_webhook(app))
    app.extensions["simulator"] = simulator
    app.wsgi_app = DispatcherMiddleware(app.wsgi_app, {API_PREFIX: platform.wsgi_app()})
    app.register_blueprint(bp)
    return simulator


def in_process_webhook(app: Flask) -> PostWebhook:
    """Deliver a webhook to the app's own ``POST /callback``, as LINE would over HTTPS."""

    def post(body: bytes, signature: str) -> tuple[int, str]:
        client = Client(app, use_cookies=False)
        response = client.post(
            "/callback",
            data=body,
            headers={
                "Content-Type": "application/json; charset=utf-8",
                "X-Line-Signature": signature,
                "User-Agent": "LineBotWebhook/2.0",
            },
        )
        answer = response.get_data(as_text=True)
        response.close()
        return response.status_code, answer

    return post


def _simulator() -> Simulator:
    return current_app.extensions["simulator"]


@bp.before_request
def _refuse_cross_site_posts() -> None:
    if request.method == "POST" and request.headers.get(REQUIRED_HEADER[0]) != REQUIRED_HEADER[1]:
        abort(403)


@bp.errorhandler(SimulatorError)
def _refused(error: SimulatorError) -> tuple[Response, int]:
    return jsonify(error=str(error)), 400


@bp.get("/")
def page() -> str:
    """Show the phone: residents on the left, the chat in the middle, webhooks on the right."""
    tsunagu = current_app.extensions["tsunagu"]
    return render_template(
        "simulator/index.html",
        profile=tsunagu.profile,
        stickers=render.STICKERS,
        languages=LANGUAGES,
        header=REQUIRED_HEADER,
    )


@bp.get("/feed")
def feed() -> Response:
    """Return what happened after entry ``after``, waiting a little when nothing has."""
    simulator = _simulator()
    after = request.args.get("after", 0, type=int)
    wait = LONG_POLL_SECONDS if request.args.get("wait") == "1" else 0.0
    entries = simulator.entries_after(after, wait)
    timezone = current_app.config.get("TIMEZONE", "Asia/Tokyo")
    menu = simulator.rich_menu()
    residents = simulator.all_residents()
    # Each resident's own menu (the one in their language), where the bot linked one;
    # a menu several residents share is rendered once.
    own = {resident.user_id: simulator.rich_menu(resident.user_id) for resident in residents}
    rendered = {mine["richMenuId"]: str(render.rich_menu(mine)) for mine in own.values() if mine and mine != menu}
    return jsonify(
        entries=[render.entry_json(entry, timezone) for entry in entries],
        residents=[resident.as_dict() for resident in residents],
        richMenu=str(render.rich_menu(menu)) if menu else None,
        richMenus={user_id: rendered[mine["richMenuId"]] for user_id, mine in own.items() if mine and mine != menu},
    )


@bp.post("/residents")
def add_resident() -> tuple[Response, int]:
    """Create another simulated resident."""
    body = request.get_json(silent=True) or {}
    resident = _simulator().add_resident(str(body.get("displayName", "")), str(body.get("language", "ja")))
    return jsonify(resident.as_dict()), 201


@bp.post("/residents/<user_id>/follow")
def follow(user_id: str) -> Response:
    """Add the account as a friend, or unblock it."""
    return _done(_simulator().follow(user_id))


@bp.post("/residents/<user_id>/block")
def block(user_id: str) -> Response:
    """Block the account."""
    return _done(_simulator().block(user_id))


@bp.post("/residents/<user_id>/say")
def say(user_id: str) -> Response:
    """Send typed text."""
    body = request.get_json(silent=True) or {}
    return _done(_simulator().say(user_id, str(body.get("text", ""))))


@bp.post("/residents/<user_id>/tap")
def tap(user_id: str) -> Response:
    """Tap a chip or a button (with the picked value for a date-time picker)."""
    body = request.get_json(silent=True) or {}
    action = body.get("action")
    if not isinstance(action, dict):
        raise SimulatorError("No action")
    picked = body.get("picked")
    return _done(_simulator().tap(user_id, action, str(picked) if picked else None))


@bp.post("/residents/<user_id>/sticker")
def sticker(user_id: str) -> Response:
    """Send one of the built-in stickers."""
    body = request.get_json(silent=True) or {}
    chosen = next((s for s in render.STICKERS if s["stickerId"] == body.get("stickerId")), None)
    if chosen is None:
        raise SimulatorError("Unknown sticker")
    return _done(_simulator().send_sticker(user_id, chosen))


@bp.post("/residents/<user_id>/location")
def location(user_id: str) -> Response:
    """Share a district of the city, or any coordinates."""
    body = request.get_json(silent=True) or {}
    profile = current_app.extensions["tsunagu"].profile
    if body.get("area"):
        area = next((a for a in profile.areas if a.code == body["area"]), None)
        if area is None:
            raise SimulatorError("Unknown area")
        return _done(_simulator().share_location(user_id, area.lat, area.lon, area.name, f"{profile.name}{area.name}"))
    try:
        latitude, longitude = float(body["latitude"]), float(body["longitude"])
    except (KeyError, TypeError, ValueError):
        raise SimulatorError("Latitude and longitude are numbers / 緯度・経度を数字で入力してください") from None
    title, address = str(body.get("title") or "")[:100], str(body.get("address") or "")[:100]
    return _done(_simulator().share_location(user_id, latitude, longitude, title, address))


@bp.post("/residents/<user_id>/image")
def image(user_id: str) -> Response:
    """Send a photo from this computer."""
    upload = request.files.get("image")
    if upload is None:
        raise SimulatorError("Choose an image / 画像を選んでください")
    return _done(_simulator().send_image(user_id, upload.read(), upload.mimetype))


@bp.post("/residents/<user_id>/unsend")
def unsend(user_id: str) -> Response:
    """Take back a message the resident sent."""
    body = request.get_json(silent=True) or {}
    return _done(_simulator().unsend(user_id, str(body.get("messageId", ""))))


@bp.get("/content/<message_id>")
def content(message_id: str) -> Response:
    """Show a photo a resident sent."""
    stored = _simulator().content(message_id)
    if stored is None:
        abort(404)
    data, content_type = stored
    return Response(data, content_type=content_type)


@bp.get("/richmenu/<rich_menu_id>/image")
def rich_menu_image(rich_menu_id: str) -> Response:
    """Show the image of the rich menu the bot uploaded."""
    menu = _simulator().platform.rich_menus.get(rich_menu_id)
    if menu is None or menu.image is None:
        abort(404)
    return Response(menu.image, content_type=menu.image_type)


def _done(entry: Entry) -> Response:
    """Say whether the bot's webhook took the event."""
    status = entry.data.get("status")
    return jsonify(ok=status == 200, webhookStatus=status, seq=entry.seq)
