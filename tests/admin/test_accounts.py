"""Administrators manage staff accounts: create, change, deactivate, reset passwords."""
from __future__ import annotations

import re

import pytest

from tests.admin.conftest import STAFF_PASSWORD
from tests.admin.support import StaffBrowser, page_text


def _account_id(response) -> int:  # noqa: ANN001
    return int(re.fullmatch(r"/admin/staff/(\d+)", response.location).group(1))


def test_an_administrator_creates_a_centre_staff_account_who_can_then_log_in(
        app, as_admin, staff, audit_entries) -> None:  # noqa: ANN001
    form = as_admin.get("/admin/staff/new")
    assert "平地区保健福祉センター" in page_text(form)  # the city's centres are offered

    response = as_admin.post("/admin/staff/new", {
        "name": "  内郷 次郎 ", "email": "Jiro@City.example.jp", "role": "centre_staff",
        "centres": ["uchigo_yoshima_miwa", "taira"], "password": "first-password-1"})

    new_id = _account_id(response)
    page = page_text(as_admin.get(response.location))
    assert "職員アカウントを作成しました。" in page
    assert "内郷 次郎" in page
    listing = page_text(as_admin.get("/admin/staff/"))
    assert "jiro@city.example.jp" in listing
    assert "平、内郷・好間・三和" in listing or "内郷・好間・三和、平" in listing
    [entry] = audit_entries("staff.create")
    assert entry["actor_id"] == staff["admin"].id
    assert entry["target"] == ("staff_accounts", str(new_id))
    assert entry["details"] == {"role": "centre_staff", "centres": ["taira", "uchigo_yoshima_miwa"]}

    jiro = StaffBrowser(app.test_client())
    jiro.log_in("jiro@city.example.jp", "first-password-1")
    assert jiro.get("/admin/").location == "/admin/settings"  # must choose their own password first


def test_a_new_account_is_refused_with_reasons_the_administrator_can_act_on(as_admin, staff) -> None:  # noqa: ANN001
    cases = [
        ({"name": "", "email": "a@city.example.jp", "role": "coordinator", "password": "first-password-1"},
         "入力してください。"),
        ({"name": "A", "email": "taira@city.example.jp", "role": "coordinator", "password": "first-password-1"},
         "このメールアドレスは、ほかの職員アカウントで使われています。"),
        ({"name": "A", "email": "not-an-address", "role": "coordinator", "password": "first-password-1"},
         "メールアドレスの形式が正しくありません。"),
        ({"name": "A", "email": "a@city.example.jp", "role": "centre_staff", "password": "first-password-1"},
         "センター職員は、所属センターを1つ以上選んでください。"),
        ({"name": "A", "email": "a@city.example.jp", "role": "coordinator", "password": "short"},
         "パスワードは12文字以上、128文字以内にしてください。"),
        ({"name": "A", "email": "a@city.example.jp", "role": "coordinator", "password": "first-password-1",
          "centres": "atlantis"}, "'atlantis'"),  # WTForms' own message (its Japanese catalog lacks it)
        ({"name": "A", "email": "a@city.example.jp", "role": "superuser", "password": "first-password-1"},
         "選択肢が正しくありません。"),  # WTForms' Japanese catalog
    ]
    for fields, message in cases:
        response = as_admin.post("/admin/staff/new", fields)
        assert response.status_code == 200, fields
        assert message in page_text(response), fields
    assert "a@city.example.jp" not in page_text(as_admin.get("/admin/staff/")).split()


def test_an_administrator_changes_role_and_centres(as_admin, staff, browser, audit_entries) -> None:  # noqa: ANN001
    taira_id = staff["taira"].id

    response = as_admin.post(f"/admin/staff/{taira_id}", {
        "name": "平 太郎", "email": "taira@city.example.jp", "role": "centre_staff",
        "centres": ["taira", "onahama"]})

    assert response.location == f"/admin/staff/{taira_id}"
    assert "変更を保存しました。" in page_text(as_admin.get(response.location))
    home = page_text(browser("taira").get("/admin/"))
    assert "小名浜地区保健福祉センター" in home and "平地区保健福祉センター" in home
    [entry] = audit_entries("staff.update")
    assert entry["details"] == {"fields": ["centres"], "role": "centre_staff", "centres": ["onahama", "taira"]}
    assert "平 太郎" not in repr(entry)  # names are not copied into the audit log


def test_the_last_administrator_cannot_be_demoted_or_deactivated(as_admin, staff, audit_entries) -> None:  # noqa: ANN001
    admin_id = staff["admin"].id

    response = as_admin.post(f"/admin/staff/{admin_id}", {
        "name": "管理 さくら", "email": "admin@city.example.jp", "role": "coordinator"})
    assert "有効な管理者がいなくなるため、この変更はできません。" in page_text(response)
    assert as_admin.get("/admin/staff/").status_code == 200  # still an administrator

    response = as_admin.post(f"/admin/staff/{admin_id}/deactivate")
    assert "ご自身のアカウントは無効にできません。" in page_text(as_admin.get(response.location))
    assert audit_entries("staff.update") == [] and audit_entries("staff.deactivate") == []


def test_deactivated_accounts_can_be_reactivated(app, as_admin, staff, audit_entries) -> None:  # noqa: ANN001
    onahama_id = staff["onahama"].id
    as_admin.post(f"/admin/staff/{onahama_id}/deactivate")
    page = page_text(as_admin.get(f"/admin/staff/{onahama_id}"))
    assert "無効" in page and "アカウントを再び有効にする" in page

    as_admin.post(f"/admin/staff/{onahama_id}/reactivate")

    person = StaffBrowser(app.test_client())
    assert person.log_in(staff["onahama"].email, STAFF_PASSWORD).status_code == 302
    assert [e["action"] for e in audit_entries() if e["target"] == ("staff_accounts", str(onahama_id))
            and e["action"].startswith("staff.")] == ["staff.deactivate", "staff.view", "staff.reactivate"]


def test_a_password_reset_ends_the_owners_sessions(app, as_admin, staff, browser, audit_entries) -> None:  # noqa: ANN001
    taira = browser("taira")

    response = as_admin.post(f"/admin/staff/{staff['taira'].id}/password",
                             {"reset-password": "temporary-pass-1", "reset-confirm": "temporary-pass-1"})

    assert "パスワードを再設定しました。" in page_text(as_admin.get(response.location))
    assert taira.get("/admin/").status_code == 302
    assert StaffBrowser(app.test_client()).log_in(staff["taira"].email, STAFF_PASSWORD).status_code == 200
    assert len(audit_entries("staff.password_reset")) == 1


def test_a_mistyped_password_reset_is_refused(as_admin, staff) -> None:  # noqa: ANN001
    response = as_admin.post(f"/admin/staff/{staff['taira'].id}/password",
                             {"reset-password": "temporary-pass-1", "reset-confirm": "temporary-pass-2"})

    assert response.status_code == 200
    assert "確認のパスワードが一致しません。" in page_text(response)


def test_viewing_accounts_is_audited(as_admin, staff, audit_entries) -> None:  # noqa: ANN001
    as_admin.get("/admin/staff/")
    as_admin.get(f"/admin/staff/{staff['coordinator'].id}")

    assert audit_entries("staff.list")[0]["details"] == {"count": 4}
    assert audit_entries("staff.view")[0]["target"] == ("staff_accounts", str(staff["coordinator"].id))


def test_untrusted_text_is_shown_escaped(app, as_admin, staff) -> None:  # noqa: ANN001
    evil = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    response = as_admin.post("/admin/staff/new", {
        "name": evil, "email": "evil@city.example.jp", "role": "coordinator", "password": "first-password-1"})
    evil_id = _account_id(response)
    evil_browser = StaffBrowser(app.test_client())
    evil_browser.log_in("evil@city.example.jp", "first-password-1")
    evil_browser.post("/admin/settings/password", {
        "password-current": "first-password-1", "password-password": "second-password-2",
        "password-confirm": "second-password-2"})

    pages = [
        as_admin.get("/admin/staff/"),
        as_admin.get(f"/admin/staff/{evil_id}"),
        as_admin.get("/admin/audit/"),
        evil_browser.get("/admin/"),
        as_admin.get("/admin/audit/", query_string={"action": '"><script>alert(2)</script>'}),
    ]
    for response in pages:
        html = response.get_data(as_text=True)
        assert "<script>" not in html and "<img src=x" not in html, response.request.path
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in pages[0].get_data(as_text=True)


REFUSED = "メールアドレスまたはパスワードが正しくありません"
WEAK = [
    ("aaaaaaaaaaaa", "推測されやすいため使えません"),
    ("password1234", "推測されやすいため使えません"),
    ("taira-taira-2026", "ご本人に関わる言葉をもとにしたパスワードは使えません"),  # their email and centre
]


@pytest.mark.parametrize(("password", "reason"), WEAK)
def test_easily_guessed_passwords_are_refused_wherever_a_password_is_set(
        app, as_admin, staff, password, reason) -> None:  # noqa: ANN001
    taira = staff["taira"]
    created = as_admin.post("/admin/staff/new", {
        "name": "平 次郎", "email": "taira.jiro@city.example.jp", "role": "centre_staff",
        "centres": ["taira"], "password": password})
    assert reason in page_text(created)

    reset = as_admin.post(f"/admin/staff/{taira.id}/password",
                          {"reset-password": password, "reset-confirm": password})
    assert reason in page_text(reset)

    person = StaffBrowser(app.test_client())
    person.log_in(taira.email, STAFF_PASSWORD)
    own = person.post("/admin/settings/password", {
        "password-current": STAFF_PASSWORD, "password-password": password, "password-confirm": password})
    assert reason in page_text(own)
    person.log_out()
    assert REFUSED in page_text(StaffBrowser(app.test_client()).log_in(taira.email, password))  # nothing changed

    result = app.test_cli_runner().invoke(args=[
        "create-staff", "--email", "taira.jiro@city.example.jp", "--name", "平 次郎", "--role", "centre_staff",
        "--centre", "taira"], env={"TSUNAGU_STAFF_PASSWORD": password})
    assert result.exit_code != 0 and reason in result.output


def test_the_password_policy_speaks_english_to_staff_who_chose_it(app, as_admin, staff) -> None:  # noqa: ANN001
    as_admin.post("/admin/settings", {"locale-locale": "en"})

    response = as_admin.post(f"/admin/staff/{staff['taira'].id}/password",
                             {"reset-password": "password1234", "reset-confirm": "password1234"})

    assert "This password is too easy to guess." in page_text(response)


def test_a_strong_password_is_accepted_and_never_has_to_be_changed_later(app, as_admin, staff, clock) -> None:  # noqa: ANN001
    as_admin.post(f"/admin/staff/{staff['taira'].id}/password",
                  {"reset-password": "kettle-umbrella-seventeen", "reset-confirm": "kettle-umbrella-seventeen"})
    person = StaffBrowser(app.test_client())
    person.log_in(staff["taira"].email, "kettle-umbrella-seventeen")
    person.post("/admin/settings/password", {"password-current": "kettle-umbrella-seventeen",
                                             "password-password": "quiet-lantern-harbour-9",
                                             "password-confirm": "quiet-lantern-harbour-9"})
    person.log_out()

    clock.advance(days=400)  # no forced periodic change

    later = StaffBrowser(app.test_client())
    assert later.log_in(staff["taira"].email, "quiet-lantern-harbour-9").status_code == 302
    assert later.get("/admin/").status_code == 200
