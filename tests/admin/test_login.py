"""Logging in and out: passwords, lockout, throttling, idle sessions and the session cookie."""
from __future__ import annotations

from datetime import timedelta, timezone

import pytest

from tests.admin.conftest import STAFF_PASSWORD, create_staff
from tests.admin.support import StaffBrowser, page_text

REFUSED = "メールアドレスまたはパスワードが正しくありません"


def test_the_admin_view_asks_for_a_login_first(app, staff) -> None:  # noqa: ANN001
    person = StaffBrowser(app.test_client())

    response = person.get("/admin/")

    assert response.status_code == 302
    assert response.location == "/admin/login?next=%2Fadmin%2F"
    login_page = page_text(person.get(response.location))
    assert "ログインしてください。" in login_page
    assert "メールアドレス" in login_page and "パスワード" in login_page


def test_a_member_of_staff_logs_in_and_sees_their_centre(app, staff, audit_entries) -> None:  # noqa: ANN001
    person = StaffBrowser(app.test_client())

    response = person.log_in("Taira@City.example.jp ", STAFF_PASSWORD)  # case and spaces do not matter

    assert response.status_code == 302 and response.location == "/admin/"
    home = page_text(person.get("/admin/"))
    assert "平 太郎さん、お疲れさまです。" in home
    assert "平地区保健福祉センター" in home
    assert "小名浜地区保健福祉センター" not in home
    [entry] = audit_entries("login.success")
    assert entry["actor_id"] == staff["taira"].id
    assert entry["ip"] == "127.0.0.1"


def test_logging_in_returns_to_the_page_asked_for_but_never_to_another_site(app, staff) -> None:  # noqa: ANN001
    person = StaffBrowser(app.test_client())
    response = person.log_in(staff["admin"].email, STAFF_PASSWORD, query_string={"next": "/admin/audit/?page=2"})
    assert response.location == "/admin/audit/?page=2"

    for target in ("https://evil.example/admin/", "//evil.example/admin/", "/\\evil.example", "/callback"):
        person = StaffBrowser(app.test_client())
        response = person.log_in(staff["admin"].email, STAFF_PASSWORD, query_string={"next": target})
        assert response.location == "/admin/", target


@pytest.mark.parametrize(
    ("email", "password"),
    [
        ("taira@city.example.jp", "wrong-password-123"),
        ("nobody@city.example.jp", STAFF_PASSWORD),
        ("", ""),
    ],
)
def test_a_wrong_login_says_the_same_thing_whether_or_not_the_account_exists(
        app, staff, email, password) -> None:  # noqa: ANN001
    person = StaffBrowser(app.test_client())

    response = person.log_in(email, password)

    assert response.status_code == 200
    text = page_text(response)
    if email:
        assert REFUSED in text
    else:
        assert "入力してください。" in text
    assert person.get("/admin/").status_code == 302  # still not logged in


def test_failed_logins_are_audited_without_the_password(app, staff, audit_entries) -> None:  # noqa: ANN001
    StaffBrowser(app.test_client()).log_in("taira@city.example.jp", "my-secret-guess-1")
    StaffBrowser(app.test_client()).log_in("nobody@city.example.jp", "my-secret-guess-2")

    known, unknown = audit_entries("login.failure")
    assert known["actor_id"] == staff["taira"].id and known["details"]["reason"] == "password"
    assert unknown["actor_id"] is None and unknown["details"] == {"reason": "unknown"}
    assert "my-secret-guess" not in repr(audit_entries())


def test_five_wrong_passwords_lock_the_account_for_fifteen_minutes(app, staff, clock, audit_entries) -> None:  # noqa: ANN001
    person = StaffBrowser(app.test_client())
    for _ in range(5):
        assert REFUSED in page_text(person.log_in(staff["taira"].email, "wrong-password-123"))

    # Locked: even the right password is refused, with the same words.
    assert REFUSED in page_text(person.log_in(staff["taira"].email, STAFF_PASSWORD))
    clock.advance(minutes=14)
    assert REFUSED in page_text(person.log_in(staff["taira"].email, STAFF_PASSWORD))
    assert len(audit_entries("login.locked")) == 1

    clock.advance(minutes=2)
    assert person.log_in(staff["taira"].email, STAFF_PASSWORD).status_code == 302
    assert "平 太郎" in page_text(person.get("/admin/"))


def test_the_lockout_is_set_from_the_environment(make_app, clock, monkeypatch) -> None:  # noqa: ANN001
    monkeypatch.setenv("ADMIN_MAX_FAILED_LOGINS", "2")
    monkeypatch.setenv("ADMIN_LOCKOUT_MINUTES", "3")
    app = make_app(ADMIN_PASSWORD_METHOD="scrypt:1024:8:1")
    app.extensions["tsunagu_admin"].clock = clock
    member = create_staff(app, "hanako@city.example.jp", "花子", "coordinator")
    person = StaffBrowser(app.test_client())
    for _ in range(2):
        person.log_in(member.email, "wrong-password-123")

    assert REFUSED in page_text(person.log_in(member.email, member.password))
    clock.advance(minutes=4)
    assert person.log_in(member.email, member.password).status_code == 302


def test_a_successful_login_resets_the_count_of_wrong_passwords(app, staff, clock) -> None:  # noqa: ANN001
    person = StaffBrowser(app.test_client())
    for _ in range(4):
        person.log_in(staff["taira"].email, "wrong-password-123")
    person.log_in(staff["taira"].email, STAFF_PASSWORD)
    person.log_out()
    for _ in range(4):
        person.log_in(staff["taira"].email, "wrong-password-123")

    assert person.log_in(staff["taira"].email, STAFF_PASSWORD).status_code == 302


def test_an_administrator_can_unlock_an_account_early(app, staff, browser) -> None:  # noqa: ANN001
    person = StaffBrowser(app.test_client())
    for _ in range(5):
        person.log_in(staff["taira"].email, "wrong-password-123")
    admin = browser("admin")
    assert "ロック中" in page_text(admin.get(f"/admin/staff/{staff['taira'].id}"))

    admin.post(f"/admin/staff/{staff['taira'].id}/unlock")

    assert person.log_in(staff["taira"].email, STAFF_PASSWORD).status_code == 302


def test_many_failures_from_one_address_pause_logins_from_it(make_app, clock) -> None:  # noqa: ANN001
    app = make_app(ADMIN_MAX_FAILED_LOGINS_PER_IP=3, ADMIN_PASSWORD_METHOD="scrypt:1024:8:1")
    app.extensions["tsunagu_admin"].clock = clock
    member = create_staff(app, "hanako@city.example.jp", "花子", "coordinator")
    attacker = StaffBrowser(app.test_client())
    for n in range(3):
        attacker.log_in(f"guess{n}@city.example.jp", "wrong-password-123")

    response = attacker.log_in(member.email, member.password)
    assert response.status_code == 429
    assert "受け付けを一時停止しています" in page_text(response)

    # Another address is not affected, and the pause ends after the window.
    elsewhere = StaffBrowser(app.test_client())
    assert elsewhere.log_in(member.email, member.password,
                            environ_base={"REMOTE_ADDR": "192.0.2.7"}).status_code == 302
    clock.advance(minutes=16)
    assert attacker.log_in(member.email, member.password).status_code == 302


def test_a_deactivated_account_cannot_log_in(app, staff, as_admin) -> None:  # noqa: ANN001
    as_admin.post(f"/admin/staff/{staff['onahama'].id}/deactivate")

    response = StaffBrowser(app.test_client()).log_in(staff["onahama"].email, STAFF_PASSWORD)

    assert REFUSED in page_text(response)


def test_deactivating_an_account_ends_its_open_sessions(app, staff, browser, as_admin) -> None:  # noqa: ANN001
    onahama = browser("onahama")
    assert onahama.get("/admin/").status_code == 200

    as_admin.post(f"/admin/staff/{staff['onahama'].id}/deactivate")

    assert onahama.get("/admin/").status_code == 302


def test_logging_out_ends_the_session(as_centre_staff, staff, audit_entries) -> None:  # noqa: ANN001
    response = as_centre_staff.log_out()

    assert response.location == "/admin/login"
    assert "ログアウトしました。" in page_text(as_centre_staff.get("/admin/login"))
    assert as_centre_staff.get("/admin/").status_code == 302
    assert [e["actor_id"] for e in audit_entries("logout")] == [staff["taira"].id]


def test_a_session_ends_after_thirty_idle_minutes(as_centre_staff, clock, staff, audit_entries) -> None:  # noqa: ANN001
    clock.advance(minutes=29)
    assert as_centre_staff.get("/admin/").status_code == 200  # activity: the idle time starts again
    clock.advance(minutes=29)
    assert as_centre_staff.get("/admin/settings").status_code == 200

    clock.advance(minutes=31)
    response = as_centre_staff.get("/admin/settings")

    assert response.status_code == 302
    assert response.location == "/admin/login?next=/admin/settings"
    assert "一定時間操作がなかったため、ログアウトしました。" in page_text(as_centre_staff.get(response.location))
    assert as_centre_staff.get("/admin/").status_code == 302
    assert [e["actor_id"] for e in audit_entries("session.expired")] == [staff["taira"].id]


def test_the_idle_time_is_configurable(make_app, clock) -> None:  # noqa: ANN001
    app = make_app(ADMIN_IDLE_MINUTES=5, ADMIN_PASSWORD_METHOD="scrypt:1024:8:1")
    app.extensions["tsunagu_admin"].clock = clock
    member = create_staff(app, "hanako@city.example.jp", "花子", "coordinator")
    person = StaffBrowser(app.test_client())
    person.log_in(member.email, member.password)

    clock.advance(minutes=6)

    assert person.get("/admin/").status_code == 302


def test_passive_requests_such_as_polling_do_not_keep_a_session_alive(app, browser, clock) -> None:  # noqa: ANN001
    from admin.auth import passive

    # A polling endpoint of the admin blueprint, as a later page will have one.
    app.add_url_rule("/admin/test-poll", endpoint="admin.test_poll", view_func=passive(lambda: "ok"))
    as_centre_staff = browser("taira")
    assert as_centre_staff.get("/admin/test-poll").status_code == 200
    for _ in range(4):
        clock.advance(minutes=10)
        if as_centre_staff.get("/admin/test-poll").status_code != 200:
            break
    assert as_centre_staff.get("/admin/").status_code == 302


def test_a_password_set_by_an_administrator_must_be_replaced_at_first_login(app, staff, as_admin) -> None:  # noqa: ANN001
    as_admin.post(f"/admin/staff/{staff['taira'].id}/password",
                  {"reset-password": "temporary-pass-42", "reset-confirm": "temporary-pass-42"})
    person = StaffBrowser(app.test_client())
    person.log_in(staff["taira"].email, "temporary-pass-42")

    response = person.get("/admin/")
    assert response.status_code == 302 and response.location == "/admin/settings"
    assert "ご自身のパスワードに変更してください" in page_text(person.get("/admin/settings"))

    response = person.post("/admin/settings/password", {
        "password-current": "temporary-pass-42", "password-password": "my-own-secret-77",
        "password-confirm": "my-own-secret-77"})
    assert response.location == "/admin/"
    assert person.get("/admin/").status_code == 200
    person.log_out()
    assert person.log_in(staff["taira"].email, "my-own-secret-77").status_code == 302


@pytest.mark.parametrize(
    ("overrides", "secure"),
    [
        ({}, False),  # local development over http
        ({"PREFERRED_URL_SCHEME": "https"}, True),
        ({"SESSION_COOKIE_SECURE": True}, True),
        ({"PREFERRED_URL_SCHEME": "https", "SESSION_COOKIE_SECURE": False}, False),
    ],
)
def test_the_session_cookie_is_httponly_samesite_and_secure_over_https(make_app, overrides, secure) -> None:  # noqa: ANN001
    app = make_app(ADMIN_PASSWORD_METHOD="scrypt:1024:8:1", **overrides)
    member = create_staff(app, "hanako@city.example.jp", "花子", "coordinator")
    site = "https://localhost" if overrides.get("PREFERRED_URL_SCHEME") == "https" else "http://localhost"
    person = StaffBrowser(app.test_client())
    person.get("/admin/login", base_url=site)

    response = person.post("/admin/login", {"email": member.email, "password": member.password},
                           base_url=site, headers={"Referer": f"{site}/admin/login"})

    assert response.status_code == 302
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie
    assert ("Secure" in cookie) is secure
    assert "Expires=" in cookie  # the cookie itself also ends with the idle time


def test_admin_pages_forbid_caching_and_framing(as_centre_staff) -> None:  # noqa: ANN001
    response = as_centre_staff.get("/admin/")

    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    assert "script-src" not in response.headers["Content-Security-Policy"]  # default-src 'self' covers scripts


def test_the_start_page_shows_when_one_last_logged_in(app, staff, clock) -> None:  # noqa: ANN001
    first = StaffBrowser(app.test_client())
    first.log_in(staff["taira"].email, STAFF_PASSWORD)
    assert "前回のログイン" not in page_text(first.get("/admin/"))  # the first login ever

    clock.advance(days=1)
    second = StaffBrowser(app.test_client())
    second.log_in(staff["taira"].email, STAFF_PASSWORD)

    expected = (clock.now - timedelta(days=1)).astimezone(timezone(timedelta(hours=9))).strftime("%Y/%m/%d %-H:%M")
    assert f"前回のログイン：{expected}" in page_text(second.get("/admin/"))
