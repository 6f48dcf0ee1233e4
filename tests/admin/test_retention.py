"""保存期間: a consultation kept past the profile's period is anonymised (or deleted) by the daily task,
keeping only what the figures count; a dry run lists what would go; every run is audited."""
from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo
from pathlib import Path

import pytest

from sqlalchemy import func, select, update

from bot.models import AuditLog, utcnow
from bot.models.intake import IntakeAttachment, IntakeMessage, IntakeRecord
from bot.models.workflow import RecordNote
from bot.municipality import PROFILES_DIR
from bot.services import audit_chain
from bot.tasks.retention import apply_retention
from bot.models.workflow import RecordEvent
from tests.admin.conftest import FAST_HASHING, STAFF, create_staff
from tests.admin.records_support import submit_record
from tests.admin.support import StaffBrowser
from tests.conftest import CHANNEL_SECRET
from tests.support import Chat, Worker
from tests.test_intake_flow import answer_until

STORY = "母の介護で仕事を休みがちです。"
PHONE = "09012345678"


def _closed_long_ago(app, browser, *, years: float, area: str = "taira") -> tuple[int, str]:  # noqa: ANN001
    """A consultation with a phone, a photo and a note, closed by its centre ``years`` ago."""
    record_id, receipt = submit_record(app, area=area, details=(STORY,), contact="phone", phone=PHONE)
    tsunagu = app.extensions["tsunagu"]
    with tsunagu.db.transaction() as session:
        session.add(IntakeAttachment(record_id=record_id, line_message_id=f"p{record_id}", content=b"\xff\xd8\xff",
                                     content_type="image/jpeg", status=IntakeAttachment.STORED))
    staff = browser("taira" if area == "taira" else "coordinator")
    staff.post(f"/admin/records/{record_id}/triage", {})
    staff.post(f"/admin/records/{record_id}/notes", {"note-body": "長男と同居。夜は電話がつながりやすい。"})
    staff.post(f"/admin/records/{record_id}/close", {"close-outcome": "resolved"})
    ended = utcnow() - timedelta(days=round(365.25 * years))
    with tsunagu.db.transaction() as session:
        record = session.get(IntakeRecord, record_id)
        assert record.status == "closed"
        session.execute(update(IntakeRecord).where(IntakeRecord.id == record_id).values(
            closed_at=ended, created_at=ended - timedelta(days=30)))
    return record_id, receipt


def _run_the_daily_task(app) -> None:  # noqa: ANN001
    """As the huey consumer runs a periodic task: the function, in the worker's app context."""
    with app.app_context():
        apply_retention.call_local()


def _count(session, model, record_id: int) -> int:  # noqa: ANN001
    return session.scalar(select(func.count()).select_from(model).where(model.record_id == record_id))


def test_a_record_past_its_period_keeps_only_what_the_figures_count(app, staff, browser) -> None:  # noqa: ANN001
    old_id, old_receipt = _closed_long_ago(app, browser, years=5.1)
    recent_id, _ = _closed_long_ago(app, browser, years=4.9)
    open_id, _ = submit_record(app, area="taira", phone=PHONE, contact="phone")

    _run_the_daily_task(app)

    with app.extensions["tsunagu"].db.transaction() as session:
        old = session.get(IntakeRecord, old_id)
        assert old.anonymised_at is not None
        assert (old.receipt_number, old.status, old.centre_code, old.categories) == (
            old_receipt, "closed", "taira", ["elderly"])
        assert (old.phone, old.resident_id, old.area_code, old.contact_method, old.urgency) == (None,) * 5
        received = old.created_at.astimezone(ZoneInfo("Asia/Tokyo"))
        assert (received.day, received.hour, received.minute) == (1, 0, 0)  # only the month is kept
        assert [_count(session, model, old_id) for model in (IntakeMessage, IntakeAttachment, RecordNote)] == [0, 0, 0]
        timeline = session.scalars(select(RecordEvent).where(RecordEvent.record_id == old_id)).all()
        assert [event.action for event in timeline] and all(set(event.details) <= {"from_centre", "to_centre",
                                                                                   "legal_basis"} for event in timeline)
        for kept in (session.get(IntakeRecord, recent_id), session.get(IntakeRecord, open_id)):
            assert kept.anonymised_at is None and kept.phone == PHONE and kept.messages
        entry = session.scalars(select(AuditLog).where(AuditLog.action == "retention.run")).one()
        assert entry.actor_id is None
        assert entry.details == {"mode": "anonymise", "dry_run": False, "records": 1, "photos": 1, "via": "worker",
                                 "messages": 2,  # what the resident wrote, and the notice that it was closed
                                 "help_requests": 0}
        assert audit_chain.verify(session).intact


def test_the_record_page_of_an_anonymised_record_shows_no_resident_and_says_so_in_the_audit_log(
        app, staff, browser) -> None:  # noqa: ANN001
    record_id, receipt = _closed_long_ago(app, browser, years=6)
    _run_the_daily_task(app)
    _run_the_daily_task(app)  # the next day: nothing left to do

    page = browser("taira").get(f"/admin/records/{record_id}")
    audit_page = browser("admin").get("/admin/audit/", query_string={"action": "retention.run"})

    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert STORY not in html and "090-1234-5678" not in html and "長男" not in html
    assert "保存期間を過ぎた記録の匿名化・削除" in audit_page.get_data(as_text=True)
    assert "records=0" in audit_page.get_data(as_text=True) and "records=1" in audit_page.get_data(as_text=True)


def test_a_city_whose_profile_says_delete_loses_the_record_entirely(make_app, tmp_path: Path) -> None:  # noqa: ANN001
    profile = tmp_path / "iwaki.toml"
    profile.write_text((PROFILES_DIR / "iwaki.toml").read_text(encoding="utf-8")
                       .replace('mode = "anonymise"', 'mode = "delete"'), encoding="utf-8")
    app = make_app(MUNICIPALITY=str(profile), **FAST_HASHING)
    create_staff(app, *STAFF["taira"])

    def browser(_key: str) -> StaffBrowser:
        person = StaffBrowser(app.test_client())
        person.log_in(STAFF["taira"][0], "correct-horse-battery")
        return person

    record_id, _ = _closed_long_ago(app, browser, years=5.5)

    _run_the_daily_task(app)

    with app.extensions["tsunagu"].db.transaction() as session:
        assert session.get(IntakeRecord, record_id) is None
        assert _count(session, IntakeMessage, record_id) == 0
        assert _count(session, IntakeAttachment, record_id) == 0
        entry = session.scalars(select(AuditLog).where(AuditLog.action == "retention.run")).one()
        assert entry.details["mode"] == "delete" and entry.details["records"] == 1


def test_the_dry_run_lists_receipt_numbers_and_dates_only_and_changes_nothing(app, staff, browser) -> None:  # noqa: ANN001
    record_id, receipt = _closed_long_ago(app, browser, years=7)

    result = app.test_cli_runner().invoke(args=["retention", "--dry-run"])

    assert result.exit_code == 0, result.output
    assert receipt in result.output and "1 records would be anonymised" in result.output
    assert STORY not in result.output and PHONE not in result.output and "相談 花子" not in result.output
    with app.extensions["tsunagu"].db.transaction() as session:
        assert session.get(IntakeRecord, record_id).phone == PHONE
        entry = session.scalars(select(AuditLog).where(AuditLog.action == "retention.run")).one()
        assert entry.details["dry_run"] is True and entry.details["via"] == "cli"


def test_the_consent_text_states_the_profiles_retention_period(make_app, line, tmp_path: Path) -> None:  # noqa: ANN001
    profile = tmp_path / "iwaki.toml"
    profile.write_text((PROFILES_DIR / "iwaki.toml").read_text(encoding="utf-8").replace("years = 5", "years = 7"),
                       encoding="utf-8")
    app = make_app(MUNICIPALITY=str(profile))
    line.set_profile("U" + "7" * 32, "山田花子", "ja")
    resident = Chat(app.test_client(), line, Worker(app), "U" + "7" * 32, CHANNEL_SECRET)
    resident.follows()
    resident.tap_chip("相談する")

    answer_until(resident, "consent")

    assert "相談が終わってから7年で、あなたが分かる情報を消します" in resident.last_text()
    assert app.extensions["tsunagu"].profile.retention.years == 7  # the period the task applies


def test_a_profile_with_no_real_retention_period_does_not_load(tmp_path: Path) -> None:
    from bot.municipality import ProfileError, load_profile

    original = (PROFILES_DIR / "iwaki.toml").read_text(encoding="utf-8")
    for change, problem in [("years = 0", "retention.years"), ('mode = "forget"', "retention.mode")]:
        path = tmp_path / "city.toml"
        path.write_text(original.replace("years = 5", change) if "years" in change
                        else original.replace('mode = "anonymise"', change), encoding="utf-8")
        with pytest.raises(ProfileError, match=problem):
            load_profile(str(path))


def test_a_help_request_past_the_period_forgets_who_asked_and_keeps_the_hours(app, chat) -> None:  # noqa: ANN001
    from bot.models import HelpDone, HelpRequest, Resident
    from bot.services.mutual_aid import MutualAidService

    resident = chat("U" + "h" * 32, "佐藤ハナ")
    resident.follows()
    tsunagu = app.extensions["tsunagu"]
    with tsunagu.db.transaction() as session:
        service = MutualAidService(session, tsunagu.profile)
        helper = service.register_supporter(None, name="高橋二郎", tasks=["shopping"], area_codes=["taira"],
                                            availability=["weekday_am"], phone="09011112222")
        service.approve(helper.id, None, insurance="ボランティア活動保険")
        asker = session.scalars(select(Resident).where(Resident.line_user_id == resident.user_id)).one()
        made = []
        for _ in range(3):
            request = service.ask(tasks=["shopping"], area_code="taira", details="足が悪く、重い物が持てません",
                                  name="佐藤ハナ", phone="0246221111", wanted_on=None, staff_id=None)
            request.resident_id, request.check_words = asker.id, "とても助かりました"
            made.append(request)
        for request in made[:2]:
            service.assign(request.id, helper.id, None)
            service.confirm(request.id)
            service.record_done(request.id, hours=2.0, by="staff")
        old, recent, still_open = (r.id for r in made)
    long_ago = utcnow() - timedelta(days=round(365.25 * 5.1))
    with tsunagu.db.transaction() as session:
        for request_id in (old, still_open):  # an open request is never forgotten, however old
            session.execute(update(HelpRequest).where(HelpRequest.id == request_id).values(updated_at=long_ago))

    _run_the_daily_task(app)

    with tsunagu.db.transaction() as session:
        forgotten = session.get(HelpRequest, old)
        assert (forgotten.name, forgotten.phone, forgotten.details, forgotten.check_words, forgotten.resident_id) == (
            "", None, "", "", None)
        assert (forgotten.tasks, forgotten.area_code, forgotten.status) == (["shopping"], "taira", "done")
        assert session.scalar(select(HelpDone.hours).where(HelpDone.request_id == old)) == 2.0  # points stay
        for kept in (session.get(HelpRequest, recent), session.get(HelpRequest, still_open)):
            assert (kept.name, kept.phone) == ("佐藤ハナ", "0246221111")
        entry = session.scalars(select(AuditLog).where(AuditLog.action == "retention.run")).one()
        assert entry.details["help_requests"] == 1
