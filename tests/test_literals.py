"""Every text a resident or member of staff reads goes through gettext.

The code under ``bot/`` and ``admin/`` is read as Python syntax trees and the
admin templates as Jinja syntax trees. A string with Japanese in it (kana or
kanji: message ids are Japanese, so every text starts out Japanese) must be
the argument of a gettext call (``_``, ``gettext``, ``N_``, ``S_``...), a
docstring, or a log message; the few exceptions are listed in ``ALLOWED``
with the reason. Texts handed straight to what residents and staff see
(``text()``, ``postback()``, ``flash()``...) must be gettext calls whatever
their script: an English literal there is caught too.

The simulator is left out on purpose: it stands in for the LINE app for
trying the bot, and its own page is bilingual by design (English beside
Japanese), for developers and demonstrations, not residents or staff.
"""
from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from jinja2 import Environment, nodes

ROOT = Path(__file__).resolve().parent.parent
PYTHON_SOURCES = ("bot", "admin")
TEMPLATE_SOURCES = ("admin/templates",)

# Kana and kanji; not punctuation (、。・ー（）「」) or full-width signs, which are not text by themselves.
JAPANESE = re.compile(r"[\u3041-\u3096\u30a1-\u30fa\u3400-\u4dbf\u4e00-\u9fff\uff66-\uff6f\uff71-\uff9d]")
LETTERS = re.compile(r"[A-Za-z\u3041-\u3096\u30a1-\u30fa\u3400-\u4dbf\u4e00-\u9fff]")
GETTEXT = frozenset({"_", "gettext", "ngettext", "pgettext", "npgettext", "lazy_gettext", "lazy_ngettext",
                     "lazy_pgettext", "N_", "S_"})
LOGGING = frozenset({"debug", "info", "warning", "error", "exception", "critical"})
# Calls whose arguments residents or staff read: (module, name) -> the arguments shown (position, keyword).
SINKS: dict[tuple[str, str], tuple[tuple[int, str], ...]] = {
    ("bot.messaging.build", "text"): ((0, "body"),),
    ("bot.messaging.build", "postback"): ((0, "label"), (2, "display_text")),
    ("bot.messaging.build", "say"): ((0, "label"), (1, "text")),
    ("bot.messaging.build", "share_location"): ((0, "label"),),
    ("bot.messaging.build", "open_link"): ((0, "label"),),
    ("bot.messaging.build", "pick_date"): ((0, "label"),),
    ("flask", "flash"): ((0, "message"),),
}

# (file, the name the text is assigned to or defined in — a module-level name or "Class.method" — or "*"
# for the whole file): why it is not translated.
ALLOWED: dict[tuple[str, str], str] = {
    # What residents type, matched against their message; never shown.
    ("bot/flows/intake_words.py", "*"): "words residents type, in every language",
    ("bot/flows/event_words.py", "*"): "words residents type, in every language",
    ("bot/flows/contact_time_words.py", "*"): "days and times residents type, in every language",
    ("bot/services/safety.py", "*"): "danger phrasings matched in what residents write",
    ("bot/understanding/negation.py", "*"): "denials and title words matched in what residents write",
    ("bot/flows/crisis.py", "DANGER_YES"): "words residents type",
    ("bot/flows/crisis.py", "DANGER_NO"): "words residents type",
    ("bot/flows/crisis.py", "MISTAKE_PHRASES"): "words residents type",
    ("bot/flows/language.py", "TYPED_NAMES"): "language names residents type",
    ("bot/understanding/answers.py", "*"): "short answers as residents type them, in every language",
    ("bot/understanding/normalise.py", "*"): "spellings of words residents type",
    ("bot/understanding/numbers.py", "*"): "numbers of people as residents type them, in every language",
    ("bot/understanding/dates.py", "*"): "days as residents type them, in every language",
    ("bot/understanding/intents.py", "*"): "wishes as residents type them, in every language",
    ("bot/flows/signups.py", "CANCEL_YES"): "words residents type",
    ("bot/flows/signups.py", "CANCEL_NO"): "words residents type",
    ("bot/flows/status.py", "WITHDRAW_WORDS"): "words residents type",
    ("bot/flows/status.py", "WITHDRAW_YES"): "words residents type",
    ("bot/flows/status.py", "WITHDRAW_NO"): "words residents type",
    ("bot/handlers/intake.py", "HELP_WORDS"): "words that make a message read like a request for help",
    ("bot/flows/callback.py", "CALL_ME_WORDS"): "words residents type to ask for a call",
    ("bot/flows/notices.py", "OPEN_WORDS"): "words residents type to open お知らせ設定",
    ("bot/flows/notices.py", "STOP_WORDS"): "words residents type to stop notices",
    ("bot/flows/notices.py", "SETTINGS_WORDS"): "words residents type to change their notice settings",
    ("bot/municipality.py", "_default_topics"): "the default notice topics of a profile, with their translations",
    ("bot/flows/mutual_aid_words.py", "*"): "words residents type about mutual aid, in every language",
    ("bot/municipality.py", "MutualAid.scheme_name"): "the points scheme's name when a profile names none: city data",
    ("bot/flows/menu.py", "MENU_WORDS"): "words residents type",
    ("bot/flows/menu.py", "MENU"): "the words residents type for each item; the labels are N_() and fit-checked",
    ("bot/flows/menu.py", "RICH_MENU_ONLY"): "the words residents type for each item; the labels are N_() and fit-checked",
    ("bot/handlers/intake.py", "MENU_NAMES"): "words residents type",
    ("bot/municipality.py", "_SUFFIXES"): "words residents add around a place name",
    ("bot/flows/watch_words.py", "*"): "見守り answers and plan words residents type, in every language",
    ("bot/flows/watch.py", "OFTEN"): "the words residents type for each interval; the labels are N_()",
    ("bot/flows/watch.py", "HOURS"): "the words residents type for each time; the labels are N_()",
    # Not text.
    ("bot/text.py", "_KATAKANA_TO_HIRAGANA"): "a range of characters",
    # Municipality profile loading: errors for whoever edits the profile, in English.
    ("bot/municipality.py", "Municipality._check_structure"): "profile errors quote the Japanese choice by name",
    # Shown in their own language on purpose.
    ("bot/i18n.py", "LANGUAGE_NAMES"): "each language named in itself, as residents look for it",
    # Demo data: what the demo month, demo records and demo accounts contain, as staff would type it.
    ("bot/demo/events.py", "*"): "demo events",
    ("bot/demo/intake.py", "*"): "demo consultations",
    ("bot/demo/workflow.py", "*"): "demo workflow",
    ("bot/demo/staff.py", "*"): "demo staff accounts",
    ("bot/demo/notices.py", "*"): "demo residents and a notice",
    ("bot/demo/mutual_aid.py", "*"): "demo supporters and help requests",
    ("bot/demo/figures.py", "*"): "demo year for the figures page",
    ("bot/services/response_templates.py", "CONTACT_PLACEHOLDER"): "the placeholder administrators write in a template",
    ("bot/services/response_templates.py", "DEMO_TEMPLATES"): "demo response templates staff edit (data, per language)",
    ("bot/services/response_templates.py", "DEMO_TRANSLATED_TEMPLATES"): "demo response templates (data, per language)",
    ("bot/messaging/richmenu.py", "LANGUAGE_LABEL"): "the rich menu's way back to the language menu, the same in every language",
    # Developers and operators.
    ("bot/devrun.py", "*"): "the developer's terminal (make run)",
    ("admin/cli.py", "*"): "command-line help for operators, in English; the Japanese is an example name",
}


@dataclass(frozen=True)
class Finding:
    path: str
    line: int
    text: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.text[:60]!r}"


def _call_name(call: ast.Call) -> str | None:
    func = call.func
    return func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else None


def _is_log_call(call: ast.Call) -> bool:
    func = call.func
    return (isinstance(func, ast.Attribute) and func.attr in LOGGING and isinstance(func.value, ast.Name)
            and func.value.id in ("log", "logger", "logging"))


def _imported_sinks(tree: ast.Module) -> dict[str, tuple[tuple[int, str], ...]]:
    """Local names of the display calls the module imports, with the arguments they show."""
    names = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            for alias in node.names:
                if (node.module, alias.name) in SINKS:
                    names[alias.asname or alias.name] = SINKS[(node.module, alias.name)]
    return names


def _shown_arguments(call: ast.Call, shown: tuple[tuple[int, str], ...]) -> list[ast.expr]:
    positions, keywords = {position for position, _ in shown}, {keyword for _, keyword in shown}
    return ([argument for index, argument in enumerate(call.args) if index in positions]
            + [keyword.value for keyword in call.keywords if keyword.arg in keywords])


def _docstrings(tree: ast.Module) -> set[ast.AST]:
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                found.add(first.value)
    return found


def _name(statement: ast.stmt) -> str | None:
    if isinstance(statement, ast.Assign) and isinstance(statement.targets[0], ast.Name):
        return statement.targets[0].id
    if isinstance(statement, ast.AnnAssign) and isinstance(statement.target, ast.Name):
        return statement.target.id
    if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return statement.name
    return None


def _named_statements(tree: ast.Module) -> list[tuple[str | None, ast.stmt]]:
    """Module-level statements with their names; a class's statements as "Class.name"."""
    named = []
    for statement in tree.body:
        if isinstance(statement, ast.ClassDef):
            named += [(f"{statement.name}.{_name(inner)}", inner) for inner in statement.body]
        else:
            named.append((_name(statement), statement))
    return named


def literals_in_python(source: str, path: str) -> list[Finding]:
    """User-facing string literals that do not go through gettext."""
    if (path, "*") in ALLOWED:
        return []
    tree = ast.parse(source)
    sinks, docstrings, findings = _imported_sinks(tree), _docstrings(tree), []

    def visit(node: ast.AST, shown: bool) -> None:
        if isinstance(node, ast.Call):
            name = _call_name(node)
            if name in GETTEXT or _is_log_call(node):
                return
            if isinstance(node.func, ast.Name) and name in sinks:
                displayed = _shown_arguments(node, sinks[name])
                for argument in [*node.args, *(keyword.value for keyword in node.keywords)]:
                    visit(argument, shown=argument in displayed)
                return
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and node not in docstrings:
            if JAPANESE.search(node.value) or (shown and LETTERS.search(node.value)):
                findings.append(Finding(path, node.lineno, node.value))
        for child in ast.iter_child_nodes(node):
            # Only what is passed as a whole is shown: text("\n".join(lines)) joins with a separator.
            visit(child, shown and not isinstance(node, ast.Call))

    for name, statement in _named_statements(tree):
        if (path, name) not in ALLOWED:
            visit(statement, shown=False)
    return findings


_JINJA = Environment(extensions=["jinja2.ext.i18n"])


def literals_in_template(source: str, path: str) -> list[Finding]:
    """Japanese in a template outside {% trans %} and _(): bare text, or a string constant."""
    findings = []

    def visit(node: nodes.Node) -> None:
        if isinstance(node, nodes.Call) and isinstance(node.node, nodes.Name) and node.node.name in GETTEXT:
            return
        if isinstance(node, nodes.TemplateData) and JAPANESE.search(node.data):
            findings.append(Finding(path, node.lineno, " ".join(re.sub(r"<[^>]*>", " ", node.data).split())))
        if isinstance(node, nodes.Const) and isinstance(node.value, str) and JAPANESE.search(node.value):
            findings.append(Finding(path, node.lineno, node.value))
        for child in node.iter_child_nodes():
            visit(child)

    visit(_JINJA.parse(source))
    return findings


def _relative(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def test_no_user_facing_literals_in_the_code():
    findings = [finding for folder in PYTHON_SOURCES for path in sorted((ROOT / folder).rglob("*.py"))
                for finding in literals_in_python(path.read_text(encoding="utf-8"), _relative(path))]
    assert [str(finding) for finding in findings] == []


def test_no_bare_japanese_in_the_templates():
    findings = [finding for folder in TEMPLATE_SOURCES for path in sorted((ROOT / folder).rglob("*.html"))
                for finding in literals_in_template(path.read_text(encoding="utf-8"), _relative(path))]
    assert [str(finding) for finding in findings] == []


def test_every_allowance_still_points_at_something():
    """An allowance for a file or name that is gone would hide the next literal put there."""
    for (path, name), _ in ALLOWED.items():
        file = ROOT / path
        assert file.exists(), path
        if name != "*":
            names = {name for name, _ in _named_statements(ast.parse(file.read_text()))}
            assert name in names, (path, name)


# -- the checks catch what they are meant to catch -------------------------------------------------

PLANTED = '''
"""A module docstring in Japanese is fine: 説明です。"""
import logging
from flask import flash
from bot.messaging.build import postback, text
from bot.i18n import N_

log = logging.getLogger(__name__)
LABELS = {"a": N_("相談する"), "b": "申し込む"}


def reply(t, name):
    """Docstrings may say 相談."""
    log.info("受付 %s", name)
    flash(t._("保存しました"))
    flash("Saved")
    answer = [text("\\n".join([t._("ありがとうございます"), name]), [postback(t._("戻る"), "menu")])]
    return answer + [text(f"{name}さん、こんにちは")]
'''


def test_a_planted_literal_is_caught():
    findings = literals_in_python(PLANTED, "bot/planted.py")
    assert [(finding.line, finding.text) for finding in findings] == [
        (9, "申し込む"),  # a bare label in a table
        (16, "Saved"),  # English handed to flash()
        (18, "さん、こんにちは"),  # part of an f-string
    ]


def test_an_allowed_name_is_skipped_only_in_its_own_file():
    source = 'TYPED_NAMES = {"ja": {"日本語"}}\n'
    assert literals_in_python(source, "bot/flows/language.py") == []
    assert [finding.text for finding in literals_in_python(source, "bot/flows/other.py")] == ["日本語"]


@pytest.mark.parametrize(("template", "caught"), [
    ("<p>保存しました</p>", ["保存しました"]),
    ('<p>{{ _("保存しました") }}</p>', []),
    ("<p>{% trans %}保存しました{% endtrans %}</p>", []),
    ('<p>{{ "保存" if saved }}</p>', ["保存"]),
    ("<p>{{ name }}（{{ code }}）・ {{ other }}</p>", []),  # punctuation alone is not text
])
def test_a_planted_template_text_is_caught(template, caught):
    assert [finding.text for finding in literals_in_template(template, "planted.html")] == caught
