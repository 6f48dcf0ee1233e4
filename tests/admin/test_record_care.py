"""Staff handle a record with care: a forward chooses its centre on purpose, confirmations read naturally,
closing asks first and records an outcome, and a centre keeps sight of a record it passed on."""
from __future__ import annotations

import re

from bot.models.intake import IntakeRecord

from tests.admin.records_support import move, status_of, submit_record, user_id
from tests.admin.support import page_text


def test_the_forward_form_preselects_no_centre(app, browser) -> None:  # noqa: ANN001
    record_id, _ = submit_record(app, area="onahama")
    with app.extensions["tsunagu"].db.transaction() as session:
        session.get(IntakeRecord, record_id).centre_code = None  # in triage: the area suggests 小名浜
    coordinator = browser("coordinator")

    html = coordinator.get(f"/admin/records/{record_id}").get_data(as_text=True)
    form = re.search(r'<form[^>]+id="forward-form".*?</form>', html, re.S).group(0)

    assert "地区からの候補" in form
    assert "selected" not in form
    assert "転送先を選んでください" in form


def test_a_forward_without_a_chosen_centre_is_refused(app, browser) -> None:  # noqa: ANN001
    record_id, _ = submit_record(app, area=None)
    coordinator = browser("coordinator")

    response = coordinator.post(f"/admin/records/{record_id}/forward", {"forward-centre": "", "forward-note": "メモ"})

    assert response.status_code == 400
    assert "転送先のセンターを選んでください。" in page_text(response)
    assert status_of(app, record_id) == ("new", None)


def test_confirmations_read_as_natural_japanese(app, browser) -> None:  # noqa: ANN001
    record_id, _ = submit_record(app)
    staff = browser("taira")

    response = staff.post(f"/admin/records/{record_id}/triage", {})
    text = page_text(staff.get(response.location))

    assert "確認済みにしました。" in text
    assert "を行いました" not in text


# -- closing with care ------------------------------------------------------------------------

def test_closing_asks_first_for_an_outcome(app, browser) -> None:  # noqa: ANN001
    record_id, _ = submit_record(app)
    move(app, record_id, ("start", "centre_staff", {}))
    staff = browser("taira")

    record_page = staff.get(f"/admin/records/{record_id}").get_data(as_text=True)
    assert f'href="/admin/records/{record_id}/close"' in record_page
    assert f'action="/admin/records/{record_id}/close"' not in record_page  # no one-click close
    confirm = staff.get(f"/admin/records/{record_id}/close")
    assert confirm.status_code == 200
    assert all(label in page_text(confirm) for label in ("解決", "他機関へつないだ", "連絡がとれない", "重複・誤り"))

    refused = staff.post(f"/admin/records/{record_id}/close", {})
    assert refused.status_code == 400 and "完了の理由（結果）を選んでください。" in page_text(refused)
    assert status_of(app, record_id) == ("in_progress", "taira")

    staff.post(f"/admin/records/{record_id}/close", {"close-outcome": "referred"})
    assert status_of(app, record_id) == ("closed", "taira")
    page = page_text(staff.get(f"/admin/records/{record_id}"))
    assert "完了の理由：他機関へつないだ" in page and "完了にしました。" in page
    assert "（他機関へつないだ）" in page  # on the timeline
    with app.extensions["tsunagu"].db.transaction() as session:
        assert session.get(IntakeRecord, record_id).workflow.outcome == "referred"


def test_closing_tells_the_resident_unless_staff_choose_not_to(app, browser, chat, worker, line, audit_entries) -> None:  # noqa: ANN001
    told, quiet = user_id(911), user_id(912)
    for user in (told, quiet):
        chat(user_id=user).follows()
    told_record, _ = submit_record(app, line_user=told)
    quiet_record, _ = submit_record(app, line_user=quiet)
    move(app, told_record, ("start", "centre_staff", {}))
    move(app, quiet_record, ("start", "centre_staff", {}))
    before = {user: len(line.texts_to(user)) for user in (told, quiet)}
    staff = browser("taira")

    missing = staff.post(f"/admin/records/{quiet_record}/close", {"close-outcome": "duplicate", "close-tell": "no"})
    assert missing.status_code == 400 and "知らせずに完了にする理由を選んでください" in page_text(missing)
    staff.post(f"/admin/records/{told_record}/close", {"close-outcome": "resolved", "close-tell": "yes"})
    staff.post(f"/admin/records/{quiet_record}/close",
               {"close-outcome": "duplicate", "close-tell": "no", "close-quiet_reason": "spam"})
    worker.drain()

    assert status_of(app, quiet_record) == ("closed", "taira")
    assert len(line.texts_to(told)) == before[told] + 1 and "ありがとうございました" in line.texts_to(told)[-1]
    assert len(line.texts_to(quiet)) == before[quiet]
    entry = audit_entries("records.close")[-1]["details"]
    assert (entry["outcome"], entry["told"], entry["quiet_reason"]) == ("duplicate", False, "spam")
    assert "本人には知らせずに完了（いたずら・迷惑な送信）" in page_text(staff.get(f"/admin/records/{quiet_record}"))


def test_a_new_record_can_be_closed_as_a_duplicate_only(app, browser) -> None:  # noqa: ANN001
    record_id, _ = submit_record(app)
    staff = browser("taira")

    confirm = page_text(staff.get(f"/admin/records/{record_id}/close"))
    assert "重複・誤り" in confirm and "他機関へつないだ" not in confirm
    refused = staff.post(f"/admin/records/{record_id}/close", {"close-outcome": "resolved"})
    assert refused.status_code == 400 and "重複・誤りのときだけ" in page_text(refused)
    assert status_of(app, record_id) == ("new", "taira")

    staff.post(f"/admin/records/{record_id}/close",
               {"close-outcome": "duplicate", "close-tell": "no", "close-quiet_reason": "duplicate"})
    assert status_of(app, record_id) == ("closed", "taira")


def test_reopening_tells_the_resident_only_when_staff_choose_to(app, browser, chat, worker, line) -> None:  # noqa: ANN001
    resident = user_id(921)
    chat(user_id=resident).follows()
    record_id, receipt = submit_record(app, line_user=resident)
    move(app, record_id, ("start", "centre_staff", {}), ("close", "centre_staff", {"outcome": "resolved", "tell": False,
                                                                                 "quiet_reason": "no_contact"}))
    staff = browser("taira")
    worker.drain()
    before = len(line.texts_to(resident))

    staff.post(f"/admin/records/{record_id}/reopen", {})
    worker.drain()
    assert status_of(app, record_id) == ("in_progress", "taira") and len(line.texts_to(resident)) == before

    move(app, record_id, ("close", "centre_staff", {"outcome": "resolved", "tell": False, "quiet_reason": "no_contact"}))
    staff.post(f"/admin/records/{record_id}/reopen", {"reopen-tell": "y"})
    worker.drain()
    assert len(line.texts_to(resident)) == before + 1
    notice = line.texts_to(resident)[-1]
    assert receipt in notice and "もう一度お受けすることにしました" in notice
    assert "再開のお知らせをLINEで送信" in page_text(staff.get(f"/admin/records/{record_id}"))


# -- a centre keeps sight of what it passed on ----------------------------------------------------

def test_the_sending_centre_reads_a_forwarded_record_but_cannot_change_it(app, browser) -> None:  # noqa: ANN001
    record_id, receipt = submit_record(app, area="taira")
    taira = browser("taira")

    response = taira.post(f"/admin/records/{record_id}/forward", {"forward-centre": "onahama"})
    assert response.location.endswith(f"/admin/records/{record_id}")

    page = taira.get(f"/admin/records/{record_id}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "いまは小名浜地区保健福祉センターの担当です。閲覧のみできます。" in page_text(page)
    assert 'name="do"' not in html and 'id="message-form"' not in html and 'id="forward-form"' not in html
    assert receipt not in page_text(taira.get("/admin/records/"))  # the queue holds what is the centre's now
    taira.post(f"/admin/records/{record_id}/notes", {"note-body": "メモ"})
    taira.post(f"/admin/records/{record_id}/escalate", {"escalate-reason": "複合的"})
    assert status_of(app, record_id) == ("forwarded", "onahama")
    assert "メモの追加" not in page_text(taira.get(f"/admin/records/{record_id}"))


def test_a_rejected_forward_returns_to_the_sending_centre_with_the_reason(app, browser) -> None:  # noqa: ANN001
    record_id, receipt = submit_record(app, area="taira")
    taira, onahama = browser("taira"), browser("onahama")
    taira.post(f"/admin/records/{record_id}/forward", {"forward-centre": "onahama"})

    onahama.post(f"/admin/records/{record_id}/reject", {"reject-reason": "平地区の住所でした"})

    assert status_of(app, record_id) == ("triaged", "taira")
    page = page_text(taira.get(f"/admin/records/{record_id}"))
    assert "差し戻しの理由（小名浜地区保健福祉センター）" in page and "平地区の住所でした" in page
    queue = [row for row in page_text(taira.get("/admin/records/")).split(receipt)[1:2]]
    assert queue and "差し戻し" in queue[0][:200]
    assert onahama.get(f"/admin/records/{record_id}").status_code == 404  # it only looked, it keeps nothing
