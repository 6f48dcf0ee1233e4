"""The audit log: what is written, and how administrators browse it."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from admin.audit import audit
from tests.admin.support import page_text, table_rows

JST = timezone(timedelta(hours=9))


def test_the_audit_helper_records_who_what_on_what_and_from_where(app, staff, audit_entries) -> None:  # noqa: ANN001
    from flask_login import login_user

    from admin.auth import StaffUser
    from bot.models import StaffAccount

    with app.test_request_context("/admin/", environ_base={"REMOTE_ADDR": "192.0.2.10"},
                                  headers={"User-Agent": "Tablet/1.0"}):
        with app.extensions["tsunagu"].db.transaction() as session:
            login_user(StaffUser.of(session.get(StaffAccount, staff["coordinator"].id), "a-session-key"))
        audit("record.view", ("intake_records", "IW-2026-0001"), centre="taira", count=3)
        with app.extensions["tsunagu"].db.transaction() as session:
            audit("record.export", None, session=session, filters=["status", "centre"], since=datetime(2026, 4, 1))

    first, second = audit_entries()[-2:]
    assert first["action"] == "record.view"
    assert first["actor_id"] == staff["coordinator"].id
    assert first["target"] == ("intake_records", "IW-2026-0001")
    assert first["ip"] == "192.0.2.10"
    assert first["details"] == {"centre": "taira", "count": 3}
    assert second["details"] == {"filters": ["status", "centre"], "since": "2026-04-01T00:00:00"}


def test_audit_details_must_be_flat_codes_not_records(app) -> None:  # noqa: ANN001
    with app.test_request_context("/admin/"), pytest.raises(TypeError):
        audit("record.view", None, answers={"free_text": "..."})


def test_audit_entries_are_written_in_the_changes_transaction(app, staff, audit_entries) -> None:  # noqa: ANN001
    with app.test_request_context("/admin/"), pytest.raises(RuntimeError):  # noqa: PT012
        with app.extensions["tsunagu"].db.transaction() as session:
            audit("staff.update", ("staff_accounts", staff["taira"].id), session=session)
            raise RuntimeError("the change failed")

    assert audit_entries("staff.update") == []


def test_administrators_filter_the_audit_log_by_person_action_and_day(
        app, staff, browser, clock, as_admin) -> None:  # noqa: ANN001
    clock.now = datetime(2026, 5, 1, 23, 30, tzinfo=JST).astimezone(timezone.utc)
    browser("taira")
    clock.now = datetime(2026, 5, 2, 0, 30, tzinfo=JST).astimezone(timezone.utc)
    browser("coordinator")
    browser("taira").log_out()

    by_person = table_rows(as_admin.get("/admin/audit/", query_string={"actor": staff["taira"].id}))
    assert len(by_person) == 3  # two logins and a logout
    assert all("平 太郎" in row for row in by_person)

    by_action = table_rows(as_admin.get("/admin/audit/", query_string={"action": "logout"}))
    assert len(by_action) == 1 and "ログアウト" in by_action[0]

    # Days are the city's calendar days (Japan time), both ends included.
    may_first = table_rows(as_admin.get("/admin/audit/", query_string={
        "action": "login.success", "date_from": "2026-05-01", "date_to": "2026-05-01"}))
    assert len(may_first) == 1 and "2026/05/01 23:30:00 平 太郎 ログイン" in may_first[0]
    may_second = table_rows(as_admin.get("/admin/audit/", query_string={
        "action": "login.success", "date_from": "2026-05-02"}))
    assert len(may_second) == 3 and any("調整 一郎" in row for row in may_second)

    nothing = page_text(as_admin.get("/admin/audit/", query_string={"date_to": "2020-01-01"}))
    assert "該当する記録はありません。" in nothing


def test_the_audit_log_is_shown_in_pages_newest_first(make_app, clock) -> None:  # noqa: ANN001
    from tests.admin.conftest import create_staff
    from tests.admin.support import StaffBrowser

    app = make_app(ADMIN_PAGE_SIZE=5, ADMIN_PASSWORD_METHOD="scrypt:1024:8:1")
    app.extensions["tsunagu_admin"].clock = clock
    admin = create_staff(app, "admin@city.example.jp", "管理 さくら", "admin")
    with app.test_request_context("/"):
        for n in range(12):
            clock.advance(seconds=1)
            audit("login.failure", None, reason="unknown", n=n)
    person = StaffBrowser(app.test_client())
    person.log_in(admin.email, admin.password)

    first = page_text(person.get("/admin/audit/", query_string={"action": "login.failure"}))
    assert "12件中 1〜5件目" in first and "n=11" in first and "n=6" not in first
    assert "1 / 3 ページ" in first
    last = person.get("/admin/audit/", query_string={"action": "login.failure", "page": 3})
    assert "12件中 11〜12件目" in page_text(last) and "n=0" in page_text(last)
    html = last.get_data(as_text=True)
    assert 'href="/admin/audit/?action=login.failure&amp;page=2"' in html  # the filter is kept
    beyond = page_text(person.get("/admin/audit/", query_string={"action": "login.failure", "page": 99}))
    assert "12件中 11〜12件目" in beyond


def test_browsing_the_audit_log_is_itself_audited(as_admin, audit_entries) -> None:  # noqa: ANN001
    as_admin.get("/admin/audit/", query_string={"action": "logout", "date_from": "2026-01-01"})

    [entry] = audit_entries("audit.view")
    assert entry["details"] == {"page": 1, "action": "logout", "date_from": "2026-01-01"}


def test_the_start_page_shows_administrators_failed_logins_and_locked_accounts(
        app, staff, as_admin) -> None:  # noqa: ANN001
    from tests.admin.support import StaffBrowser

    for _ in range(5):
        StaffBrowser(app.test_client()).log_in(staff["onahama"].email, "wrong-password-123")

    home = page_text(as_admin.get("/admin/"))

    assert "ログイン待機中のアカウント： 小名浜 花子" in home
    assert "5 24時間のログイン失敗" in home
