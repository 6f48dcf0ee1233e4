"""Who may open what: every admin route x every role (and no login at all).

Records are added by a later page; for now the matrix covers the start page,
staff accounts, the audit log and one's own settings. Scope rules for
records are tested directly in test_scope.py. All tests here share one app
(``site``); the database is put back before each.
"""
from __future__ import annotations

import pytest

from tests.admin.conftest import STAFF_PASSWORD

ANONYMOUS = None
EVERY_ROLE = ("taira", "coordinator", "admin")
OK = "ok"  # 200, or a redirect back into the admin view after a change
FORBIDDEN = 403
LOGIN = "login"  # redirected to the login page

# (method, URL, form, {who: expected}); {other} is a staff account that is not the visitor.
ROUTES = [
    ("GET", "/admin/", None, {ANONYMOUS: LOGIN, "taira": OK, "coordinator": OK, "admin": OK}),
    ("GET", "/admin/settings", None, {ANONYMOUS: LOGIN, "taira": OK, "coordinator": OK, "admin": OK}),
    ("POST", "/admin/settings", {"locale-locale": "ja"},
     {ANONYMOUS: LOGIN, "taira": OK, "coordinator": OK, "admin": OK}),
    ("POST", "/admin/settings/password",
     {"password-current": STAFF_PASSWORD, "password-password": "brand-new-secret-1",
      "password-confirm": "brand-new-secret-1"},
     {ANONYMOUS: LOGIN, "taira": OK, "coordinator": OK, "admin": OK}),
    ("GET", "/admin/staff/", None, {ANONYMOUS: LOGIN, "taira": FORBIDDEN, "coordinator": FORBIDDEN, "admin": OK}),
    ("GET", "/admin/staff/new", None, {ANONYMOUS: LOGIN, "taira": FORBIDDEN, "coordinator": FORBIDDEN, "admin": OK}),
    ("POST", "/admin/staff/new",
     {"name": "新人", "email": "new@city.example.jp", "role": "coordinator", "password": "first-password-1"},
     {ANONYMOUS: LOGIN, "taira": FORBIDDEN, "coordinator": FORBIDDEN, "admin": OK}),
    ("GET", "/admin/staff/{other}", None, {ANONYMOUS: LOGIN, "taira": FORBIDDEN, "coordinator": FORBIDDEN, "admin": OK}),
    ("POST", "/admin/staff/{other}", {"name": "小名浜 花子", "email": "onahama@city.example.jp",
                                      "role": "centre_staff", "centres": "onahama"},
     {ANONYMOUS: LOGIN, "taira": FORBIDDEN, "coordinator": FORBIDDEN, "admin": OK}),
    ("POST", "/admin/staff/{other}/password", {"reset-password": "temporary-pass-1", "reset-confirm": "temporary-pass-1"},
     {ANONYMOUS: LOGIN, "taira": FORBIDDEN, "coordinator": FORBIDDEN, "admin": OK}),
    ("POST", "/admin/staff/{other}/deactivate", {},
     {ANONYMOUS: LOGIN, "taira": FORBIDDEN, "coordinator": FORBIDDEN, "admin": OK}),
    ("POST", "/admin/staff/{other}/reactivate", {},
     {ANONYMOUS: LOGIN, "taira": FORBIDDEN, "coordinator": FORBIDDEN, "admin": OK}),
    ("POST", "/admin/staff/{other}/unlock", {},
     {ANONYMOUS: LOGIN, "taira": FORBIDDEN, "coordinator": FORBIDDEN, "admin": OK}),
    ("POST", "/admin/staff/{other}/two-factor/reset", {},
     {ANONYMOUS: LOGIN, "taira": FORBIDDEN, "coordinator": FORBIDDEN, "admin": OK}),
    ("POST", "/admin/staff/login-delays/clear", {"kind": "address", "value": "192.0.2.1"},
     {ANONYMOUS: LOGIN, "taira": FORBIDDEN, "coordinator": FORBIDDEN, "admin": OK}),
    ("GET", "/admin/settings/two-factor", None, {ANONYMOUS: LOGIN, "taira": OK, "coordinator": OK, "admin": OK}),
    ("POST", "/admin/settings/two-factor/recovery-codes", {"codes-code": "000000"},
     {ANONYMOUS: LOGIN, "taira": OK, "coordinator": OK, "admin": OK}),
    ("POST", "/admin/settings/two-factor/off", {"off-code": "000000"},
     {ANONYMOUS: LOGIN, "taira": OK, "coordinator": OK, "admin": OK}),
    ("GET", "/admin/alerts", None, {ANONYMOUS: LOGIN, "taira": OK, "coordinator": OK, "admin": FORBIDDEN}),
    ("GET", "/admin/audit/", None, {ANONYMOUS: LOGIN, "taira": FORBIDDEN, "coordinator": FORBIDDEN, "admin": OK}),
    ("POST", "/admin/logout", {}, {ANONYMOUS: LOGIN, "taira": OK, "coordinator": OK, "admin": OK}),
]

CASES = [(method, url, form, who, expected[who])
         for method, url, form, expected in ROUTES for who in (ANONYMOUS, *EVERY_ROLE)]


@pytest.mark.parametrize(("method", "url", "form", "who", "expected"), CASES,
                         ids=[f"{m} {u} as {w or 'anonymous'}" for m, u, _, w, _ in CASES])
def test_each_role_reaches_only_its_pages(site, method, url, form, who, expected) -> None:  # noqa: ANN001
    person = site.browser(who)
    url = url.format(other=site.staff["onahama"].id)

    response = person.get(url) if method == "GET" else person.post(url, form)

    if expected == LOGIN:
        assert response.status_code == 302
        assert response.location.startswith("/admin/login")
    elif expected == FORBIDDEN:
        assert response.status_code == 403
        assert "この操作を行う権限がありません。" in response.get_data(as_text=True)
    else:
        assert response.status_code in (200, 302), response.get_data(as_text=True)[:500]
        if response.status_code == 302:
            assert response.location.startswith("/admin/")
            assert not response.location.startswith("/admin/login") or url == "/admin/logout"


def test_refused_changes_change_nothing(site) -> None:  # noqa: ANN001
    coordinator = site.browser("coordinator")
    coordinator.post(f"/admin/staff/{site.staff['onahama'].id}/deactivate")
    coordinator.post("/admin/staff/new", {"name": "x", "email": "x@city.example.jp", "role": "admin",
                                          "password": "first-password-1"})

    onahama = site.log_in("onahama")  # can still log in
    assert onahama.get("/admin/").status_code == 200
    listing = site.browser("admin").get("/admin/staff/").get_data(as_text=True)
    assert "x@city.example.jp" not in listing


def test_an_unknown_account_is_not_found(site) -> None:  # noqa: ANN001
    admin = site.browser("admin")

    assert admin.get("/admin/staff/9999").status_code == 404
    assert admin.post("/admin/staff/9999/deactivate").status_code == 404
    assert "ページが見つかりません" in admin.get("/admin/staff/9999").get_data(as_text=True)


def test_the_menu_offers_only_what_the_role_may_open(site) -> None:  # noqa: ANN001
    for who, sees_admin_pages in (("taira", False), ("coordinator", False), ("admin", True)):
        home = site.browser(who).get("/admin/").get_data(as_text=True)
        assert ('href="/admin/staff/"' in home) is sees_admin_pages, who
        assert ('href="/admin/audit/"' in home) is sees_admin_pages, who
        assert 'href="/admin/settings"' in home


def test_the_stylesheet_is_served_without_login(site) -> None:  # noqa: ANN001
    response = site.app.test_client().get("/admin/static/admin/admin.css")
    response.close()

    assert response.status_code == 200
    assert response.mimetype == "text/css"
