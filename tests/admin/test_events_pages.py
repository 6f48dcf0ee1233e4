"""The events pages as staff use them: find an event, create and change it, take a phoned-in
sign-up, cancel one (the waiting list moves up and the resident hears on LINE), check people
in on the day, and run a weekly series.
"""
from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from sqlalchemy import select

from bot.models import Event
from tests.admin.conftest import FAST_HASHING, create_staff
from tests.admin.support import StaffBrowser, page_text, table_rows
from tests.events_support import TOKYO, create_event, days_ahead, sign_up, signups

FRAGMENTS = Path(__file__).resolve().parents[2] / "locales" / "en" / "fragments"


@pytest.fixture
def app(make_app):  # noqa: ANN001
    return make_app(ADMIN_PAGE_SIZE=3, **FAST_HASHING)


def stored_event(app, event_id: int) -> Event:  # noqa: ANN001
    with app.extensions["tsunagu"].db.transaction() as session:
        return session.get(Event, event_id)


def event_form(**overrides: str) -> dict:
    values = {"title": "ふれあいサロン", "kind": "salon", "area_code": "taira", "centre_code": "",
              "venue_name": "平 中央公民館", "venue_address": "いわき市平字中央1-1", "capacity": "10",
              "max_party_size": "2", "day": days_ahead(5).date().isoformat(), "start_time": "10:00",
              "end_time": "11:30", "fee": "100円（お茶代）", "organiser": "平地区社会福祉協議会"}
    values.update(overrides)
    return values


# -- finding events --------------------------------------------------------------------------


def test_the_list_shows_upcoming_events_of_every_centre_with_their_figures(app, as_coordinator, audit_entries) -> None:  # noqa: ANN001
    cafe = create_event(app, title="オレンジカフェ たいら", kind="orange_cafe", capacity=2, max_party_size=2)
    create_event(app, title="小名浜 サロン", area_code="onahama", starts_at=days_ahead(4))
    create_event(app, title="先月のサロン", starts_at=days_ahead(-30))
    sign_up(app, cafe, "U1", "山田 花子", party=2)
    sign_up(app, cafe, "U2", "佐藤 一郎")

    response = as_coordinator.get("/admin/events/")

    rows = table_rows(response)
    assert [row.split(" ")[2] for row in rows] == ["オレンジカフェ", "小名浜"]  # soonest first; the past left out
    # 定員 確定 待ち 出席, and 満席 once the seats are taken.
    assert rows[0].endswith("2 2 1 0 満席")
    assert "小名浜" in rows[1] and rows[1].endswith("10 0 0 0 開催予定")
    [entry] = audit_entries("events.list")
    assert entry["details"]["count"] == 2 and "山田" not in str(entry)


def test_centre_staff_see_only_their_centres_events(app, as_centre_staff) -> None:  # noqa: ANN001
    create_event(app, title="平のサロン")
    create_event(app, title="小名浜のサロン", area_code="onahama")

    text = page_text(as_centre_staff.get("/admin/events/"))
    assert "平のサロン" in text and "小名浜のサロン" not in text
    # Asking for another centre's events shows none of them, not an error.
    assert "小名浜のサロン" not in page_text(as_centre_staff.get("/admin/events/?centre=onahama&date_from="))


def test_the_list_is_filtered_by_dates_centre_kind_and_status_and_paged(app, as_coordinator) -> None:  # noqa: ANN001
    for day in range(1, 6):
        create_event(app, title=f"サロン{day}", starts_at=days_ahead(day))
    create_event(app, title="体操教室", kind="rehab_exercise", starts_at=days_ahead(2, 14))
    create_event(app, title="小名浜カフェ", kind="orange_cafe", area_code="onahama", starts_at=days_ahead(3))
    past = create_event(app, title="先週のサロン", starts_at=days_ahead(-7))
    cancelled = create_event(app, title="中止のサロン", starts_at=days_ahead(6))
    as_coordinator.post(f"/admin/events/{cancelled}/cancel", {"reason": ""})

    def titles(query: str) -> list[str]:
        return [row.split(" ")[2] for row in table_rows(as_coordinator.get(f"/admin/events/{query}"))]

    assert titles("") == ["サロン1", "サロン2", "体操教室"]  # three a page
    assert titles("?page=2") == ["サロン3", "小名浜カフェ", "サロン4"]
    assert "4 / 3" not in page_text(as_coordinator.get("/admin/events/?page=4"))  # past the end: the last page
    assert titles("?kind=rehab_exercise") == ["体操教室"]
    assert titles("?centre=onahama") == ["小名浜カフェ"]
    assert titles(f"?date_from={days_ahead(4).date()}&date_to={days_ahead(5).date()}") == ["サロン4", "サロン5"]
    assert titles("?date_from=&status=past") == ["先週のサロン"]
    assert titles("?status=cancelled") == ["中止のサロン"]
    assert past and "日付の形式が正しくありません。" in page_text(as_coordinator.get("/admin/events/?date_to=tomorrow"))


# -- creating and changing events ------------------------------------------------------------------


def test_staff_create_an_event_entered_in_tokyo_time(app, as_centre_staff, audit_entries) -> None:  # noqa: ANN001
    response = as_centre_staff.post("/admin/events/new", event_form(
        title="ふれあいサロン 春", accessibility="会場は1階です。", signup_closes_at=f"{days_ahead(4).date()}T17:00"))

    assert response.status_code == 302
    page = as_centre_staff.get(response.location)
    text = page_text(page)
    assert "イベントを作成しました。" in text
    assert "ふれあいサロン 春" in text and "10:00〜11:30" in text and "平 中央公民館" in text
    event_id = int(response.location.rstrip("/").split("/")[-1])
    event = stored_event(app, event_id)
    assert event.starts_at == days_ahead(5, 10) and event.starts_at.astimezone(TOKYO).hour == 10
    assert event.signup_closes_at == days_ahead(4, 17)
    assert event.centre_code == "taira"  # the area's centre
    [created] = audit_entries("events.create")
    assert created["target"] == ("events", str(event_id))


@pytest.mark.parametrize(("fields", "field_id", "message"), [
    ({"title": ""}, "title", "入力してください。"),
    ({"capacity": "0"}, "capacity", "1から1000までの数を入力してください。"),
    ({"capacity": "十"}, "capacity", "半角数字で入力してください。"),
    ({"end_time": "09:00"}, "end_time", "終了時刻は開始時刻より後にしてください。"),
    ({"day": "6月4日"}, "day", "日付を正しく入力してください（例：2030-06-04）。"),
    ({"capacity": "2", "max_party_size": "5"}, "max_party_size", "1件で申し込める人数は、1から定員までにしてください。"),
    ({"venue_lat": "37.05"}, "venue_lon", "緯度と経度は、両方入力するか両方空欄にしてください。"),
    ({"signup_opens_at": f"{days_ahead(6).date()}T09:00"}, "signup_opens_at",
     "受付開始は、申込の締切（なければ開始時刻）より前にしてください。"),
    ({"area_code": "onahama"}, "area_code", "一覧から選んでください。"),  # not one of 平's areas
])
def test_a_refused_event_says_why_next_to_the_field(app, as_centre_staff, fields, field_id, message) -> None:  # noqa: ANN001
    response = as_centre_staff.post("/admin/events/new", event_form(**fields))

    assert response.status_code == 200
    html = response.get_data(as_text=True)
    field_html = html.split(f'id="{field_id}"', 1)[1].split('<div class="field', 1)[0]
    assert message in field_html  # beside the field, not only at the top
    with app.extensions["tsunagu"].db.transaction() as session:
        assert session.scalars(select(Event)).first() is None


def test_a_new_time_and_place_are_pushed_to_residents_and_staff_see_how_many(
        app, as_centre_staff, line, worker, audit_entries) -> None:  # noqa: ANN001
    event_id = create_event(app, capacity=2, max_party_size=1)
    sign_up(app, event_id, "U1", "山田 花子")
    sign_up(app, event_id, None, "電話の方")
    sign_up(app, event_id, "U3", "キャンセル待ちの方")

    page = as_centre_staff.get(f"/admin/events/{event_id}/edit")
    assert 'value="ふれあいサロン"' in page.get_data(as_text=True)
    response = as_centre_staff.post(f"/admin/events/{event_id}/edit", event_form(
        day=days_ahead(3).date().isoformat(), start_time="13:30", end_time="15:00", venue_name="平 東公民館",
        capacity="2", max_party_size="1"))
    worker.drain()

    text = page_text(as_centre_staff.get(response.location))
    assert "変更を保存しました。" in text
    assert "2名の方にLINEでお知らせしました。" in text
    assert "LINEでお知らせできない申込が1件あります" in text  # the phoned-in one: staff call them
    assert "13:30〜15:00" in text and "平 東公民館" in text
    [notice] = line.texts_to("U1")
    assert "【変更のお知らせ】" in notice and "13:30〜15:00" in notice and "平 東公民館" in notice
    assert len(line.texts_to("U3")) == 1
    [update] = audit_entries("events.update")
    assert set(update["details"]["fields"]) >= {"starts_at", "venue_name"} and update["details"]["notified"] == 2


def test_an_event_whose_area_the_profile_no_longer_has_can_still_be_opened_for_editing(
        app, as_coordinator) -> None:  # noqa: ANN001
    event_id = create_event(app)
    with app.extensions["tsunagu"].db.transaction() as session:
        session.get(Event, event_id).area_code = "merged_away"  # a district merged into another
    page = as_coordinator.get(f"/admin/events/{event_id}/edit")
    assert page.status_code == 200
    assert 'value="ふれあいサロン"' in page.get_data(as_text=True)


def test_more_seats_confirm_the_waiting_list(app, as_coordinator, line, worker) -> None:  # noqa: ANN001
    event_id = create_event(app, capacity=1, max_party_size=1)
    sign_up(app, event_id, "U1", "一番の方")
    sign_up(app, event_id, "U2", "二番の方")

    response = as_coordinator.post(f"/admin/events/{event_id}/edit", event_form(
        day=days_ahead(3).date().isoformat(), start_time="10:00", end_time="12:00", capacity="2",
        max_party_size="1", venue_name="平 中央公民館", venue_address="いわき市平字中央1-1",
        organiser="平地区社会福祉協議会", fee="100円（お茶代）", contact="0246-22-1111",
        venue_lat="37.0505", venue_lon="140.8877"))
    worker.drain()

    text = page_text(as_coordinator.get(response.location))
    assert "キャンセル待ちの1件が参加確定になりました。" in text
    assert [status for _, status, _ in signups(app, event_id)] == ["confirmed", "confirmed"]
    assert "参加が確定しました" in line.texts_to("U2")[0]
    assert line.texts_to("U1") == []  # same time, same place: nothing to tell


def test_cancelling_an_event_tells_everyone_signed_up(app, as_centre_staff, line, worker, audit_entries) -> None:  # noqa: ANN001
    event_id = create_event(app, capacity=1, max_party_size=1)
    sign_up(app, event_id, "U1", "山田 花子")
    sign_up(app, event_id, "U2", "佐藤 一郎")  # waiting

    confirm = page_text(as_centre_staff.get(f"/admin/events/{event_id}/cancel"))
    assert "申込は2件です。そのうちLINEで申し込んだ2件の方には、中止のお知らせがLINEで届きます。" in confirm
    response = as_centre_staff.post(f"/admin/events/{event_id}/cancel", {"reason": "台風の接近のため"})
    worker.drain()

    text = page_text(as_centre_staff.get(response.location))
    assert "イベントを中止しました。" in text and "2名の方にLINEでお知らせしました。" in text
    assert "このイベントは中止しました" in text and "理由：台風の接近のため" in text
    assert "内容を変更する" not in text and "電話・窓口の申込を追加" not in text
    for user in ("U1", "U2"):
        [notice] = line.texts_to(user)
        assert "【中止のお知らせ】" in notice and "台風の接近のため" in notice
    assert audit_entries("events.cancel")[0]["details"]["notified"] == 2
    # A cancelled event cannot be changed or signed up for.
    assert as_centre_staff.get(f"/admin/events/{event_id}/edit").status_code == 302
    as_centre_staff.post(f"/admin/events/{event_id}/signups", {"name": "電話の方", "party_size": "1"})
    assert len(signups(app, event_id)) == 2


def test_copying_an_event_makes_the_same_event_on_another_day(app, as_centre_staff, audit_entries) -> None:  # noqa: ANN001
    event_id = create_event(app, title="オレンジカフェ", kind="orange_cafe", fee="100円（飲み物代）",
                            cancel_deadline=days_ahead(2, 17))
    sign_up(app, event_id, "U1", "山田 花子")

    form = as_centre_staff.get(f"/admin/events/{event_id}/copy").get_data(as_text=True)
    assert f'value="{(days_ahead(3) + timedelta(days=7)).date()}"' in form  # a week later, proposed
    response = as_centre_staff.post(f"/admin/events/{event_id}/copy", {
        "day": days_ahead(17).date().isoformat(), "start_time": "10:00", "end_time": "11:00"})

    copy_id = int(response.location.split("/")[-1])
    copy = stored_event(app, copy_id)
    assert (copy.title, copy.kind, copy.fee) == ("オレンジカフェ", "orange_cafe", "100円（飲み物代）")
    assert (copy.starts_at, copy.ends_at) == (days_ahead(17, 10), days_ahead(17, 11))
    assert copy.cancel_deadline == days_ahead(16, 17)  # moved with the date
    assert signups(app, copy_id) == []
    assert audit_entries("events.copy")[0]["details"]["source"] == event_id


# -- sign-ups, the waiting list and attendance ----------------------------------------------------------


def test_staff_add_a_phoned_in_sign_up_and_the_waiting_list_when_full(app, as_centre_staff, audit_entries) -> None:  # noqa: ANN001
    event_id = create_event(app, capacity=3, max_party_size=2)

    first = as_centre_staff.post(f"/admin/events/{event_id}/signups",
                                 {"name": "鈴木 和子", "party_size": "2", "phone": "０２４６ー２２ー１１１１"})
    assert "申込を受け付けました（参加確定、2人）。" in page_text(as_centre_staff.get(first.location))
    second = as_centre_staff.post(f"/admin/events/{event_id}/signups", {"name": "佐藤 正男", "party_size": "2"})
    page = as_centre_staff.get(second.location)

    assert "満席のため、キャンセル待ち（1番目）で受け付けました。" in page_text(page)
    assert signups(app, event_id) == [("鈴木 和子", "confirmed", None), ("佐藤 正男", "waiting", 1)]
    rows = table_rows(page)
    assert "鈴木 和子" in rows[0] and "0246-22-1111" in rows[0] and "電話・窓口" in rows[0]
    assert rows[1].startswith("1 佐藤 正男")
    entries = audit_entries("events.signup_add")
    assert [e["details"]["status"] for e in entries] == ["confirmed", "waiting"]
    assert "鈴木" not in str(entries) and "0246" not in str(entries)  # no personal data in the log


@pytest.mark.parametrize(("fields", "message"), [
    ({"name": "", "party_size": "1"}, "入力してください。"),
    ({"name": "鈴木", "party_size": "3"}, "1件で申し込める人数は2人までです。"),
    ({"name": "鈴木", "party_size": "1", "phone": "12345"}, "電話番号を確認してください"),
])
def test_a_refused_phone_sign_up_says_why(app, as_centre_staff, fields, message) -> None:  # noqa: ANN001
    event_id = create_event(app, capacity=5, max_party_size=2)

    response = as_centre_staff.post(f"/admin/events/{event_id}/signups", fields)

    assert response.status_code == 200
    assert message in page_text(response)
    assert signups(app, event_id) == []


def test_a_name_with_markup_is_shown_as_text(app, as_centre_staff) -> None:  # noqa: ANN001
    event_id = create_event(app, title="<b>サロン</b>")
    sign_up(app, event_id, "U1", "<script>alert(1)</script>")

    html = as_centre_staff.get(f"/admin/events/{event_id}").get_data(as_text=True)

    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;b&gt;サロン&lt;/b&gt;" in html
    assert "&lt;b&gt;サロン&lt;/b&gt;" in as_centre_staff.get("/admin/events/").get_data(as_text=True)


def test_cancelling_a_sign_up_promotes_the_waiting_list_and_pushes_to_the_resident(
        app, as_centre_staff, line, worker, audit_entries) -> None:  # noqa: ANN001
    event_id = create_event(app, capacity=2, max_party_size=2)
    phoned = sign_up(app, event_id, None, "鈴木 和子", party=2)
    sign_up(app, event_id, "U2", "佐藤 正男", party=2)  # waiting 1
    sign_up(app, event_id, "U3", "高橋 幸子")  # waiting 2

    confirm = as_centre_staff.get(f"/admin/events/{event_id}/signups/{phoned}/cancel")
    assert "鈴木 和子" in page_text(confirm) and "キャンセル待ちの方が順番に繰り上がり" in page_text(confirm)
    response = as_centre_staff.post(f"/admin/events/{event_id}/signups/{phoned}/cancel")
    worker.drain()

    page = as_centre_staff.get(response.location)
    text = page_text(page)
    assert "申込を取り消しました。" in text
    assert "キャンセル待ちの1件が参加確定になりました。" in text
    assert "1名の方にLINEでお知らせしました。" in text
    assert signups(app, event_id) == [("鈴木 和子", "cancelled", None), ("佐藤 正男", "confirmed", None),
                                      ("高橋 幸子", "waiting", 1)]
    [push] = line.texts_to("U2")
    assert "キャンセル待ちでお待ちいただいていた" in push and "参加が確定しました（2名）" in push
    assert line.texts_to("U3") == []
    rows = table_rows(page)
    assert "佐藤 正男" in rows[0] and "キャンセル待ちから確定" in rows[0]
    assert rows[1].startswith("1 高橋 幸子")
    assert "鈴木 和子" in rows[2] and "職員が取り消し" in rows[2]
    [entry] = audit_entries("events.signup_cancel")
    assert entry["details"] == {"event_id": event_id, "was": "confirmed", "promoted": 1, "notified": 1}
    # Twice is harmless.
    again = as_centre_staff.post(f"/admin/events/{event_id}/signups/{phoned}/cancel")
    assert "この申込はすでに取り消されています。" in page_text(as_centre_staff.get(again.location))


def test_attendance_is_checked_on_the_day_from_two_tablets(app, browser, clock, audit_entries) -> None:  # noqa: ANN001
    event_id = create_event(app, capacity=10, starts_at=days_ahead(1, 10))
    yamada = sign_up(app, event_id, "U1", "山田 花子", party=2)
    sato = sign_up(app, event_id, None, "佐藤 正男")
    takahashi = sign_up(app, event_id, "U3", "高橋 幸子")
    clock.now = days_ahead(1, 10, 5)  # the day, just after the start
    door, hall = browser("taira"), browser("coordinator")

    page = door.get(f"/admin/events/{event_id}").get_data(as_text=True)
    assert page.count('type="checkbox" name="attended"') == 3
    # Both tablets opened the page before anyone was checked in.
    hall.get(f"/admin/events/{event_id}")
    door.post(f"/admin/events/{event_id}/attendance",
              {"shown": [str(yamada), str(sato), str(takahashi)], "attended": [str(yamada), str(sato)]})
    response = hall.post(f"/admin/events/{event_id}/attendance",
                         {"shown": [str(yamada), str(sato), str(takahashi)], "attended": [str(takahashi)]})

    text = page_text(hall.get(response.location))
    assert "出席を保存しました（出席 4人 / 参加確定 4人）。" in text  # the hall did not undo the door's ticks
    assert [status for _, status, _ in signups(app, event_id)] == ["attended"] * 3
    # Unticking one at the door (the page showed it ticked) undoes just that one.
    door.post(f"/admin/events/{event_id}/attendance",
              {"shown": [str(yamada), str(sato)], "was": [str(yamada), str(sato)], "attended": [str(yamada)]})
    assert [status for _, status, _ in signups(app, event_id)] == ["attended", "confirmed", "attended"]
    rows = table_rows(door.get(f"/admin/events/{event_id}"))
    assert rows[0].startswith("山田 花子")
    marks = [entry["details"] for entry in audit_entries("events.attendance")]
    assert marks[0]["marked"] == [yamada, sato] and marks[2]["unmarked"] == [sato]
    figures = page_text(door.get("/admin/events/?date_from="))
    assert "10 4 0 3" in figures  # 定員 確定 待ち 出席


# -- series --------------------------------------------------------------------------------------


def series_form(**overrides: str) -> dict:
    first = days_ahead(7).date()
    values = {**event_form(title="シルバーリハビリ体操教室", kind="rehab_exercise", capacity="2", max_party_size="1"),
              "first_day": first.isoformat(), "until": (first + timedelta(weeks=3)).isoformat(),
              "frequency": "weekly", "interval": "1", "cancel_hours_before": "24",
              "include_holidays": "y"}  # four dates whatever today is; leaving out holidays is tested below
    values.update(overrides)
    return values


def test_a_weekly_series_is_created_changed_copied_and_cancelled(app, as_centre_staff, line, worker,
                                                                 audit_entries) -> None:  # noqa: ANN001
    response = as_centre_staff.post("/admin/events/series/new", series_form())
    assert response.status_code == 302
    page = as_centre_staff.get(response.location)
    text = page_text(page)
    series_url = response.location
    assert "くり返しイベントを作成しました（4回）。" in text
    assert "毎週" in text and "10:00〜11:30" in text
    assert len(table_rows(page)) == 4
    with app.extensions["tsunagu"].db.transaction() as session:
        dates = list(session.scalars(select(Event).order_by(Event.starts_at)))
        assert [e.starts_at for e in dates] == [days_ahead(7 + 7 * week, 10) for week in range(4)]
        assert dates[1].cancel_deadline == days_ahead(13, 10)
        second = dates[1].id
    sign_up(app, second, "U1", "山田 花子")

    # From the second date on, 13:30 and a larger room; only what was changed is applied.
    response = as_centre_staff.post(f"{series_url}/edit", {
        **series_form(), "from_date": days_ahead(14).date().isoformat(), "start_time": "13:30",
        "end_time": "15:00", "capacity": "20"})
    worker.drain()
    text = page_text(as_centre_staff.get(response.location))
    assert "3回分の変更を保存しました。" in text and "1名の方にLINEでお知らせしました。" in text
    with app.extensions["tsunagu"].db.transaction() as session:
        dates = list(session.scalars(select(Event).order_by(Event.starts_at)))
        assert [e.starts_at.astimezone(TOKYO).strftime("%H:%M") for e in dates] == ["10:00", "13:30", "13:30", "13:30"]
        assert [e.capacity for e in dates] == [2, 20, 20, 20]
    assert "13:30〜15:00" in line.texts_to("U1")[0]

    # The same series again for next term.
    response = as_centre_staff.post(f"{series_url}/copy", {
        "first_day": days_ahead(63).date().isoformat(), "start_time": "10:00",
        "until": days_ahead(84).date().isoformat()})
    assert "くり返しイベントをコピーしました（4回）。" in page_text(as_centre_staff.get(response.location))
    assert response.location != series_url

    # Cancel what is left of the first series, from the third date.
    confirm = as_centre_staff.get(f"{series_url}/cancel?from_date={days_ahead(21).date()}")
    assert "次の2回を中止します" in page_text(confirm)
    response = as_centre_staff.post(f"{series_url}/cancel", {"reason": "会場の工事のため",
                                                             "from_date": days_ahead(21).date().isoformat()})
    text = page_text(as_centre_staff.get(response.location))
    assert "2回分を中止しました。" in text
    assert text.count("中止") >= 2
    assert [e["action"] for e in audit_entries() if e["action"].startswith("series.")] == [
        "series.create", "series.view", "series.update", "series.view", "series.copy", "series.view",
        "series.cancel", "series.view"]


def test_a_series_ending_before_it_starts_is_refused_next_to_the_last_day(app, as_centre_staff) -> None:  # noqa: ANN001
    first = days_ahead(7).date()

    response = as_centre_staff.post("/admin/events/series/new", series_form(
        first_day=first.isoformat(), until=(first - timedelta(days=1)).isoformat()))

    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "最終日は初回の開催日以降にしてください。" in html.split('id="until"', 1)[1].split('<div class="field', 1)[0]


# -- English ---------------------------------------------------------------------------------------


@pytest.fixture
def english_app(make_app, tmp_path):  # noqa: ANN001
    """An app whose English catalog holds the admin and events fragments (``make messages`` merges them)."""
    catalog = Catalog(locale="en")
    for name in ("admin.po", "admin_events.po", "events.po"):
        with (FRAGMENTS / name).open("rb") as handle:
            for message in read_po(handle, locale="en"):
                if message.id:
                    catalog.add(message.id, message.string, flags=message.flags)
    target = tmp_path / "locales" / "en" / "LC_MESSAGES" / "messages.mo"
    target.parent.mkdir(parents=True)
    with target.open("wb") as handle:
        write_mo(handle, catalog)
    return make_app(BABEL_TRANSLATION_DIRECTORIES=str(tmp_path / "locales"), **FAST_HASHING)


def test_staff_who_chose_english_read_the_events_pages_in_english(english_app) -> None:  # noqa: ANN001
    member = create_staff(english_app, "hanako@city.example.jp", "花子", "coordinator")
    event_id = create_event(english_app, title="ふれあいサロン", capacity=1, max_party_size=1)
    sign_up(english_app, event_id, "U1", "山田 花子")
    sign_up(english_app, event_id, "U2", "佐藤 一郎")
    person = StaffBrowser(english_app.test_client())
    person.log_in(member.email, member.password)
    person.post("/admin/settings", {"locale-locale": "en"})

    listing = page_text(person.get("/admin/events/"))
    page = page_text(person.get(f"/admin/events/{event_id}"))
    added = person.post(f"/admin/events/{event_id}/signups", {"name": "鈴木", "party_size": "1"})

    assert "New event" in listing and "Full" in listing and "Salon" in listing
    assert "Confirmed 1 sign-ups, 1 people" in page and "Waiting list 1 sign-ups, 1 people" in page
    assert "Attendance can be recorded from the day of the event" in page and days_ahead(3).strftime("%b") in page
    assert "The event is full: the sign-up is on the waiting list (No. 2)." in page_text(person.get(added.location))
    # Centres are named in English too, in the form and in the list's filter.
    for form_page in (page_text(person.get("/admin/events/new")), listing):
        assert "Onahama District Health and Welfare Centre" in form_page
        assert "小名浜地区保健福祉センター" not in form_page
