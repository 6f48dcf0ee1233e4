"""The figures' daily summary equals a count from scratch after what staff and residents really do."""
from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

from sqlalchemy import select

from bot.models import utcnow
from bot.models.figures import FigureCount
from bot.models.intake import IntakeRecord
from bot.models.workflow import RecordEvent
from bot.services.figures import FigureSummary, Figures, Period, city_day, duration_bucket
from tests.admin.records_support import danger_record, move, submit_record


def _from_scratch(session) -> Counter:  # noqa: ANN001
    """Every count the summary should hold, read straight from the records with plain Python."""
    counts: Counter = Counter()
    for record in session.scalars(select(IntakeRecord)):
        where = (record.centre_code or "", "")  # the area is kept for the received count only
        received = city_day(record.created_at)
        counts[(received, record.centre_code or "", record.area_code or "", "received", "")] += 1
        for category in set(record.categories):
            counts[(received, *where, "category", category)] += 1
        counts[(received, *where, "subject", record.subject or "")] += 1
        counts[(received, *where, "channel", "line")] += 1
        counts[(received, *where, "urgency", record.urgency or "")] += 1
        if record.workflow is not None and record.workflow.escalated_at is not None:
            counts[(received, *where, "escalated", "")] += 1
        staff_steps = [e.at for e in session.scalars(select(RecordEvent).where(
            RecordEvent.record_id == record.id, RecordEvent.actor_kind == RecordEvent.STAFF))]
        if staff_steps:
            counts[(received, *where, "first_contact_hours", duration_bucket(record.created_at, min(staff_steps)))] += 1
        if record.closed_at is not None:
            closed = city_day(record.closed_at)
            counts[(closed, *where, "closed", "")] += 1
            counts[(closed, *where, "outcome", record.workflow.outcome or "")] += 1
            counts[(closed, *where, "close_hours", duration_bucket(record.created_at, record.closed_at))] += 1
        if record.withdrawn_at is not None:
            counts[(city_day(record.withdrawn_at), *where, "withdrawn", "")] += 1
    return counts


def _summary(session) -> Counter:  # noqa: ANN001
    FigureSummary(session).refresh()
    return Counter({(row.day, row.centre_code, row.area_code, row.measure, row.value): row.count
                    for row in session.scalars(select(FigureCount))})


def _received_days_ago(app, record_id: int, days: int, hours: int = 0) -> None:  # noqa: ANN001
    """The record came in earlier (as records made before the figures were read did)."""
    with app.extensions["tsunagu"].db.transaction() as session:
        record = session.get(IntakeRecord, record_id)
        record.created_at = utcnow() - timedelta(days=days, hours=hours)


def test_the_summary_equals_a_count_from_scratch_after_creates_forwards_and_closes(app) -> None:  # noqa: ANN001
    first = submit_record(app, area="taira", categories=("elderly", "family"))[0]
    second = submit_record(app, area="taira", categories=("money",), urgency="now")[0]
    third = submit_record(app, area="onahama", categories=("children",))[0]
    unknown = submit_record(app, area=None, categories=("unknown",))[0]
    danger = danger_record(app, area="onahama")[0]
    for record_id, days in ((first, 40), (second, 3), (third, 1)):
        _received_days_ago(app, record_id, days, hours=5)
    tsunagu = app.extensions["tsunagu"]
    with tsunagu.db.transaction() as session:
        assert _summary(session) == _from_scratch(session)

    move(app, first, ("forward", "centre_staff", {"centre_code": "onahama", "note": "住所が小名浜でした"}))
    move(app, first, ("accept", "centre_staff", {}), ("close", "centre_staff", {"outcome": "resolved"}))
    move(app, second, ("start", "centre_staff", {}), ("escalate", "centre_staff", {"reason": "複数の機関が必要"}))
    move(app, third, ("start", "centre_staff", {}), ("close", "centre_staff", {"outcome": "referred"}),
         ("reopen", "centre_staff", {}))
    move(app, unknown, ("forward", "coordinator", {"centre_code": "taira"}))
    with tsunagu.db.transaction() as session:
        summary = _summary(session)
        assert summary == _from_scratch(session)
        assert sum(n for key, n in summary.items() if key[3] == "received") == 5
        assert summary[(city_day(utcnow()), "onahama", "", "closed", "")] == 1  # forwarded, then closed there
        assert summary[(city_day(utcnow()), "taira", "", "closed", "")] == 0

    with tsunagu.db.transaction() as session:  # a resident takes a consultation back
        from bot.services.workflow import Workflow

        Workflow(session, tsunagu.profile).withdraw(session.get(IntakeRecord, danger))
    with tsunagu.db.transaction() as session:
        assert _summary(session) == _from_scratch(session)
        today = city_day(utcnow())
        figures = Figures(session, tsunagu.profile).report(Period(today - timedelta(days=60), today), None,
                                                           meeting=False)
        progress = {label: [cell.text for cell in cells] for label, cells in figures.table("progress").rows}
        assert progress["計"] == ["5", "1", "1", "1", "3"]


def test_percentiles_come_from_the_hour_histogram() -> None:
    from bot.services.figures import percentile

    assert percentile({}, 0.5) is None
    assert percentile({1: 1, 2: 1, 30: 1}, 0.5) == 2
    assert percentile({1: 9, 100: 1}, 0.9) == 1 and percentile({1: 8, 100: 2}, 0.9) == 100


def test_a_fiscal_year_runs_from_april() -> None:
    year = Period.fiscal_year_of(date(2027, 2, 10))
    assert (year.start, year.end) == (date(2026, 4, 1), date(2027, 3, 31))
    assert len(year.months()) == 12
    quarter = Period.parse("quarter", "2026-Q4")
    assert (quarter.start, quarter.end) == (date(2027, 1, 1), date(2027, 3, 31))


def test_a_city_may_set_its_own_threshold(app) -> None:  # noqa: ANN001
    for _ in range(6):
        submit_record(app, area="taira", categories=("elderly",))
    tsunagu = app.extensions["tsunagu"]
    today = city_day(utcnow())
    with tsunagu.db.transaction() as session:
        strict = Figures(session, tsunagu.profile).report(Period(today, today), ["taira"])
        loose = Figures(session, tsunagu.profile.model_copy(update={"figures_threshold": 5})).report(
            Period(today, today), ["taira"])
    assert strict.threshold == 10 and strict.table("categories").rows[0][1][0].text == "10未満"
    assert loose.table("categories").rows[0][1][0].text == "6"


def test_durations_fall_in_buckets_a_meeting_reads() -> None:
    from datetime import datetime, timezone

    start = datetime(2026, 5, 1, 9, tzinfo=timezone.utc)
    assert duration_bucket(start, start + timedelta(minutes=30)) == "1"
    assert duration_bucket(start, start + timedelta(hours=20)) == "24"
    assert duration_bucket(start, start + timedelta(days=10)) == "336"  # within 14 days
    assert duration_bucket(start, start + timedelta(days=400)) == "8785"  # over a year
