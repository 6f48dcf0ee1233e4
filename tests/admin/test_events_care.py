"""Events as issue 15 found them: attendance only from the event's day, a cancellation that tells
everyone signed up (ticked or not), a cancelled event restored, series that leave out holidays and
the city's closed days, and CSV names stamped in the city's time.
"""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from sqlalchemy import select

from bot.models import Event, utcnow
from tests.admin.support import page_text, table_rows
from tests.events_support import TOKYO, create_event, days_ahead, sign_up, signups


def event_status(app, event_id: int) -> str:  # noqa: ANN001
    with app.extensions["tsunagu"].db.transaction() as session:
        return session.get(Event, event_id).status


# -- attendance --------------------------------------------------------------------------------


def test_attendance_is_refused_before_the_event_day_and_taken_on_it(app, browser, clock,  # noqa: ANN001
                                                                   audit_entries) -> None:
    event_id = create_event(app, starts_at=days_ahead(1, 10))
    yamada = sign_up(app, event_id, "U1", "山田 花子")
    clock.now = days_ahead(0, 23, 50)  # the evening before, in Tokyo
    staff = browser("taira")

    page = staff.get(f"/admin/events/{event_id}")
    assert 'name="attended"' not in page.get_data(as_text=True)  # the form offers no box to tick
    assert "出席は、開催日（" in page_text(page) and "）から記録できます。" in page_text(page)
    response = staff.post(f"/admin/events/{event_id}/attendance", {"shown": str(yamada), "attended": str(yamada)})
    assert "）から記録できます。" in page_text(staff.get(response.location))  # the server refuses too
    assert signups(app, event_id) == [("山田 花子", "confirmed", None)]
    assert audit_entries("events.attendance") == []

    clock.now = days_ahead(1, 9, 30)  # the morning of the day, before the start
    staff = browser("taira")  # the next morning's login
    page = staff.get(f"/admin/events/{event_id}")
    assert page.get_data(as_text=True).count('name="attended"') == 1
    response = staff.post(f"/admin/events/{event_id}/attendance", {"shown": str(yamada), "attended": str(yamada)})
    assert "出席を保存しました（出席 1人 / 参加確定 1人）。" in page_text(staff.get(response.location))
    assert signups(app, event_id) == [("山田 花子", "attended", None)]


# -- cancelling and restoring ----------------------------------------------------------------


def test_cancelling_tells_residents_whose_attendance_was_ticked(app, browser, clock, line, worker,  # noqa: ANN001
                                                               audit_entries) -> None:
    event_id = create_event(app, starts_at=days_ahead(1, 14))
    ids = [sign_up(app, event_id, f"U{n}", f"住民{n}") for n in (1, 2, 3)]
    clock.now = days_ahead(1, 13, 30)  # people arrive; staff tick them in, then the hall floods
    staff = browser("taira")
    staff.post(f"/admin/events/{event_id}/attendance", {"shown": [str(i) for i in ids],
                                                         "attended": [str(i) for i in ids]})
    assert [status for _, status, _ in signups(app, event_id)] == ["attended"] * 3

    confirm = page_text(staff.get(f"/admin/events/{event_id}/cancel"))
    assert "申込は3件です。そのうちLINEで申し込んだ3件の方には、中止のお知らせがLINEで届きます。" in confirm
    response = staff.post(f"/admin/events/{event_id}/cancel", {"reason": "会場の浸水のため"})
    worker.drain()

    assert "3名の方にLINEでお知らせしました。" in page_text(staff.get(response.location))
    for user in ("U1", "U2", "U3"):
        [notice] = line.texts_to(user)
        assert "【中止のお知らせ】" in notice and "会場の浸水のため" in notice
    assert audit_entries("events.cancel")[0]["details"] == {"notified": 3, "signups": 3}


def test_a_cancelled_event_is_restored_and_residents_keep_their_places(app, browser, line, worker,  # noqa: ANN001
                                                                      audit_entries) -> None:
    event_id = create_event(app, capacity=2, max_party_size=2)
    sign_up(app, event_id, "U1", "山田 花子", party=2)
    sign_up(app, event_id, "U2", "佐藤 一郎")  # waiting, first in line
    sign_up(app, event_id, None, "電話の方")  # waiting, second
    staff = browser("taira")
    staff.post(f"/admin/events/{event_id}/cancel", {"reason": "台風の接近のため"})
    worker.drain()

    page = page_text(staff.get(f"/admin/events/{event_id}"))
    assert "中止を取り消して再開する" in page
    confirm = page_text(staff.get(f"/admin/events/{event_id}/restore"))
    assert "申込は3件です。申込はそのまま有効で、キャンセル待ちの順番も変わりません。" in confirm
    assert "電話・窓口で申し込んだ方には、お電話でお知らせください。" in confirm
    response = staff.post(f"/admin/events/{event_id}/restore")
    worker.drain()

    text = page_text(staff.get(response.location))
    assert "イベントを再開しました。" in text and "2名の方にLINEでお知らせしました。" in text
    assert "LINEでお知らせできない申込が1件あります" in text
    assert "このイベントは中止しました" not in text and "内容を変更する" in text
    assert event_status(app, event_id) == "scheduled"
    assert signups(app, event_id) == [("山田 花子", "confirmed", None), ("佐藤 一郎", "waiting", 1),
                                       ("電話の方", "waiting", 2)]
    cancelled, restored = line.texts_to("U1")
    assert "【中止のお知らせ】" in cancelled
    assert "【開催のお知らせ】" in restored and "予定どおり開催" in restored and "お申し込み（2名）はそのまま有効です。" in restored
    chips = [item["action"]["label"] for item in line.messages_to("U1")[-1]["quickReply"]["items"]]
    assert chips == ["取り消す", "申込の確認"]  # for those who made other plans meanwhile
    [_, waiting] = line.texts_to("U2")
    assert "キャンセル待ちの順番（1番目）はそのままです。" in waiting
    [entry] = audit_entries("events.restore")
    assert entry["target"] == ("events", str(event_id)) and entry["details"] == {"notified": 2, "signups": 3}
    # Restoring twice tells nobody again.
    again = staff.post(f"/admin/events/{event_id}/restore")
    assert "このイベントは中止になっていません。" in page_text(staff.get(again.location))
    assert len(line.texts_to("U1")) == 2


def test_an_event_that_has_started_cannot_be_restored(app, browser, clock, line, worker) -> None:  # noqa: ANN001
    event_id = create_event(app, starts_at=days_ahead(1, 10))
    sign_up(app, event_id, "U1", "山田 花子")
    staff = browser("taira")
    staff.post(f"/admin/events/{event_id}/cancel", {"reason": ""})
    clock.now = days_ahead(1, 10, 30)
    staff = browser("taira")

    assert "中止を取り消して再開する" not in page_text(staff.get(f"/admin/events/{event_id}"))
    response = staff.post(f"/admin/events/{event_id}/restore")
    worker.drain()

    assert "開始時刻を過ぎたイベントは、再開できません。" in page_text(staff.get(response.location))
    assert event_status(app, event_id) == "cancelled"
    assert len(line.texts_to("U1")) == 1  # the cancellation only


# -- series ------------------------------------------------------------------------------------


def series_form(**overrides: str) -> dict:
    values = {"title": "シルバーリハビリ体操教室", "kind": "rehab_exercise", "area_code": "taira", "centre_code": "",
              "venue_name": "平 中央公民館", "capacity": "10", "max_party_size": "2", "start_time": "10:00",
              "end_time": "11:30", "first_day": "2030-12-24", "until": "2031-02-18", "frequency": "weekly",
              "interval": "1"}
    values.update(overrides)
    return values


def series_days(app) -> list[str]:  # noqa: ANN001
    with app.extensions["tsunagu"].db.transaction() as session:
        rows = session.scalars(select(Event).order_by(Event.starts_at))
        return [e.starts_at.astimezone(TOKYO).strftime("%m-%d") for e in rows]


def test_a_weekly_series_leaves_out_national_holidays_and_the_citys_closed_days(app, as_centre_staff,  # noqa: ANN001
                                                                                audit_entries) -> None:
    response = as_centre_staff.post("/admin/events/series/new", series_form())  # Tuesdays

    page = as_centre_staff.get(response.location)
    text = page_text(page)
    # 12/31 is one of the profile's closed days (年末年始); 2/11 is 建国記念の日.
    assert series_days(app) == ["12-24", "01-07", "01-14", "01-21", "01-28", "02-04", "02-18"]
    assert "くり返しイベントを作成しました（7回）。" in text and "祝日・閉庁日の2日は日程に入れていません。" in text
    assert len(table_rows(page)) == 7
    skipped = page.get_data(as_text=True).split('id="skipped"', 1)[1].split("</div>", 1)[0]
    assert "祝日・閉庁日のため、次の日は日程に入れていません。" in text
    assert "2030年12月31日" in skipped and "2031年2月11日" in skipped
    assert audit_entries("series.create")[0]["details"]["skipped"] == 2
    # Shown again whenever the series is opened.
    assert "2031年2月11日" in page_text(as_centre_staff.get(response.location))


def test_staff_can_include_holidays_in_a_series(app, as_centre_staff) -> None:  # noqa: ANN001
    response = as_centre_staff.post("/admin/events/series/new", series_form(include_holidays="y"))

    text = page_text(as_centre_staff.get(response.location))
    assert "くり返しイベントを作成しました（9回）。" in text and "日程に入れていません" not in text
    assert "12-31" in series_days(app) and "02-11" in series_days(app)


def test_a_series_form_offers_to_include_holidays(app, as_centre_staff) -> None:  # noqa: ANN001
    assert "祝日・閉庁日も開催する" in page_text(as_centre_staff.get("/admin/events/series/new"))


# -- CSV names ---------------------------------------------------------------------------------


def test_the_records_csv_is_named_by_tokyo_time(app, browser, clock) -> None:  # noqa: ANN001
    today = utcnow().date()
    clock.now = datetime(today.year, today.month, today.day, 15, 30, tzinfo=timezone.utc)  # 00:30 tomorrow in Tokyo
    tokyo_day = (today + timedelta(days=1)).strftime("%Y%m%d")

    response = browser("taira").get("/admin/records/export.csv")

    assert f'filename="records-{tokyo_day}-0030.csv"' in response.headers["Content-Disposition"]


def test_the_sign_up_csv_is_named_by_the_event_day_in_tokyo(app, browser) -> None:  # noqa: ANN001
    event_id = create_event(app, starts_at=datetime(2030, 6, 4, 8, 0, tzinfo=TOKYO))  # 6/3 23:00 in UTC

    response = browser("taira").get(f"/admin/events/{event_id}/signups.csv")

    assert f'filename="event-{event_id}-20300604-signups.csv"' in response.headers["Content-Disposition"]
