"""The audit trail as an information-security officer reads it: who read a record, who was refused,
filters that cannot forge an entry, and a log that cannot be changed unnoticed."""
from __future__ import annotations

import threading

import pytest
from sqlalchemy import text

from admin.audit import audit
from bot.models.intake import IntakeAttachment, IntakeRecord
from bot.services import audit_chain
from tests.admin.records_support import submit_record
from tests.admin.support import page_text, table_rows


def _photo(app, record_id: int) -> int:  # noqa: ANN001
    with app.extensions["tsunagu"].db.transaction() as session:
        photo = IntakeAttachment(record=session.get(IntakeRecord, record_id), line_message_id="p-1",
                                 status=IntakeAttachment.STORED, content=b"\xff\xd8\xff\xe0jpeg",
                                 content_type="image/jpeg", size=8)
        session.add(photo)
        session.flush()
        return photo.id


def _verify(app):  # noqa: ANN001, ANN202
    return app.test_cli_runner().invoke(args=["audit", "verify"])


# -- who read IW-2026-000010? --------------------------------------------------------------------

def test_administrators_find_who_read_one_record_by_its_receipt_number(app, staff, browser) -> None:  # noqa: ANN001
    record_id, receipt = submit_record(app, area="taira")
    other_id, _ = submit_record(app, area="taira")
    browser("taira").get(f"/admin/records/{record_id}")
    browser("coordinator").get(f"/admin/records/{record_id}")
    browser("onahama").get(f"/admin/records/{record_id}")  # another centre's: refused
    browser("taira").get(f"/admin/records/{other_id}")

    typed = receipt.lower().replace("-", "－")  # as someone types it on a Japanese keyboard
    rows = table_rows(browser("admin").get("/admin/audit/", query_string={"receipt": typed}))

    assert len(rows) == 3, rows
    assert any("平 太郎" in row and "相談記録の閲覧" in row for row in rows)
    assert any("調整 一郎" in row and "相談記録の閲覧" in row for row in rows)
    assert any("小名浜 花子" in row and "アクセスの拒否" in row for row in rows)


def test_an_export_that_held_the_record_shows_in_its_history_and_in_the_log(app, staff, browser) -> None:  # noqa: ANN001
    record_id, receipt = submit_record(app, area="taira")
    onahama_id, onahama_receipt = submit_record(app, area="onahama")
    browser("taira").get("/admin/records/export.csv")

    history = page_text(browser("coordinator").get(f"/admin/records/{record_id}")).split("アクセス履歴", 1)[1]
    elsewhere = page_text(browser("coordinator").get(f"/admin/records/{onahama_id}")).split("アクセス履歴", 1)[1]
    rows = table_rows(browser("admin").get("/admin/audit/", query_string={"receipt": receipt}))

    assert "平 太郎 受付一覧のCSV出力" in history
    assert "受付一覧のCSV出力" not in elsewhere  # 平's export did not hold 小名浜's record
    assert any("平 太郎 受付一覧のCSV出力" in row for row in rows)
    assert onahama_receipt not in " ".join(rows)


def test_a_receipt_number_that_is_not_one_is_refused_with_a_hint(app, staff, as_admin, audit_entries) -> None:  # noqa: ANN001
    response = as_admin.get("/admin/audit/", query_string={"receipt": "平 太郎がログインしました"})

    assert response.status_code == 200
    assert "受付番号の形式が正しくありません（例：IW-" in page_text(response)
    assert "receipt" not in audit_entries("audit.view")[-1]["details"]


# -- refused attempts ----------------------------------------------------------------------------

def test_opening_another_centres_record_or_photo_is_logged_and_still_looks_absent(
        app, staff, browser, audit_entries) -> None:  # noqa: ANN001
    record_id, receipt = submit_record(app, area="taira")
    photo_id = _photo(app, record_id)
    onahama = browser("onahama")

    page = onahama.get(f"/admin/records/{record_id}")
    photo = onahama.get(f"/admin/records/{record_id}/photos/{photo_id}")
    missing = onahama.get("/admin/records/987654")

    assert page.status_code == photo.status_code == missing.status_code == 404
    assert page_text(page) == page_text(missing).replace("987654", str(record_id))  # nothing tells them apart
    assert receipt not in page.get_data(as_text=True)
    refused = audit_entries("access.denied")
    assert [(e["actor_id"], e["target"]) for e in refused] == [
        (staff["onahama"].id, ("intake_records", str(record_id))),
        (staff["onahama"].id, ("intake_records", str(record_id))),
        (staff["onahama"].id, ("intake_records", "987654")),
    ]
    assert refused[0]["details"] == {"status": 404, "page": "admin.record_view", "method": "GET"}
    assert refused[1]["details"]["photo_id"] == photo_id


def test_a_page_the_role_may_not_use_is_logged_as_refused(app, staff, browser, audit_entries) -> None:  # noqa: ANN001
    assert browser("admin").get("/admin/records/").status_code == 403
    assert browser("taira").get("/admin/audit/").status_code == 403

    refused = audit_entries("access.denied")
    assert [(e["actor_id"], e["details"]["page"], e["details"]["status"]) for e in refused] == [
        (staff["admin"].id, "admin.record_list", 403), (staff["taira"].id, "admin.audit_log", 403)]


def test_a_refused_change_is_logged_and_changes_nothing(app, staff, browser, audit_entries) -> None:  # noqa: ANN001
    record_id, _ = submit_record(app, area="taira")

    response = browser("onahama").post(f"/admin/records/{record_id}/close", {"close-outcome": "resolved"})

    assert response.status_code == 404
    assert audit_entries("access.denied")[-1]["details"] == {"status": 404, "page": "admin.record_transition",
                                                             "method": "POST"}
    assert audit_entries("records.close") == []


# -- filters cannot forge an entry ---------------------------------------------------------------

def test_queue_filters_are_stored_only_when_they_are_choices_the_page_offers(app, staff, browser, audit_entries) -> None:  # noqa: ANN001
    taira = browser("taira")
    taira.get("/admin/records/", query_string={
        "status": "closed", "centre": "taira", "category": "elderly", "q": "母の介護"})
    taira.get("/admin/records/", query_string={
        "status": "管理者が記録を削除しました", "centre": "onahama", "category": "x\u202eevil", "urgency": "now now",
        "assignee": "99999"})

    chosen, forged = audit_entries("records.list")[-2:]
    assert chosen["details"] == {"status": "closed", "centre": "taira", "category": "elderly", "search": True,
                                 "page": 1, "count": 0}
    assert forged["details"] == {"page": 1, "count": 0,
                                 "refused": ["assignee", "category", "centre", "status", "urgency"]}


def test_audit_log_filters_are_stored_only_when_valid(app, staff, as_admin, audit_entries) -> None:  # noqa: ANN001
    as_admin.get("/admin/audit/", query_string={"actor": "99999", "action": "login.success <script>",
                                                "date_from": "0001-01-01", "date_to": "9999-12-31"})

    assert audit_entries("audit.view")[-1]["details"] == {"page": 1}


def test_an_audit_detail_cannot_carry_free_text(app) -> None:  # noqa: ANN001
    with app.test_request_context("/admin/"), pytest.raises(ValueError, match="code"):
        audit("records.view", None, note="母の介護のことで")


# -- the record's own access history -------------------------------------------------------------

def test_the_record_page_shows_who_opened_and_changed_it(app, staff, browser, audit_entries) -> None:  # noqa: ANN001
    record_id, _ = submit_record(app, area="taira")
    taira = browser("taira")
    taira.get(f"/admin/records/{record_id}")
    browser("coordinator").get(f"/admin/records/{record_id}")
    taira.post(f"/admin/records/{record_id}/triage", {})
    browser("onahama").get(f"/admin/records/{record_id}")

    history = page_text(taira.get(f"/admin/records/{record_id}")).split("アクセス履歴", 1)[1]

    seen = [history.index(line) for line in ("小名浜 花子 アクセスの拒否", "平 太郎 確認済み", "調整 一郎 相談記録の閲覧",
                                             "平 太郎 相談記録の閲覧")]
    assert seen == sorted(seen)  # newest first
    assert audit_entries("records.view")[-1]["actor_id"] == staff["taira"].id  # looking at the history is audited


# -- tamper-evident and append-only --------------------------------------------------------------

def test_verify_recomputes_the_chain_and_names_the_entry_changed_behind_the_apps_back(app, staff, browser) -> None:  # noqa: ANN001
    record_id, _ = submit_record(app, area="taira")
    browser("taira").get(f"/admin/records/{record_id}")
    browser("coordinator").get(f"/admin/records/{record_id}")
    assert _verify(app).exit_code == 0, _verify(app).output
    tsunagu = app.extensions["tsunagu"]
    with tsunagu.db.transaction() as session:
        victim = session.scalar(text("SELECT id FROM audit_log WHERE action = 'records.view' ORDER BY id LIMIT 1"))

    with tsunagu.db.engine.begin() as connection:
        if connection.dialect.name == "postgresql":  # what only the tables' owner could do
            connection.execute(text("SET LOCAL session_replication_role = replica"))
        connection.execute(text("UPDATE audit_log SET actor_id = NULL WHERE id = :id"), {"id": victim})

    result = _verify(app)
    assert result.exit_code == 1
    assert f"breaks at entry {victim}" in result.output


def test_removing_an_entry_breaks_the_chain_at_the_next_one(app, staff, browser) -> None:  # noqa: ANN001
    for _ in range(3):
        browser("taira")
    tsunagu = app.extensions["tsunagu"]
    with tsunagu.db.engine.begin() as connection:
        ids = list(connection.execute(text("SELECT id FROM audit_log ORDER BY id")).scalars())
        if connection.dialect.name == "postgresql":
            connection.execute(text("SET LOCAL session_replication_role = replica"))
        connection.execute(text("DELETE FROM audit_log WHERE id = :id"), {"id": ids[1]})

    result = _verify(app)
    assert result.exit_code == 1 and f"breaks at entry {ids[2]}" in result.output


def test_the_database_refuses_to_change_or_remove_audit_entries(app, staff, browser) -> None:  # noqa: ANN001
    tsunagu = app.extensions["tsunagu"]
    if tsunagu.db.is_sqlite:
        pytest.skip("the append-only trigger is PostgreSQL's (SQLite is for one machine and development)")
    browser("taira")
    for statement in ("UPDATE audit_log SET action = 'logout'", "DELETE FROM audit_log", "TRUNCATE audit_log"):
        with pytest.raises(Exception, match="append-only"), tsunagu.db.engine.begin() as connection:
            connection.execute(text(statement))
    assert _verify(app).exit_code == 0


def test_two_processes_writing_at_once_keep_one_chain(make_app) -> None:  # noqa: ANN001
    first, second = make_app(), make_app()  # two web processes on one database

    def write(app) -> None:  # noqa: ANN001
        for n in range(15):
            with app.test_request_context("/admin/"):
                audit("records.list", None, page=n)

    threads = [threading.Thread(target=write, args=(app,)) for app in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    with first.extensions["tsunagu"].db.transaction() as session:
        result = audit_chain.verify(session)
    assert result.intact and result.checked >= 30


def test_the_migration_chains_the_entries_already_in_the_log(tmp_path) -> None:  # noqa: ANN001
    from alembic import command
    from sqlalchemy import create_engine
    from sqlalchemy.orm import Session

    from bot.cli import alembic_config

    url = f"sqlite:///{tmp_path / 'before.db'}"
    config = alembic_config(url)
    command.upgrade(config, "0010")
    engine = create_engine(url)
    with engine.begin() as connection:
        for n, action in enumerate(("login.success", "records.view", "logout")):
            connection.execute(text("INSERT INTO audit_log (at, action, details) VALUES (:at, :action, :details)"),
                               {"at": f"2026-04-0{n + 1} 09:00:00.000000", "action": action, "details": '{"page": 1}'})

    command.upgrade(config, "heads")

    with Session(engine) as session:
        result = audit_chain.verify(session)
    engine.dispose()
    assert result.intact and (result.checked, result.unchained) == (3, 0)
