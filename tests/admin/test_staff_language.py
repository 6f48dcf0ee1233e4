"""What staff read that the service words for them follows their language: flags, CSV files, emails."""
from __future__ import annotations

import csv
import io
import re
from email.header import decode_header, make_header
from html import unescape

import pytest

from bot.models import StaffAccount
from bot.models.intake import IntakeRecord
from bot.services.events import EventService
from bot.tasks.workflow import email_forwarded_record
from tests.admin.conftest import FAST_HASHING, create_staff
from tests.admin.records_support import submit_record
from tests.admin.support import page_text
from tests.admin.test_records_email import smtp  # noqa: F401  (the fake SMTP server fixture)
from tests.events_support import create_event, resident
from tests.support import Worker, compile_catalogs


@pytest.fixture(autouse=True)
def catalogs():
    compile_catalogs()


def in_english(browser, key: str):  # noqa: ANN001, ANN201
    person = browser(key)
    person.post("/admin/settings", {"locale-locale": "en"})
    return person


def test_flags_and_the_chosen_time_slot_are_shown_in_the_staff_members_language(app, browser) -> None:  # noqa: ANN001
    record_id, _ = submit_record(app, categories=("elderly", "money"), urgency="now", contact="phone",
                                 phone="09012345678")
    with app.extensions["tsunagu"].db.transaction() as session:
        session.get(IntakeRecord, record_id).contact_times = "平日の午後"  # a slot the resident tapped

    japanese = page_text(browser("taira").get(f"/admin/records/{record_id}"))
    english = page_text(in_english(browser, "taira").get(f"/admin/records/{record_id}"))

    assert "複数の分野にまたがる相談（介護・高齢、お金・生活の困りごと）" in japanese
    assert "緊急：今すぐの連絡を希望" in japanese and "平日の午後" in japanese
    assert "Needs across several fields (Care and older people, Money and making ends meet)" in english
    assert "Urgent: wants to be contacted now" in english
    assert "Weekday afternoons" in english
    assert "複数の分野" not in english and "緊急：" not in english and "平日の午後" not in english


def test_the_sign_up_csv_is_in_the_staff_members_language(app, browser) -> None:  # noqa: ANN001
    event_id = create_event(app, capacity=1)
    tsunagu = app.extensions["tsunagu"]
    with tsunagu.db.transaction() as session:
        events = EventService(session, tsunagu.profile)
        events.sign_up(event_id, resident=resident(session, "U1"), party_size=1, name="山田 花子")
        events.add_signup_by_hand(event_id, name="鈴木 和子", party_size=1)

    body = in_english(browser, "taira").get(f"/admin/events/{event_id}/signups.csv").get_data().decode("utf-8-sig")

    rows = list(csv.reader(io.StringIO(body, newline="")))
    assert rows[0] == ["Sign-up no.", "Status", "Waiting list no.", "Name", "People", "Phone number", "Signed up by",
                       "Signed up at", "Confirmed at", "Attended", "Cancelled at"]
    assert [(row[1], row[3], row[6]) for row in rows[1:]] == [
        ("Confirmed", "山田 花子", "LINE"), ("Waiting list", "鈴木 和子", "Phone / counter")]


@pytest.fixture
def mail_app(make_app, smtp):  # noqa: ANN001, F811
    return make_app(SMTP_HOST="127.0.0.1", SMTP_PORT=smtp.port, SMTP_STARTTLS=False, MAIL_FROM="tsunagu@city.example.jp",
                    ADMIN_BASE_URL="https://tsunagu.city.example.jp", MAIL_RETRY_SECONDS=0, **FAST_HASHING)


def test_the_forward_email_is_in_each_recipients_language(mail_app, smtp) -> None:  # noqa: ANN001, F811
    create_staff(mail_app, "c@city.example.jp", "調整", "coordinator")
    create_staff(mail_app, "ja@city.example.jp", "平 花子", "centre_staff", ("taira",))
    alex = create_staff(mail_app, "en@city.example.jp", "Alex", "centre_staff", ("taira",))
    record_id, receipt = submit_record(mail_app, area=None)
    tsunagu = mail_app.extensions["tsunagu"]
    with tsunagu.db.transaction() as session:
        session.get(StaffAccount, alex.id).locale = "en"  # chosen in their settings
        session.get(IntakeRecord, record_id).centre_code = "taira"  # forwarded
    email_forwarded_record(record_id)
    Worker(mail_app).drain()

    received = {tuple(recipients): message for recipients, message in smtp.messages}
    assert set(received) == {("ja@city.example.jp",), ("en@city.example.jp",)}
    subjects = {who[0]: str(make_header(decode_header(m["Subject"]))) for who, m in received.items()}
    bodies = {who[0]: m.get_payload(decode=True).decode(m.get_content_charset()) for who, m in received.items()}
    assert subjects["ja@city.example.jp"] == f"【つなぐ】新しい受付 {receipt} が届いています"
    assert subjects["en@city.example.jp"] == f"[Tsunagu] New consultation {receipt} is waiting for you"
    assert "ご担当の皆さま" in bodies["ja@city.example.jp"]
    assert "Please log in to the staff view" in bodies["en@city.example.jp"]
    assert f"/admin/records/{record_id}" in bodies["en@city.example.jp"]


def test_categories_and_areas_are_named_in_the_staff_members_language(app, browser) -> None:  # noqa: ANN001
    record_id, receipt = submit_record(app, area="taira", categories=("elderly", "money"))

    japanese_queue = page_text(browser("taira").get("/admin/records/"))
    english_queue = page_text(in_english(browser, "taira").get("/admin/records/"))
    english_record = page_text(in_english(browser, "taira").get(f"/admin/records/{record_id}"))

    assert receipt in japanese_queue and "介護・高齢" in japanese_queue
    assert receipt in english_queue and "Care and older people" in english_queue
    assert "介護・高齢" not in english_queue
    assert "Care and older people" in english_record and "Taira" in english_record


def first_choices(response) -> dict[str, str]:  # noqa: ANN001
    """The label of each filter's "all" option (value ``all``, else the empty value), by the select's name."""
    html = response.get_data(as_text=True)
    labels = {}
    for name, body in re.findall(r'<select[^>]*name="([^"]+)"[^>]*>(.*?)</select>', html, flags=re.S):
        options = dict(re.findall(r'<option[^>]*value="([^"]*)"[^>]*>([^<]*)</option>', body))
        labels[name] = unescape(options.get("all", options.get("", ""))).strip()
    return labels


def test_each_filters_all_choice_reads_right_in_english(app, browser) -> None:  # noqa: ANN001
    queue = first_choices(in_english(browser, "coordinator").get("/admin/records/"))
    events = first_choices(in_english(browser, "coordinator").get("/admin/events/"))
    audit = first_choices(in_english(browser, "admin").get("/admin/audit/"))

    assert {queue[name] for name in ("status", "centre", "category", "urgency", "assignee")} == {
        "All statuses", "All centres", "All categories", "Any urgency", "Anyone"}
    assert (events["centre"], events["kind"], events["status"]) == ("All centres", "All kinds", "All statuses")
    assert (audit["actor"], audit["action"]) == ("All staff", "All actions")
    assert "All events" not in {*queue.values(), *events.values(), *audit.values()}


def test_a_closed_record_offers_reopen_in_english_not_resume(app, browser) -> None:  # noqa: ANN001
    from tests.admin.records_support import move

    record_id, _ = submit_record(app)
    move(app, record_id, ("start", "centre_staff", {}), ("close", "centre_staff", {"outcome": "resolved"}))
    button = re.compile(r'<button[^>]*value="reopen"[^>]*>([^<]+)</button>')
    assert button.search(browser("taira").get(f"/admin/records/{record_id}").get_data(as_text=True))[1] == "対応を再開する"
    english = in_english(browser, "taira").get(f"/admin/records/{record_id}").get_data(as_text=True)
    assert button.search(english)[1] == "Reopen"
