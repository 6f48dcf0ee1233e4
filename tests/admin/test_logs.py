"""No consultation text in any log line: not from the main flows, not from their error paths.

A resident consults through the webhook, staff search and write a note over
HTTP; then the database refuses a note (a 500, logged with its traceback as
in production) and an event fails in the worker. Every log record, at DEBUG,
SQLAlchemy's and huey's included, is searched for the texts that were sent.
"""
from __future__ import annotations

import logging

import pytest
from sqlalchemy import text

from tests.admin.records_support import submit_record

STORY = "秘密の相談：夫の借金が三百万円あります"
SEARCHED = "借金が三百万"
NOTE = "秘密のメモ：長男が同居している"
REFUSED_NOTE = "断られるメモ：娘が妊娠している"
FAILING_STORY = "失敗する相談：父が入院して費用が払えない"
SECRETS = (STORY, SEARCHED, NOTE, REFUSED_NOTE, FAILING_STORY, "三百万", "長男", "妊娠", "入院")


def consult(resident, story: str) -> None:
    """A resident goes through the consultation's questions by tapping, and types ``story``."""
    resident.follows()
    resident.tap_chip("相談する")
    resident.tap_chip("自分")
    resident.tap_chip("お金・生活の困りごと")
    resident.tap_chip("次へ")
    resident.tap_chip("平")
    resident.says(story)
    resident.tap_chip("次へ")
    resident.tap_chip("数日以内")
    resident.tap_chip("LINEで")
    resident.tap_chip("同意する")
    resident.tap_chip("送信する")


@pytest.fixture
def refusing_database(app):  # noqa: ANN001
    """``refuse(table)``: the database refuses every new row of ``table`` (a trigger), until the test ends."""
    db = app.extensions["tsunagu"].db
    made = []

    def refuse(table: str) -> None:
        with db.engine.begin() as connection:
            if db.is_sqlite:
                connection.execute(text(f"CREATE TRIGGER refuse_{table} BEFORE INSERT ON {table} "
                                        "BEGIN SELECT RAISE(ABORT, 'refused for the test'); END"))
            else:
                connection.execute(text("CREATE OR REPLACE FUNCTION refuse_for_test() RETURNS trigger LANGUAGE plpgsql"
                                        " AS $$ BEGIN RAISE EXCEPTION 'refused for the test'; END $$"))
                connection.execute(text(f"CREATE TRIGGER refuse_{table} BEFORE INSERT ON {table} "
                                        "FOR EACH ROW EXECUTE FUNCTION refuse_for_test()"))
        made.append(table)

    yield refuse
    with db.engine.begin() as connection:
        for table in made:
            connection.execute(text(f"DROP TRIGGER IF EXISTS refuse_{table}" + ("" if db.is_sqlite else f" ON {table}")))
        if made and not db.is_sqlite:
            connection.execute(text("DROP FUNCTION IF EXISTS refuse_for_test()"))


def test_no_log_line_holds_what_residents_or_staff_wrote(app, chat, worker, browser, refusing_database,
                                                        caplog) -> None:  # noqa: ANN001
    app.config["PROPAGATE_EXCEPTIONS"] = False  # a 500 is logged with its traceback, as in production
    caplog.set_level(logging.DEBUG)
    for name in ("bot", "admin", "huey", "sqlalchemy.pool", "werkzeug", "flask_wtf"):
        caplog.set_level(logging.DEBUG, logger=name)
    # Every statement, with its parameters hidden. (At DEBUG this logger also prints the rows it read:
    # SQLAlchemy's echo="debug", a developer's switch the README says never to use on a city's server.)
    caplog.set_level(logging.INFO, logger="sqlalchemy.engine")

    consult(chat("U" + "1" * 32), STORY)
    worker.drain()
    staff = browser("taira")
    listed = staff.get("/admin/records/?" + "q=" + SEARCHED)
    record_id, _ = submit_record(app, area="taira")
    noted = staff.post(f"/admin/records/{record_id}/notes", {"note-body": NOTE})

    refusing_database("record_notes")
    refused = staff.post(f"/admin/records/{record_id}/notes", {"note-body": REFUSED_NOTE})
    refusing_database("intake_messages")
    consult(chat("U" + "2" * 32), FAILING_STORY)
    worker.drain()

    assert listed.status_code == 200 and "IW-" in listed.get_data(as_text=True)
    assert noted.status_code == 302 and refused.status_code == 500
    logged = caplog.text + "\n".join(repr(record.args) for record in caplog.records)
    assert "Exception on /admin/records" in logged  # the refusal was logged, with its traceback
    assert "event" in logged and "failed on attempt" in logged  # so was the failing event
    assert logged.count("refused for the test") >= 2
    leaked = [secret for secret in SECRETS if secret in logged]
    assert leaked == [], leaked
