"""The figures page: meeting mode hides small counts, staff mode links each number to the queue, CSVs match."""
from __future__ import annotations

import csv
import io
import re
from datetime import timedelta
from html import unescape

import pytest

from admin.dates import city_today
from bot.services.figures import Period
from tests.admin.records_support import move, submit_record
from tests.admin.support import page_text


def _table(response, key: str) -> list[list[str]]:  # noqa: ANN001
    """One table of the page as rows of cell texts (the header row first)."""
    html = response.get_data(as_text=True)
    body = re.search(rf'<table data-table="{key}"[^>]*>(.*?)</table>', html, flags=re.S).group(1)
    return [[" ".join(unescape(re.sub(r"<[^>]+>", " ", cell)).split())
             for cell in re.findall(r"<t[hd]\b[^>]*>(.*?)</t[hd]>", row, flags=re.S)]
            for row in re.findall(r"<tr\b.*?</tr>", body, flags=re.S)]


def _csv(response) -> list[list[str]]:  # noqa: ANN001
    return list(csv.reader(io.StringIO(response.get_data().decode("utf-8-sig"), newline="")))


@pytest.fixture
def consultations(app):  # noqa: ANN001
    """12 consultations at 平 (3 also about money), 4 at 小名浜; two closed, one escalated."""
    taira = [submit_record(app, area="taira", categories=("elderly", "money") if n < 3 else ("elderly",))[0]
             for n in range(12)]
    onahama = [submit_record(app, area="onahama", categories=("children",), urgency="now")[0] for _ in range(4)]
    move(app, taira[0], ("start", "centre_staff", {}), ("close", "centre_staff", {"outcome": "resolved"}))
    move(app, taira[1], ("start", "centre_staff", {}), ("close", "centre_staff", {"outcome": "referred"}))
    move(app, onahama[0], ("escalate", "centre_staff", {"reason": "8050の世帯で複数の機関が必要"}))
    return taira, onahama


def test_meeting_mode_hides_counts_under_ten_and_what_totals_would_give_away(as_coordinator, consultations,
                                                                             audit_entries) -> None:
    page = as_coordinator.get("/admin/figures/")

    assert page.status_code == 200
    rows = {row[0]: row[1:] for row in _table(page, "categories")}
    header = _table(page, "categories")[0]
    elderly, money, children = header.index("介護・高齢") - 1, header.index("お金・生活の困りごと") - 1, header.index("子ども・子育て") - 1
    assert rows["平"][elderly] == "12" and rows["平"][money] == "10未満"
    assert rows["小名浜"][children] == "10未満"
    assert rows["小名浜"][-1] == "10未満"  # 4 consultations in all
    assert "4" not in rows["小名浜"] and "3" not in rows["平"]
    assert "/admin/records/" not in page.get_data(as_text=True).split('id="indicators"')[1]  # no links to records
    [entry] = audit_entries("figures.view")
    assert entry["details"]["mode"] == "meeting"


def test_staff_mode_shows_exact_numbers_that_open_the_queue(as_coordinator, consultations, audit_entries) -> None:
    page = as_coordinator.get("/admin/figures/?mode=staff")

    rows = {row[0]: row[1:] for row in _table(page, "categories")}
    assert rows["小名浜"][-1] == "4"
    html = page.get_data(as_text=True)
    with as_coordinator.client.application.app_context():
        year = Period.fiscal_year_of(city_today())
    assert (f'href="/admin/records/?status=all&amp;category=children&amp;date_from={year.start}&amp;'
            f'date_to={year.end}&amp;centre=onahama">4</a>') in html
    progress = {row[0]: row[1:] for row in _table(page, "progress")}
    assert progress["平"] == ["12", "0", "2", "0", "10"]
    # 受付 opens the records received in the period; the counts of what happened later link nowhere.
    assert (f'href="/admin/records/?status=all&amp;date_from={year.start}&amp;date_to={year.end}&amp;'
            f'centre=taira">12</a>') in html
    assert '>10</a>' not in html.split('data-table="progress"')[1].split("</table>")[0]
    assert progress["小名浜"] == ["4", "1", "0", "0", "4"]
    outcomes = {row[0]: row[1:] for row in _table(page, "outcomes")}
    assert outcomes["平"][:2] == ["1", "1"]
    assert audit_entries("figures.view")[-1]["details"]["mode"] == "staff"


def test_centre_staff_see_their_own_centre_only(as_centre_staff, consultations) -> None:
    page = as_centre_staff.get("/admin/figures/?mode=staff")

    rows = [row[0] for row in _table(page, "categories")[1:]]
    assert rows == ["平", "計"]
    assert "小名浜" not in [row[0] for row in _table(page, "areas")]


def test_each_csv_matches_the_page_exactly(as_coordinator, consultations) -> None:
    for mode in ("meeting", "staff"):
        page = as_coordinator.get(f"/admin/figures/?mode={mode}")
        for key in re.findall(r'<table data-table="([a-z_0-9]+)"', page.get_data(as_text=True)):
            response = as_coordinator.get(f"/admin/figures/export.csv?table={key}&mode={mode}")
            assert response.status_code == 200
            assert response.get_data().startswith(b"\xef\xbb\xbf")
            assert _csv(response) == _table(page, key), key


def test_the_indicator_sheet_gives_the_national_indicators(as_coordinator, consultations) -> None:
    rows = _csv(as_coordinator.get("/admin/figures/export.csv?table=indicators&mode=staff"))

    assert rows[1] == ["相談受付件数", "16"]
    assert [row[0] for row in rows[2:]] == ["参加支援の対象者数（サロン・行事の実参加者数）", "地域づくりの拠点数（会場数）",
                                            "地域づくりの参加者数（延べ）"]


@pytest.mark.parametrize("query", [
    "period=month&value=2026-13", "period=quarter&value=2026-Q5", "period=year&value=abcd",
    "period=range&start=2026-05-01&end=2026-04-01", "period=range&start=x&end=y", "period=week&value=1",
    "mode=everything", "period=year&value=99999",
])
def test_a_bad_period_is_refused_plainly(as_coordinator, query: str) -> None:
    assert as_coordinator.get(f"/admin/figures/?{query}").status_code == 400
    assert as_coordinator.get(f"/admin/figures/export.csv?table=categories&{query}").status_code == 400


def test_periods_month_quarter_year_and_range(as_coordinator, consultations) -> None:
    for query, label in [("period=month&value=2026-05", "2026年5月"), ("period=quarter&value=2026-Q4", "2026年度 第4四半期"),
                         ("period=year&value=2025", "2025年度"),
                         ("period=range&start=2026-01-01&end=2026-02-15", "2026-01-01〜2026-02-15")]:
        page = as_coordinator.get(f"/admin/figures/?{query}")
        assert page.status_code == 200 and label in page.get_data(as_text=True)
    assert as_coordinator.get("/admin/figures/export.csv?table=nothing").status_code == 404


def test_administrators_and_strangers_cannot_open_the_figures(browser) -> None:  # noqa: ANN001
    assert browser("admin").get("/admin/figures/").status_code == 403
    assert browser(None).get("/admin/figures/").status_code == 302


def test_charts_are_svg_drawn_here_with_their_numbers_beside_them(as_coordinator, consultations) -> None:
    import base64

    html = as_coordinator.get("/admin/figures/").get_data(as_text=True)

    images = re.findall(r'<img src="data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)"', html)
    assert len(images) == 3
    for image in images:
        svg = base64.b64decode(image).decode("utf-8")
        assert svg.startswith("<svg") and "<script src" not in svg and "cdn" not in svg.lower()
    assert "介護・高齢" in base64.b64decode(images[0]).decode("utf-8")
    assert 'src="http' not in html and "<script>" not in html  # nothing from the internet, no inline script
    trend = {row[0]: row[1:] for row in _table(as_coordinator.get("/admin/figures/"), "trend")}
    assert "12" in trend["介護・高齢"] and "10未満" in trend["子ども・子育て"]


def test_the_printed_report_opens_the_print_dialog_with_a_header(as_coordinator, consultations) -> None:
    html = as_coordinator.get("/admin/figures/print?period=year&value=2026").get_data(as_text=True)

    assert "admin/print.js" in html and 'id="print-header"' in html and "admin/figures.css" in html


def test_a_feature_adds_its_own_section_and_it_is_hidden_like_the_rest(as_coordinator, consultations, monkeypatch) -> None:
    from bot.services import figures

    asked: list = []

    def check_ins(session, start, end, centre_codes):  # noqa: ANN001, ANN202
        asked.append((start, end, centre_codes))
        return [("見守りの声かけ 送信", 42), ("見守りの声かけ 返信なし", 3)]

    monkeypatch.setattr(figures, "EXTRA_SECTIONS", [("見守りの声かけ", check_ins)])

    meeting = as_coordinator.get("/admin/figures/?period=month&value=2026-05")
    staff = as_coordinator.get("/admin/figures/?period=month&value=2026-05&mode=staff")

    html = meeting.get_data(as_text=True)
    key = re.search(r'<section class="card" id="table-(extra\d+)">\s*<h2>見守りの声かけ</h2>', html).group(1)
    # Figures of different things: no totals, so 3 is hidden on its own and 42 gives nothing away.
    assert _table(meeting, key)[1:] == [["見守りの声かけ 送信", "42"], ["見守りの声かけ 返信なし", "10未満"]]
    assert _table(staff, key)[2] == ["見守りの声かけ 返信なし", "3"]
    from datetime import date

    assert asked[0] == (date(2026, 5, 1), date(2026, 5, 31), None)


def test_salons_count_dates_places_and_each_person_once(app, as_coordinator) -> None:  # noqa: ANN001
    from bot.services.events import EventService
    from tests.events_support import create_event, days_ahead, resident

    salon = create_event(app, kind="salon", capacity=3, starts_at=days_ahead(1))
    cafe = create_event(app, kind="orange_cafe", capacity=10, starts_at=days_ahead(2))  # the same hall
    elsewhere = create_event(app, kind="salon", area_code="onahama", venue_name="小名浜 公民館", starts_at=days_ahead(3))
    tsunagu = app.extensions["tsunagu"]
    with tsunagu.db.transaction() as session:
        events = EventService(session, tsunagu.profile)
        for n, event_id in enumerate([salon, salon, salon, salon, cafe, elsewhere]):
            events.sign_up(event_id, resident=resident(session, f"U{n}"), party_size=1, name="住民")
        events.sign_up(cafe, resident=resident(session, "U0"), party_size=2, name="住民")  # comes to both
        events.add_signup_by_hand(salon, name="鈴木 和子", party_size=1, phone=None)  # phoned in: waiting
    today = days_ahead(0).date()
    query = f"period=range&start={today}&end={today + timedelta(days=5)}&mode=staff"

    kinds = {row[0]: row[1:] for row in _table(as_coordinator.get(f"/admin/figures/?{query}"), "event_kinds")}

    # dates, places, participants (seats), unique participants, waiting
    assert kinds["サロン"] == ["2", "2", "4", "4", "2"]
    assert kinds["オレンジカフェ"] == ["1", "1", "3", "2", "0"]
    assert kinds["計"] == ["3", "2", "7", "5", "2"]  # the hall and U0 once, however many kinds


def test_the_page_carries_the_figures_of_check_ins_mutual_aid_and_notices(app, as_coordinator) -> None:  # noqa: ANN001
    from bot.demo.intake import load as load_demo_intake
    from bot.demo.mutual_aid import load_demo_mutual_aid as load_mutual_aid
    from bot.demo.watch import load as load_watch

    load_demo_intake(app)  # the residents the demo plans are for
    assert not any("first" in line for line in load_watch(app))
    load_mutual_aid(app)
    page = as_coordinator.get("/admin/figures/?mode=staff")  # this fiscal year

    html = page.get_data(as_text=True)
    rows = {title: dict(row[:2] for row in _table(page, key)[1:]) for key, title in
            re.findall(r'<section class="card" id="table-(extra\d+)">\s*<h2>([^<]+)</h2>', html)}
    assert set(rows) == {"見守り", "住民支え合い", "お知らせ"}
    assert int(rows["見守り"]["見守り：送った確認"]) > 0
    assert int(rows["住民支え合い"]["支え合いの依頼"]) > 0 and int(rows["住民支え合い"]["お手伝い済み"]) > 0
    assert rows["お知らせ"]["送信したお知らせ"] == "0"  # the demo notice is a draft


def test_mutual_aid_is_counted_per_area_and_a_supporter_in_two_areas_counts_once(app, as_coordinator) -> None:  # noqa: ANN001
    from bot.services.mutual_aid import MutualAidService

    tsunagu = app.extensions["tsunagu"]
    with tsunagu.db.transaction() as session:
        service = MutualAidService(session, tsunagu.profile)
        helper = service.register_supporter(None, name="高橋二郎", tasks=["shopping"], area_codes=["taira", "onahama"],
                                            availability=["weekday_am"], phone="09011112222")
        service.approve(helper.id, None, insurance="ボランティア活動保険")
        for area, hours in (("taira", 1.5), ("taira", 1.5), ("onahama", 2.0)):
            request = service.ask(tasks=["shopping"], area_code=area, details="", name="依頼者", phone="0246221111",
                                  wanted_on=None, staff_id=None)
            service.assign(request.id, helper.id, None)
            service.confirm(request.id)
            service.record_done(request.id, hours=hours, by="staff")
        service.ask(tasks=["shopping"], area_code="onahama", details="", name="依頼者", phone="0246221111",
                    wanted_on=None, staff_id=None)  # still open

    staff_view = _table(as_coordinator.get("/admin/figures/?mode=staff"), "mutual_aid_areas")
    assert staff_view[0] == ["", "支え合いの依頼", "支え手が決まった依頼", "お手伝い済み", "お手伝いの時間", "活動した支え手"]
    rows = {row[0]: row[1:] for row in staff_view[1:]}
    assert rows["平"] == ["2", "2", "2", "3", "1"]
    assert rows["小名浜"] == ["2", "1", "1", "2", "1"]
    assert rows["計"] == ["4", "3", "3", "5", "1"]  # the same supporter in both areas: one active supporter
    assert set(rows["勿来"]) == {"0"}

    meeting_view = {row[0]: row[1:] for row in _table(as_coordinator.get("/admin/figures/"), "mutual_aid_areas")[1:]}
    assert "3" not in meeting_view["平"] and "2" not in meeting_view["小名浜"]  # under ten: hidden at a meeting


def test_at_a_meeting_a_centres_small_areas_are_shown_together(app, as_coordinator) -> None:  # noqa: ANN001
    for area, count in (("taira", 12), ("nakoso", 6), ("tabito", 5)):
        for _ in range(count):
            submit_record(app, area=area)
    meeting = {row[0]: row[1] for row in _table(as_coordinator.get("/admin/figures/"), "areas")[1:]}
    assert meeting["平"] == "12"
    assert meeting["勿来・田人のほかの地区（2地区）"] == "11"  # 6 and 5: each under ten, together not
    assert "勿来" not in meeting and "田人" not in meeting
    assert meeting["内郷"] == "0" and meeting["計"] == "23"
    assert "件数の少ない地区は、センターごとにまとめて表示しています。" in page_text(as_coordinator.get("/admin/figures/"))
    staff = {row[0]: row[1] for row in _table(as_coordinator.get("/admin/figures/?mode=staff"), "areas")[1:]}
    assert (staff["勿来"], staff["田人"]) == ("6", "5")  # exact, area by area
