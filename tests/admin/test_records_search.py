"""Searching the intake queue: by receipt number or by what the resident wrote, within the staff's scope.

Japanese words are often one or two characters (母, 家賃): PostgreSQL finds
them through the index of migration 0010, SQLite by reading; both must find
the same records.
"""
from __future__ import annotations

from urllib.parse import quote

import pytest

from bot.models.intake import IntakeRecord
from bot.services.intake import IntakeService
from tests.admin.records_support import submit_record
from tests.admin.support import table_rows


def resident_writes_later(app, record_id: int, text: str) -> None:  # noqa: ANN001
    """The resident adds a message to the thread of an open record."""
    tsunagu = app.extensions["tsunagu"]
    with tsunagu.db.transaction() as session:
        IntakeService(session, tsunagu.profile).add_message(session.get(IntakeRecord, record_id), text=text)


@pytest.fixture
def found(browser):  # noqa: ANN001
    """``found("taira", "家賃")``: the receipt numbers a member of staff finds, in the queue's order."""
    browsers = {}

    def search(who: str, words: str, **filters: str) -> list[str]:
        if who not in browsers:
            browsers[who] = browser(who)
        query = "&".join([f"q={quote(words)}", *(f"{key}={quote(value)}" for key, value in filters.items())])
        return [row.split()[0] for row in table_rows(browsers[who].get(f"/admin/records/?{query}"))]

    return search


def test_a_two_character_word_finds_the_records_that_contain_it(app, found) -> None:  # noqa: ANN001
    _, rent = submit_record(app, categories=("money",), details=("家賃が払えません",))
    _, care = submit_record(app, details=("母の介護のことで相談です。",))
    _, another_rent = submit_record(app, details=("先月から家賃を滞納しています",))

    assert found("taira", "家賃") == [rent, another_rent]
    assert found("taira", "介護") == [care]
    assert found("taira", "賃貸") == []


def test_a_single_character_finds_the_records_that_contain_it(app, found) -> None:  # noqa: ANN001
    _, mother = submit_record(app, details=("母の物忘れが心配です",))
    submit_record(app, details=("仕事が見つかりません",))

    assert found("taira", "母") == [mother]


def test_a_longer_phrase_must_appear_as_written(app, found) -> None:  # noqa: ANN001
    _, written = submit_record(app, details=("夜に眠れないようで心配です",))
    submit_record(app, details=("眠れない夜が続き、心配なことがあります",))  # the same characters, not the phrase

    assert found("taira", "眠れないようで") == [written]


def test_a_word_in_a_later_message_of_the_thread_is_found(app, found) -> None:  # noqa: ANN001
    record_id, receipt = submit_record(app, details=("生活のことで相談したいです",))
    submit_record(app, details=("生活のことで相談したいです",))
    resident_writes_later(app, record_id, "追記です。電気代も払えていません")

    assert found("taira", "電気代") == [receipt]


def test_the_search_ignores_case_and_takes_percent_and_underscore_literally(app, found) -> None:  # noqa: ANN001
    _, english = submit_record(app, details=("I cannot pay the Rent this month",))
    _, underscored = submit_record(app, details=("my id is a_b",))
    submit_record(app, details=("my id is axb",))

    assert found("taira", "rENT") == [english]
    assert found("taira", "a_b") == [underscored]
    assert found("taira", "%") == []


def test_a_receipt_number_is_found_whole_in_part_and_in_any_case(app, found) -> None:  # noqa: ANN001
    submit_record(app)
    _, receipt = submit_record(app)

    assert found("taira", receipt) == [receipt]
    assert found("taira", receipt.lower()) == [receipt]
    assert found("taira", receipt[-6:]) == [receipt]


def test_a_record_found_by_its_number_and_its_text_is_listed_once(app, found) -> None:  # noqa: ANN001
    record_id, receipt = submit_record(app)
    resident_writes_later(app, record_id, f"受付番号は{receipt}です")

    assert found("taira", receipt) == [receipt]


def test_a_record_outside_the_scope_is_never_found(app, found) -> None:  # noqa: ANN001
    _, in_taira = submit_record(app, area="taira", details=("家賃が払えません",))
    _, in_onahama = submit_record(app, area="onahama", details=("家賃が払えません",))

    assert found("taira", "家賃") == [in_taira]
    assert found("taira", in_onahama) == []
    assert found("onahama", "家賃") == [in_onahama]
    assert sorted(found("coordinator", "家賃")) == sorted([in_taira, in_onahama])


def test_what_is_found_is_listed_urgent_first_then_the_oldest_and_still_filtered(app, found) -> None:  # noqa: ANN001
    _, older = submit_record(app, categories=("money",), details=("家賃が払えません",))
    _, newer = submit_record(app, categories=("elderly",), details=("家賃のことで母が困っています",))
    _, urgent = submit_record(app, categories=("money",), urgency="now", details=("家賃のことで今すぐ相談したい",))

    assert found("taira", "家賃") == [urgent, older, newer]
    assert found("taira", "家賃", category="money") == [urgent, older]


def test_new_records_are_polled_with_the_search_applied(app, browser) -> None:  # noqa: ANN001
    first, _ = submit_record(app, details=("家賃が払えません",))
    staff = browser("taira")
    submit_record(app, details=("仕事が見つかりません",))
    _, rent = submit_record(app, details=("家賃を滞納しています",))

    answer = staff.get(f"/admin/records/poll?after={first}&q={quote('家賃')}").get_json()

    assert len(answer["rows"]) == 1 and rent in answer["rows"][0]


def record_about(app, person: str, **kwargs) -> tuple[int, str]:  # noqa: ANN001
    """A consultation about someone else, naming them (その方のお名前)."""
    record_id, receipt = submit_record(app, **kwargs)
    with app.extensions["tsunagu"].db.transaction() as session:
        record = session.get(IntakeRecord, record_id)
        record.subject, record.person_name = "family", person
    return record_id, receipt


@pytest.mark.parametrize("typed", ["090-3333-4444", "09033334444", "０９０ー３３３３ー４４４４", "090 3333 4444",
                                   "+81 90-3333-4444", "3333-4444"])
def test_a_phone_number_is_found_however_it_is_written(app, found, typed: str) -> None:  # noqa: ANN001
    _, called_back = submit_record(app, contact="phone", phone="09033334444")
    submit_record(app, contact="phone", phone="09011112222")
    submit_record(app)

    assert found("taira", typed) == [called_back]


def test_a_phone_number_outside_the_scope_is_not_found(app, found) -> None:  # noqa: ANN001
    _, in_onahama = submit_record(app, area="onahama", contact="phone", phone="09033334444")

    assert found("taira", "090-3333-4444") == []
    assert found("coordinator", "090-3333-4444") == [in_onahama]


def test_a_name_is_found_in_kanji_in_part_and_in_either_kana(app, found) -> None:  # noqa: ANN001
    _, yamada = record_about(app, "山田 太郎")
    _, katakana = record_about(app, "ヤマダ ハナコ")
    _, by_line_name = submit_record(app, display_name="やまだ")
    record_about(app, "佐藤 一郎")

    assert found("taira", "山田") == [yamada]
    assert found("taira", "山田太郎") == [yamada]
    assert found("taira", "やまだ") == [katakana, by_line_name]
    assert found("taira", "ﾔﾏﾀﾞ") == [katakana, by_line_name]


def test_a_name_outside_the_scope_is_not_found(app, found) -> None:  # noqa: ANN001
    _, in_onahama = record_about(app, "山田 太郎", area="onahama")

    assert found("taira", "山田") == []
    assert found("coordinator", "山田") == [in_onahama]


def test_the_words_of_a_name_or_phone_search_are_not_in_the_audit_log(app, found, audit_entries) -> None:  # noqa: ANN001
    record_about(app, "山田 太郎", contact="phone", phone="09033334444")

    found("taira", "山田")
    found("taira", "090-3333-4444")

    logged = str(audit_entries("records.list"))
    assert "山田" not in logged and "3333" not in logged and "'search': True" in logged
