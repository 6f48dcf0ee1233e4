"""Email to the receiving centre when a record is forwarded: sent by the worker to a real SMTP server."""
from __future__ import annotations

from email import message_from_bytes
from email.header import decode_header, make_header

import socket

import pytest
from aiosmtpd.controller import Controller

from admin.accounts import StaffAccounts
from tests.admin.conftest import FAST_HASHING, create_staff
from tests.admin.records_support import submit_record
from tests.support import Worker, run_like_the_consumer


class Inbox:
    """Collects what the SMTP server receives."""

    def __init__(self) -> None:
        self.messages: list = []

    async def handle_DATA(self, server, session, envelope):  # noqa: ANN001, ANN201, N802
        self.messages.append((envelope.rcpt_tos, message_from_bytes(envelope.content)))
        return "250 OK"


@pytest.fixture
def smtp():
    inbox = Inbox()
    with socket.socket() as probe:  # a free loopback port (the controller checks it by connecting)
        probe.bind(("127.0.0.1", 0))
        inbox.port = probe.getsockname()[1]
    controller = Controller(inbox, hostname="127.0.0.1", port=inbox.port)
    controller.start()
    yield inbox
    controller.stop()


@pytest.fixture
def app(make_app, smtp):  # noqa: ANN001
    return make_app(SMTP_HOST="127.0.0.1", SMTP_PORT=smtp.port, SMTP_STARTTLS=False, MAIL_FROM="tsunagu@city.example.jp",
                    ADMIN_BASE_URL="https://tsunagu.city.example.jp", MAIL_RETRY_SECONDS=0, **FAST_HASHING)


def test_the_receiving_centres_staff_get_an_email_without_personal_details(app, browser, staff, smtp) -> None:  # noqa: ANN001
    create_staff(app, "taira2@city.example.jp", "平 次郎", "centre_staff", ("taira",))
    gone = create_staff(app, "taira3@city.example.jp", "平 三郎", "centre_staff", ("taira",))
    with app.extensions["tsunagu"].db.transaction() as session:
        tsunagu = app.extensions["tsunagu"]
        accounts = StaffAccounts(session, tsunagu.profile, app.extensions["tsunagu_admin"].passwords)
        accounts.deactivate(accounts.get(gone.id), by=staff["admin"].id)
    record_id, receipt = submit_record(app, area=None, details=("借金の取り立てが怖いです",), display_name="秘密 太郎")

    browser("coordinator").post(f"/admin/records/{record_id}/forward", {"forward-centre": "taira"})
    assert smtp.messages == []  # never inside the request
    Worker(app).drain()

    assert len(smtp.messages) == 1
    recipients, message = smtp.messages[0]
    assert sorted(recipients) == ["taira2@city.example.jp", "taira@city.example.jp"]
    subject = str(make_header(decode_header(message["Subject"])))
    body = message.get_payload(decode=True).decode(message.get_content_charset())
    assert receipt in subject
    assert f"https://tsunagu.city.example.jp/admin/records/{record_id}" in body
    assert "借金" not in body and "秘密" not in body and "借金" not in subject


def test_a_failed_send_is_retried(app, browser, staff, smtp) -> None:  # noqa: ANN001
    record_id, receipt = submit_record(app, area=None)
    calls = {"n": 0}
    original = smtp.handle_DATA

    async def flaky(server, session, envelope):  # noqa: ANN001, ANN202
        calls["n"] += 1
        if calls["n"] == 1:
            return "451 try again later"
        return await original(server, session, envelope)

    smtp.handle_DATA = flaky
    browser("coordinator").post(f"/admin/records/{record_id}/forward", {"forward-centre": "taira"})
    run_like_the_consumer(app.extensions["tsunagu"].huey, limit=5)

    assert calls["n"] == 2 and len(smtp.messages) == 1


def test_without_smtp_no_email_is_queued(make_app, smtp) -> None:  # noqa: ANN001
    plain = make_app(**FAST_HASHING)
    create_staff(plain, "c@city.example.jp", "調整", "coordinator")
    create_staff(plain, "t@city.example.jp", "平", "centre_staff", ("taira",))
    record_id, _ = submit_record(plain, area=None)
    from tests.admin.support import StaffBrowser
    from tests.admin.conftest import STAFF_PASSWORD

    coordinator = StaffBrowser(plain.test_client())
    coordinator.log_in("c@city.example.jp", STAFF_PASSWORD)
    coordinator.post(f"/admin/records/{record_id}/forward", {"forward-centre": "taira"})

    assert plain.extensions["tsunagu"].huey.pending_count() == 0
    Worker(plain).drain()
    assert smtp.messages == []


def test_a_rejected_forward_goes_back_to_the_sending_centre_and_its_staff_are_emailed(app, browser, staff, smtp) -> None:  # noqa: ANN001
    record_id, receipt = submit_record(app, area="taira")
    browser("taira").post(f"/admin/records/{record_id}/forward", {"forward-centre": "onahama"})
    Worker(app).drain()
    smtp.messages.clear()

    browser("onahama").post(f"/admin/records/{record_id}/reject", {"reject-reason": "小名浜地区の方ではありません"})
    Worker(app).drain()

    assert [recipients for recipients, _ in smtp.messages] == [[staff["taira"].email]]
    message = smtp.messages[0][1]
    assert receipt in str(make_header(decode_header(message["Subject"]))) and "差し戻されました" in str(
        make_header(decode_header(message["Subject"])))
    body = message.get_payload(decode=True).decode()
    assert f"/admin/records/{record_id}" in body and "小名浜地区の方ではありません" not in body
