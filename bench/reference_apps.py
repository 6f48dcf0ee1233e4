"""The two references the webhook benchmark measures our bot against, served by the same gunicorn.

``ceiling``: a bare Flask route that answers ``OK`` without verifying or
storing anything: the most this gunicorn configuration can answer.

``sync_bot``: the usual synchronous bot of the SDK's examples: verifies the
signature with the SDK's ``WebhookHandler``, parses the events, and calls
the reply API for each one inside the request (against the fake LINE
platform, which answers after a delay).

    gunicorn ... bench.reference_apps:ceiling
    gunicorn ... bench.reference_apps:sync_bot   (LINE_CHANNEL_SECRET, LINE_CHANNEL_ACCESS_TOKEN, LINE_API_ENDPOINT)
"""
from __future__ import annotations

import os

from flask import Flask, abort, request
from linebot.v3 import WebhookHandler
from linebot.v3.exceptions import InvalidSignatureError
from linebot.v3.messaging import ApiClient, Configuration, MessagingApi, ReplyMessageRequest, TextMessage

ceiling = Flask("ceiling")


@ceiling.post("/callback")
def ceiling_callback() -> str:
    return "OK"


sync_bot = Flask("sync_bot")
configuration = Configuration(host=os.environ.get("LINE_API_ENDPOINT", "https://api.line.me"),
                              access_token=os.environ.get("LINE_CHANNEL_ACCESS_TOKEN", ""))
handler = WebhookHandler(os.environ.get("LINE_CHANNEL_SECRET", ""))


@sync_bot.post("/callback")
def sync_callback() -> str:
    signature = request.headers.get("X-Line-Signature", "")
    body = request.get_data(as_text=True)
    try:
        handler.handle(body, signature)
    except InvalidSignatureError:
        abort(400)
    return "OK"


@handler.default()
def answer(event) -> None:  # noqa: ANN001
    token = getattr(event, "reply_token", None)
    if not token:
        return
    with ApiClient(configuration) as api_client:
        MessagingApi(api_client).reply_message(ReplyMessageRequest(reply_token=token,
                                                                   messages=[TextMessage(text="受け付けました")]))
