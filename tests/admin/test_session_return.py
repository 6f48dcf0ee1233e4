"""A form sent after the session ended: its text is kept, the login says why, and the page opens again with it.

Also: a first login that must change its password says so.
"""
from __future__ import annotations

import json
import re
from html import unescape
from urllib.parse import parse_qs, urlsplit

from sqlalchemy import select

from bot.models import FormStash
from tests.admin.conftest import STAFF_PASSWORD
from tests.admin.records_support import submit_record
from tests.admin.support import StaffBrowser, page_text

NOTE = "兄に電話したが不在。明日の午前にもう一度かける。"


def restored(response) -> dict | None:  # noqa: ANN001
    """The kept form the page hands to restore.js, if any."""
    html = response.get_data(as_text=True)
    match = re.search(r'<script type="application/json" id="restored-form">(.*?)</script>', html, flags=re.S)
    return json.loads(unescape(match.group(1))) if match else None


def stashes(app) -> list[FormStash]:  # noqa: ANN001
    with app.extensions["tsunagu"].db.transaction() as session:
        rows = list(session.scalars(select(FormStash)))
        session.expunge_all()
        return rows


def test_a_note_sent_after_the_session_expired_comes_back_after_logging_in(app, staff, browser, clock) -> None:  # noqa: ANN001
    record_id, _ = submit_record(app)
    taira = browser("taira")
    page = f"/admin/records/{record_id}"
    taira.get(page)
    clock.advance(minutes=31)

    sent = taira.post(f"{page}/notes", {"note-body": NOTE}, headers={"Referer": f"http://localhost{page}"})

    assert sent.status_code == 302 and sent.location == f"/admin/login?next={page}"
    login_page = page_text(taira.get(sent.location))
    assert "ログインが切れていたため、送信できませんでした。入力した内容は残してあります。" in login_page
    [kept] = stashes(app)
    assert kept.staff_id == staff["taira"].id and ["note-body", NOTE] in kept.fields
    assert not any("csrf" in name for name, _ in kept.fields)

    back = taira.log_in(staff["taira"].email, STAFF_PASSWORD, query_string={"next": page})
    assert back.location == page
    reopened = taira.get(page)
    assert restored(reopened) == {"action": f"{page}/notes", "fields": [["note-body", NOTE]]}
    assert "ログインする前に入力した内容を、フォームに戻しました。" in page_text(reopened)
    assert 'src="/admin/static/admin/restore.js"' in reopened.get_data(as_text=True)
    assert restored(taira.get(page)) is None  # once
    assert stashes(app) == []


def test_after_a_logout_in_another_tab_the_form_returns_not_a_405(app, staff, browser) -> None:  # noqa: ANN001
    record_id, _ = submit_record(app)
    taira = browser("taira")
    page = f"/admin/records/{record_id}"
    taira.get(page)
    token = taira.csrf_token()
    taira.log_out()  # the other tab

    sent = taira.post(f"{page}/notes", {"note-body": NOTE, "csrf_token": token, "note-csrf_token": token},
                      headers={"Referer": f"http://localhost{page}"})
    after_login = taira.log_in(staff["taira"].email, STAFF_PASSWORD,
                               query_string={"next": parse_qs(urlsplit(sent.location).query)["next"][0]})

    assert sent.status_code == 302 and "next=" in sent.location
    assert after_login.location == page
    opened = taira.get(after_login.location)
    assert opened.status_code == 200
    assert restored(opened)["fields"] == [["note-body", NOTE]]


def test_a_form_target_is_never_where_the_login_returns(app, staff) -> None:  # noqa: ANN001
    person = StaffBrowser(app.test_client())

    response = person.log_in(staff["taira"].email, STAFF_PASSWORD, query_string={"next": "/admin/records/1/notes"})

    assert response.location == "/admin/"


def test_passwords_are_never_kept(app, staff, as_admin, clock) -> None:  # noqa: ANN001
    clock.advance(minutes=31)
    as_admin.post(f"/admin/staff/{staff['taira'].id}/password",
                  {"reset-password": "temporary-pass-42", "reset-confirm": "temporary-pass-42"},
                  headers={"Referer": f"http://localhost/admin/staff/{staff['taira'].id}"})

    assert stashes(app) == []


def test_someone_else_logging_in_does_not_get_the_kept_text(app, staff, browser, clock) -> None:  # noqa: ANN001
    record_id, _ = submit_record(app)
    taira = browser("taira")
    page = f"/admin/records/{record_id}"
    clock.advance(minutes=31)
    taira.post(f"{page}/notes", {"note-body": NOTE}, headers={"Referer": f"http://localhost{page}"})

    taira.log_in(staff["coordinator"].email, STAFF_PASSWORD, query_string={"next": page})

    assert restored(taira.get(page)) is None
    assert stashes(app) == []


def test_a_first_login_that_must_change_its_password_says_why(app, staff, as_admin) -> None:  # noqa: ANN001
    as_admin.post(f"/admin/staff/{staff['taira'].id}/password",
                  {"reset-password": "temporary-pass-42", "reset-confirm": "temporary-pass-42"})
    person = StaffBrowser(app.test_client())

    landed = person.log_in(staff["taira"].email, "temporary-pass-42")
    settings = person.get(person.get(landed.location).location)

    assert "管理者が決めたパスワードのままです。ほかの画面を使う前に、ご自身のパスワードに変更してください。" in page_text(settings)


def test_a_kept_form_nobody_came_back_for_is_deleted_after_an_hour(app, staff, browser, clock) -> None:  # noqa: ANN001
    record_id, _ = submit_record(app)
    taira = browser("taira")
    page = f"/admin/records/{record_id}"
    taira.get(page)
    clock.advance(minutes=31)
    taira.post(f"{page}/notes", {"note-body": NOTE}, headers={"Referer": f"http://localhost{page}"})
    assert len(stashes(app)) == 1

    clock.advance(minutes=61)
    StaffBrowser(app.test_client()).log_in(staff["coordinator"].email, STAFF_PASSWORD)

    assert stashes(app) == []
