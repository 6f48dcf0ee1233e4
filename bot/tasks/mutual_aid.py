"""住民支え合い's worker tasks: reminders the day before, the check two days after, and the SC's email.

Each reminder and check is claimed in the database (``reminded_at``,
``checked_at``) in the transaction that queues its push, so it is sent once
whatever the workers do. When a resident answers the check with 問題があった,
the SCs of the area get an email with the request's number and a link only.
"""
from __future__ import annotations

import logging
from datetime import datetime
from typing import TYPE_CHECKING

from huey import crontab
from huey.api import Task

from bot.i18n import S_, Translator
from bot.messaging.outbox import Outbox
from bot.models import HelpRequest, utcnow
from bot.services.mutual_aid import MutualAidService
from bot.tasks.events import deliver_notices
from bot.tasks.queue import current, huey
from bot.tasks.workflow import admin_link, by_language, ready_to_email, send_email, staff_email

if TYPE_CHECKING:
    from bot.container import Tsunagu

log = logging.getLogger(__name__)


def send_help_notices_now(tsunagu: Tsunagu, now: datetime | None = None) -> set[str]:
    """Queue the reminders and checks that are due, then deliver them; return the LINE user ids told."""
    clock = (lambda: now) if now is not None else utcnow
    with tsunagu.db.transaction() as session:
        outbox = Outbox(session)
        service = MutualAidService(session, tsunagu.profile, clock, outbox=outbox)
        reminded, checked = service.send_reminders(), service.send_checks()
        recipients = {row.to for row in outbox.queued}
    if reminded or checked:
        log.info("queued %d help reminders and %d checks", reminded, checked)
    deliver_notices(recipients)
    return recipients


@huey.periodic_task(crontab(minute="*/5"))
def help_notices() -> None:
    send_help_notices_now(current())


PROBLEM_SUBJECT = S_("【つなぐ・支え合い】依頼 {number} のお手伝いに「問題があった」との声が届きました")
PROBLEM_BODY = S_("""{area} の生活支援コーディネーターの皆さま

支え合いの依頼 {number} のお手伝いのあと、依頼した方から「問題があった」との声が届きました。
内容は、職員用画面にログインしてご確認ください。

{link}

※ このメールには個人情報を記載していません。このメールへの返信はできません。
""")


@huey.task(retries=5, context=True)
def email_help_problem(request_id: int, task: Task | None = None) -> None:
    """Tell the SCs of the request's centre (else the city's SCs) that the resident answered 問題があった."""
    tsunagu = current()
    config = tsunagu.config
    if not ready_to_email(config, task):
        return
    with tsunagu.db.transaction() as session:
        request = session.get(HelpRequest, request_id)
        if request is None or request.check_result != HelpRequest.PROBLEM:
            return
        service = MutualAidService(session, tsunagu.profile)
        groups = by_language(service.coordinators_of(request.centre_code))
        areas = {locale: service.area_name(Translator(locale), request.area_code) for locale in groups}
    if not groups:
        log.warning("no life-support coordinator to tell of help request %s", request_id)
        return
    link = admin_link(config, f"mutual-aid/requests/{request_id}")
    for locale, recipients in groups.items():
        t = Translator(locale)
        send_email(config, staff_email(config, recipients, t._(PROBLEM_SUBJECT, number=request_id),
                                       t._(PROBLEM_BODY, area=areas[locale], number=request_id, link=link)))
    log.info("help problem email for request %s sent to %d coordinators", request_id,
             sum(len(recipients) for recipients in groups.values()))
