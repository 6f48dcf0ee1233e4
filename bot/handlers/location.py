"""Locations: to the active flow, or the nearest district centre (none for a place outside the city)."""
from __future__ import annotations

import math

from bot.flows.context import EventContext
from bot.handlers.common import active_flow, continue_flow
from bot.flows.menu import fallback, menu_chips
from bot.messaging.build import text
from bot.services.routing import Router, centre_for_area


def is_place_on_earth(latitude: float, longitude: float) -> bool:
    return (math.isfinite(latitude) and math.isfinite(longitude)
            and -90 <= latitude <= 90 and -180 <= longitude <= 180)


def handle(ctx: EventContext) -> None:
    message = ctx.event.message
    flow = active_flow(ctx)
    if not is_place_on_earth(message.latitude, message.longitude):
        # Coordinates no phone sends: ask again rather than measure distances to nowhere.
        if flow is not None:
            continue_flow(flow, False)
        else:
            ctx.answer(*fallback(ctx))
        return
    if flow is not None:
        continue_flow(flow, flow.on_location(message.latitude, message.longitude, message.title, message.address))
        return
    area = ctx.profile.area_near(message.latitude, message.longitude)
    if area is None:
        ctx.answer(outside_the_city(ctx))
        return
    router = Router(ctx.profile)
    centre = centre_for_area(ctx.profile, area.code)
    desk, phone, hours = router.desk_contact(centre.code if centre else None, ctx.t.locale)
    ctx.answer(
        text(
            ctx._(
                "位置情報をありがとうございます。お近くの窓口は{centre}です。\n☎ {phone}（{hours}）",
                centre=desk, phone=phone, hours=hours,
            ),
            menu_chips(ctx),
        )
    )


def outside_the_city(ctx: EventContext) -> dict:
    """A place far from every area (a family member sharing their own): ask for the area of the person concerned."""
    coordinator = ctx.profile.coordinator
    return text(
        ctx._(
            "位置情報をありがとうございます。送っていただいた場所は{city}の外のようです。\n"
            "{city}にお住まいの方のご相談でしたら、「相談する」からその方の地区を選んでください。"
            "わからないときは：{desk} ☎ {phone}",
            city=ctx.profile.text_in(ctx.t.locale), desk=coordinator.text_in(ctx.t.locale), phone=coordinator.phone,
        ),
        menu_chips(ctx),
    )
