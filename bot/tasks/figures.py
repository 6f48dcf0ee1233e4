"""Keep the figures' daily summary recounted, so the figures page rarely has a day to recount itself."""
from __future__ import annotations

from huey import crontab

from bot.services.figures import FigureSummary
from bot.tasks.queue import current, huey


@huey.periodic_task(crontab(minute="*/5"))
def refresh_figures() -> None:
    """Recount the days changes made stale since the last run (bot/services/figures.py)."""
    with current().db.transaction() as session:
        FigureSummary(session).refresh()
