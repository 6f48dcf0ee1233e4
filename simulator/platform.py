"""A fake LINE platform: the Messaging API as LINE's servers answer it.

Tests run it on loopback and point the real SDK at it
(``Configuration(host=server.url)``); the browser simulator shows what
residents received from it. It keeps the rules our delivery relies on:

- a reply token works once, for ``reply_token_ttl`` seconds;
- a push whose ``X-Line-Retry-Key`` was already accepted (within 24 hours)
  gets 409 and is not delivered again;
- a push or reply to a user who blocked the account is answered 200 but not
  delivered (LINE's FAQ: no error for blocked or deleted users);
- every JSON body is judged by LINE's own schema (:mod:`simulator.line_schema`:
  the SDK's generated models and the limits LINE documents, nothing of the
  bot's); a body LINE would refuse gets LINE's 400 answer, naming the fields;
- every request needs the channel access token.

Requests LINE would refuse are listed in ``violations``; those refused for
their body alone are also in ``invalid_bodies``, which the tests require to
stay empty. Outages are scripted with :meth:`LinePlatform.inject_failures`.
"""
from __future__ import annotations

import copy
import itertools
import re
import secrets
import threading
import time
import uuid
from collections import defaultdict, deque
from collections.abc import Callable
from dataclasses import dataclass

from flask import Flask, Response, g, jsonify, request
from werkzeug.exceptions import HTTPException
from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server

from simulator import line_schema

RETRY_KEY_TTL = 24 * 60 * 60
RETRY_KEY = re.compile(r"[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}")
STALLS = ("timeout", "timeout_after_delivery")
FAILURE_MESSAGES = {
    429: "The API rate limit has been exceeded. Try again later.",
    500: "Internal server error",
}
NOT_FOUND = "Not found"
RICH_MENU_IMAGE_TYPES = ("image/jpeg", "image/png")
MAX_RICH_MENU_IMAGE_BYTES = 1024 * 1024


@dataclass(frozen=True)
class SentRequest:
    """A reply or push that LINE accepted."""

    kind: str  # "reply" or "push"
    to: str
    messages: list[dict]
    retry_key: str | None
    request_id: str
    at: float
    notification_disabled: bool = False


@dataclass(frozen=True)
class LoadingAnimation:
    chat_id: str
    seconds: int
    at: float


@dataclass
class RichMenu:
    rich_menu_id: str
    definition: dict
    image: bytes | None = None
    image_type: str | None = None


@dataclass
class _ReplyToken:
    user_id: str
    issued_at: float
    used: bool = False


class Rejected(Exception):
    """LINE refuses the request with ``status`` and its JSON error body."""

    def __init__(
        self,
        status: int,
        message: str,
        details: list[dict] | None = None,
        *,
        violation: bool = True,
        invalid_body: bool = False,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.details = details or []
        self.violation = violation
        self.invalid_body = invalid_body

    @classmethod
    def for_body(cls, problems: list[line_schema.Problem]) -> Rejected:
        """LINE's answer to a body its schema refuses, one detail per problem."""
        details = [{"message": problem.message, "property": problem.property} for problem in problems]
        return cls(400, f"The request body has {len(problems)} error(s)", details, invalid_body=True)

    def body(self) -> dict:
        return {"message": self.message, "details": self.details} if self.details else {"message": self.message}



class LinePlatform:
    """LINE's side of the Messaging API, kept in memory."""

    def __init__(
        self,
        channel_access_token: str,
        *,
        clock: Callable[[], float] = time.time,
        reply_token_ttl: float = 60.0,
        timeout_delay: float = 3.0,
    ) -> None:
        self.channel_access_token = channel_access_token
        self.clock = clock
        self.reply_token_ttl = reply_token_ttl
        self.timeout_delay = timeout_delay
        self.sent: list[SentRequest] = []
        self.dropped: list[SentRequest] = []  # accepted with 200, but the user had blocked us
        self.violations: list[str] = []
        self.invalid_bodies: list[str] = []  # the violations LINE's schema found in a request body
        self.loading_animations: list[LoadingAnimation] = []
        self.rich_menus: dict[str, RichMenu] = {}
        self.default_rich_menu_id: str | None = None
        self.user_rich_menus: dict[str, str] = {}  # user id -> the rich menu linked to them
        self.rich_menu_aliases: dict[str, str] = {}  # alias id -> rich menu id (what a tab switches to)
        self._lock = threading.RLock()
        self._stall_released = threading.Event()
        self._reply_tokens: dict[str, _ReplyToken] = {}
        self._retry_keys: dict[str, tuple[float, str, list[dict]]] = {}
        self._profiles: dict[str, dict] = {}
        self._contents: dict[str, tuple[bytes, str]] = {}
        self._blocked: set[str] = set()
        self._scripted: dict[str, deque] = defaultdict(deque)
        self._message_ids = itertools.count(500_000_000_000_000_001)
        self._listeners: list[Callable[[str, object], None]] = []
        # The month's message quota (None: unlimited, as the 地方公共団体プラン) and what pushes used of it.
        self.quota_limit: int | None = None
        self.quota_used = 0
        self.multicast_requests = 0

    # -- what residents received -------------------------------------------------

    def messages_to(self, user_id: str) -> list[dict]:
        """Return every message delivered to the user, oldest first."""
        with self._lock:
            return [message for sent in self.sent if sent.to == user_id for message in sent.messages]

    def requests_to(self, user_id: str) -> list[list[dict]]:
        """The messages of each request (a reply or a push) to the user, oldest first."""
        with self._lock:
            return [list(sent.messages) for sent in self.sent if sent.to == user_id]

    def subscribe(self, listener: Callable[[str, object], None]) -> None:
        """Call ``listener(kind, item)`` as things happen, in order.

        Kinds: ``"sent"`` and ``"dropped"`` (a :class:`SentRequest`),
        ``"loading"`` (a :class:`LoadingAnimation`) and ``"violation"`` (its
        text). The browser simulator follows the chats this way. Listeners run
        while the platform holds its lock: they must be quick and must not
        call back into the platform.
        """
        with self._lock:
            self._listeners.append(listener)

    def _notify(self, kind: str, item: object) -> None:
        for listener in self._listeners:
            listener(kind, item)

    def content(self, message_id: str) -> tuple[bytes, str] | None:
        """Return what a user sent with this message id, and its content type."""
        with self._lock:
            return self._contents.get(message_id)

    def texts_to(self, user_id: str) -> list[str]:
        """Return the text of each text message delivered to the user."""
        return [m["text"] for m in self.messages_to(user_id) if m.get("type") in ("text", "textV2")]

    # -- arranging the world -----------------------------------------------------

    def issue_reply_token(self, user_id: str) -> str:
        """Issue a reply token, as LINE does with each webhook event."""
        token = secrets.token_hex(16)
        with self._lock:
            self._reply_tokens[token] = _ReplyToken(user_id, self.clock())
        return token

    def set_profile(self, user_id: str, display_name: str, language: str = "ja", picture_url: str | None = None) -> None:
        profile = {"userId": user_id, "displayName": display_name, "language": language}
        if picture_url:
            profile["pictureUrl"] = picture_url
        with self._lock:
            self._profiles[user_id] = profile

    def set_content(self, message_id: str, data: bytes, content_type: str) -> None:
        """Store what a user sent (an image, say) for the content API."""
        with self._lock:
            self._contents[message_id] = (data, content_type)

    def block(self, user_id: str) -> None:
        with self._lock:
            self._blocked.add(user_id)

    def unblock(self, user_id: str) -> None:
        with self._lock:
            self._blocked.discard(user_id)

    def inject_failures(self, path_suffix: str, *responses: int | str) -> None:
        """Script the next answers of an endpoint, e.g. ``("/message/push", 500, 429)``.

        An int is answered as that status without acting (200 acts normally).
        ``"timeout"`` stalls ``timeout_delay`` seconds, then answers 500
        without acting; ``"timeout_after_delivery"`` acts, then stalls: the
        client gives up although LINE delivered.
        """
        for response in responses:
            if not isinstance(response, int) and response not in STALLS:
                raise ValueError(f"unknown scripted response {response!r}")
        with self._lock:
            self._scripted[path_suffix].extend(responses)

    def pending_scripted(self, path_suffix: str) -> int:
        """How many scripted answers for that endpoint have not been used yet."""
        with self._lock:
            return len(self._scripted[path_suffix])

    def release_stalls(self) -> None:
        """Let every stalled request finish now (as if the network came back)."""
        self._stall_released.set()

    # -- the HTTP side -------------------------------------------------------------

    def wsgi_app(self) -> Flask:
        """Build the Flask app that answers as api.line.me and api-data.line.me."""
        app = Flask(__name__)
        app.before_request(self._authenticate_and_script)
        app.after_request(self._finish)
        app.register_error_handler(Rejected, self._rejected)
        app.register_error_handler(HTTPException, self._http_error)
        routes = [
            ("/v2/bot/message/reply", "POST", self._reply),
            ("/v2/bot/message/push", "POST", self._push),
            ("/v2/bot/message/multicast", "POST", self._multicast),
            ("/v2/bot/message/quota", "GET", self._quota),
            ("/v2/bot/message/quota/consumption", "GET", self._quota_consumption),
            ("/v2/bot/profile/<user_id>", "GET", self._profile),
            ("/v2/bot/chat/loading/start", "POST", self._show_loading),
            ("/v2/bot/message/<message_id>/content", "GET", self._content),
            ("/v2/bot/richmenu", "POST", self._create_rich_menu),
            ("/v2/bot/richmenu/list", "GET", self._list_rich_menus),
            ("/v2/bot/richmenu/<rich_menu_id>", "DELETE", self._delete_rich_menu),
            ("/v2/bot/richmenu/<rich_menu_id>/content", "POST", self._upload_rich_menu_image),
            ("/v2/bot/user/all/richmenu/<rich_menu_id>", "POST", self._set_default_rich_menu),
            ("/v2/bot/user/all/richmenu", "GET", self._default_rich_menu),
            ("/v2/bot/user/<user_id>/richmenu/<rich_menu_id>", "POST", self._link_rich_menu),
            ("/v2/bot/user/<user_id>/richmenu", "GET", self._rich_menu_of_user),
            ("/v2/bot/user/<user_id>/richmenu", "DELETE", self._unlink_rich_menu),
            ("/v2/bot/richmenu/alias", "POST", self._create_rich_menu_alias),
            ("/v2/bot/richmenu/alias/list", "GET", self._list_rich_menu_aliases),
            ("/v2/bot/richmenu/alias/<rich_menu_alias_id>", "POST", self._update_rich_menu_alias),
            ("/v2/bot/richmenu/alias/<rich_menu_alias_id>", "GET", self._rich_menu_alias),
            ("/v2/bot/richmenu/alias/<rich_menu_alias_id>", "DELETE", self._delete_rich_menu_alias),
        ]
        for rule, method, view in routes:
            app.add_url_rule(rule, view.__name__ + method, view, methods=[method])
        return app

    def _authenticate_and_script(self) -> Response | None:
        g.request_id = str(uuid.uuid4())
        if request.headers.get("Authorization") != f"Bearer {self.channel_access_token}":
            raise Rejected(401, "Authentication failed. Confirm that the access token in the authorization header is valid.")
        scripted = self._next_scripted(request.path)
        if scripted == "timeout":
            self._stall()
            return self._failure(500)
        if scripted == "timeout_after_delivery":
            g.stall_after = True
        elif isinstance(scripted, int) and scripted != 200:
            return self._failure(scripted)
        return None

    def _next_scripted(self, path: str) -> int | str | None:
        with self._lock:
            for suffix, queue in self._scripted.items():
                if path.endswith(suffix) and queue:
                    return queue.popleft()
        return None

    def _stall(self) -> None:
        # Shutting the server down releases the stall, so tests never wait it out.
        self._stall_released.wait(self.timeout_delay)

    def _failure(self, status: int) -> tuple[Response, int]:
        return jsonify(message=FAILURE_MESSAGES.get(status, f"Scripted failure {status}")), status

    def _finish(self, response: Response) -> Response:
        response.headers["x-line-request-id"] = g.get("request_id", "")
        if g.get("stall_after"):
            self._stall()
        return response

    def _rejected(self, error: Rejected) -> tuple[Response, int]:
        if error.violation:
            problems = "; ".join(f"{d['property']}: {d['message']}" for d in error.details)
            with self._lock:
                self.violations.append(
                    f"{request.method} {request.path} -> {error.status} {error.message}"
                    + (f" ({problems})" if problems else "")
                )
                if error.invalid_body:
                    self.invalid_bodies.append(self.violations[-1])
                self._notify("violation", self.violations[-1])
        return jsonify(error.body()), error.status

    def _http_error(self, error: HTTPException) -> tuple[Response, int]:
        message = NOT_FOUND if error.code == 404 else error.name
        return self._rejected(Rejected(error.code or 500, message))

    def _json_body(self) -> dict:
        body = request.get_json(silent=True)
        if not isinstance(body, dict):
            raise Rejected(400, "The request body could not be parsed as JSON", invalid_body=True)
        return body

    def _judge(self, body: dict) -> None:
        """Refuse the body as LINE would if LINE's schema finds anything wrong with it."""
        problems = line_schema.judge(request.url_rule.rule, body)
        if problems:
            raise Rejected.for_body(problems)

    def _deliver(self, kind: str, to: str, body: dict, retry_key: str | None = None) -> list[dict]:
        """Record an accepted request; the caller holds the lock."""
        messages = copy.deepcopy(body["messages"])
        sent = SentRequest(
            kind, to, messages, retry_key, g.request_id, self.clock(), bool(body.get("notificationDisabled"))
        )
        delivered = to not in self._blocked
        (self.sent if delivered else self.dropped).append(sent)
        self._notify("sent" if delivered else "dropped", sent)
        return [{"id": str(next(self._message_ids)), "quoteToken": secrets.token_urlsafe(24)} for _ in messages]

    # -- messages ------------------------------------------------------------------

    def _reply(self) -> Response:
        """Answer an event with its reply token."""
        body = self._json_body()
        self._judge(body)
        with self._lock:
            token = self._reply_tokens.get(body.get("replyToken"))
            if token is None or token.used or self.clock() - token.issued_at > self.reply_token_ttl:
                raise Rejected(400, "Invalid reply token")
            token.used = True
            return jsonify(sentMessages=self._deliver("reply", token.user_id, body))

    def _push(self) -> Response | tuple[Response, int, dict]:
        """Send messages to a user at any time, at most once per retry key."""
        retry_key = self._retry_key()
        body = self._json_body()
        with self._lock:
            accepted = self._accepted(retry_key)
            if accepted is not None:
                request_id, sent_messages = accepted
                answer = {"message": "The retry key is already accepted", "sentMessages": sent_messages}
                return jsonify(answer), 409, {"x-line-accepted-request-id": request_id}
            self._judge(body)
            sent_messages = self._deliver("push", body["to"], body, retry_key)
            self.quota_used += 1
            if retry_key is not None:
                self._retry_keys[retry_key] = (self.clock(), g.request_id, sent_messages)
            return jsonify(sentMessages=sent_messages)

    def _multicast(self) -> Response | tuple[Response, int, dict]:
        """Send the same messages to up to 500 users, at most once per retry key; each recipient costs one."""
        retry_key = self._retry_key()
        body = self._json_body()
        with self._lock:
            accepted = self._accepted(retry_key)
            if accepted is not None:
                request_id, _ = accepted
                answer = {"message": "The retry key is already accepted"}
                return jsonify(answer), 409, {"x-line-accepted-request-id": request_id}
            self._judge(body)
            recipients = list(dict.fromkeys(body["to"]))
            if self.quota_limit is not None and self.quota_used + len(recipients) > self.quota_limit:
                raise Rejected(429, "You have reached your monthly limit.")
            self.multicast_requests += 1
            for to in recipients:
                self._deliver("multicast", to, body, retry_key)
            self.quota_used += len(recipients)
            if retry_key is not None:
                self._retry_keys[retry_key] = (self.clock(), g.request_id, [])
            return jsonify({})

    def _quota(self) -> Response:
        """The month's message limit: ``limited`` with a value, or ``none``."""
        if self.quota_limit is None:
            return jsonify(type="none")
        return jsonify(type="limited", value=self.quota_limit)

    def _quota_consumption(self) -> Response:
        """How many messages this month's pushes and multicasts have used."""
        with self._lock:
            return jsonify(totalUsage=self.quota_used)

    @staticmethod
    def _retry_key() -> str | None:
        """The request's ``X-Line-Retry-Key``, refused unless it is a UUID."""
        retry_key = request.headers.get("X-Line-Retry-Key")
        if retry_key is not None and not RETRY_KEY.fullmatch(retry_key):
            raise Rejected(400, "The retry key must be a UUID in hexadecimal format")
        return retry_key

    def _accepted(self, retry_key: str | None) -> tuple[str, list[dict]] | None:
        if retry_key is None or retry_key not in self._retry_keys:
            return None
        at, request_id, sent_messages = self._retry_keys[retry_key]
        if self.clock() - at > RETRY_KEY_TTL:
            del self._retry_keys[retry_key]
            return None
        return request_id, sent_messages

    def _show_loading(self) -> tuple[Response, int]:
        """Show the loading animation in a one-to-one chat."""
        body = self._json_body()
        self._judge(body)
        chat_id, seconds = body["chatId"], body.get("loadingSeconds", 20)
        with self._lock:
            self.loading_animations.append(LoadingAnimation(chat_id, seconds, self.clock()))
            self._notify("loading", self.loading_animations[-1])
        return jsonify({}), 202

    # -- users and content ---------------------------------------------------------

    def _profile(self, user_id: str) -> Response:
        """Return a user's profile; users who blocked the account are not found."""
        with self._lock:
            profile = self._profiles.get(user_id)
            if profile is None or user_id in self._blocked:
                raise Rejected(404, NOT_FOUND, violation=False)
            return jsonify(profile)

    def _content(self, message_id: str) -> Response:
        """Return the image or file a user sent."""
        with self._lock:
            content = self._contents.get(message_id)
        if content is None:
            raise Rejected(404, NOT_FOUND, violation=False)
        data, content_type = content
        return Response(data, content_type=content_type)

    # -- rich menus ----------------------------------------------------------------

    def _create_rich_menu(self) -> Response:
        """Create a rich menu (without its image)."""
        definition = self._json_body()
        self._judge(definition)
        rich_menu_id = f"richmenu-{secrets.token_hex(16)}"
        with self._lock:
            self.rich_menus[rich_menu_id] = RichMenu(rich_menu_id, copy.deepcopy(definition))
        return jsonify(richMenuId=rich_menu_id)

    def _upload_rich_menu_image(self, rich_menu_id: str) -> Response:
        """Attach the image to a rich menu; LINE never replaces one."""
        if request.mimetype not in RICH_MENU_IMAGE_TYPES:
            raise Rejected(415, "Unsupported Media Type")
        data = request.get_data()
        if not data or len(data) > MAX_RICH_MENU_IMAGE_BYTES:
            raise Rejected(400 if not data else 413, "The image must be 1 byte to 1 MB")
        with self._lock:
            menu = self._rich_menu(rich_menu_id)
            if menu.image is not None:
                raise Rejected(400, "An image has already been uploaded to the richmenu")
            menu.image, menu.image_type = data, request.mimetype
        return jsonify({})

    def _set_default_rich_menu(self, rich_menu_id: str) -> Response:
        """Show a rich menu to every user who has no menu of their own."""
        with self._lock:
            if self._rich_menu(rich_menu_id).image is None:
                raise Rejected(400, "must upload richmenu image before applying it to user")
            self.default_rich_menu_id = rich_menu_id
        return jsonify({})

    def _default_rich_menu(self) -> Response:
        with self._lock:
            if self.default_rich_menu_id is None:
                raise Rejected(404, "no default richmenu", violation=False)
            return jsonify(richMenuId=self.default_rich_menu_id)

    def _link_rich_menu(self, user_id: str, rich_menu_id: str) -> Response:
        """Show a rich menu to one user instead of the default."""
        with self._lock:
            if self._rich_menu(rich_menu_id).image is None:
                raise Rejected(400, "must upload richmenu image before applying it to user")
            self.user_rich_menus[user_id] = rich_menu_id
        return jsonify({})

    def _rich_menu_of_user(self, user_id: str) -> Response:
        with self._lock:
            if user_id not in self.user_rich_menus:
                raise Rejected(404, "the user has no richmenu", violation=False)
            return jsonify(richMenuId=self.user_rich_menus[user_id])

    def _unlink_rich_menu(self, user_id: str) -> Response:
        with self._lock:
            self.user_rich_menus.pop(user_id, None)
        return jsonify({})

    def rich_menu_of(self, user_id: str) -> str | None:
        """The rich menu the user sees: their own, or the default."""
        with self._lock:
            return self.user_rich_menus.get(user_id) or self.default_rich_menu_id

    def _list_rich_menus(self) -> Response:
        with self._lock:
            menus = [{"richMenuId": menu.rich_menu_id, **menu.definition} for menu in self.rich_menus.values()]
        return jsonify(richmenus=menus)

    def _delete_rich_menu(self, rich_menu_id: str) -> Response:
        with self._lock:
            self._rich_menu(rich_menu_id)
            del self.rich_menus[rich_menu_id]
            if self.default_rich_menu_id == rich_menu_id:
                self.default_rich_menu_id = None
            # As LINE: users linked to a deleted menu see the default again.
            self.user_rich_menus = {user: menu for user, menu in self.user_rich_menus.items() if menu != rich_menu_id}
        return jsonify({})

    # -- rich menu aliases and the tabs that switch to them ---------------------------

    def _create_rich_menu_alias(self) -> Response:
        body = self._json_body()
        self._judge(body)
        with self._lock:
            if body["richMenuAliasId"] in self.rich_menu_aliases:
                raise Rejected(400, "conflict richmenu alias id")
            self._rich_menu_with_image(body["richMenuId"])
            self.rich_menu_aliases[body["richMenuAliasId"]] = body["richMenuId"]
        return jsonify({})

    def _update_rich_menu_alias(self, rich_menu_alias_id: str) -> Response:
        body = self._json_body()
        self._judge(body)
        with self._lock:
            self._alias(rich_menu_alias_id)
            self._rich_menu_with_image(body["richMenuId"])
            self.rich_menu_aliases[rich_menu_alias_id] = body["richMenuId"]
        return jsonify({})

    def _list_rich_menu_aliases(self) -> Response:
        with self._lock:
            aliases = [{"richMenuAliasId": alias, "richMenuId": menu} for alias, menu in self.rich_menu_aliases.items()]
        return jsonify(aliases=aliases)

    def _rich_menu_alias(self, rich_menu_alias_id: str) -> Response:
        with self._lock:
            return jsonify(richMenuAliasId=rich_menu_alias_id, richMenuId=self._alias(rich_menu_alias_id))

    def _delete_rich_menu_alias(self, rich_menu_alias_id: str) -> Response:
        with self._lock:
            self._alias(rich_menu_alias_id)
            del self.rich_menu_aliases[rich_menu_alias_id]
        return jsonify({})

    def _alias(self, rich_menu_alias_id: str) -> str:
        if rich_menu_alias_id not in self.rich_menu_aliases:
            raise Rejected(404, f"richmenu alias not found: {rich_menu_alias_id}")
        return self.rich_menu_aliases[rich_menu_alias_id]

    def _rich_menu_with_image(self, rich_menu_id: str) -> RichMenu:
        menu = self._rich_menu(rich_menu_id)
        if menu.image is None:
            raise Rejected(400, "must upload richmenu image before applying it to user")
        return menu

    def switch_rich_menu(self, user_id: str, rich_menu_alias_id: str) -> str:
        """A resident tapped a rich menu switch action: show them the alias's menu; returns LINE's ``status``.

        As LINE: the menu switched to becomes the one linked to the user.
        """
        with self._lock:
            rich_menu_id = self.rich_menu_aliases.get(rich_menu_alias_id)
            if rich_menu_id is None:
                return "RICHMENU_ALIAS_ID_NOTFOUND"
            menu = self.rich_menus.get(rich_menu_id)
            if menu is None or menu.image is None:
                return "RICHMENU_NOTFOUND"
            self.user_rich_menus[user_id] = rich_menu_id
        return "SUCCESS"

    def _rich_menu(self, rich_menu_id: str) -> RichMenu:
        menu = self.rich_menus.get(rich_menu_id)
        if menu is None:
            raise Rejected(404, f"richmenu not found: {rich_menu_id}")
        return menu


# -- running it ----------------------------------------------------------------------


class _QuietHandler(WSGIRequestHandler):
    # HTTP/1.0 closes each connection after its answer, so shutting down never
    # waits for an idle keep-alive connection of a client the test forgot.
    protocol_version = "HTTP/1.0"

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        pass


@dataclass
class RunningServer:
    """A platform served on loopback in a background thread."""

    url: str
    platform: LinePlatform
    _server: BaseWSGIServer
    _thread: threading.Thread

    def shutdown(self) -> None:
        """Release stalled requests, stop serving and close the socket."""
        self.platform._stall_released.set()
        self._server.shutdown()
        self._server.server_close()
        self._thread.join()

    def __enter__(self) -> RunningServer:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.shutdown()


def serve(platform: LinePlatform, host: str = "127.0.0.1", port: int = 0) -> RunningServer:
    """Serve the platform over HTTP until ``shutdown()``; port 0 picks a free one."""
    server = make_server(host, port, platform.wsgi_app(), threaded=True, request_handler=_QuietHandler)
    platform._stall_released.clear()
    # A short poll interval keeps shutdown() quick; the default is half a second.
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.005}, name=f"line-platform:{server.port}", daemon=True
    )
    thread.start()
    return RunningServer(f"http://{host}:{server.port}", platform, server, thread)
