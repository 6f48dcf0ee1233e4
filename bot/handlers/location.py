"""Locations: to the active flow, or the nearest district centre."""
from __future__ import annotations

from bot.context import EventContext
from bot.handlers.common import active_flow, continue_flow
from bot.menu import menu_chips
from bot.messaging.build import text


def handle(ctx: EventContext) -> None:
    message = ctx.event.message
    flow = active_flow(ctx)
    if flow is not None:
        continue_flow(flow, flow.on_location(message.latitude, message.longitude, message.title, message.address))
        return
    area = ctx.profile.nearest_area(message.latitude, message.longitude)
    centre = ctx.profile.centre_for_area(area.code)
    ctx.answer(
        text(
            ctx._(
                "位置情報をありがとうございます。お近くの窓口は{centre}です。\n☎ {phone}（{hours}）",
                centre=centre.place_in(ctx.t.locale),
                phone=centre.phone,
                hours=centre.text_in(ctx.t.locale, "hours"),
            ),
            menu_chips(ctx),
        )
    )
