"""The catalogs match the code, every language is complete and loads, and every label fits LINE."""
from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import get_args

import pytest

from bot.flows.intake_questions import CHANGE_LABELS, CONTACTS, SUBJECTS, TIMES, URGENCIES
from bot.i18n import DEFAULT_LOCALE, SUPPORTED_LOCALES, Translator, translations
from bot.flows.menu import MENU, RICH_MENU_ONLY
from bot.municipality import TranslatedLocale, load_profile
from bot.services.events.base import KINDS
from tests.support import compile_catalogs

ROOT = Path(__file__).resolve().parent.parent


def test_catalogs_are_up_to_date():
    result = subprocess.run([sys.executable, "scripts/i18n.py", "check"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


# -- every resident language loads, and every button label fits ---------------------------------

QUICK_REPLY_LIMIT = 20  # LINE's limit for quick-reply and button labels, in characters of any script
# Labels written in the code: postback(ctx._("…")), self.chip(self._("…")), _button(t._("…")) ...
_LABEL_CALL = re.compile(r"(?:postback|chip|share_location|say|_button|pick_date)\(\s*(?:fit\()?"
                         r"(?:self\.ctx|self|ctx|t)\._\(\s*\"([^\"]+)\"")


def label_msgids() -> set[str]:
    found = {match for path in (ROOT / "bot").rglob("*.py") for match in _LABEL_CALL.findall(path.read_text())}
    for table in (SUBJECTS, URGENCIES, CONTACTS, TIMES, CHANGE_LABELS, KINDS):
        found |= set(table.values())
    found |= {item.label for item in MENU + RICH_MENU_ONLY if item.label != "言語/Language"}
    return found


@pytest.fixture(scope="module")
def compiled():
    compile_catalogs()
    translations.cache_clear()
    yield
    translations.cache_clear()


def test_label_msgids_are_found():
    labels = label_msgids()
    assert {"相談する", "申し込む", "戻る", "地区で探す", "LINEで", "今すぐ連絡がほしい"} <= labels


@pytest.mark.parametrize("locale", SUPPORTED_LOCALES)
def test_every_label_fits_lines_limit_in_every_language(compiled, locale):
    t = Translator(locale)
    values = {"n": 3, "phone": "090-1234-5678", "language": "Tiếng Việt"}
    shown = {msgid: t._(msgid, **values) if "{" in msgid else t._(msgid) for msgid in label_msgids()}
    assert {msgid: label for msgid, label in shown.items() if len(label) > QUICK_REPLY_LIMIT} == {}


PROFILES = [load_profile(path.stem) for path in sorted((ROOT / "bot" / "profiles").glob("*.toml"))]


@pytest.mark.parametrize("locale", SUPPORTED_LOCALES)
def test_no_profile_label_needs_cutting_in_any_language(compiled, locale):
    """Category chips (with the ✓ of a chosen one), area chips and 「…で探す」 fit whole: nothing is cut with …."""
    t = Translator(locale)
    too_long = []
    for profile in PROFILES:
        for category in profile.categories:
            too_long.append(("✓" + category.chip_in(locale), profile.code))
        for area in profile.areas:
            too_long.append((area.text_in(locale), profile.code))  # what place_in(limit=20) falls back to
            too_long.append((min((t._("{area}で探す", area=name) for name in (area.place_in(locale), area.text_in(locale))),
                                 key=len), profile.code))
    assert [(label, city) for label, city in too_long if len(label) > QUICK_REPLY_LIMIT] == []


def test_a_long_category_label_has_a_short_chip_and_the_full_label_elsewhere():
    family = PROFILES[0].category("family")
    assert family.text_in("en") == "Family (parents and adult children, caring for a parent and a child at once)"
    assert family.chip_in("en") == "Family matters"
    assert family.chip_in("zh_Hans") == "家庭问题"
    work = PROFILES[0].category("work")
    assert work.chip_in("zh_Hans") == work.text_in("zh_Hans")  # short enough already
    assert PROFILES[0].category("daily_help").chip_in("ja") == "生活のちょっとした手伝い"


@pytest.mark.parametrize("locale", [code for code in SUPPORTED_LOCALES if code != DEFAULT_LOCALE])
def test_each_resident_language_really_loads(compiled, locale):
    """A catalog that fails to load falls back to Japanese silently: catch it."""
    t = Translator(locale)
    assert t.locale == locale
    if locale == "ja_Hira":
        # やさしい日本語 is Japanese too: it must differ from the standard texts for most of them.
        labels = sorted(label_msgids())
        differing = [msgid for msgid in labels if t._(msgid) != msgid]
        assert len(differing) >= len(labels) // 2
        assert t._("どなたのことでのご相談ですか？") != "どなたのことでのご相談ですか？"
    else:
        for msgid in ("相談する", "申し込む", "どなたのことでのご相談ですか？"):
            assert not re.search(r"[\u3041-\u309f\u30a1-\u30fa]", t._(msgid)), (msgid, t._(msgid))


def test_the_resident_languages_are_the_ones_the_catalog_check_and_the_profiles_know():
    settings = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["tsunagu"]["i18n"]
    assert set(settings["resident_locales"]) == set(SUPPORTED_LOCALES) - {DEFAULT_LOCALE}
    assert set(get_args(TranslatedLocale)) == set(SUPPORTED_LOCALES) - {DEFAULT_LOCALE}  # profile translations
