"""The consultation's worker tasks: photos into our database, stale drafts out of it.

Photos are fetched here, after the event's transaction committed, so the
resident's lock is never held while LINE's content API answers; a failure
is retried with back-off and never loses the conversation. Their content is
never logged.
"""
from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from huey import crontab
from sqlalchemy.orm import Session

from bot.messaging.line_api import LineApiError
from bot.models.intake import IntakeAttachment
from bot.services.intake import IntakeService
from bot.tasks.queue import current, huey

if TYPE_CHECKING:
    from bot.container import Tsunagu

log = logging.getLogger(__name__)

_SIGNATURES = (
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
)


def sniff_content_type(content: bytes) -> str:
    """The image type from its first bytes (LINE sends JPEG; the SDK does not pass the header on)."""
    for signature, content_type in _SIGNATURES:
        if content.startswith(signature):
            return content_type
    if content[:4] == b"RIFF" and content[8:12] == b"WEBP":
        return "image/webp"
    return "application/octet-stream"


def _service(tsunagu: Tsunagu, session: Session) -> IntakeService:
    ttl = timedelta(minutes=tsunagu.config["CONVERSATION_TTL_MINUTES"])
    return IntakeService(session, tsunagu.profile, draft_ttl=ttl)


@huey.task()
def fetch_intake_photo(attachment_id: int) -> None:
    """Copy a photo a resident sent from LINE into the record (or the draft)."""
    tsunagu = current()
    config = tsunagu.config
    with tsunagu.db.transaction() as session:
        photo = _service(tsunagu, session).photo_to_fetch(attachment_id)
        if photo is None:
            return  # fetched already, or taken back by the resident
        message_id = photo.line_message_id
    try:
        content = tsunagu.line.get_content(message_id)
    except LineApiError as error:
        retry_in = None
        with tsunagu.db.transaction() as session:
            photo = _service(tsunagu, session).photo_to_fetch(attachment_id)
            if photo is None:
                return
            photo.attempts += 1
            if error.retryable and photo.attempts < config["PHOTO_FETCH_MAX_ATTEMPTS"]:
                retry_in = min(config["OUTBOX_BACKOFF_BASE"] * 2 ** (photo.attempts - 1), config["OUTBOX_BACKOFF_CAP"])
            else:
                photo.status = IntakeAttachment.UNAVAILABLE
        log.warning("photo %s not fetched (%s), attempt %s", attachment_id, error.status, photo.attempts)
        if retry_in is not None:
            fetch_intake_photo.schedule((attachment_id,), delay=retry_in)
        return
    with tsunagu.db.transaction() as session:
        service = _service(tsunagu, session)
        photo = service.photo_to_fetch(attachment_id)
        if photo is not None:
            service.store_photo(photo, content, sniff_content_type(content))


@huey.periodic_task(crontab(minute="*/10"))
def purge_intake_drafts() -> None:
    """Delete unfinished consultations 24 hours after their last answer."""
    purge_intake_drafts_now(current())


def purge_intake_drafts_now(tsunagu: Tsunagu, now: datetime | None = None) -> int:
    """Delete the drafts that expired by ``now``; return how many."""
    with tsunagu.db.transaction() as session:
        purged = _service(tsunagu, session).purge_drafts(now)
    if purged:
        log.info("deleted %d unfinished consultations", purged)
    return purged
