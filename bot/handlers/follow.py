"""follow: a resident added the account (or unblocked it)."""
from __future__ import annotations

from bot.flows.context import EventContext
from bot.flows.menu import greeting, welcome_back
from bot.i18n import DEFAULT_LOCALE, normalise_locale
from bot.tasks.richmenu import sync_rich_menu


def handle(ctx: EventContext) -> None:
    """Stores the resident's name and language (from the LINE profile the worker fetched), then greets them."""
    # Without a profile (LINE did not answer), greeting without a name is better than not greeting.
    display_name = ctx.line_profile.display_name if ctx.line_profile else None
    language = ctx.line_profile.language if ctx.line_profile else None
    # Unblocked (LINE says so, or we saw them follow before): a friend coming back, not a new one.
    unblocked = getattr(getattr(ctx.event, "follow", None), "is_unblocked", False)
    returning = bool(unblocked) or ctx.resident.followed_at is not None
    ctx.residents.followed(ctx.resident, display_name, language, normalise_locale(language))
    if ctx.resident.locale != DEFAULT_LOCALE:  # the default rich menu is the Japanese one
        ctx.enqueue_after_commit(sync_rich_menu, ctx.resident.line_user_id)
    ctx.answer(*(welcome_back(ctx) if returning else greeting(ctx)))
