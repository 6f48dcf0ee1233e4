"""The rich menu's worker task: show each resident the menu in their language.

Queued after the event that set or changed the resident's language committed
(follow, 言語/Language), never inside the webhook request. The task reads the
language stored now, so an older task that runs late links the right menu
too. A failure LINE may get over (timeout, 5xx, 429) is retried with huey.
"""
from __future__ import annotations

import logging

from huey.api import Task
from sqlalchemy import select

from bot.messaging.line_api import LineApiError
from bot.messaging.richmenu import menu_for
from bot.models import Resident
from bot.tasks.queue import current, huey

log = logging.getLogger(__name__)


@huey.task(retries=5, context=True)
def sync_rich_menu(line_user_id: str, task: Task | None = None) -> None:
    """Link the resident to the installed menu in their stored language."""
    tsunagu = current()
    if task is not None:  # huey waits this long before the next of its retries
        task.retry_delay = int(tsunagu.config.get("RICH_MENU_RETRY_SECONDS", 30))
    with tsunagu.db.transaction() as session:
        resident = session.scalars(select(Resident).where(Resident.line_user_id == line_user_id)).first()
        if resident is None or not resident.is_following:
            return
        locale = resident.locale
    try:
        rich_menu_id = menu_for(tsunagu.line, locale)
        if rich_menu_id is None:
            return  # no rich menu installed on this channel
        tsunagu.line.link_rich_menu(line_user_id, rich_menu_id)
    except LineApiError as error:
        if error.retryable:
            raise
        # Refused for good (the user left, the menu was just replaced): the next
        # language change or `flask rich-menu` links them again.
        log.warning("rich menu link refused: %s", error.status)
