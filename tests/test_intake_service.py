"""IntakeService: records made with consent, numbered, routed, threaded, withdrawn, marked urgent."""
import threading
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from bot.models import Conversation, utcnow
from bot.models.intake import IntakeAttachment, IntakeMessage, IntakeRecord, LegalBasis, RecordStatus
from bot.services.intake import (
    CONSENT_VERSION,
    Answers,
    ConsentRequired,
    IntakeService,
    NotWithdrawable,
    plain_status,
)
from bot.services.residents import ConversationService, ResidentService


@pytest.fixture
def db(app):
    return app.extensions["tsunagu"].db


@pytest.fixture
def profile(app):
    return app.extensions["tsunagu"].profile


def resident(session, user_id="U" + "b" * 32):
    return ResidentService(session).get_or_create(user_id)


def answers(**overrides):
    values = {
        "subject": "family",
        "categories": ["elderly", "money"],
        "area_code": "onahama",
        "area_source": "chosen",
        "urgency": "days",
        "contact_method": "phone",
        "phone": "０９０－１２３４－５６７８",
        "contact_times": "平日の午前",
        "details": [{"kind": "text", "id": "m1", "text": "母の介護で仕事を休みがちです"},
                    {"kind": "text", "id": "m2", "text": "お金のことも心配です"}],
    }
    values.update(overrides)
    return Answers(**values)


def submit(db, profile, user_id="U" + "b" * 32, **overrides):
    with db.transaction() as session:
        record = IntakeService(session, profile).submit(resident(session, user_id), answers(**overrides), consent_at=utcnow())
        return record.id, record.receipt_number


# -- creating ---------------------------------------------------------------------------


def test_a_record_keeps_every_answer_routed_to_its_centre(db, profile):
    record_id, receipt = submit(db, profile)
    with db.transaction() as session:
        record = session.get(IntakeRecord, record_id)
        assert receipt == f"IW-{datetime.now(ZoneInfo('Asia/Tokyo')).year}-000001"
        assert record.municipality == "iwaki"
        assert (record.subject, record.categories, record.area_code) == ("family", ["elderly", "money"], "onahama")
        assert record.centre_code == "onahama"
        assert record.phone == "09012345678"
        assert record.contact_times == "平日の午前"
        assert record.details == "母の介護で仕事を休みがちです\nお金のことも心配です"
        assert [m.phase for m in record.messages] == [IntakeMessage.DETAILS, IntakeMessage.DETAILS]
        assert record.status == RecordStatus.NEW and record.is_open
        assert record.legal_basis == LegalBasis.CONSENT
        assert record.consent_version == CONSENT_VERSION and record.consent_at is not None
        assert [flag["code"] for flag in record.flags] == ["multi_field"]
        assert not record.urgent
        assert record.resident.area_code is None  # the area where the mother lives is not the resident's


def test_the_residents_own_area_is_remembered_not_the_area_of_someone_they_consult_about(db, profile):
    submit(db, profile, subject="family", area_code="onahama", person_name="山田ハナ", relation="child")
    with db.transaction() as session:
        record = session.scalars(select(IntakeRecord)).one()
        assert (record.centre_code, record.person_name, record.relation) == ("onahama", "山田ハナ", "child")
        assert record.resident.area_code is None
    submit(db, profile, subject="self", area_code="taira", person_name="ignored", relation="ignored")
    with db.transaction() as session:
        record = session.scalars(select(IntakeRecord).order_by(IntakeRecord.id.desc())).first()
        assert (record.person_name, record.relation) == (None, None)  # only kept about someone else
        assert record.resident.area_code == "taira"  # offered first next time


def test_no_record_without_consent(db, profile):
    with db.transaction() as session:
        service = IntakeService(session, profile)
        with pytest.raises(ConsentRequired):
            service.submit(resident(session), answers(), consent_at=None)
        with pytest.raises(ConsentRequired):
            service.submit(resident(session), answers(), consent_at=utcnow(), consent_version="")
    with db.transaction() as session:
        assert session.scalar(select(func.count()).select_from(IntakeRecord)) == 0


def test_a_phone_number_is_kept_only_when_the_resident_asked_to_be_called(db, profile):
    record_id, _ = submit(db, profile, contact_method="line")
    with db.transaction() as session:
        assert session.get(IntakeRecord, record_id).phone is None


def test_wanting_contact_now_makes_the_record_urgent_and_a_collaboration_candidate(db, profile):
    record_id, _ = submit(db, profile, categories=["health"], urgency="now")
    with db.transaction() as session:
        record = session.get(IntakeRecord, record_id)
        assert record.urgent and record.urgent_at is not None
        assert record.flags == [{"code": "urgent", "cause": "now"}]  # a code; staff read it in their language


def test_unknown_area_goes_to_the_coordinator(db, profile):
    record_id, _ = submit(db, profile, area_code=None, area_source="unknown")
    with db.transaction() as session:
        record = session.get(IntakeRecord, record_id)
        assert record.in_triage and record.centre_code is None
        assert IntakeService(session, profile).desk_contact(record)[0] == "保健福祉課 地域共生社会推進係"


# -- receipt numbers ------------------------------------------------------------------------


def test_receipt_numbers_count_up_per_municipality_and_start_again_each_year(db, profile):
    with db.transaction() as session:
        service = IntakeService(session, profile)
        # 31 December 23:30 in Japan is still 2026 there, though already 14:30 UTC.
        new_years_eve = datetime(2026, 12, 31, 14, 30, tzinfo=timezone.utc)
        assert service.next_receipt_number(new_years_eve) == "IW-2026-000001"
        assert service.next_receipt_number(new_years_eve) == "IW-2026-000002"
        assert service.next_receipt_number(datetime(2026, 12, 31, 15, 30, tzinfo=timezone.utc)) == "IW-2027-000001"
        assert service.next_receipt_number(new_years_eve) == "IW-2026-000003"


def test_receipt_numbers_are_unique_under_concurrent_submissions(db, profile):
    numbers, errors = [], []

    def consult(worker: int) -> None:
        try:
            for n in range(5):
                numbers.append(submit(db, profile, user_id=f"U{worker:02d}{n:02d}" + "c" * 28)[1])
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=consult, args=(i,)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(numbers) == len(set(numbers)) == 40
    assert sorted(int(n.rsplit("-", 1)[1]) for n in numbers) == list(range(1, 41))


# -- reading and withdrawing -----------------------------------------------------------------


def test_a_resident_sees_only_their_records_newest_first(db, profile):
    first = submit(db, profile)[1]
    second = submit(db, profile)[1]
    submit(db, profile, user_id="U" + "z" * 32)
    with db.transaction() as session:
        records = IntakeService(session, profile).records_of(resident(session))
        assert [r.receipt_number for r in records] == [second, first]


@pytest.mark.parametrize(
    ("status", "plain"),
    [
        ("new", "受付済み"),
        ("triaged", "担当者が確認しています"),
        ("forwarded", "担当者が確認しています"),
        ("in_progress", "対応中"),
        ("escalated", "対応中"),
        ("closed", "完了"),
        ("withdrawn", "取り下げ済み"),
        ("a_step_the_admin_view_adds_later", "対応中"),
    ],
)
def test_residents_read_a_plain_status(status, plain):
    assert plain_status(status) == plain


def test_withdrawing_ones_own_open_record(db, profile):
    record_id, _ = submit(db, profile)
    with db.transaction() as session:
        service = IntakeService(session, profile)
        with pytest.raises(NotWithdrawable):
            service.withdraw(resident(session, "U" + "z" * 32), record_id)  # not theirs
        record = service.withdraw(resident(session), record_id)
        assert record.status == RecordStatus.WITHDRAWN and record.withdrawn_at is not None
        assert service.open_record(resident(session)) is None
        with pytest.raises(NotWithdrawable):
            service.withdraw(resident(session), record_id)  # already withdrawn


def test_a_closed_record_cannot_be_withdrawn(db, profile):
    record_id, _ = submit(db, profile)
    with db.transaction() as session:
        session.get(IntakeRecord, record_id).status = RecordStatus.CLOSED
    with db.transaction() as session:
        with pytest.raises(NotWithdrawable):
            IntakeService(session, profile).withdraw(resident(session), record_id)


# -- danger ------------------------------------------------------------------------------------


def test_a_danger_signal_without_a_record_makes_a_minimal_urgent_one_without_consent(db, profile):
    with db.transaction() as session:
        someone = resident(session)
        someone.area_code = "joban"
        record, created = IntakeService(session, profile).raise_alarm(someone, "夫に殴られています", "m9", {"dv"})
        assert created
        assert record.source == "danger_signal"
        assert record.legal_basis == LegalBasis.VITAL_INTEREST and record.consent_at is None
        assert record.urgent and record.danger_kinds == ["dv"]
        assert record.categories == ["violence"]
        assert (record.area_code, record.area_source, record.centre_code) == ("joban", "remembered", "joban_tono")
        assert [(m.phase, m.text) for m in record.messages] == [(IntakeMessage.DANGER, "夫に殴られています")]
        assert "danger" in [flag["code"] for flag in record.flags]


def test_a_danger_signal_marks_the_record_the_conversation_is_about_urgent_instead_of_making_another(db, profile):
    record_id, _ = submit(db, profile)
    with db.transaction() as session:
        record, created = IntakeService(session, profile).raise_alarm(resident(session), "もう死にたい", "m10", {"suicide"},
                                                                      record_id=record_id)
        assert not created and record.id == record_id
        assert record.urgent and record.danger_kinds == ["suicide"]
        assert session.scalar(select(func.count()).select_from(IntakeRecord)) == 1


def test_submitting_completes_the_minimal_record_of_the_same_conversation(db, profile):
    with db.transaction() as session:
        record, _ = IntakeService(session, profile).raise_alarm(resident(session), "死にたい", "m1", {"suicide"})
        minimal_id, receipt = record.id, record.receipt_number
    with db.transaction() as session:
        record = IntakeService(session, profile).submit(
            resident(session), answers(details=[{"kind": "text", "id": "m1", "text": "死にたい"},
                                                {"kind": "text", "id": "m2", "text": "仕事を失いました"}]),
            consent_at=utcnow(), urgent_record_id=minimal_id,
        )
        assert (record.id, record.receipt_number) == (minimal_id, receipt)
        assert record.legal_basis == LegalBasis.CONSENT and record.urgent
        # The message that signalled danger is kept once.
        assert [(m.phase, m.text) for m in record.messages] == [
            (IntakeMessage.DANGER, "死にたい"), (IntakeMessage.DETAILS, "仕事を失いました"),
        ]


# -- drafts, photos, unsend ---------------------------------------------------------------------


def draft(session, someone, age: timedelta, data=None, ended=None):
    conversation = ConversationService(session, 24 * 60).start(someone, "intake", "area", data or {"subject": "self"})
    conversation.updated_at = utcnow() - age
    if ended:
        conversation.ended_at, conversation.end_reason = utcnow(), ended
    session.flush()
    return conversation


def test_drafts_older_than_24_hours_are_deleted_with_their_photos(db, profile):
    with db.transaction() as session:
        someone = resident(session)
        service = IntakeService(session, profile)
        old = draft(session, someone, timedelta(hours=25), {"subject": "self", "details": [{"kind": "text", "id": "x", "text": "秘密"}]})
        old_photo = service.new_photo(someone, "p1", conversation_id=old.id)
        left = draft(session, someone, timedelta(hours=30), ended="left")
        fresh = draft(session, someone, timedelta(hours=2), ended="replaced")
        ids = old.id, old_photo.id, left.id, fresh.id
    with db.transaction() as session:
        assert IntakeService(session, profile).purge_drafts() == 2
    with db.transaction() as session:
        old, left, fresh = (session.get(Conversation, i) for i in (ids[0], ids[2], ids[3]))
        assert old.data == {"expired_untold": True} and old.end_reason == "purged" and old.ended_at is not None
        assert left.data == {"expired_untold": True} and left.end_reason == "purged"
        assert fresh.data == {"subject": "self"} and fresh.end_reason == "replaced"
        assert session.get(IntakeAttachment, ids[1]) is None


def test_a_draft_younger_than_24_hours_can_be_resumed(db, profile):
    with db.transaction() as session:
        someone = resident(session)
        service = IntakeService(session, profile)
        conversation = draft(session, someone, timedelta(hours=23), ended="left")
        assert service.resumable_draft(someone).id == conversation.id
        conversation.updated_at = utcnow() - timedelta(hours=25)
        assert service.resumable_draft(someone) is None
        assert service.expired_draft(someone).id == conversation.id


def test_an_unsent_message_leaves_only_a_tombstone_in_the_thread(db, profile):
    record_id, _ = submit(db, profile)
    with db.transaction() as session:
        service = IntakeService(session, profile)
        record = session.get(IntakeRecord, record_id)
        photo = service.new_photo(resident(session), "p7", record=record)
        service.add_message(record, line_message_id="p7", attachment=photo)
        service.add_message(record, text="やっぱり言わなければよかった", line_message_id="t8")
    with db.transaction() as session:
        service = IntakeService(session, profile)
        assert service.remove_unsent(resident(session), "t8") == 1
        assert service.remove_unsent(resident(session), "p7") == 1  # the thread item, with its photo
        assert service.remove_unsent(resident(session, "U" + "z" * 32), "m1") == 0  # not theirs
    with db.transaction() as session:
        record = session.get(IntakeRecord, record_id)
        assert [(m.kind, m.text) for m in record.messages[-2:]] == [(IntakeMessage.UNSENT, None)] * 2
        assert session.scalar(select(func.count()).select_from(IntakeAttachment)) == 0


def test_demo_consultations_load_once_for_the_admin_view(app):
    from bot.demo.intake import load

    assert "8 demo consultations" in load(app)[0]
    assert load(app) == ["intake: demo consultations already present"]
    with app.extensions["tsunagu"].db.transaction() as session:
        records = session.scalars(select(IntakeRecord)).all()
        assert len({r.centre_code for r in records if r.centre_code}) == 7
        assert sum(r.urgent for r in records) == 2
        assert [r.legal_basis for r in records if r.source == "danger_signal"] == [LegalBasis.VITAL_INTEREST]


def test_a_new_consultation_never_overwrites_an_earlier_record_that_a_danger_signal_marked(db, profile):
    earlier_id, earlier_receipt = submit(db, profile, categories=["work"])
    with db.transaction() as session:
        marked, created = IntakeService(session, profile).raise_alarm(resident(session), "死にたい", "m5", {"suicide"},
                                                                      record_id=earlier_id)
        assert (marked.id, created) == (earlier_id, False)
    with db.transaction() as session:
        record = IntakeService(session, profile).submit(
            resident(session), answers(categories=["housing"], danger_kinds=["suicide"]),
            consent_at=utcnow(), urgent_record_id=earlier_id,
        )
        assert record.id != earlier_id and record.urgent and record.categories == ["housing"]
    with db.transaction() as session:
        earlier = session.get(IntakeRecord, earlier_id)
        assert (earlier.receipt_number, earlier.categories, earlier.urgent) == (earlier_receipt, ["work"], True)
