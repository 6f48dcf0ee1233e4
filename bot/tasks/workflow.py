"""The workflow's worker tasks: email a centre that a record was forwarded to it, or came back to it.

Sent by the worker after the forward committed, never inside the staff
member's request; a failure (SMTP down, refused) is retried by huey. The
email holds no personal details: only the receipt number and a link to the
admin view, where the reader must log in. Each member of staff reads it in
the language of their admin view (Japanese unless they chose English).
"""
from __future__ import annotations

import logging
import smtplib
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from huey.api import Task

from bot.i18n import DEFAULT_LOCALE, STAFF_LOCALES, S_, Translator
from bot.models.intake import IntakeRecord
from bot.services.workflow import Workflow
from bot.tasks.queue import current, huey

log = logging.getLogger(__name__)

SUBJECT = S_("【つなぐ】新しい受付 {receipt} が届いています")
BODY = S_("""{centre} ご担当の皆さま

受付番号 {receipt} の相談が、{centre}へ転送されました。対応をお待ちしています。
内容は、職員用画面にログインしてご確認ください。

{link}

※ このメールには個人情報を記載していません。このメールへの返信はできません。
""")

RETURNED_SUBJECT = S_("【つなぐ】受付 {receipt} が差し戻されました")
RETURNED_BODY = S_("""{centre} ご担当の皆さま

{centre}から転送した受付番号 {receipt} の相談が、転送先から差し戻され、{centre}に戻りました。
差し戻しの理由は、職員用画面にログインしてご確認ください。

{link}

※ このメールには個人情報を記載していません。このメールへの返信はできません。
""")


def smtp_configured(config: dict) -> bool:
    return bool(config.get("SMTP_HOST"))


def ready_to_email(config: dict, task: Task | None) -> bool:
    """Whether an email task sends at all (SMTP is configured); sets how long huey waits before a retry."""
    if not smtp_configured(config):
        return False
    if task is not None:
        task.retry_delay = int(config.get("MAIL_RETRY_SECONDS", 60))
    return True


def admin_link(config: dict, path: str) -> str:
    """A link to an admin page for an email (``path`` from /admin/ on)."""
    return f"{(config.get('ADMIN_BASE_URL') or '').rstrip('/')}/admin/{path}"


def record_link(config: dict, record_id: int) -> str:
    return admin_link(config, f"records/{record_id}")


def forward_email(config: dict, *, receipt: str, centre: str, record_id: int, recipients: list[str],
                  locale: str = DEFAULT_LOCALE, returned: bool = False) -> EmailMessage:
    """The email telling a centre's staff that a record waits for them (no personal details), in ``locale``.

    ``returned``: the record came back to the centre that forwarded it (差し戻し).
    """
    t = Translator(locale)
    subject, body = (RETURNED_SUBJECT, RETURNED_BODY) if returned else (SUBJECT, BODY)
    return staff_email(config, recipients, t._(subject, receipt=receipt),
                       t._(body, centre=centre, receipt=receipt, link=record_link(config, record_id)))


def staff_email(config: dict, recipients: list[str], subject: str, body: str) -> EmailMessage:
    """A notice to staff from the app's address: no personal details in it, only numbers and a link."""
    message = EmailMessage()
    message["Subject"] = subject
    message["From"] = config.get("MAIL_FROM") or config.get("SMTP_USER") or "tsunagu@localhost"
    message["To"] = ", ".join(recipients)
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain="tsunagu")
    message.set_content(body)
    return message


def by_language(accounts) -> dict[str, list[str]]:  # noqa: ANN001
    """The accounts' email addresses grouped by the language of their admin view."""
    groups: dict[str, list[str]] = {}
    for account in accounts:
        locale = account.locale if account.locale in STAFF_LOCALES else DEFAULT_LOCALE
        groups.setdefault(locale, []).append(account.email)
    return groups


def send_email(config: dict, message: EmailMessage) -> None:
    """Send through the configured SMTP server (STARTTLS and login when set)."""
    with smtplib.SMTP(config["SMTP_HOST"], int(config.get("SMTP_PORT") or 25), timeout=10) as smtp:
        if config.get("SMTP_STARTTLS"):
            smtp.starttls()
        if config.get("SMTP_USER"):
            smtp.login(config["SMTP_USER"], config.get("SMTP_PASSWORD") or "")
        smtp.send_message(message)


@huey.task(retries=5, context=True)
def email_forwarded_record(record_id: int, task: Task | None = None) -> None:
    """Email every active member of staff of the centre the record now belongs to."""
    _email_centre_staff(record_id, task, returned=False)


@huey.task(retries=5, context=True)
def email_returned_record(record_id: int, task: Task | None = None) -> None:
    """Email the staff of the centre a rejected forward came back to."""
    _email_centre_staff(record_id, task, returned=True)


def _email_centre_staff(record_id: int, task: Task | None, *, returned: bool) -> None:
    tsunagu = current()
    config = tsunagu.config
    if not ready_to_email(config, task):
        return
    with tsunagu.db.transaction() as session:
        record = session.get(IntakeRecord, record_id)
        if record is None or record.centre_code is None:
            return
        workflow = Workflow(session, tsunagu.profile)
        groups = by_language(workflow.receiving_staff(record.centre_code))
        receipt = record.receipt_number
        centres = {locale: workflow.router.desk_name(record.centre_code, locale) for locale in groups}
    # One email per language. A retry after a failure resends them all: staff may
    # rarely get a notice twice, never miss one.
    for locale, recipients in groups.items():
        send_email(config, forward_email(config, receipt=receipt, centre=centres[locale], record_id=record_id,
                                         recipients=recipients, locale=locale, returned=returned))
    log.info("forward email for record %s sent to %d staff", record_id,
             sum(len(recipients) for recipients in groups.values()))


URGENT_SUBJECT = S_("【つなぐ・緊急】受付 {receipt} に危険を示すメッセージが届きました")
URGENT_BODY = S_("""{desk} ご担当の皆さま

受付番号 {receipt} の相談に、身の危険を示すメッセージが届きました。至急ご確認ください。
内容は、職員用画面にログインしてご確認ください。

{link}

※ このメールには個人情報を記載していません。このメールへの返信はできません。
""")


@huey.task(retries=5, context=True)
def email_urgent_record(record_id: int, task: Task | None = None) -> None:
    """Email the desk's address from the profile (the centre, else the coordinator) that a record is urgent.

    Queued after the resident's event committed (an urgent record, or a danger
    message on an open one); like the forward email, only the receipt number and a link.
    """
    tsunagu = current()
    config = tsunagu.config
    if not ready_to_email(config, task):
        return
    with tsunagu.db.transaction() as session:
        record = session.get(IntakeRecord, record_id)
        if record is None or not record.urgent:
            return
        router = Workflow(session, tsunagu.profile).router
        centre = router.centre(record.centre_code)
        address = centre.email if centre is not None else tsunagu.profile.coordinator.email
        desk = router.desk_name(record.centre_code, DEFAULT_LOCALE)
        receipt = record.receipt_number
    if not address:
        log.warning("no email address for the desk of urgent record %s", record_id)
        return
    t = Translator(DEFAULT_LOCALE)
    send_email(config, staff_email(config, [address], t._(URGENT_SUBJECT, receipt=receipt),
                                   t._(URGENT_BODY, desk=desk, receipt=receipt, link=record_link(config, record_id))))
    log.info("urgent email for record %s sent to its desk", record_id)
