"""The resident page (本人ページ) and households (世帯), over HTTP as centre staff and the coordinator.

A resident's records at every centre are listed by receipt number, centre
and status; their contents, thread and flags only for records in the staff
member's scope. Centre staff open the page only when one of the resident's
records is theirs.
"""
from __future__ import annotations

import re

from bot.models import Resident
from bot.models.intake import IntakeRecord
from bot.services.events import EventService
from tests.admin.records_support import submit_record, user_id
from tests.admin.support import page_text, table_rows
from tests.events_support import create_event, days_ahead

TAIRA_TEXT = "家賃が払えません"
ONAHAMA_TEXT = "仕事のことで悩んでいます"


def resident_id_of(app, record_id: int) -> int:  # noqa: ANN001
    with app.extensions["tsunagu"].db.transaction() as session:
        return session.get(IntakeRecord, record_id).resident_id


def change_record(app, record_id: int, **fields) -> None:  # noqa: ANN001, ANN003
    with app.extensions["tsunagu"].db.transaction() as session:
        record = session.get(IntakeRecord, record_id)
        for name, value in fields.items():
            setattr(record, name, value)


def one_resident_at_two_centres(app) -> tuple[int, str, str]:  # noqa: ANN001
    """A resident who consulted 平 and 小名浜: (resident id, 平's receipt, 小名浜's receipt)."""
    line_user = user_id(9001)
    taira_id, taira = submit_record(app, area="taira", details=(TAIRA_TEXT,), line_user=line_user,
                                    display_name="山田 花子")
    _, onahama = submit_record(app, area="onahama", details=(ONAHAMA_TEXT,), line_user=line_user,
                               display_name="山田 花子")
    return resident_id_of(app, taira_id), taira, onahama


def test_centre_staff_see_every_receipt_but_only_their_records_contents(app, browser) -> None:  # noqa: ANN001
    resident_id, taira, onahama = one_resident_at_two_centres(app)

    page = browser("taira").get(f"/admin/residents/{resident_id}")

    assert page.status_code == 200
    rows = table_rows(page)
    assert any(row.startswith(taira) for row in rows)
    assert any(row.startswith(onahama) and "小名浜" in row and "担当外" in row for row in rows)
    text = page_text(page)
    assert TAIRA_TEXT in text and ONAHAMA_TEXT not in text
    html = page.get_data(as_text=True)
    assert re.search(rf'href="/admin/records/\d+">{taira}<', html)
    assert f">{onahama}</a>" not in html  # no link to a record out of scope


def test_the_coordinator_reads_the_whole_thread_across_records(app, browser) -> None:  # noqa: ANN001
    resident_id, _, _ = one_resident_at_two_centres(app)

    text = page_text(browser("coordinator").get(f"/admin/residents/{resident_id}"))

    assert TAIRA_TEXT in text and ONAHAMA_TEXT in text and "担当外" not in text


def test_a_resident_without_a_record_in_scope_is_not_found_and_logged(app, browser, audit_entries) -> None:  # noqa: ANN001
    record_id, _ = submit_record(app, area="onahama", details=(ONAHAMA_TEXT,))
    resident_id = resident_id_of(app, record_id)

    page = browser("taira").get(f"/admin/residents/{resident_id}")

    assert page.status_code == 404 and ONAHAMA_TEXT not in page.get_data(as_text=True)
    denied = audit_entries("access.denied")
    assert denied[-1]["target"] == ("residents", str(resident_id))
    assert audit_entries("residents.view") == []
    assert browser("onahama").get(f"/admin/residents/{resident_id}").status_code == 200


def test_administrators_may_not_open_a_resident_page(app, browser) -> None:  # noqa: ANN001
    record_id, _ = submit_record(app)

    assert browser("admin").get(f"/admin/residents/{resident_id_of(app, record_id)}").status_code == 403


def test_a_view_is_audited_with_codes_only(app, browser, audit_entries) -> None:  # noqa: ANN001
    resident_id, _, _ = one_resident_at_two_centres(app)

    browser("taira").get(f"/admin/residents/{resident_id}")

    [entry] = audit_entries("residents.view")
    assert entry["target"] == ("residents", str(resident_id))
    assert entry["details"] == {"records": 2, "readable": 1}


def test_the_record_page_and_the_queue_link_to_the_resident(app, browser) -> None:  # noqa: ANN001
    record_id, _ = submit_record(app)
    staff = browser("taira")
    link = f'href="/admin/residents/{resident_id_of(app, record_id)}"'

    assert link in staff.get(f"/admin/records/{record_id}").get_data(as_text=True)
    assert link in staff.get("/admin/records/").get_data(as_text=True)


def test_flags_consents_and_sign_ups_are_shown(app, browser) -> None:  # noqa: ANN001
    record_id, receipt = submit_record(app)
    change_record(app, record_id, interpreter="vi", safe_contact="line")
    resident_id = resident_id_of(app, record_id)
    event_id = create_event(app, starts_at=days_ahead(3), title="いきいきサロン")
    tsunagu = app.extensions["tsunagu"]
    with tsunagu.db.transaction() as session:
        resident = session.get(Resident, resident_id)
        resident.locale = "vi"
        EventService(session, tsunagu.profile).sign_up(event_id, resident=resident, party_size=1, name="花子")

    text = page_text(browser("taira").get(f"/admin/residents/{resident_id}"))

    assert "言語：ベトナム語" in text and "通訳が必要：ベトナム語" in text
    assert "LINEなら安全（電話は避ける）" in text
    assert f"{receipt}：" in text and "に同意" in text
    assert "いきいきサロン" in text


# -- households ----------------------------------------------------------------------------------

def test_staff_make_a_household_and_another_resident_joins_it(app, browser, audit_entries) -> None:  # noqa: ANN001
    mother_record, mother_receipt = submit_record(app, details=("母の介護のことで相談です。",), display_name="山田 母")
    son_record, son_receipt = submit_record(app, details=("仕事が見つかりません",), display_name="山田 息子")
    mother, son = resident_id_of(app, mother_record), resident_id_of(app, son_record)
    staff = browser("taira")

    made = staff.post(f"/admin/residents/{mother}/household", {"relationship": "head"})
    joined = staff.post(f"/admin/residents/{son}/household",
                        {"relationship": "child", "receipt": mother_receipt.lower()})

    assert made.status_code == 302 and joined.status_code == 302
    text = page_text(staff.get(f"/admin/residents/{mother}"))
    assert "この方の続柄：世帯主" in text and "子： 山田 息子" in text and son_receipt in text
    assert "この方の続柄：子" in page_text(staff.get(f"/admin/residents/{son}"))
    entries = audit_entries("residents.household")
    assert [entry["target"] for entry in entries] == [("residents", str(mother)), ("residents", str(son))]
    assert entries[1]["details"]["relationship"] == "child" and entries[1]["details"]["joined"] is True


def test_a_member_out_of_scope_is_named_only_as_such(app, browser) -> None:  # noqa: ANN001
    taira_record, taira_receipt = submit_record(app, area="taira", display_name="山田 母")
    onahama_record, onahama_receipt = submit_record(app, area="onahama", display_name="山田 娘")
    coordinator = browser("coordinator")
    coordinator.post(f"/admin/residents/{resident_id_of(app, taira_record)}/household", {"relationship": "head"})
    coordinator.post(f"/admin/residents/{resident_id_of(app, onahama_record)}/household",
                     {"relationship": "child", "receipt": taira_receipt})

    text = page_text(browser("taira").get(f"/admin/residents/{resident_id_of(app, taira_record)}"))

    assert "子： 担当外の方" in text and "山田 娘" not in text and onahama_receipt not in text


def test_a_receipt_number_out_of_scope_or_unknown_is_refused_with_a_message(app, browser) -> None:  # noqa: ANN001
    onahama_record, onahama_receipt = submit_record(app, area="onahama")
    browser("onahama").post(f"/admin/residents/{resident_id_of(app, onahama_record)}/household",
                            {"relationship": "head"})
    record_id, _ = submit_record(app)
    staff = browser("taira")
    url = f"/admin/residents/{resident_id_of(app, record_id)}/household"

    for receipt in (onahama_receipt, "IW-2099-999999", "とにかく"):
        answer = staff.post(url, {"relationship": "child", "receipt": receipt})
        assert answer.status_code == 400 and "その受付番号の相談記録が見つかりません。" in page_text(answer)
    assert "世帯に登録されていません。" in page_text(staff.get(url.rsplit("/", 1)[0]))


def test_a_relationship_not_offered_or_a_missing_token_changes_nothing(app, browser) -> None:  # noqa: ANN001
    record_id, _ = submit_record(app)
    staff = browser("taira")
    url = f"/admin/residents/{resident_id_of(app, record_id)}/household"

    refused = staff.post(url, {"relationship": "boss"})
    forged = staff.post(url, {"relationship": "head"}, csrf=False)

    assert refused.status_code == 400 and "入力内容を確認してください。" in page_text(refused)
    assert forged.status_code == 400
    assert "世帯に登録されていません。" in page_text(staff.get(url.rsplit("/", 1)[0]))


def test_a_resident_leaves_the_household(app, browser, audit_entries) -> None:  # noqa: ANN001
    record_id, _ = submit_record(app)
    resident_id = resident_id_of(app, record_id)
    staff = browser("taira")
    staff.post(f"/admin/residents/{resident_id}/household", {"relationship": "head"})

    left = staff.post(f"/admin/residents/{resident_id}/household/leave", {})

    assert left.status_code == 302
    assert "世帯に登録されていません。" in page_text(staff.get(f"/admin/residents/{resident_id}"))
    assert len(audit_entries("residents.household_leave")) == 1
