"""A number a resident types on LINE, however typed, is what staff read, grouped by its area code.

The consultation and the sign-ups read numbers with one rule (bot/services/phone.py);
the record page, the sign-up list and its CSV show them one way.
"""
from __future__ import annotations

import csv
import io

import pytest
from sqlalchemy import select

from bot.models import SignUp
from bot.models.intake import IntakeRecord
from tests.admin.support import page_text, table_rows
from tests.events_support import create_event
from tests.test_intake_flow import HAPPY_PATH, start

TYPED = [
    ("0246834567", "0246-83-4567"),  # a landline, grouped by its area code 0246
    ("０２４６ー８３ー４５６７", "0246-83-4567"),
    ("（０２４６）８３－４５６７", "0246-83-4567"),
    ("電話番号は090-1234-5678です", "090-1234-5678"),
    ("+81 90 1234 5678", "090-1234-5678"),
]


@pytest.mark.parametrize(("typed", "shown"), TYPED)
def test_a_number_typed_in_the_consultation_is_shown_grouped_on_the_record_page(app, chat, browser, typed, shown):
    resident = start(chat)
    for step, act in HAPPY_PATH:
        if step == "phone":
            resident.says(typed)
        else:
            act(resident)
    assert "受付番号" in resident.last_text()
    with app.extensions["tsunagu"].db.transaction() as session:
        record = session.scalars(select(IntakeRecord)).one()
        record_id, stored = record.id, record.phone
    assert stored == shown.replace("-", "")

    page = page_text(browser("coordinator").get(f"/admin/records/{record_id}"))

    assert shown in page


@pytest.mark.parametrize(("typed", "shown"), TYPED)
def test_a_number_typed_for_a_sign_up_is_shown_grouped_in_the_list_and_the_csv(
        app, chat, as_centre_staff, typed, shown) -> None:  # noqa: ANN001
    event_id = create_event(app, capacity=5, max_party_size=1)
    resident = chat(display_name="山田花子")
    resident.follows()
    resident.taps(f"events:apply:{event_id}")
    resident.taps("events:name")
    resident.says(typed)
    assert f"電話番号：{shown}" in resident.last_text()
    resident.taps("events:submit")

    [row] = table_rows(as_centre_staff.get(f"/admin/events/{event_id}"))
    assert "山田花子" in row and shown in row
    rows = list(csv.reader(io.StringIO(as_centre_staff.get(f"/admin/events/{event_id}/signups.csv")
                                       .get_data().decode("utf-8-sig"), newline="")))
    assert rows[1][5] == shown


def test_numbers_stored_with_hyphens_before_are_still_shown_the_same_way(app, as_centre_staff) -> None:  # noqa: ANN001
    event_id = create_event(app, capacity=5, max_party_size=1)
    as_centre_staff.post(f"/admin/events/{event_id}/signups", {"name": "鈴木 和子", "party_size": "1",
                                                               "phone": "0246834567"})
    with app.extensions["tsunagu"].db.transaction() as session:
        signup = session.scalars(select(SignUp)).one()
        assert signup.phone == "0246834567"
        signup.phone = "0246-83-4567"  # as sign-ups were stored before

    [row] = table_rows(as_centre_staff.get(f"/admin/events/{event_id}"))
    assert "0246-83-4567" in row and 'href="tel:0246834567"' in as_centre_staff.get(
        f"/admin/events/{event_id}").get_data(as_text=True)
