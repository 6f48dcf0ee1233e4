"""The SC keeps the 生活支援サービス list and the groups: residents find a service on LINE as soon as it is added."""
from __future__ import annotations

from sqlalchemy import select

from bot.models import LocalService, Resident, SupportGroup
from tests.admin.support import page_text
from tests.admin.test_mutual_aid import log_in_sc
from tests.events_support import tsunagu_of


def resident_of(app, chat, area: str):  # noqa: ANN001, ANN201
    person = chat("U" + "s" * 32, "山田ハナ")
    person.follows()
    with tsunagu_of(app).db.transaction() as session:
        session.scalars(select(Resident).where(Resident.line_user_id == person.user_id)).one().area_code = area
    return person


def test_a_service_the_sc_adds_reaches_residents_of_its_area_and_goes_when_removed(app, chat, audit_entries):
    sc = log_in_sc(app)
    added = sc.post("/admin/mutual-aid/services", {"name": "ふれあい移動スーパー", "kind": "mobile_shop", "area": ["taira"],
                                                    "description": "毎週火曜に来ます。", "phone": "0246-11-2222"})
    assert added.status_code == 303
    assert "ふれあい移動スーパー" in page_text(sc.get("/admin/mutual-aid/supporters"))
    hanako = resident_of(app, chat, "taira")
    hanako.says("生活支援サービス")
    assert "ふれあい移動スーパー" in hanako.last_reply_text() and "0246-11-2222" in hanako.last_reply_text()
    elsewhere = chat("U" + "t" * 32, "鈴木")
    elsewhere.follows()
    with tsunagu_of(app).db.transaction() as session:
        session.scalars(select(Resident).where(Resident.line_user_id == elsewhere.user_id)).one().area_code = "tabito"
    elsewhere.says("生活支援サービス")
    assert "ふれあい移動スーパー" not in elsewhere.last_reply_text()  # another area's service

    with tsunagu_of(app).db.transaction() as session:
        service_id = session.scalars(select(LocalService.id)).one()
    assert sc.post(f"/admin/mutual-aid/services/{service_id}/remove").status_code == 303
    hanako.says("生活支援サービス")
    assert "ふれあい移動スーパー" not in hanako.last_reply_text()
    assert [e["action"] for e in audit_entries("mutual_aid.service_new")] == ["mutual_aid.service_new"]
    assert len(audit_entries("mutual_aid.service_remove")) == 1


def test_bad_services_and_groups_are_refused_plainly_and_change_nothing(app):  # noqa: ANN001
    sc = log_in_sc(app)  # the SC of 平: only 平's areas
    for form in ({"name": "", "kind": "mobile_shop", "area": ["taira"]},
                 {"name": "配達", "kind": "teleport", "area": ["taira"]},
                 {"name": "配達", "kind": "delivery", "area": ["tabito"]},  # another centre's area
                 {"name": "配達", "kind": "delivery"},  # the whole city: only the city's SC
                 {"name": "配達", "kind": "delivery", "area": ["taira"], "phone": "電話なし"},
                 {"name": "x" * 121, "kind": "delivery", "area": ["taira"]}):
        response = sc.post("/admin/mutual-aid/services", form, follow_redirects=True)
        assert response.status_code == 200 and "確かめてください" in page_text(response), form
    for form in ({"name": "", "centre": "taira", "area": ["taira"]},
                 {"name": "会", "centre": "onahama", "area": ["taira"]},
                 {"name": "会", "centre": "taira", "area": ["nowhere"]},
                 {"name": "会", "centre": "taira"}):
        response = sc.post("/admin/mutual-aid/groups", form, follow_redirects=True)
        assert response.status_code == 200 and "確かめてください" in page_text(response), form
    assert sc.post("/admin/mutual-aid/services/999999/remove").status_code == 404
    with tsunagu_of(app).db.transaction() as session:
        assert session.scalars(select(LocalService)).all() == [] and session.scalars(select(SupportGroup)).all() == []


def test_a_group_the_sc_registers_is_offered_when_approving_a_supporter(app):  # noqa: ANN001
    sc = log_in_sc(app)
    assert sc.post("/admin/mutual-aid/groups", {"name": "平 城山 支え合いの会", "centre": "taira", "area": ["taira"],
                                                "contact": "代表 0246-00-0000"}).status_code == 303
    page = page_text(sc.get("/admin/mutual-aid/supporters"))
    assert "平 城山 支え合いの会" in page
    with tsunagu_of(app).db.transaction() as session:
        group = session.scalars(select(SupportGroup)).one()
        assert (group.centre_code, group.area_codes) == ("taira", ["taira"])
