"""The SC's board over HTTP: a request from LINE, an open call, confirmation, done, a consultation; scope and audit."""
from __future__ import annotations

from sqlalchemy import select

from bot.models import HelpRequest, Resident, Supporter
from bot.models.intake import IntakeRecord
from bot.services.mutual_aid import MutualAidService
from tests.admin.conftest import create_staff
from tests.admin.support import StaffBrowser, page_text
from tests.events_support import tsunagu_of
from tests.support import Worker

SC_EMAIL = "sc-taira@city.example.jp"


def log_in_sc(app, centres=("taira",)) -> StaffBrowser:  # noqa: ANN001
    member = create_staff(app, SC_EMAIL if centres else "sc-city@city.example.jp", "支援 一子", "life_support", centres)
    person = StaffBrowser(app.test_client())
    assert person.log_in(member.email, member.password).status_code == 302
    return person


def supporters(app, chat, count: int) -> list:  # noqa: ANN001
    people = []
    for n in range(count):
        person = chat(f"U{n:032x}", f"支え手{n}")
        person.follows()
        with tsunagu_of(app).db.transaction() as session:
            resident = session.scalars(select(Resident).where(Resident.line_user_id == person.user_id)).one()
            MutualAidService(session, tsunagu_of(app).profile).register_supporter(
                resident, name=f"支え手{n}", tasks=["shopping"], area_codes=["taira"], phone="09000000000")
        people.append(person)
    return people


def test_the_sc_approves_calls_confirms_and_records_and_everything_is_audited(app, chat, audit_entries):
    sc = log_in_sc(app)
    helpers = supporters(app, chat, 3)
    page = sc.get("/admin/mutual-aid/supporters")
    assert page.status_code == 200 and "応募" in page_text(page)
    with tsunagu_of(app).db.transaction() as session:
        ids = [s.id for s in session.scalars(select(Supporter).order_by(Supporter.id))]
    assert sc.post(f"/admin/mutual-aid/supporters/{ids[0]}/approve", {"insurance": ""}).status_code == 302
    with tsunagu_of(app).db.transaction() as session:
        assert session.get(Supporter, ids[0]).status == "applied"  # insurance must be recorded
    sc.post(f"/admin/mutual-aid/supporters/{ids[1]}/status", {"status": "active"})
    with tsunagu_of(app).db.transaction() as session:
        assert session.get(Supporter, ids[1]).status == "applied"  # not active before the meeting
    for supporter_id in ids:
        sc.post(f"/admin/mutual-aid/supporters/{supporter_id}/approve", {"insurance": "ボランティア活動保険"})
    sc.post(f"/admin/mutual-aid/supporters/{ids[2]}/status", {"status": "paused"})
    sc.post(f"/admin/mutual-aid/supporters/{ids[2]}/status", {"status": "nonsense"})
    with tsunagu_of(app).db.transaction() as session:
        assert session.get(Supporter, ids[2]).status == "paused"
    sc.post(f"/admin/mutual-aid/supporters/{ids[2]}/status", {"status": "active"})

    resident = chat("U" + "r" * 32, "佐藤ハナ")
    resident.follows()
    resident.says("買い物代行をお願いしたい")
    resident.says("平")
    resident.tap_chip("いつでも")
    resident.tap_chip("一度だけ")
    resident.tap_chip("自分")
    resident.says("最近もの忘れが多くて、買い物に行けません")
    with tsunagu_of(app).db.transaction() as session:
        request_id = session.scalars(select(HelpRequest.id)).one()

    board = sc.get("/admin/mutual-aid")
    assert board.status_code == 200 and "買い物" in page_text(board)
    detail = sc.get(f"/admin/mutual-aid/requests/{request_id}")
    assert all(f"支え手{n}" in page_text(detail) for n in range(3))
    assert sc.post(f"/admin/mutual-aid/requests/{request_id}/call", {"supporter": [str(i) for i in ids]}).status_code == 302
    Worker(app).drain()
    for helper in helpers:
        assert helper.last_text().startswith("お手伝いのお願いです。")
    helpers[0].tap_chip("引き受けます")
    assert sc.post(f"/admin/mutual-aid/requests/{request_id}/confirm").status_code == 302
    Worker(app).drain()
    assert "支え手0さん" in resident.last_text()
    assert sc.post(f"/admin/mutual-aid/requests/{request_id}/done", {"hours": "abc"}).status_code == 302
    with tsunagu_of(app).db.transaction() as session:
        assert session.get(HelpRequest, request_id).status == "confirmed"  # bad hours change nothing
    sc.post(f"/admin/mutual-aid/requests/{request_id}/done", {"hours": "1.5"})
    csv_body = sc.get("/admin/mutual-aid/export.csv?month=bad").get_data(as_text=True)
    assert "支え手0,1,1.5,150" in csv_body

    # Turned into a consultation for the centre, only with the resident's agreement.
    sc.post(f"/admin/mutual-aid/requests/{request_id}/consultation", {})
    with tsunagu_of(app).db.transaction() as session:
        assert session.scalars(select(IntakeRecord)).all() == [] or all(
            r.source != "mutual_aid" for r in session.scalars(select(IntakeRecord)))
    sc.post(f"/admin/mutual-aid/requests/{request_id}/consultation", {"agreed": "yes"})
    with tsunagu_of(app).db.transaction() as session:
        record = session.scalars(select(IntakeRecord).where(IntakeRecord.source == "mutual_aid")).one()
        assert record.centre_code == "taira"
        assert any("もの忘れ" in m.text for m in record.messages)
    actions = {entry["action"] for entry in audit_entries()}
    assert {"mutual_aid.board", "mutual_aid.request_view", "mutual_aid.open_call", "mutual_aid.confirm",
            "mutual_aid.done", "mutual_aid.consultation", "mutual_aid.approve", "mutual_aid.export"} <= actions
    assert "もの忘れ" not in str(audit_entries())


def test_scope_and_bad_input(app, chat):
    with tsunagu_of(app).db.transaction() as session:
        other = MutualAidService(session, tsunagu_of(app).profile).ask(
            tasks=["bulb"], area_code="onahama", name="小名浜の人", phone="0246000000", staff_id=None)
        other_id = other.id
    sc = log_in_sc(app)
    assert sc.get(f"/admin/mutual-aid/requests/{other_id}").status_code == 404
    assert sc.post(f"/admin/mutual-aid/requests/{other_id}/confirm").status_code == 404
    assert "小名浜の人" not in page_text(sc.get("/admin/mutual-aid"))
    assert sc.get("/admin/mutual-aid?area=<script>").status_code == 200
    bad = sc.post("/admin/mutual-aid/requests/new", {"name": "", "phone": "abc", "area": "onahama",
                                                     "wanted_on": "2026-13-40", "task": "fly"})
    assert bad.status_code == 400
    made = sc.post("/admin/mutual-aid/requests/new", {"name": "電話の山田", "phone": "0246-22-1111", "area": "taira",
                                                      "task": ["shopping", "rubbish"], "frequency": "weekly"})
    assert made.status_code == 302
    with tsunagu_of(app).db.transaction() as session:
        rows = session.scalars(select(HelpRequest).where(HelpRequest.source == "staff")).all()
        assert [(r.name, r.phone, r.tasks, r.frequency) for r in rows] == [
            ("電話の山田", "0246221111", ["shopping", "rubbish"], "weekly")]
    assert sc.get("/admin/records/").status_code == 403  # the SC does not read consultation records
