"""Every form of the admin view refuses a request without its CSRF token; the webhook needs none.

All tests here share one app (``site``); the database is put back before each.
"""
from __future__ import annotations

import pytest

from tests.admin.conftest import STAFF_PASSWORD
from tests.admin.support import page_text
from tests.support import event_envelope, post_events

NEW_ACCOUNT = {"name": "新人 職員", "email": "new@city.example.jp", "role": "centre_staff",
               "centres": "taira", "password": "first-password-1"}

# (who posts, URL, form fields); {taira} is the id of 平 太郎's account.
POST_FORMS = [
    (None, "/admin/login", {"email": "taira@city.example.jp", "password": STAFF_PASSWORD}),
    ("taira", "/admin/logout", {}),
    ("taira", "/admin/settings", {"locale-locale": "en"}),
    ("taira", "/admin/settings/password", {"password-current": STAFF_PASSWORD,
                                            "password-password": "another-secret-9",
                                            "password-confirm": "another-secret-9"}),
    ("admin", "/admin/staff/new", NEW_ACCOUNT),
    ("admin", "/admin/staff/{taira}", {"name": "改ざん", "email": "taira@city.example.jp",
                                       "role": "admin"}),
    ("admin", "/admin/staff/{taira}/password", {"reset-password": "temporary-pass-1",
                                                "reset-confirm": "temporary-pass-1"}),
    ("admin", "/admin/staff/{taira}/deactivate", {}),
    ("admin", "/admin/staff/{taira}/reactivate", {}),
    ("admin", "/admin/staff/{taira}/unlock", {}),
    ("admin", "/admin/staff/{coordinator}/two-factor/reset", {}),
    ("admin", "/admin/staff/login-delays/clear", {"kind": "address", "value": "192.0.2.1"}),
    (None, "/admin/login/code", {"code": "123456"}),
    ("taira", "/admin/settings/two-factor", {"enrol-code": "123456"}),
    ("admin", "/admin/settings/two-factor/recovery-codes", {"codes-code": "123456"}),
    ("taira", "/admin/settings/two-factor/off", {"off-code": "123456"}),
]


@pytest.mark.parametrize(("who", "url", "fields"), POST_FORMS, ids=[url for _, url, _ in POST_FORMS])
@pytest.mark.parametrize("token", ["missing", "forged", "from another session"])
def test_a_form_without_its_csrf_token_is_refused_and_changes_nothing(
        site, who, url, fields, token) -> None:  # noqa: ANN001
    person = site.browser(who)
    url = url.format(taira=site.staff["taira"].id, coordinator=site.staff["coordinator"].id)
    data = dict(fields)
    if token == "forged":
        data["csrf_token"] = "IjAwMDAi.forged.token"
    elif token == "from another session":
        data["csrf_token"] = site.browser("onahama").csrf_token()
    before = site.audit_entries()

    response = person.post(url, data, csrf=False)

    assert response.status_code == 400
    assert "もう一度お試しください" in page_text(response)
    assert site.audit_entries() == before  # no login, no change, nothing audited
    if who is not None:
        assert person.get("/admin/").status_code == 200  # still logged in: logout was refused too
    else:
        assert person.get("/admin/").status_code == 302  # not logged in


def test_the_same_forms_work_with_their_token(site) -> None:  # noqa: ANN001
    admin = site.browser("admin")

    assert admin.post("/admin/staff/new", NEW_ACCOUNT).status_code == 302
    assert admin.post(f"/admin/staff/{site.staff['taira'].id}/deactivate").status_code == 302

    assert [e["action"] for e in site.audit_entries()][-2:] == ["staff.create", "staff.deactivate"]


def test_the_line_webhook_and_other_routes_need_no_csrf_token(site) -> None:  # noqa: ANN001
    app = site.app
    client = site.log_in("taira").client  # even with an admin session open

    response = post_events(client, [event_envelope("follow", "U" + "b" * 32, reply_token="r" * 32)],
                           app.config["LINE_CHANNEL_SECRET"])

    assert response.status_code == 200
    assert app.config["WTF_CSRF_CHECK_DEFAULT"] is False  # only the admin blueprint checks tokens
