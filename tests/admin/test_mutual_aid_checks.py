"""The check after the help (「お手伝いはいかがでしたか？」): recorded by the SC for a phone request, and a
resident's 問題があった on LINE emailed to the SCs of the area, without personal details."""
from __future__ import annotations

import re
from datetime import timedelta
from email.header import decode_header, make_header

import pytest
from sqlalchemy import select

from bot.models import HelpRequest, Resident, utcnow
from bot.services.mutual_aid import MutualAidService
from bot.tasks.mutual_aid import send_help_notices_now
from tests.admin.conftest import FAST_HASHING, create_staff
from tests.admin.support import StaffBrowser, page_text
from tests.admin.test_records_email import smtp  # noqa: F401  (the loopback SMTP server fixture)
from tests.events_support import tsunagu_of
from tests.support import Worker


@pytest.fixture
def app(make_app, smtp):  # noqa: ANN001, F811
    return make_app(SMTP_HOST="127.0.0.1", SMTP_PORT=smtp.port, SMTP_STARTTLS=False, MAIL_FROM="tsunagu@city.example.jp",
                    ADMIN_BASE_URL="https://tsunagu.city.example.jp", MAIL_RETRY_SECONDS=0, **FAST_HASHING)


def log_in(app, email: str, centres: tuple[str, ...]) -> StaffBrowser:  # noqa: ANN001
    member = create_staff(app, email, "支援 一子", "life_support", centres)
    person = StaffBrowser(app.test_client())
    assert person.log_in(member.email, member.password).status_code == 302
    return person


def done_request(app, resident: Resident | None = None, area: str = "taira") -> int:  # noqa: ANN001
    """A request filled and done: by phone (no resident), or from a resident on LINE."""
    with tsunagu_of(app).db.transaction() as session:
        service = MutualAidService(session, tsunagu_of(app).profile)
        helper = service.register_supporter(None, name="高橋二郎", tasks=["shopping"], area_codes=[area],
                                            availability=["weekday_am"], phone="09011112222")
        service.approve(helper.id, None, insurance="ボランティア活動保険")
        request = service.ask(tasks=["shopping"], area_code=area, details="", name="電話の佐藤", phone="0246221111",
                              wanted_on=None, staff_id=None)
        if resident is not None:
            request.resident_id = session.scalars(select(Resident.id).where(
                Resident.line_user_id == resident.user_id)).one()
        service.assign(request.id, helper.id, None)
        service.confirm(request.id)
        service.record_done(request.id, hours=1.0, by="staff")
        return request.id


def check_of(app, request_id: int) -> tuple:  # noqa: ANN001
    with tsunagu_of(app).db.transaction() as session:
        request = session.get(HelpRequest, request_id)
        return request.check_result, request.check_words, request.checked_at is not None


def test_the_sc_records_the_answer_heard_by_phone(app, smtp) -> None:  # noqa: ANN001
    sc = log_in(app, "sc-taira@city.example.jp", ("taira",))
    request_id = done_request(app)
    page = sc.get(f"/admin/mutual-aid/requests/{request_id}")
    assert "お手伝いのあとの声を記録する" in page_text(page)

    refused = sc.post(f"/admin/mutual-aid/requests/{request_id}/check", {"result": "maybe", "words": "x"})
    assert "「良かった」か「問題があった」を選んでください。" in page_text(sc.get(refused.location))
    assert check_of(app, request_id) == (None, "", False)

    sc.post(f"/admin/mutual-aid/requests/{request_id}/check",
            {"result": "problem", "words": "約束の時間に来られませんでした"})
    assert check_of(app, request_id) == ("problem", "約束の時間に来られませんでした", True)
    page = page_text(sc.get(f"/admin/mutual-aid/requests/{request_id}"))
    assert "約束の時間に来られませんでした" in page and "お手伝いのあとの声を記録する" not in page
    assert "問題があった：買い物 （平）" in page_text(sc.get("/admin/mutual-aid"))  # on the board, first
    # The LINE check is not sent afterwards, and the SC who wrote it down gets no email about it.
    assert send_help_notices_now(tsunagu_of(app), utcnow() + timedelta(days=3)) == set()
    Worker(app).drain()
    assert smtp.messages == []


def test_an_sc_of_another_centre_cannot_record_it(app) -> None:  # noqa: ANN001
    request_id = done_request(app, area="onahama")
    sc = log_in(app, "sc-taira@city.example.jp", ("taira",))
    assert sc.post(f"/admin/mutual-aid/requests/{request_id}/check", {"result": "good"}).status_code == 404
    assert check_of(app, request_id) == (None, "", False)


def test_a_problem_told_on_line_is_emailed_to_the_areas_sc_once(app, chat, smtp) -> None:  # noqa: ANN001
    create_staff(app, "sc-taira@city.example.jp", "平 SC", "life_support", ("taira",))
    create_staff(app, "sc-onahama@city.example.jp", "小名浜 SC", "life_support", ("onahama",))
    create_staff(app, "sc-city@city.example.jp", "市 SC", "life_support", ())
    resident = chat("U" + "r" * 32, "佐藤ハナ")
    resident.follows()
    request_id = done_request(app, resident)
    send_help_notices_now(tsunagu_of(app), utcnow() + timedelta(days=3))
    Worker(app).drain()
    assert resident.last_text().startswith("お手伝いはいかがでしたか？")

    resident.tap_chip("問題があった")
    Worker(app).drain()
    [(recipients, message)] = smtp.messages
    assert recipients == ["sc-taira@city.example.jp"]  # the area's SC; the city's SC only when it has none
    subject = str(make_header(decode_header(message["Subject"])))
    body = message.get_payload(decode=True).decode(message.get_content_charset())
    assert f"依頼 {request_id}" in subject and "問題があった" in subject
    assert f"https://tsunagu.city.example.jp/admin/mutual-aid/requests/{request_id}" in body
    resident.says("約束の時間に来られませんでした")  # the words after: kept, no second email
    Worker(app).drain()
    assert len(smtp.messages) == 1
    assert check_of(app, request_id)[:2] == ("problem", "約束の時間に来られませんでした")
    assert "佐藤" not in body and "約束" not in body and "高橋" not in body


def test_the_citys_sc_hears_of_it_where_an_area_has_no_sc(app, chat, smtp) -> None:  # noqa: ANN001
    create_staff(app, "sc-city@city.example.jp", "市 SC", "life_support", ())
    resident = chat("U" + "s" * 32, "佐藤ハナ")
    resident.follows()
    done_request(app, resident)
    send_help_notices_now(tsunagu_of(app), utcnow() + timedelta(days=3))
    Worker(app).drain()
    resident.says("来てもらえなくて困りました")
    Worker(app).drain()
    assert [recipients for recipients, _ in smtp.messages] == [["sc-city@city.example.jp"]]


@pytest.mark.parametrize(("typed", "result"), [
    ("来てもらえなくて困りました", "problem"),
    ("やくそくの時間より遅れてきました", "problem"),
    ("問題ありませんでした。ありがとう", "good"),
    ("遅れずに来てくれて助かりました", "good"),
    ("こまらなかったです", "good"),
    ("no problem, thank you", "good"),
    ("He didn't come", "problem"),
])
def test_the_answer_is_read_in_the_residents_own_words_negation_too(app, chat, typed: str, result: str) -> None:  # noqa: ANN001
    resident = chat("U" + "t" * 32, "佐藤ハナ")
    resident.follows()
    request_id = done_request(app, resident)
    send_help_notices_now(tsunagu_of(app), utcnow() + timedelta(days=3))
    Worker(app).drain()
    resident.says(typed)
    assert check_of(app, request_id)[0] == result


def test_the_scs_start_page_counts_what_waits_for_them_in_their_areas(app) -> None:  # noqa: ANN001
    sc = log_in(app, "sc-taira@city.example.jp", ("taira",))
    problem = done_request(app)  # a supporter, a request done; then the answer heard by phone: a problem
    sc.post(f"/admin/mutual-aid/requests/{problem}/check", {"result": "problem"})
    with tsunagu_of(app).db.transaction() as session:
        service = MutualAidService(session, tsunagu_of(app).profile)
        for area in ("taira", "taira", "onahama"):  # two waiting here, one in another centre's area
            service.ask(tasks=["bulb"], area_code=area, name="依頼者", phone="0246221111", staff_id=None)
        service.register_supporter(None, name="新しい支え手", tasks=["bulb"], area_codes=["taira"],
                                   availability=["weekday_am"], phone="09022223333")  # 応募: to meet
    page = sc.get("/admin/")
    counts = dict(re.findall(r'data-count="(\w+)">(\d+)<', page.get_data(as_text=True)))
    assert counts == {"waiting": "2", "matched": "0", "overdue": "0", "problems": "1", "applied": "1"}
    assert "支え合いで対応が必要なもの" in page_text(page)


def test_the_resident_page_shows_their_help_requests_within_scope_and_their_supporting(app, browser) -> None:  # noqa: ANN001
    from tests.admin.records_support import submit_record

    user = "U" + "k" * 32
    record_id, _ = submit_record(app, area="taira", line_user=user)
    with tsunagu_of(app).db.transaction() as session:
        resident = session.scalars(select(Resident).where(Resident.line_user_id == user)).one()
        resident_id = resident.id
        service = MutualAidService(session, tsunagu_of(app).profile)
        for area, task in (("taira", "bulb"), ("onahama", "rubbish")):
            request = service.ask(tasks=[task], area_code=area, name="相談 花子", phone="0246221111", staff_id=None)
            request.resident_id = resident_id
        helper = service.register_supporter(resident, name="相談 花子", tasks=["shopping"], area_codes=["taira"],
                                            availability=["weekday_am"], phone="09011112222")
        service.approve(helper.id, None, insurance="ボランティア活動保険")

    page = page_text(browser("taira").get(f"/admin/residents/{resident_id}"))
    assert "お手伝いの依頼" in page and "電球の交換（平） 新しい依頼" in page
    assert "ごみ出し" not in page  # a request of another centre's area
    assert "支え手として 活動中：買い物 — シニアボランティアポイント：0ポイント" in page
    everything = page_text(browser("coordinator").get(f"/admin/residents/{resident_id}"))
    assert "ごみ出し" in everything
