"""The rich menu's worker task: show each resident the menu in their language.

Queued after the event that set or changed the resident's language committed
(follow, 言語/Language), never inside the webhook request. The task reads the
language stored now, so an older task that runs late links the right menu
too. A failure LINE may get over (timeout, 5xx, 429) is retried with huey.
"""
from __future__ import annotations

import logging

from sqlalchemy import select

from bot.messaging.line_api import LineApiError
from bot.models import Resident
from bot.messaging.richmenu import menu_for

log = logging.getLogger(__name__)


def register_rich_menu_tasks(huey, app, tsunagu, tasks) -> None:  # noqa: ANN001
    """Add the rich menu's task to the app's queue and to ``tasks``."""
    config = tsunagu.config

    @huey.task(name="sync_rich_menu", retries=5, retry_delay=int(config.get("RICH_MENU_RETRY_SECONDS", 30)))
    def sync_rich_menu(line_user_id: str) -> None:
        """Link the resident to the installed menu in their stored language."""
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

    tasks.sync_rich_menu = sync_rich_menu
