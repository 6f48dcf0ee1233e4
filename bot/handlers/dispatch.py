"""One handler per LINE event or message type; each dispatches to a flow.

Event types not listed here (beacon, accountLink, membership, module,
videoPlayComplete, delivery, ...) are stored and ignored.

The processor's rule for every handler: each message a resident sends gets
an answer (断らない). A handler that leaves one unanswered, without saying
that an earlier acknowledgement covers it, is a bug; the resident still
gets the fallback answer and the log says which event type it was.
"""
from __future__ import annotations

import logging
from collections.abc import Callable

from bot.flows.context import EventContext
from bot.flows.menu import fallback
from bot.handlers import follow, group, location, media, postback, sticker, text, unfollow, unsend
from bot.services.threads import ThreadService

Handler = Callable[[EventContext], None]
log = logging.getLogger(__name__)

HANDLERS: dict[tuple[str, str | None], Handler] = {
    ("follow", None): follow.handle,
    ("unfollow", None): unfollow.handle,
    ("message", "text"): text.handle,
    ("message", "sticker"): sticker.handle,
    ("message", "location"): location.handle,
    ("message", "image"): media.handle,
    ("message", "video"): media.handle,
    ("message", "audio"): media.handle,
    ("message", "file"): media.handle,
    ("postback", None): postback.handle,
    ("unsend", None): unsend.handle,
    ("join", None): group.handle_join,
}


def dispatch(ctx: EventContext) -> None:
    """Hand the event to its handler (group chats only get the join notice); a message always gets an answer."""
    event_type = ctx.event.type
    message_type = getattr(getattr(ctx.event, "message", None), "type", None)
    handler = HANDLERS.get((event_type, message_type)) or HANDLERS.get((event_type, None))
    if handler is None:
        return
    if ctx.resident is None and handler is not group.handle_join:
        return  # the bot talks one to one; group and room chatter is not for it
    handler(ctx)
    if event_type == "message" and not ctx.answers and not ctx.covered:
        # Never the message itself in the log: it may be what a resident confided.
        log.warning("a %s message (event %s) got no answer from its handler; sent the fallback",
                    message_type, ctx.row.id)
        ctx.answer(*fallback(ctx))
    if ctx.answers and not ctx.acknowledged and ctx.resident is not None:
        # Any other answer ends a burst: "one acknowledgement a moment ago" no longer covers the next message.
        ThreadService.from_config(ctx.session, ctx.profile, ctx.config).burst_ended(ctx.resident)
