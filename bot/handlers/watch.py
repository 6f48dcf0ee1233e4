"""A resident answers a 見守り check-in: by its buttons or in their own words."""
from __future__ import annotations

from bot.flows.context import EventContext
from bot.flows.menu import menu_chips
from bot.flows.postbacks import Postback, WatchTap
from bot.flows.watch_words import answer_of
from bot.messaging.build import text
from bot.services.watch import WatchService
from bot.services.watch_notices import WatchNotices
from bot.tasks.delivery import deliver_to


def _answer(ctx: EventContext, answer: str, typed: str | None) -> bool:
    service = WatchService(ctx.session, ctx.profile, ctx.config.get("CLOCK"), ctx.outbox)
    answered = service.answer(ctx.resident, answer, typed)
    if answered is None:
        return False
    notices = WatchNotices(ctx.t)
    words = notices.thanks_fine() if answered.record is None else notices.passed_on(answered.first_look)
    ctx.answer(text(words, menu_chips(ctx)))
    for recipient in service.recipients:  # contacts told the resident answered
        ctx.enqueue_after_commit(deliver_to, recipient)
    return True


def answer_check_in(ctx: EventContext, typed: str) -> bool:
    """「元気です」「ちょっと心配」「話したいです」 while a check-in waits for its answer."""
    answer = answer_of(typed)
    return answer is not None and ctx.resident is not None and _answer(ctx, answer, typed)


def answer_check_in_tap(ctx: EventContext, tap: Postback) -> bool:
    """The check-in's buttons; an old check-in's button (already answered) is answered as stale by the caller."""
    if tap.action != WatchTap.ANSWER or ctx.resident is None:
        return False
    return _answer(ctx, tap.arg, None)
