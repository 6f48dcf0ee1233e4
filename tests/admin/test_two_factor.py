"""The second factor: codes from an authenticator app, recovery codes, enrolment and resets."""
from __future__ import annotations

import logging
import re

import pyotp
from sqlalchemy import select

from bot.models import StaffAccount
from tests.admin.conftest import FAST_HASHING, STAFF_PASSWORD, create_staff
from tests.admin.support import StaffBrowser, authenticator_code, page_text

WRONG_CODE = "確認コードが正しくありません"


def _stored(app, email: str) -> str | None:  # noqa: ANN001
    """The secret as the database holds it."""
    with app.extensions["tsunagu"].db.transaction() as session:
        account = session.scalars(select(StaffAccount).where(StaffAccount.email == email)).one()
        return account.totp_secret or account.totp_pending_secret


def _secret(app, email: str) -> str | None:  # noqa: ANN001
    """The secret the authenticator app was given (the QR code)."""
    stored = _stored(app, email)
    return app.extensions["tsunagu_admin"].secrets.open(stored) if stored else None


def _password_step(app, email: str, password: str = STAFF_PASSWORD) -> StaffBrowser:  # noqa: ANN001
    person = StaffBrowser(app.test_client())
    response = person.enter_password(email, password)
    assert response.status_code == 302 and response.location.startswith("/admin/login/code"), response.location
    return person


def _recovery_codes(response) -> list[str]:  # noqa: ANN001
    return re.findall(r"<code>([a-z2-9]{5}-[a-z2-9]{5})</code>", response.get_data(as_text=True))


def test_a_coordinator_must_set_up_the_second_factor_at_first_login_and_can_do_nothing_else(
        app, clock, audit_entries, caplog) -> None:  # noqa: ANN001
    caplog.set_level(logging.DEBUG)
    member = create_staff(app, "hanako@city.example.jp", "花子", "coordinator", enrol=False)
    person = StaffBrowser(app.test_client())
    assert person.log_in(member.email, member.password).status_code == 302

    for page in ("/admin/", "/admin/records/", "/admin/settings", "/admin/events/"):
        assert person.get(page).location == "/admin/settings/two-factor", page
    enrolment = person.get("/admin/settings/two-factor")
    text = page_text(enrolment)
    assert "二段階認証の設定が必要です" in text
    assert "<svg" in enrolment.get_data(as_text=True)  # the QR code, inline
    secret = _secret(app, member.email)
    assert " ".join(secret[i:i + 4] for i in range(0, len(secret), 4)) in text  # the key, to type in by hand

    wrong = person.post("/admin/settings/two-factor", {"enrol-code": "000000"})
    assert WRONG_CODE in page_text(wrong)
    done = person.post("/admin/settings/two-factor",
                       {"enrol-code": pyotp.TOTP(secret).at(clock.now)})
    assert "二段階認証を設定しました。" in page_text(done)
    assert len(set(_recovery_codes(done))) == 10
    assert person.get("/admin/").status_code == 200
    assert [e["actor_id"] for e in audit_entries("settings.two_factor_on")] == [member.id]

    # The secret and the recovery codes are in no log line and no audit entry.
    assert secret not in caplog.text and secret not in repr(audit_entries())
    assert not any(code in caplog.text for code in _recovery_codes(done))


def test_logging_in_asks_for_the_apps_code_after_the_password(app, staff, audit_entries) -> None:  # noqa: ANN001
    coordinator = staff["coordinator"]
    person = _password_step(app, coordinator.email)
    assert person.get("/admin/").status_code == 302  # not logged in yet
    assert "認証アプリに表示されている6桁の数字" in page_text(person.get("/admin/login/code"))

    wrong = person.post("/admin/login/code", {"code": "123456"})
    assert WRONG_CODE in page_text(wrong)
    assert audit_entries("login.failure")[-1]["details"] == {"reason": "code"}

    code = authenticator_code(app, coordinator.email)
    response = person.post("/admin/login/code", {"code": code})
    assert response.status_code == 302 and response.location == "/admin/"
    assert person.get("/admin/").status_code == 200
    assert audit_entries("login.success")[-1]["details"] == {"second_factor": "totp"}
    person.log_out()

    # A code works once: someone who saw it cannot use it again.
    replay = _password_step(app, coordinator.email)
    assert WRONG_CODE in page_text(replay.post("/admin/login/code", {"code": code}))


def test_the_code_step_needs_the_password_step_first_and_expires(app, staff, clock) -> None:  # noqa: ANN001
    stranger = StaffBrowser(app.test_client())
    response = stranger.get("/admin/login/code")
    assert response.status_code == 302 and response.location.startswith("/admin/login")

    person = _password_step(app, staff["admin"].email)
    clock.advance(minutes=6)
    response = person.post("/admin/login/code", {"code": authenticator_code(app, staff["admin"].email)})
    assert response.status_code == 302 and response.location.startswith("/admin/login")
    assert person.get("/admin/").status_code == 302


def test_wrong_codes_are_slowed_like_wrong_passwords(app, staff) -> None:  # noqa: ANN001
    person = _password_step(app, staff["coordinator"].email)
    for n in range(5):
        assert WRONG_CODE in page_text(person.post("/admin/login/code", {"code": f"00000{n}"}))

    response = person.post("/admin/login/code", {"code": authenticator_code(app, staff["coordinator"].email)})

    assert response.status_code == 429


def test_a_recovery_code_replaces_the_app_once(app, clock, audit_entries) -> None:  # noqa: ANN001
    member = create_staff(app, "hanako@city.example.jp", "花子", "admin", enrol=False)
    person = StaffBrowser(app.test_client())
    person.log_in(member.email, member.password)
    codes = _recovery_codes(person.enrol(member.email))
    person.log_out()

    first = _password_step(app, member.email)
    response = first.post("/admin/login/code", {"code": codes[0].upper().replace("-", " ")})  # typed loosely
    assert response.status_code == 302
    assert "回復コードを1つ使いました" in page_text(first.get("/admin/"))
    assert audit_entries("login.success")[-1]["details"] == {"second_factor": "recovery_code"}
    assert "使っていない回復コード：9個" in page_text(first.get("/admin/settings/two-factor"))
    first.log_out()

    again = _password_step(app, member.email)
    assert WRONG_CODE in page_text(again.post("/admin/login/code", {"code": codes[0]}))
    assert again.post("/admin/login/code", {"code": codes[1]}).status_code == 302


def test_new_recovery_codes_replace_the_old_ones(app, staff) -> None:  # noqa: ANN001
    admin = staff["admin"]
    person = StaffBrowser(app.test_client())
    person.log_in(admin.email, admin.password)
    old = _recovery_codes(person.post("/admin/settings/two-factor/recovery-codes",
                                      {"codes-code": authenticator_code(app, admin.email)}))
    new = _recovery_codes(person.post("/admin/settings/two-factor/recovery-codes",
                                      {"codes-code": authenticator_code(app, admin.email)}))
    person.log_out()

    assert len(old) == len(new) == 10 and not set(old) & set(new)
    step = _password_step(app, admin.email)
    assert WRONG_CODE in page_text(step.post("/admin/login/code", {"code": old[0]}))
    assert step.post("/admin/login/code", {"code": new[0]}).status_code == 302


def test_an_administrator_resets_a_colleagues_second_factor(app, staff, browser, as_admin, audit_entries) -> None:  # noqa: ANN001
    coordinator = browser("coordinator")
    assert coordinator.get("/admin/").status_code == 200
    lost = _secret(app, staff["coordinator"].email)
    page = page_text(as_admin.get(f"/admin/staff/{staff['coordinator'].id}"))
    assert "二段階認証あり" in page

    as_admin.post(f"/admin/staff/{staff['coordinator'].id}/two-factor/reset")

    assert coordinator.get("/admin/").status_code == 302  # their sessions ended
    [entry] = audit_entries("staff.two_factor_reset")
    assert entry["actor_id"] == staff["admin"].id
    assert entry["target"] == ("staff_accounts", str(staff["coordinator"].id))
    # At the next login, the password alone opens only the enrolment page.
    again = StaffBrowser(app.test_client())
    assert again.log_in(staff["coordinator"].email, STAFF_PASSWORD).status_code == 302
    assert again.get("/admin/records/").location == "/admin/settings/two-factor"
    again.get("/admin/settings/two-factor")
    assert _secret(app, staff["coordinator"].email) not in (None, lost)  # a new secret is offered
    # Nobody resets their own this way.
    as_admin.post(f"/admin/staff/{staff['admin'].id}/two-factor/reset")
    assert len(audit_entries("staff.two_factor_reset")) == 1
    # And only administrators can.
    assert browser("taira").post(
        f"/admin/staff/{staff['admin'].id}/two-factor/reset").status_code == 403


def test_centre_staff_may_use_the_second_factor_or_not(app, staff, clock) -> None:  # noqa: ANN001
    taira = staff["taira"]
    person = StaffBrowser(app.test_client())
    response = person.log_in(taira.email, taira.password)
    assert response.status_code == 302 and response.location == "/admin/"  # no code asked for
    assert person.get("/admin/records/").status_code == 200
    assert "二段階認証を使うと" in page_text(person.get("/admin/settings/two-factor"))

    person.enrol(taira.email)
    person.log_out()
    assert _password_step(app, taira.email)  # now a code is asked for

    person = StaffBrowser(app.test_client())
    person.log_in(taira.email, taira.password)
    refused = person.post("/admin/settings/two-factor/off", {"off-code": "000000"})
    assert WRONG_CODE in page_text(person.get(refused.location))
    person.post("/admin/settings/two-factor/off", {"off-code": authenticator_code(app, taira.email)})
    person.log_out()
    assert StaffBrowser(app.test_client()).log_in(taira.email, taira.password).location == "/admin/"


def test_coordinators_cannot_turn_the_second_factor_off(app, staff) -> None:  # noqa: ANN001
    coordinator = staff["coordinator"]
    person = StaffBrowser(app.test_client())
    person.log_in(coordinator.email, coordinator.password)

    response = person.post("/admin/settings/two-factor/off", {"off-code": authenticator_code(app, coordinator.email)})

    assert "二段階認証を止めることはできません" in page_text(person.get(response.location))
    assert _secret(app, coordinator.email) is not None


def test_a_life_support_coordinator_must_set_up_the_second_factor_before_seeing_residents_details(app) -> None:  # noqa: ANN001
    # The SC reads requesters' and supporters' names and phone numbers across their areas.
    member = create_staff(app, "sc@city.example.jp", "支援 一子", "life_support", ("taira",), enrol=False)
    person = StaffBrowser(app.test_client())
    assert person.log_in(member.email, member.password).status_code == 302
    for page in ("/admin/", "/admin/mutual-aid", "/admin/mutual-aid/supporters"):
        assert person.get(page).location == "/admin/settings/two-factor", page
    assert "二段階認証の設定が必要です" in page_text(person.get("/admin/settings/two-factor"))


def test_the_database_holds_the_secret_sealed_and_an_old_plain_one_is_sealed_at_the_next_login(
        app, clock) -> None:  # noqa: ANN001
    member = create_staff(app, "sealed@city.example.jp", "花子", "coordinator")
    stored, secret = _stored(app, member.email), _secret(app, member.email)
    assert stored.startswith("f1:") and secret not in stored  # a copy of the database gives no codes
    # A secret kept before sealing (migration 0028 has no key to seal with) still works, and is sealed then.
    with app.extensions["tsunagu"].db.transaction() as session:
        session.scalars(select(StaffAccount).where(StaffAccount.email == member.email)).one().totp_secret = secret
    assert StaffBrowser(app.test_client()).log_in(member.email, member.password).status_code == 302
    assert _stored(app, member.email).startswith("f1:") and _secret(app, member.email) == secret


def test_with_another_secret_key_the_code_is_refused_not_skipped(app, make_app, clock) -> None:  # noqa: ANN001
    member = create_staff(app, "moved@city.example.jp", "花子", "coordinator")
    secret = _secret(app, member.email)
    other = make_app(SECRET_KEY="another-secret-key", **FAST_HASHING)
    person = StaffBrowser(other.test_client())
    response = person.enter_password(member.email, member.password)
    assert response.location.startswith("/admin/login/code")  # still asked for the second factor
    refused = person.post(response.location, {"code": pyotp.TOTP(secret).now()})  # that app runs on the real clock
    assert WRONG_CODE in page_text(refused)
