"""Bidi overrides and other invisible characters are shown, not obeyed, on staff screens and in CSV.

「\u202egnp.exe」 reads "exe.png" when the right-to-left override is obeyed; staff see ``[U+202E]gnp.exe``.
"""
from __future__ import annotations

import csv
import io

from bot.text import visible_controls
from tests.admin.records_support import submit_record
from tests.events_support import create_event, days_ahead

TRICK = "\u202egnp.exe"
SHOWN = "[U+202E]gnp.exe"


def test_resident_text_display_names_and_notes_show_the_override(app, browser) -> None:  # noqa: ANN001
    record_id, _ = submit_record(app, details=(f"写真を送ります「{TRICK}」",), display_name=f"山田{TRICK}")
    staff = browser("taira")
    staff.post(f"/admin/records/{record_id}/notes", {"note-body": f"添付は{TRICK}\u200bです"})

    html = staff.get(f"/admin/records/{record_id}").get_data(as_text=True)

    assert "\u202e" not in html and "\u200b" not in html
    assert f"写真を送ります「{SHOWN}」" in html
    assert f"山田{SHOWN}" in html
    assert f"添付は{SHOWN}[U+200B]です" in html


def test_event_fields_and_sign_up_names_show_it_on_the_page_and_in_the_csv(app, browser) -> None:  # noqa: ANN001
    event_id = create_event(app, title=f"サロン{TRICK}", starts_at=days_ahead(3))
    staff = browser("taira")
    staff.post(f"/admin/events/{event_id}/signups", {"name": f"佐藤{TRICK}", "party_size": "1", "phone": ""})

    html = staff.get(f"/admin/events/{event_id}").get_data(as_text=True)
    body = staff.get(f"/admin/events/{event_id}/signups.csv").get_data().decode("utf-8-sig")

    assert "\u202e" not in html and f"サロン{SHOWN}" in html and f"佐藤{SHOWN}" in html
    cells = [cell for row in csv.reader(io.StringIO(body)) for cell in row]
    assert "\u202e" not in body and f"佐藤{SHOWN}" in cells


def test_emoji_joiners_line_breaks_and_ordinary_text_stay_as_they_are() -> None:
    for text in ("よろしくお願いします🙇\u200d♀️", "👨\u200d👩\u200d👧", "🏳️\u200d🌈", "一行目\r\n二行目\tタブ", "Nguyễn"):
        assert visible_controls(text) == text
    assert visible_controls("a\u200db") == "a[U+200D]b"
    assert visible_controls("\ufeff\u2066x\u2069\x00") == "[U+FEFF][U+2066]x[U+2069][U+0000]"
