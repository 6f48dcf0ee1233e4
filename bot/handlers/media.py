"""Images, video, audio and files: to the active flow, or a kind answer."""
from __future__ import annotations

from collections.abc import Callable

from bot.flows.context import EventContext
from bot.handlers.common import active_flow, continue_flow
from bot.handlers.intake import attach_media_to_open_record
from bot.flows.menu import menu_chips
from bot.messaging.build import text

# What may take a file when no flow is active: ``take(ctx, kind, message_id)``
# returns True when it has answered.
WITHOUT_FLOW: list[Callable[[EventContext, str, str], bool]] = [attach_media_to_open_record]


def handle(ctx: EventContext) -> None:
    message = ctx.event.message
    flow = active_flow(ctx)
    if flow is not None:
        continue_flow(flow, flow.on_media(message.type, message.id))
        return
    for take in WITHOUT_FLOW:
        if take(ctx, message.type, str(message.id)):
            return
    ctx.answer(
        text(
            ctx._(
                "ファイルを受け取りましたが、このままでは職員に届きません。"
                "相談に添えたい場合は「相談する」から始めてください。"
            ),
            menu_chips(ctx),
        )
    )
