"""Postback data: one place defines what each flow's buttons send, and buttons already sent keep working."""
from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from bot.flows.postbacks import SCOPES, EventsTap, IntakeTap, MenuTap, SignupsTap, TabTap, encode, parse
from bot.flows.registry import FLOWS

ROOT = Path(__file__).resolve().parent.parent


def test_each_flow_answers_the_scope_its_buttons_send() -> None:
    assert {name: flow.taps for name, flow in FLOWS.items()} == {name: SCOPES[name] for name in FLOWS}
    assert set(SCOPES) == {*FLOWS, MenuTap.SCOPE, TabTap.SCOPE}  # tabs: LINE switches the menu, no flow


@pytest.mark.parametrize(("data", "button"), [
    # As residents have them in their chats today.
    ("menu:consult", encode(MenuTap.CONSULT)),
    ("events:apply:12", encode(EventsTap.APPLY, 12)),
    ("events:more:0|a=taira", encode(EventsTap.MORE, "0|a=taira")),
    ("intake:catpage:0", encode(IntakeTap.CATEGORY_PAGE, 0)),
    ("signups:cancel:7", encode(SignupsTap.CANCEL, 7)),
])
def test_the_wire_format_is_the_one_already_sent(data: str, button: str) -> None:
    assert button == data


def test_parse_reads_what_encode_writes_and_keeps_colons_in_the_arg() -> None:
    tap = parse(encode(EventsTap.MORE, "11|q=a:b"), {"date": "2025-05-20"})
    assert (tap.scope, tap.action, tap.arg, tap.params) == ("events", EventsTap.MORE, "11|q=a:b", {"date": "2025-05-20"})


@pytest.mark.parametrize("data", [None, "", "menu", "menu:", "events:nothing", "nowhere:apply:1", ":::", "イベント:申込"])
def test_unknown_or_broken_data_parses_without_failing(data: str | None) -> None:
    tap = parse(data)
    assert tap.action is None


def test_no_postback_data_is_written_by_hand_outside_the_codes() -> None:
    """Senders use encode(), so a grep for a code finds the buttons that send it and the flow that reads it."""
    scope = re.compile(rf"^({'|'.join(SCOPES)}):([a-z_]|$)")
    written = []
    for path in [*(ROOT / "bot").rglob("*.py"), *(ROOT / "admin").rglob("*.py")]:
        if path.name == "postbacks.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and scope.match(node.value):
                written.append(f"{path.relative_to(ROOT)}:{node.lineno}: {node.value}")
    assert written == []
