"""The support plan (支援プラン) of a 多機関協働 case: revisions, versions, comparison and review dates."""
from __future__ import annotations

import re
from datetime import date
from html import unescape
from types import SimpleNamespace

from admin.scope import Scope
from bot.services.workflow import Workflow
from tests.admin.records_support import move, submit_record
from tests.admin.support import page_text

FIRST = {"plan-policy": "母の介護と兄の就労を一体で支える\n月に一度、世帯を訪問する", "plan-services": "介護保険",
         "plan-agencies": ["comprehensive"], "plan-review_on": "2099-01-15"}


def escalated_record(app) -> int:  # noqa: ANN001
    record_id, _ = submit_record(app)
    move(app, record_id, ("escalate", "centre_staff", {"reason": "8050の世帯"}))
    return record_id


def textarea(response, name: str) -> str:  # noqa: ANN001
    html = response.get_data(as_text=True)
    match = re.search(rf'<textarea[^>]*name="{name}"[^>]*>(.*?)</textarea>', html, flags=re.S)
    assert match, f"no textarea {name}"
    return unescape(match.group(1)).lstrip("\r\n")


def input_value(response, name: str) -> str | None:  # noqa: ANN001
    html = response.get_data(as_text=True)
    match = re.search(rf'<input[^>]*name="{name}"[^>]*>', html)
    assert match, f"no input {name}"
    value = re.search(r'value="([^"]*)"', match.group(0))
    return unescape(value.group(1)) if value else None


def test_a_revision_starts_from_the_current_version(app, browser) -> None:  # noqa: ANN001
    record_id = escalated_record(app)
    coordinator = browser("coordinator")

    coordinator.post(f"/admin/records/{record_id}/plan", FIRST)
    page = coordinator.get(f"/admin/records/{record_id}")

    assert textarea(page, "plan-policy") == FIRST["plan-policy"]
    assert textarea(page, "plan-services") == "介護保険"
    assert re.search(r'<input type="checkbox" name="plan-agencies" value="comprehensive" checked>',
                     page.get_data(as_text=True))
    assert input_value(page, "plan-review_on") == "2099-01-15"
    assert "見直し日 2099/01/15" in page_text(page)


def test_every_version_opens_and_compares_with_the_one_before(app, browser, audit_entries) -> None:  # noqa: ANN001
    record_id = escalated_record(app)
    coordinator = browser("coordinator")
    coordinator.post(f"/admin/records/{record_id}/plan", FIRST)
    coordinator.post(f"/admin/records/{record_id}/plan", {
        **FIRST, "plan-policy": "母の介護と兄の就労を一体で支える\n<b>週に一度</b>、世帯を訪問する",
        "plan-agencies": ["comprehensive", "livelihood"], "plan-review_on": "2099-03-01"})

    record_page = page_text(coordinator.get(f"/admin/records/{record_id}"))
    first = coordinator.get(f"/admin/records/{record_id}/plans/1")
    second = coordinator.get(f"/admin/records/{record_id}/plans/2")
    html = second.get_data(as_text=True)

    assert "第1版" in record_page and "第2版" in record_page
    assert first.status_code == 200 and "月に一度、世帯を訪問する" in page_text(first)
    assert "最初の版です。" in page_text(first)
    assert second.status_code == 200 and "第1版からの変更" in page_text(second)
    assert re.search(r'<del>.*?月に一度、世帯を訪問する</del>', html)
    assert re.search(r'<ins>.*?&lt;b&gt;週に一度&lt;/b&gt;、世帯を訪問する</ins>', html)  # escaped, never markup
    assert "<b>週に一度" not in html
    assert re.search(r'<ins>.*?生活・就労支援</ins>', html)
    assert coordinator.get(f"/admin/records/{record_id}/plans/3").status_code == 404
    assert [entry["details"]["version"] for entry in audit_entries("records.plan_version")] == [1, 2]


def test_plan_versions_stay_within_the_scope(app, browser) -> None:  # noqa: ANN001
    record_id = escalated_record(app)
    browser("coordinator").post(f"/admin/records/{record_id}/plan", FIRST)

    assert browser("onahama").get(f"/admin/records/{record_id}/plans/1").status_code == 404
    assert browser("taira").get(f"/admin/records/{record_id}/plans/1").status_code == 200


def test_a_review_date_already_past_is_refused(app, browser) -> None:  # noqa: ANN001
    record_id = escalated_record(app)

    refused = browser("coordinator").post(f"/admin/records/{record_id}/plan", {**FIRST, "plan-review_on": "2020-01-01"})

    assert refused.status_code == 400
    assert "見直し日は今日以降の日付にしてください。" in page_text(refused)


def test_plans_due_for_review_count_only_the_current_version_in_scope(app, browser) -> None:  # noqa: ANN001
    due = escalated_record(app)
    revised = escalated_record(app)
    later = escalated_record(app)
    coordinator = browser("coordinator")
    coordinator.post(f"/admin/records/{due}/plan", {**FIRST, "plan-review_on": "2099-01-15"})
    coordinator.post(f"/admin/records/{revised}/plan", {**FIRST, "plan-review_on": "2099-01-10"})
    coordinator.post(f"/admin/records/{revised}/plan", {**FIRST, "plan-review_on": "2099-06-01"})
    coordinator.post(f"/admin/records/{later}/plan", {**FIRST, "plan-review_on": "2099-02-01"})
    tsunagu = app.extensions["tsunagu"]

    def due_ids(role: str, centres: tuple[str, ...]) -> list[int]:
        scope = Scope.for_account(SimpleNamespace(id=1, role=role, centre_codes=centres), tsunagu.profile)
        with tsunagu.db.transaction() as session:
            found = Workflow(session, tsunagu.profile).plans_due_for_review(scope, date(2099, 1, 20))
            return [record.id for record, _ in found]

    assert due_ids("coordinator", ()) == [due]
    assert due_ids("centre_staff", ("taira",)) == [due]
    assert due_ids("centre_staff", ("onahama",)) == []
