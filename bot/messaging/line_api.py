"""A thin client over the SDK's Messaging API with explicit timeouts.

It turns the SDK's and urllib3's exceptions into :class:`LineApiError`, which
says whether trying again could help.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import urllib3
from linebot.v3.messaging import (
    ApiClient,
    ApiException,
    Configuration,
    CreateRichMenuAliasRequest,
    MessagingApi,
    MessagingApiBlob,
    RichMenuRequest,
    ShowLoadingAnimationRequest,
    UpdateRichMenuAliasRequest,
)

RETRYABLE_STATUSES = {429, 500, 502, 503, 504}


class LineApiError(Exception):
    """A Messaging API call failed.

    ``status`` is None when no answer came back (timeout, connection refused):
    then LINE may or may not have acted on the request.
    """

    def __init__(self, status: int | None, message: str, request_id: str | None = None) -> None:
        super().__init__(f"{status or 'no response'}: {message}")
        self.status = status
        self.message = message
        self.request_id = request_id

    @property
    def retryable(self) -> bool:
        return self.status is None or self.status in RETRYABLE_STATUSES

    @property
    def invalid_reply_token(self) -> bool:
        return self.status == 400 and "reply token" in self.message.lower()


@dataclass
class Profile:
    display_name: str
    language: str | None


@dataclass
class Quota:
    limit: int | None  # None: no monthly limit (地方公共団体プラン)
    used: int

    @property
    def remaining(self) -> int | None:
        return None if self.limit is None else max(self.limit - self.used, 0)


def _error_from(exc: Exception) -> LineApiError:
    if isinstance(exc, ApiException):
        message = exc.reason or ""
        try:
            body = json.loads(exc.body or "{}")
            message = body.get("message", message)
        except (ValueError, AttributeError):
            pass
        headers = exc.headers or {}
        return LineApiError(exc.status, message, headers.get("x-line-request-id"))
    return LineApiError(None, type(exc).__name__)


def _build(model, data: dict):  # noqa: ANN001, ANN202
    """The SDK's request model; a message it refuses is our bug, never worth retrying."""
    try:
        return model.from_dict(data)
    except ValueError as exc:  # pydantic's ValidationError is a ValueError
        raise LineApiError(400, f"refused by the SDK: {type(exc).__name__}") from exc


class LineApi:
    """Messaging API calls the bot makes, each with a request timeout."""

    def __init__(self, endpoint: str, data_endpoint: str, access_token: str, timeout: float) -> None:
        self.timeout = timeout
        self._client = ApiClient(Configuration(host=endpoint.rstrip("/"), access_token=access_token))
        self._data_client = ApiClient(
            Configuration(host=data_endpoint.rstrip("/"), access_token=access_token)
        )
        self._api = MessagingApi(self._client)
        self._blob = MessagingApiBlob(self._data_client)

    def _call(self, fn, *args: Any, **kwargs: Any):  # noqa: ANN001
        try:
            return fn(*args, _request_timeout=self.timeout, **kwargs)
        except (ApiException, urllib3.exceptions.HTTPError, OSError) as exc:
            raise _error_from(exc) from exc

    def reply(self, reply_token: str, messages: list[dict]) -> str | None:
        return self._send("/v2/bot/message/reply", {"replyToken": reply_token, "messages": messages})

    def push(self, to: str, messages: list[dict], retry_key: str) -> str | None:
        return self._send("/v2/bot/message/push", {"to": to, "messages": messages}, {"X-Line-Retry-Key": retry_key})

    def multicast(self, to: list[str], messages: list[dict], retry_key: str) -> str | None:
        """The same messages to at most 500 residents; LINE answers 409 to a retry key it already accepted."""
        return self._send("/v2/bot/message/multicast", {"to": to, "messages": messages}, {"X-Line-Retry-Key": retry_key})

    def quota(self) -> Quota:
        """This month's message limit (None: unlimited) and what pushes have used of it."""
        limit = self._call(self._api.get_message_quota)
        used = self._call(self._api.get_message_quota_consumption)
        return Quota(limit=limit.value if limit.type == "limited" else None, used=used.total_usage)

    def _send(self, path: str, body: dict, headers: dict[str, str] | None = None) -> str | None:
        """POST an outbox message through the SDK's client; returns LINE's request id.

        The messages were checked against LINE's limits when they were queued
        (``bot.messaging.limits``), so they go as the stored dicts: the SDK's
        typed methods would rebuild them as models and back, twice, for every
        answer. The SDK's client still sets the token, the headers and the
        errors (``ApiException``, mapped to :class:`LineApiError`).
        """
        response = self._call(
            self._client.call_api,
            path,
            "POST",
            {},
            [],
            {"Accept": "application/json", "Content-Type": "application/json", **(headers or {})},
            body=body,
            response_types_map={},  # only the headers are read
            auth_settings=["Bearer"],
            _return_http_data_only=False,
        )
        return (response.headers or {}).get("x-line-request-id")

    def get_profile(self, user_id: str) -> Profile:
        profile = self._call(self._api.get_profile, user_id)
        return Profile(display_name=profile.display_name, language=profile.language)

    def show_loading(self, user_id: str, seconds: int = 20) -> None:
        request = ShowLoadingAnimationRequest(chatId=user_id, loadingSeconds=seconds)
        self._call(self._api.show_loading_animation, request)

    def create_rich_menu(self, request: dict, image: bytes, content_type: str = "image/png") -> str:
        """Create a rich menu and upload its image; returns its id."""
        created = self._call(self._api.create_rich_menu, _build(RichMenuRequest, request))
        self._call(
            self._blob.set_rich_menu_image,
            created.rich_menu_id,
            body=image,
            _headers={"Content-Type": content_type},
        )
        return created.rich_menu_id

    def set_default_rich_menu(self, rich_menu_id: str) -> None:
        """Show the rich menu to every resident who has none of their own."""
        self._call(self._api.set_default_rich_menu, rich_menu_id)

    def rich_menus(self) -> dict[str, str]:
        """The channel's rich menus: id -> name."""
        listing = self._call(self._api.get_rich_menu_list)
        return {menu.rich_menu_id: menu.name for menu in listing.richmenus or []}

    def link_rich_menu(self, user_id: str, rich_menu_id: str) -> None:
        """Show this rich menu to one resident instead of the default."""
        self._call(self._api.link_rich_menu_id_to_user, user_id, rich_menu_id)

    def delete_rich_menu(self, rich_menu_id: str) -> None:
        self._call(self._api.delete_rich_menu, rich_menu_id)

    def rich_menu_aliases(self) -> dict[str, str]:
        """The channel's rich menu aliases (what a tab switches to): alias id -> rich menu id."""
        listing = self._call(self._api.get_rich_menu_alias_list)
        return {alias.rich_menu_alias_id: alias.rich_menu_id for alias in listing.aliases or []}

    def create_rich_menu_alias(self, alias_id: str, rich_menu_id: str) -> None:
        request = _build(CreateRichMenuAliasRequest, {"richMenuAliasId": alias_id, "richMenuId": rich_menu_id})
        self._call(self._api.create_rich_menu_alias, request)

    def update_rich_menu_alias(self, alias_id: str, rich_menu_id: str) -> None:
        """Point an existing alias at another rich menu."""
        self._call(self._api.update_rich_menu_alias, alias_id, _build(UpdateRichMenuAliasRequest, {"richMenuId": rich_menu_id}))

    def get_content(self, message_id: str) -> bytes:
        return bytes(self._call(self._blob.get_message_content, message_id))

    def close(self) -> None:
        for client in (self._client, self._data_client):
            client.close()  # stops the SDK's thread pool only
            client.rest_client.pool_manager.clear()
