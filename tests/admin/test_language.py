"""The admin view speaks Japanese by default, and English to staff who want it."""
from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from tests.admin.conftest import FAST_HASHING, create_staff
from tests.admin.support import StaffBrowser, page_text

ROOT = Path(__file__).resolve().parents[2]
# The merged English catalog (``make messages`` folds every fragment into it).
FRAGMENT = ROOT / "locales" / "en" / "LC_MESSAGES" / "messages.po"


def _admin_msgids() -> set[str]:
    """Every text of admin/ marked for translation, as ``make messages`` extracts them."""
    found = extract_from_dir(
        str(ROOT / "admin"),
        method_map=[("**.py", "python"), ("templates/**.html", "jinja2")],
        options_map={"templates/**.html": {"extensions": "jinja2.ext.i18n"}},
        keywords={"_": None, "gettext": None, "N_": None, "lazy_gettext": None},
    )
    return {message if isinstance(message, str) else message[0] for _, _, message, _, _ in found}


def test_every_admin_text_has_an_english_translation() -> None:
    with FRAGMENT.open("rb") as handle:
        catalog = read_po(handle, locale="en")
    translated = {message.id for message in catalog if message.id and message.string}

    assert _admin_msgids() - translated == set()


@pytest.fixture
def english_app(make_app, tmp_path):  # noqa: ANN001
    """An app reading the English catalog compiled afresh from messages.po."""
    with FRAGMENT.open("rb") as handle:
        catalog = read_po(handle, locale="en")
    target = tmp_path / "locales" / "en" / "LC_MESSAGES" / "messages.mo"
    target.parent.mkdir(parents=True)
    with target.open("wb") as handle:
        write_mo(handle, catalog)
    return make_app(BABEL_TRANSLATION_DIRECTORIES=str(tmp_path / "locales"), **FAST_HASHING)


def test_japanese_is_the_default(english_app) -> None:  # noqa: ANN001
    page = english_app.test_client().get("/admin/login", headers={"Accept-Language": "zh-CN,zh;q=0.9"})

    assert '<html lang="ja">' in page.get_data(as_text=True)
    assert "メールアドレス" in page_text(page)


def test_the_browser_language_is_used_before_login(english_app) -> None:  # noqa: ANN001
    page = english_app.test_client().get("/admin/login", headers={"Accept-Language": "en-US,en;q=0.9,ja;q=0.5"})

    assert '<html lang="en">' in page.get_data(as_text=True)
    text = page_text(page)
    assert "Email address" in text and "Password" in text and "Log in" in text


def test_a_member_of_staff_chooses_english_for_themselves(english_app) -> None:  # noqa: ANN001
    member = create_staff(english_app, "hanako@city.example.jp", "花子", "centre_staff", ["taira"])
    person = StaffBrowser(english_app.test_client())
    person.log_in(member.email, member.password)

    response = person.post("/admin/settings", {"locale-locale": "en"})

    assert "The display language was changed." in page_text(person.get(response.location))
    home = page_text(person.get("/admin/", headers={"Accept-Language": "ja"}))  # their choice beats the browser's
    assert "Welcome, 花子." in home and "Centre staff" in home and "Log out" in home

    person.post("/admin/settings", {"locale-locale": ""})  # back to following the browser
    assert "お疲れさまです" in page_text(person.get("/admin/", headers={"Accept-Language": "ja"}))


def test_a_language_we_do_not_offer_is_refused(english_app) -> None:  # noqa: ANN001
    member = create_staff(english_app, "hanako@city.example.jp", "花子", "coordinator")
    person = StaffBrowser(english_app.test_client())
    person.log_in(member.email, member.password)

    response = person.post("/admin/settings", {"locale-locale": "fr"})

    assert response.status_code == 200
    assert '<html lang="ja">' in person.get("/admin/").get_data(as_text=True)


def test_the_own_password_change_asks_for_the_current_password(english_app) -> None:  # noqa: ANN001
    member = create_staff(english_app, "hanako@city.example.jp", "花子", "coordinator")
    person = StaffBrowser(english_app.test_client())
    person.log_in(member.email, member.password)

    wrong = person.post("/admin/settings/password", {
        "password-current": "not-my-password", "password-password": "brand-new-secret-1",
        "password-confirm": "brand-new-secret-1"})
    assert "現在のパスワードが正しくありません。" in page_text(wrong)

    same = person.post("/admin/settings/password", {
        "password-current": member.password, "password-password": member.password,
        "password-confirm": member.password})
    assert "今と同じパスワードは使えません。" in page_text(same)

    as_email = person.post("/admin/settings/password", {
        "password-current": member.password, "password-password": "hanako@city.example.jp",
        "password-confirm": "hanako@city.example.jp"})
    assert "メールアドレスと同じパスワードは使えません。" in page_text(as_email)
