"""The sign-up list as CSV: opens in Excel with Japanese intact, and only for the event's own centre."""
from __future__ import annotations

import csv
import io

from bot.services.events import EventService
from tests.events_support import create_event, days_ahead, resident

HEADER = ["申込番号", "状態", "キャンセル待ち順", "お名前", "人数", "電話番号", "申込方法", "申込日時", "確定日時", "出席",
          "取消日時"]


def _sign_up(app, event_id: int, user_id: str | None, name: str, party: int = 1, phone: str | None = None) -> int:  # noqa: ANN001
    tsunagu = app.extensions["tsunagu"]
    with tsunagu.db.transaction() as session:
        events = EventService(session, tsunagu.profile)
        if user_id is None:
            return events.add_signup_by_hand(event_id, name=name, party_size=party, phone=phone).id
        return events.sign_up(event_id, resident=resident(session, user_id), party_size=party, name=name,
                              phone=phone).id


def test_the_csv_opens_in_excel_with_japanese_intact(app, as_centre_staff, audit_entries) -> None:  # noqa: ANN001
    event_id = create_event(app, capacity=2, max_party_size=2)
    _sign_up(app, event_id, "U1", "山田 花子", party=2, phone="090-1234-5678")
    _sign_up(app, event_id, None, "鈴木 和子", phone="0246221111")  # waiting, phoned in
    as_centre_staff.post(f"/admin/events/{event_id}/signups", {"name": "=HYPERLINK(\"x\")", "party_size": "1"})

    response = as_centre_staff.get(f"/admin/events/{event_id}/signups.csv")

    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment;") and f"event-{event_id}-" in disposition and ".csv" in disposition
    assert response.headers["Cache-Control"] == "no-store"
    body = response.get_data()
    assert body.startswith(b"\xef\xbb\xbf")  # the BOM: Excel reads UTF-8, not Shift_JIS
    text = body.decode("utf-8-sig")
    assert text.endswith("\r\n") and "\n" not in text.replace("\r\n", "")  # CRLF line ends only
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert rows[0] == HEADER
    assert [row[1:7] for row in rows[1:]] == [
        ["参加確定", "", "山田 花子", "2", "090-1234-5678", "LINE"],
        ["キャンセル待ち", "1", "鈴木 和子", "1", "0246-22-1111", "電話・窓口"],
        ["キャンセル待ち", "2", "'=HYPERLINK(\"x\")", "1", "", "電話・窓口"],  # never read as a formula
    ]
    [export] = audit_entries("events.export")
    assert export["target"] == ("events", str(event_id)) and export["details"] == {"rows": 3}


def test_attendance_and_cancellations_are_in_the_csv(app, browser, clock) -> None:  # noqa: ANN001
    event_id = create_event(app, capacity=5, starts_at=days_ahead(1, 10))
    came = _sign_up(app, event_id, "U1", "山田 花子")
    left = _sign_up(app, event_id, "U2", "佐藤 正男")
    clock.now = days_ahead(1, 9, 30)  # the morning of the day: attendance can be taken
    as_coordinator = browser("coordinator")
    as_coordinator.post(f"/admin/events/{event_id}/attendance", {"shown": str(came), "attended": str(came)})
    as_coordinator.post(f"/admin/events/{event_id}/signups/{left}/cancel")

    text = as_coordinator.get(f"/admin/events/{event_id}/signups.csv").get_data().decode("utf-8-sig")

    rows = list(csv.reader(io.StringIO(text, newline="")))[1:]
    assert [(row[1], row[3], row[9], bool(row[10])) for row in rows] == [
        ("出席", "山田 花子", "済", False),
        ("取消", "佐藤 正男", "", True),
    ]


def test_another_centres_list_cannot_be_downloaded(app, browser, audit_entries) -> None:  # noqa: ANN001
    theirs = create_event(app, area_code="onahama")
    _sign_up(app, theirs, "U1", "山田 花子")

    assert browser("taira").get(f"/admin/events/{theirs}/signups.csv").status_code == 404
    assert browser("admin").get(f"/admin/events/{theirs}/signups.csv").status_code == 403
    assert browser(None).get(f"/admin/events/{theirs}/signups.csv").status_code == 302
    assert audit_entries("events.export") == []
    assert browser("onahama").get(f"/admin/events/{theirs}/signups.csv").status_code == 200
