"""Images, video, audio and files: to the active flow, or a kind answer."""
from __future__ import annotations

from bot.context import EventContext
from bot.handlers.common import active_flow, continue_flow
from bot.menu import menu_chips
from bot.messaging.build import text


def handle(ctx: EventContext) -> None:
    message = ctx.event.message
    flow = active_flow(ctx)
    if flow is not None:
        continue_flow(flow, flow.on_media(message.type, message.id))
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
