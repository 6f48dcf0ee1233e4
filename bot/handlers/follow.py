"""follow: a resident added the account (or unblocked it)."""
from __future__ import annotations

import logging

from bot.flows.context import EventContext
from bot.i18n import DEFAULT_LOCALE, normalise_locale
from bot.flows.menu import greeting
from bot.messaging.line_api import LineApiError
from bot.tasks.richmenu import sync_rich_menu

log = logging.getLogger(__name__)


def handle(ctx: EventContext) -> None:
    """Stores the resident's name and language, then greets them."""
    display_name = language = None
    try:
        profile = ctx.tsunagu.line.get_profile(ctx.resident.line_user_id)
        display_name, language = profile.display_name, profile.language
    except LineApiError as error:
        # Greeting without a name is better than not greeting.
        log.warning("profile lookup failed: %s", error.status)
    ctx.residents.followed(ctx.resident, display_name, language, normalise_locale(language))
    if ctx.resident.locale != DEFAULT_LOCALE:  # the default rich menu is the Japanese one
        ctx.enqueue_after_commit(sync_rich_menu, ctx.resident.line_user_id)
    ctx.answer(*greeting(ctx))
