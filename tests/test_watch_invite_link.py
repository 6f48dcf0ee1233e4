"""見守り invites with the account's basic ID: a 「家族にLINEで送る」 button opens LINE's share screen with a
link that opens our chat with 「見守り 123456」 typed in; the family member sends it and is registered."""
from __future__ import annotations

import re
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
from sqlalchemy import select

from bot.models.watch import WatchContact
from tests.events_support import Clock, tokyo, tsunagu_of

USER = "U" + "a" * 32
SON = "U" + "b" * 32


@pytest.fixture
def app(make_app):  # noqa: ANN001
    return make_app(CLOCK=Clock(tokyo(2030, 6, 3, 10)), LINE_BOT_BASIC_ID="@123abcde")


def register(chat, locale: str = "ja"):  # noqa: ANN001, ANN201
    resident = chat(USER, "山田花子", locale)
    resident.follows()
    resident.says("見守り" if locale == "ja" else "watch over me")
    resident.says("まいにち" if locale == "ja" else "every day")
    resident.says("10時" if locale == "ja" else "10")
    resident.says("同意します" if locale == "ja" else "I agree")
    return resident


def invite_button(resident) -> dict:  # noqa: ANN001
    [message] = [m for m in resident.messages() if re.search(r"\d{6}", m.get("text", ""))][-1:]
    [action] = [item["action"] for item in message["quickReply"]["items"] if item["action"]["type"] == "uri"]
    return action


def test_the_family_member_opens_the_link_sends_the_typed_words_and_is_registered(app, chat) -> None:  # noqa: ANN001
    resident = register(chat)
    resident.tap_chip("家族を招待する")
    action = invite_button(resident)
    assert action["label"] == "家族にLINEで送る"
    share = urlsplit(action["uri"])
    assert (share.scheme, share.netloc, share.path) == ("https", "line.me", "/R/share")
    shared_text = parse_qs(share.query)["text"][0]
    assert shared_text.startswith("見守りの連絡先になってください。")
    link = urlsplit(re.search(r"https://line\.me/R/oaMessage/\S+", shared_text)[0])
    assert link.path == "/R/oaMessage/%40123abcde/"
    typed = unquote(link.query)
    assert re.fullmatch(r"見守り \d{6}", typed)

    son = chat(SON, "山田太郎")
    son.follows()
    son.says(typed)  # what LINE puts in his message box
    assert son.last_text().startswith("見守りの連絡先に登録しました。")
    with tsunagu_of(app).db.transaction() as session:
        [contact] = session.scalars(select(WatchContact)).all()
        assert contact.accepted_at is not None


@pytest.mark.parametrize("locale", ["en", "vi", "zh_Hans"])
def test_the_button_is_in_the_residents_language_and_lines_schema_accepts_it(app, chat, locale: str) -> None:  # noqa: ANN001
    # Every body sent is judged by LINE's schema (tests/conftest.py): a link past LINE's limits fails here.
    resident = chat(USER, "Hanako", locale)
    resident.follows()
    for words in ("見守り", "まいにち", "10時", "同意します"):
        resident.says(words)
    resident.tap_chip(resident.chips()[0])  # 家族を招待する, in the resident's language
    action = invite_button(resident)
    assert action["label"] != "家族にLINEで送る"
    shared_text = parse_qs(urlsplit(action["uri"]).query)["text"][0]
    assert "https://line.me/R/oaMessage/%40123abcde/?" in shared_text

