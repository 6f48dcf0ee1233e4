"""The record workflow: every transition, valid and invalid, for every role."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from bot.models.intake import IntakeRecord, RecordStatus
from bot.models.workflow import RecordEvent
from bot.services.intake import PLAIN_STATUS
from bot.services.workflow import (
    ESCALATED,
    STATUS_LABELS,
    TRANSITIONS,
    TRIGGERS,
    Actor,
    ConsentMissing,
    NotInScope,
    ReasonRequired,
    SameCentre,
    TransitionRefused,
    UnknownCentre,
    Workflow,
)
from tests.admin.records_support import danger_record, submit_record

ROLES = ("centre_staff", "coordinator", "resident", "admin")
PARAMS = {"forward": {"centre_code": "onahama", "note": "よろしくお願いします"},
          "reject": {"reason": "担当地区ではありません"}, "escalate": {"reason": "複合的な課題"},
          "close": {"outcome": "duplicate"}}

# The expected workflow, written out by hand: (trigger, from status) -> (roles, to status).
EXPECTED = {
    ("triage", "new"): ({"centre_staff", "coordinator"}, "triaged"),
    ("forward", "new"): ({"centre_staff", "coordinator"}, "forwarded"),
    ("forward", "triaged"): ({"centre_staff", "coordinator"}, "forwarded"),
    ("forward", ESCALATED): ({"coordinator"}, "forwarded"),
    ("accept", "forwarded"): ({"centre_staff", "coordinator"}, "in_progress"),
    ("start", "new"): ({"centre_staff", "coordinator"}, "in_progress"),
    ("start", "triaged"): ({"centre_staff", "coordinator"}, "in_progress"),
    ("reject", "forwarded"): ({"centre_staff"}, "triaged"),
    **{("escalate", s): ({"centre_staff", "coordinator"}, ESCALATED) for s in ("new", "triaged", "forwarded", "in_progress")},
    ("take_on", ESCALATED): ({"coordinator"}, "in_progress"),
    ("close", "new"): ({"centre_staff", "coordinator"}, "closed"),
    ("close", "triaged"): ({"centre_staff", "coordinator"}, "closed"),
    ("close", "in_progress"): ({"centre_staff", "coordinator"}, "closed"),
    ("close", ESCALATED): ({"coordinator"}, "closed"),
    ("reopen", "closed"): ({"centre_staff", "coordinator"}, "in_progress"),
    **{("withdraw", s): ({"resident"}, "withdrawn") for s in ("new", "triaged", "forwarded", "in_progress", ESCALATED)},
}


@pytest.fixture
def db(app):  # noqa: ANN001
    return app.extensions["tsunagu"].db


def record_in(app, db, status: str) -> int:  # noqa: ANN001
    record_id, _ = submit_record(app, area="taira")
    with db.transaction() as session:
        session.get(IntakeRecord, record_id).status = status
    return record_id


def actor(role: str) -> Actor:
    return Actor(None, role, ("taira",) if role == "centre_staff" else ())


def test_the_declared_workflow_is_the_expected_one() -> None:
    declared = {(t["trigger"], source): (set(t["roles"]), t["dest"])
                for t in TRANSITIONS for source in ([t["source"]] if isinstance(t["source"], str) else t["source"])}
    assert declared == EXPECTED


def test_every_status_the_workflow_reaches_is_a_record_status_with_labels() -> None:
    reached = {t["dest"] for t in TRANSITIONS} | {s for t in TRANSITIONS for s in (
        [t["source"]] if isinstance(t["source"], str) else t["source"])}
    assert reached == set(RecordStatus.ALL)
    assert set(STATUS_LABELS) == set(RecordStatus.ALL) == set(PLAIN_STATUS)
    assert set(RecordStatus.OPEN) == set(RecordStatus.ALL) - RecordStatus.FINISHED


@pytest.mark.parametrize("trigger", TRIGGERS)
def test_each_transition_from_each_status_for_each_role(app, db, trigger) -> None:  # noqa: ANN001
    for status in RecordStatus.ALL:
        for role in ROLES:
            check_transition(app, db, trigger, status, role)


def check_transition(app, db, trigger: str, status: str, role: str) -> None:  # noqa: ANN001
    record_id = record_in(app, db, status)
    expected = EXPECTED.get((trigger, status))
    allowed = expected is not None and role in expected[0]
    case = f"{trigger} from {status} as {role}"

    with db.transaction() as session:
        record = session.get(IntakeRecord, record_id)
        workflow = Workflow(session, app.extensions["tsunagu"].profile)
        assert (trigger in workflow.available(record, role)) == allowed, case
        if allowed:
            event = workflow.apply(record, trigger, actor(role), **PARAMS.get(trigger, {}))
            assert (event.from_status, event.to_status) == (status, expected[1]), case
        else:
            with pytest.raises((TransitionRefused, NotInScope)):
                workflow.apply(record, trigger, actor(role), **PARAMS.get(trigger, {}))
    with db.transaction() as session:
        record = session.get(IntakeRecord, record_id)
        assert record.status == (expected[1] if allowed else status), case
        events = session.scalars(select(RecordEvent).where(RecordEvent.record_id == record_id)).all()
        assert len([e for e in events if e.action == trigger]) == (1 if allowed else 0), case


def test_forward_changes_the_centre_and_reject_sends_it_back_to_the_sender(app, db) -> None:  # noqa: ANN001
    record_id = record_in(app, db, "new")
    with db.transaction() as session:
        record = session.get(IntakeRecord, record_id)
        workflow = Workflow(session, app.extensions["tsunagu"].profile)
        workflow.forward(record, actor("centre_staff"), "onahama", "メモ")
        assert record.centre_code == "onahama" and workflow.forwarded == [record_id]
        assert record.workflow.forwarded_from == "taira"
        workflow.reject(record, Actor(None, "centre_staff", ("onahama",)), "違います")
        assert (record.status, record.centre_code) == ("triaged", "taira")
        assert record.workflow.rejected_from == "onahama" and workflow.returned == [record_id]


@pytest.mark.parametrize(("params", "error"), [
    ({"centre_code": "taira"}, SameCentre),
    ({"centre_code": "nowhere"}, UnknownCentre),
    ({"centre_code": ""}, UnknownCentre),
])
def test_a_forward_needs_another_known_centre(app, db, params, error) -> None:  # noqa: ANN001
    record_id = record_in(app, db, "new")
    with db.transaction() as session:
        record = session.get(IntakeRecord, record_id)
        with pytest.raises(error):
            Workflow(session, app.extensions["tsunagu"].profile).apply(record, "forward", actor("centre_staff"), **params)
        assert record.status == "new"


@pytest.mark.parametrize("trigger", ["reject", "escalate"])
def test_a_reason_is_required(app, db, trigger) -> None:  # noqa: ANN001
    record_id = record_in(app, db, "forwarded" if trigger == "reject" else "new")
    with db.transaction() as session:
        record = session.get(IntakeRecord, record_id)
        with pytest.raises(ReasonRequired):
            Workflow(session, app.extensions["tsunagu"].profile).apply(record, trigger, actor("centre_staff"), reason=" ")


def test_without_consent_only_the_coordinator_forwards(app, db) -> None:  # noqa: ANN001
    record_id, _ = danger_record(app, area="taira")
    with db.transaction() as session:
        record = session.get(IntakeRecord, record_id)
        workflow = Workflow(session, app.extensions["tsunagu"].profile)
        assert "forward" not in workflow.available(record, "centre_staff")
        with pytest.raises(ConsentMissing):
            workflow.forward(record, actor("centre_staff"), "onahama")
        event = workflow.forward(record, actor("coordinator"), "onahama")
        assert event.details["legal_basis"] == "vital_interest"


def test_centre_staff_cannot_change_another_centres_record(app, db) -> None:  # noqa: ANN001
    record_id = record_in(app, db, "new")
    with db.transaction() as session:
        record = session.get(IntakeRecord, record_id)
        with pytest.raises(NotInScope):
            Workflow(session, app.extensions["tsunagu"].profile).apply(
                record, "triage", Actor(None, "centre_staff", ("onahama",)))


def test_the_residents_withdrawal_goes_through_the_workflow(app, db) -> None:  # noqa: ANN001
    from bot.services.intake import IntakeService

    record_id = record_in(app, db, "in_progress")
    with db.transaction() as session:
        record = session.get(IntakeRecord, record_id)
        IntakeService(session, app.extensions["tsunagu"].profile).withdraw(record.resident, record_id)
    with db.transaction() as session:
        event = session.scalars(select(RecordEvent).where(RecordEvent.record_id == record_id)).one()
        assert (event.action, event.actor_kind, event.to_status) == ("withdraw", "resident", "withdrawn")
