"""Logging in and out: passwords, login delays, server-side and idle sessions, and the session cookie."""
from __future__ import annotations

import re
from datetime import timedelta, timezone

import pytest

from tests.admin.conftest import STAFF_PASSWORD, create_staff
from tests.admin.support import StaffBrowser, page_text, table_rows

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


def _wait_seconds(response) -> int:  # noqa: ANN001
    """The wait a refused login asks for, in seconds (0: it was not refused for being too early)."""
    if response.status_code != 429:
        return 0
    match = re.search(r"(\d+)秒ほどたってから", page_text(response))
    assert match, page_text(response)
    return int(match.group(1))


def test_wrong_passwords_make_each_next_attempt_wait_longer_but_never_lock(app, staff, clock, audit_entries) -> None:  # noqa: ANN001
    attacker = {"environ_base": {"REMOTE_ADDR": "198.51.100.9"}}
    for _ in range(5):
        assert REFUSED in page_text(StaffBrowser(app.test_client()).log_in(staff["taira"].email,
                                                                        "wrong-password-123", **attacker))

    # Too early: refused without looking at the password, saying how long to wait.
    response = StaffBrowser(app.test_client()).log_in(staff["taira"].email, STAFF_PASSWORD, **attacker)
    assert response.status_code == 429 and _wait_seconds(response) == 15
    assert audit_entries("login.failure")[-1]["details"] == {"reason": "delayed", "seconds": 15}

    waits = []
    for _ in range(6):
        clock.advance(seconds=_wait_seconds(StaffBrowser(app.test_client()).log_in(
            staff["taira"].email, "wrong-password-123", **attacker)) or 0)
        response = StaffBrowser(app.test_client()).log_in(staff["taira"].email, "wrong-password-123", **attacker)
        assert REFUSED in page_text(response)
        waits.append(_wait_seconds(StaffBrowser(app.test_client()).log_in(
            staff["taira"].email, STAFF_PASSWORD, **attacker)))
    assert waits == [30, 60, 120, 240, 300, 300]  # doubling, never more than five minutes

    clock.advance(minutes=5)
    assert StaffBrowser(app.test_client()).log_in(staff["taira"].email, STAFF_PASSWORD,
                                                  **attacker).status_code == 302
    assert not audit_entries("login.locked")


def test_an_attacker_cannot_keep_the_owner_out_of_their_account(app, staff, clock) -> None:  # noqa: ANN001
    owner = StaffBrowser(app.test_client())  # the owner's usual browser, which logged in before
    assert owner.log_in(staff["coordinator"].email, STAFF_PASSWORD,
                        environ_base={"REMOTE_ADDR": "192.0.2.10"}).status_code == 302
    owner.log_out()

    def attack(minutes: int) -> None:
        """Someone who knows the address guesses from anywhere, every twelve seconds."""
        for n in range(minutes * 5):
            StaffBrowser(app.test_client()).log_in(staff["coordinator"].email, f"guess-{n}-wrong",
                                                   environ_base={"REMOTE_ADDR": f"198.51.100.{n % 250}"})
            clock.advance(seconds=12)

    attack(minutes=10)
    # From a browser never used before, the owner waits at most the longest delay ...
    elsewhere = StaffBrowser(app.test_client())
    wait = _wait_seconds(elsewhere.log_in(staff["coordinator"].email, STAFF_PASSWORD,
                                          environ_base={"REMOTE_ADDR": "203.0.113.78"}))
    assert wait <= 300
    clock.advance(seconds=wait)
    assert elsewhere.log_in(staff["coordinator"].email, STAFF_PASSWORD,
                            environ_base={"REMOTE_ADDR": "203.0.113.78"}).status_code == 302

    attack(minutes=10)
    assert _wait_seconds(StaffBrowser(app.test_client()).log_in(staff["coordinator"].email, STAFF_PASSWORD)) > 0
    # ... and from their own browser they are not slowed at all, from any address.
    assert owner.log_in(staff["coordinator"].email, STAFF_PASSWORD,
                        environ_base={"REMOTE_ADDR": "203.0.113.77"}).status_code == 302
    assert owner.get("/admin/").status_code == 200


def test_failures_behind_one_office_address_do_not_keep_colleagues_out(app, staff, clock) -> None:  # noqa: ANN001
    office = {"environ_base": {"REMOTE_ADDR": "203.0.113.5"}}  # the whole office behind one NAT
    colleague = StaffBrowser(app.test_client())
    assert colleague.log_in(staff["onahama"].email, STAFF_PASSWORD, **office).status_code == 302
    colleague.log_out()

    for n in range(25):
        StaffBrowser(app.test_client()).log_in(f"guess{n}@city.example.jp", "wrong-password-123", **office)

    # A colleague at their usual browser logs in at once; on a new one, after a short wait.
    assert colleague.log_in(staff["onahama"].email, STAFF_PASSWORD, **office).status_code == 302
    newcomer = StaffBrowser(app.test_client())
    wait = _wait_seconds(newcomer.log_in(staff["taira"].email, STAFF_PASSWORD, **office))
    assert 0 < wait <= 60
    clock.advance(seconds=wait)
    assert newcomer.log_in(staff["taira"].email, STAFF_PASSWORD, **office).status_code == 302
    # Another address was never affected.
    assert StaffBrowser(app.test_client()).log_in(staff["admin"].email, STAFF_PASSWORD).status_code == 302


def test_guessing_one_account_is_slowed_to_a_few_attempts_an_hour(app, staff, clock) -> None:  # noqa: ANN001
    checked_per_hour = []
    for _hour in range(2):
        checked = 0
        for n in range(120):  # an attempt every thirty seconds, each from a new address and browser
            response = StaffBrowser(app.test_client()).log_in(
                staff["taira"].email, "wrong-password-123", environ_base={"REMOTE_ADDR": f"10.0.{_hour}.{n}"})
            checked += response.status_code == 200  # 429: refused before the password was looked at
            clock.advance(seconds=30)
        checked_per_hour.append(checked)

    assert checked_per_hour[0] <= 25  # 5 free, then 15 s, 30 s ... up to 5 minutes between attempts
    assert checked_per_hour[1] <= 12  # one attempt every five minutes at most


def test_the_delays_are_set_from_the_environment(make_app, clock, monkeypatch) -> None:  # noqa: ANN001
    monkeypatch.setenv("ADMIN_MAX_FAILED_LOGINS", "2")
    monkeypatch.setenv("ADMIN_LOGIN_DELAY_SECONDS", "40")
    monkeypatch.setenv("ADMIN_LOGIN_MAX_DELAY_MINUTES", "1")
    app = make_app(ADMIN_PASSWORD_METHOD="scrypt:1024:8:1")
    app.extensions["tsunagu_admin"].clock = clock
    member = create_staff(app, "hanako@city.example.jp", "花子", "centre_staff", ("taira",))
    for _ in range(2):
        StaffBrowser(app.test_client()).log_in(member.email, "wrong-password-123")

    assert _wait_seconds(StaffBrowser(app.test_client()).log_in(member.email, member.password)) == 40
    clock.advance(seconds=40)
    StaffBrowser(app.test_client()).log_in(member.email, "wrong-password-123")
    assert _wait_seconds(StaffBrowser(app.test_client()).log_in(member.email, member.password)) == 60
    clock.advance(seconds=60)
    assert StaffBrowser(app.test_client()).log_in(member.email, member.password).status_code == 302


def test_unknown_addresses_are_slowed_like_real_accounts(app, staff) -> None:  # noqa: ANN001
    waits = {}
    for email in (staff["taira"].email, "nobody@city.example.jp"):
        for _ in range(5):
            StaffBrowser(app.test_client()).log_in(email, "wrong-password-123",
                                                   environ_base={"REMOTE_ADDR": "198.51.100.1"})
        waits[email] = _wait_seconds(StaffBrowser(app.test_client()).log_in(
            email, "wrong-password-123", environ_base={"REMOTE_ADDR": "198.51.100.2"}))

    assert set(waits.values()) == {15}  # the delay does not tell which accounts exist


def test_a_successful_login_resets_the_count_of_wrong_passwords(app, staff, clock) -> None:  # noqa: ANN001
    person = StaffBrowser(app.test_client())
    for _ in range(4):
        person.log_in(staff["taira"].email, "wrong-password-123")
    person.log_in(staff["taira"].email, STAFF_PASSWORD)
    person.log_out()
    for _ in range(4):
        StaffBrowser(app.test_client()).log_in(staff["taira"].email, "wrong-password-123")

    assert StaffBrowser(app.test_client()).log_in(staff["taira"].email, STAFF_PASSWORD).status_code == 302


def test_an_administrator_sees_login_delays_and_lifts_them(app, staff, browser, audit_entries) -> None:  # noqa: ANN001
    for _ in range(5):
        StaffBrowser(app.test_client()).log_in(staff["taira"].email, "wrong-password-123",
                                               environ_base={"REMOTE_ADDR": "198.51.100.66"})
    for n in range(20):
        StaffBrowser(app.test_client()).log_in(f"guess{n}@city.example.jp", "wrong-password-123",
                                               environ_base={"REMOTE_ADDR": "198.51.100.66"})
    admin = browser("admin")
    assert "ログイン待機中" in page_text(admin.get(f"/admin/staff/{staff['taira'].id}"))
    rows = table_rows(admin.get("/admin/staff/"))
    assert any("アカウント：平 太郎" in row and " 5 " in f" {row} " for row in rows), rows
    assert any("接続元：198.51.100.66" in row and " 20 " in f" {row} " for row in rows), rows

    admin.post(f"/admin/staff/{staff['taira'].id}/unlock")
    admin.post("/admin/staff/login-delays/clear", {"kind": "address", "value": "198.51.100.66"})

    assert StaffBrowser(app.test_client()).log_in(staff["taira"].email, STAFF_PASSWORD,
                                                  environ_base={"REMOTE_ADDR": "198.51.100.66"}).status_code == 302
    assert [e["target"] for e in audit_entries("staff.unlock")] == [("staff_accounts", str(staff["taira"].id))]
    [cleared] = audit_entries("login.delay_cleared")
    assert cleared["details"] == {"kind": "address", "address": "198.51.100.66"}
    assert cleared["actor_id"] == staff["admin"].id


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


def test_passive_requests_such_as_polling_do_not_keep_a_session_alive(app, clock) -> None:  # noqa: ANN001
    from admin.auth import passive

    # A polling endpoint of the admin blueprint, as a later page will have one.
    app.add_url_rule("/admin/test-poll", endpoint="admin.test_poll", view_func=passive(lambda: "ok"))
    member = create_staff(app, "hanako@city.example.jp", "花子", "centre_staff", ("taira",))
    as_centre_staff = StaffBrowser(app.test_client())
    as_centre_staff.log_in(member.email, member.password)
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
    member = create_staff(app, "hanako@city.example.jp", "花子", "centre_staff", ("taira",))
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


def test_a_cookie_copied_before_logout_opens_nothing_after_logout(app, staff, browser, audit_entries) -> None:  # noqa: ANN001
    from tests.admin.records_support import submit_record

    record_id, _ = submit_record(app)
    coordinator = browser("coordinator")
    assert coordinator.get(f"/admin/records/{record_id}").status_code == 200
    cookie_name = app.config["SESSION_COOKIE_NAME"]
    copied = coordinator.client.get_cookie(cookie_name).value  # e.g. taken from a shared computer
    views = len(audit_entries("records.view"))

    coordinator.log_out()

    thief = app.test_client()
    thief.set_cookie(cookie_name, copied)
    response = thief.get(f"/admin/records/{record_id}")
    assert response.status_code == 302 and response.location.startswith("/admin/login")
    assert thief.get("/admin/").status_code == 302
    assert len(audit_entries("records.view")) == views


def test_changing_ones_password_ends_ones_other_sessions_but_keeps_this_one(app, staff) -> None:  # noqa: ANN001
    office, home = StaffBrowser(app.test_client()), StaffBrowser(app.test_client())
    for person in (office, home):
        assert person.log_in(staff["taira"].email, STAFF_PASSWORD).status_code == 302
    copied = app.test_client()
    copied.set_cookie(app.config["SESSION_COOKIE_NAME"],
                      office.client.get_cookie(app.config["SESSION_COOKIE_NAME"]).value)

    response = office.post("/admin/settings/password", {
        "password-current": STAFF_PASSWORD, "password-password": "quiet-lantern-harbour-9",
        "password-confirm": "quiet-lantern-harbour-9"})

    assert response.location == "/admin/"
    assert "ほかの端末でのログインは終了しました" in page_text(office.get("/admin/"))
    assert office.get("/admin/settings").status_code == 200
    assert home.get("/admin/").status_code == 302
    # The session kept is this browser's; a cookie copied from it earlier still names it (same session).
    assert copied.get("/admin/").status_code == 200


def test_a_password_reset_by_an_administrator_ends_every_session_at_once(app, staff, browser, as_admin) -> None:  # noqa: ANN001
    onahama = browser("onahama")
    assert onahama.get("/admin/").status_code == 200

    as_admin.post(f"/admin/staff/{staff['onahama'].id}/password",
                  {"reset-password": "kettle-umbrella-seventeen", "reset-confirm": "kettle-umbrella-seventeen"})

    assert onahama.get("/admin/").status_code == 302


def test_sessions_are_rows_that_end_with_the_session(app, staff, clock) -> None:  # noqa: ANN001
    from sqlalchemy import func, select

    from bot.models import StaffSession

    def open_sessions() -> int:
        with app.extensions["tsunagu"].db.transaction() as session:
            return session.scalar(select(func.count()).select_from(StaffSession))

    person = StaffBrowser(app.test_client())
    person.log_in(staff["taira"].email, STAFF_PASSWORD)
    assert open_sessions() == 1
    person.log_out()
    assert open_sessions() == 0

    StaffBrowser(app.test_client()).log_in(staff["taira"].email, STAFF_PASSWORD)  # then the browser is closed
    clock.advance(minutes=40)
    StaffBrowser(app.test_client()).log_in(staff["onahama"].email, STAFF_PASSWORD)
    assert open_sessions() == 1  # the idle one was cleared away


def test_a_forged_known_browser_cookie_is_ignored(app, staff) -> None:  # noqa: ANN001
    from admin.throttle import KNOWN_BROWSER_COOKIE

    for _ in range(5):
        StaffBrowser(app.test_client()).log_in(staff["taira"].email, "wrong-password-123")
    forger = StaffBrowser(app.test_client())
    for forged in ("garbage", '{"d": "x", "a": [1]}', "eyJkIjoieCIsImEiOlsxXX0.forged.signature"):
        forger.client.set_cookie(KNOWN_BROWSER_COOKIE, forged, path="/admin/")
        assert forger.log_in(staff["taira"].email, STAFF_PASSWORD).status_code == 429
