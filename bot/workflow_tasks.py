"""The workflow's worker task: email a centre that a record was forwarded to it.

Sent by the worker after the forward committed, never inside the staff
member's request; a failure (SMTP down, refused) is retried by huey. The
email holds no personal details: only the receipt number and a link to the
admin view, where the reader must log in.
"""
from __future__ import annotations

import logging
import smtplib
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from bot.models.intake import IntakeRecord
from bot.services.workflow import Workflow

log = logging.getLogger(__name__)

SUBJECT = "【つなぐ】新しい受付 {receipt} が届いています"
BODY = """{centre} ご担当の皆さま

受付番号 {receipt} の相談が、{centre}へ転送されました。対応をお待ちしています。
内容は、職員用画面にログインしてご確認ください。

{link}

※ このメールには個人情報を記載していません。このメールへの返信はできません。
"""


def smtp_configured(config: dict) -> bool:
    return bool(config.get("SMTP_HOST"))


def record_link(config: dict, record_id: int) -> str:
    base = (config.get("ADMIN_BASE_URL") or "").rstrip("/")
    return f"{base}/admin/records/{record_id}"


def forward_email(config: dict, *, receipt: str, centre: str, record_id: int, recipients: list[str]) -> EmailMessage:
    """The email telling a centre's staff that a record waits for them (no personal details)."""
    message = EmailMessage()
    message["Subject"] = SUBJECT.format(receipt=receipt)
    message["From"] = config.get("MAIL_FROM") or config.get("SMTP_USER") or "tsunagu@localhost"
    message["To"] = ", ".join(recipients)
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain="tsunagu")
    message.set_content(BODY.format(centre=centre, receipt=receipt, link=record_link(config, record_id)))
    return message


def send_email(config: dict, message: EmailMessage) -> None:
    """Send through the configured SMTP server (STARTTLS and login when set)."""
    with smtplib.SMTP(config["SMTP_HOST"], int(config.get("SMTP_PORT") or 25), timeout=10) as smtp:
        if config.get("SMTP_STARTTLS"):
            smtp.starttls()
        if config.get("SMTP_USER"):
            smtp.login(config["SMTP_USER"], config.get("SMTP_PASSWORD") or "")
        smtp.send_message(message)


def register_workflow_tasks(huey, app, tsunagu, tasks) -> None:  # noqa: ANN001
    """Add the workflow's tasks to the app's queue and to ``tasks``."""
    config = tsunagu.config

    @huey.task(name="email_forwarded_record", retries=5, retry_delay=int(config.get("MAIL_RETRY_SECONDS", 60)))
    def email_forwarded_record(record_id: int) -> None:
        """Email every active member of staff of the centre the record now belongs to."""
        if not smtp_configured(config):
            return
        with tsunagu.db.transaction() as session:
            record = session.get(IntakeRecord, record_id)
            if record is None or record.centre_code is None:
                return
            workflow = Workflow(session, tsunagu.profile)
            recipients = [account.email for account in workflow.receiving_staff(record.centre_code)]
            receipt, centre = record.receipt_number, workflow.router.desk_name(record.centre_code)
        if not recipients:
            return
        send_email(config, forward_email(config, receipt=receipt, centre=centre, record_id=record_id,
                                         recipients=recipients))
        log.info("forward email for record %s sent to %d staff", record_id, len(recipients))

    tasks.email_forwarded_record = email_forwarded_record
