"""Alerts that reach people: a danger message on a record raises an alert on the pages of staff in scope,
and an email to the desk's address from the profile (sent by the worker to a real SMTP server)."""
from __future__ import annotations

from email.header import decode_header, make_header

from tests.admin.records_support import submit_record, user_id
from tests.admin.test_records_email import app, smtp  # noqa: F401 - the SMTP fake and an app that uses it
from tests.test_hours import consult

RESIDENT = user_id(7007)


def opened(person) -> dict:  # noqa: ANN001
    """A page just opened: the cursors it polls from."""
    response = person.get("/admin/alerts")
    assert response.status_code == 200
    assert response.json["alerts"] == []
    return response.json


def alerts_since(person, cursors: dict) -> list[str]:  # noqa: ANN001
    response = person.get(f"/admin/alerts?m={cursors['m']}&r={cursors['r']}")
    assert response.status_code == 200
    return [alert["receipt"] for alert in response.json["alerts"]]


def test_a_danger_message_on_an_open_record_alerts_its_centre_and_emails_it(app, browser, chat, smtp) -> None:  # noqa: ANN001, F811
    record_id, receipt = submit_record(app, area="taira", line_user=RESIDENT, details=("母の介護のことで相談です。",))
    taira, onahama, coordinator = browser("taira"), browser("onahama"), browser("coordinator")
    pages = {name: (person, opened(person)) for name, person in
             (("taira", taira), ("onahama", onahama), ("coordinator", coordinator))}
    assert all(alerts_since(person, cursors) == [] for person, cursors in pages.values())

    chat(RESIDENT).says("夫に殴られて逃げています")

    assert alerts_since(*pages["taira"]) == [receipt]
    assert alerts_since(*pages["coordinator"]) == [receipt]
    assert alerts_since(*pages["onahama"]) == []  # another centre's record stays unknown to them
    body = taira.get(f"/admin/alerts?m={pages['taira'][1]['m']}&r={pages['taira'][1]['r']}").json
    assert body["alerts"][0]["url"] == f"/admin/records/{record_id}"
    assert alerts_since(taira, body) == []  # told once

    assert len(smtp.messages) == 1
    recipients, message = smtp.messages[0]
    assert recipients == ["taira@iwaki.example.jp"]  # the centre's address from the profile
    subject = str(make_header(decode_header(message["Subject"])))
    text = message.get_payload(decode=True).decode(message.get_content_charset())
    assert receipt in subject and "緊急" in subject
    assert f"https://tsunagu.city.example.jp/admin/records/{record_id}" in text
    assert "殴" not in text and "介護" not in text


def test_a_new_urgent_record_alerts_staff_in_scope(app, browser) -> None:  # noqa: ANN001, F811
    taira, coordinator = browser("taira"), browser("coordinator")
    taira_page, coordinator_page = opened(taira), opened(coordinator)
    _, urgent = submit_record(app, area="taira", urgency="now")
    _, unrouted = submit_record(app, area=None, urgency="now")
    submit_record(app, area="taira", urgency="days")  # not urgent: no alert
    assert alerts_since(taira, taira_page) == [urgent]
    assert sorted(alerts_since(coordinator, coordinator_page)) == sorted([urgent, unrouted])


def test_a_danger_message_with_no_known_area_emails_the_coordinator(app, browser, chat, smtp) -> None:  # noqa: ANN001, F811
    coordinator = browser("coordinator")
    page = opened(coordinator)
    chat(user_id(7008)).says("夫に殴られて逃げています")
    assert len(alerts_since(coordinator, page)) == 1
    assert [recipients for recipients, _ in smtp.messages] == [["coordinator@iwaki.example.jp"]]


def test_a_consultation_that_asks_for_contact_now_emails_the_desk_once(app, chat, smtp) -> None:  # noqa: ANN001, F811
    resident = chat(user_id(7009))
    resident.follows()
    consult(resident, area="onahama", urgency="now")
    assert [recipients for recipients, _ in smtp.messages] == [["onahama@iwaki.example.jp"]]
    smtp.messages.clear()
    consult(resident, area="onahama", urgency="days")  # not urgent: no email
    assert smtp.messages == []


def test_alerts_need_a_role_that_sees_records(browser) -> None:  # noqa: ANN001
    assert browser("admin").get("/admin/alerts").status_code == 403
    assert browser(None).get("/admin/alerts").status_code in (302, 401)
    page = browser("taira").get("/admin/").get_data(as_text=True)
    assert 'data-alerts-url="/admin/alerts"' in page and "alerts.js" in page
    assert "alerts.js" not in browser("admin").get("/admin/").get_data(as_text=True)


def test_odd_cursors_are_not_an_error(browser) -> None:  # noqa: ANN001
    for query in ("m=x&r=1", "m=-1&r=0", "m=99999999999999999999999&r=1", "m=1"):
        response = browser("taira").get(f"/admin/alerts?{query}")
        assert response.status_code == 200 and response.json["alerts"] == []
