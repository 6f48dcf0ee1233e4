"""The fake LINE platform, answering replies after a delay, as the benchmarks need it.

A subclass of :class:`simulator.platform.LinePlatform` (the simulator stays as
tests use it): ``reply_delay`` seconds before each reply is answered (LINE's
API seen from far away, for the synchronous reference bot), reply tokens LINE
never issued accepted when ``accept_unissued_tokens`` (the load generator makes
its own), and ``on_reply(token, at)`` called for each reply LINE accepted, so
the end-to-end benchmark can tell which webhook event it answers.
"""
from __future__ import annotations

import time
from collections.abc import Callable

from flask import Response, request

from simulator.platform import LinePlatform, _ReplyToken


class BenchPlatform(LinePlatform):
    def __init__(self, channel_access_token: str, *, reply_delay: float = 0.0, accept_unissued_tokens: bool = False,
                 on_reply: Callable[[str, float], None] | None = None, **options) -> None:  # noqa: ANN003
        super().__init__(channel_access_token, **options)
        self.reply_delay = reply_delay
        self.accept_unissued_tokens = accept_unissued_tokens
        self.on_reply = on_reply

    def _reply(self) -> Response:
        if self.reply_delay:
            time.sleep(self.reply_delay)
        body = request.get_json(silent=True) or {}
        token = body.get("replyToken")
        if self.accept_unissued_tokens and isinstance(token, str):
            with self._lock:
                self._reply_tokens.setdefault(token, _ReplyToken("U" + "f" * 32, self.clock()))
        response = super()._reply()
        if self.on_reply is not None:
            self.on_reply(token, time.time())
        return response
