"""Figures for the community-care meetings (地域ケア会議・重層的支援会議・協議体).

Consultations are counted from the daily summary (``bot/models/figures.py``):
every flush that touches a record marks the city days it counts on as
stale (:func:`watch_records`), and :meth:`FigureSummary.refresh` recounts
those days from the records before anything is read. Salons and events are
counted from their own tables (a year holds tens of thousands of dates).

Two ways to show a table (:func:`suppress`): in meeting mode (会議用, the
default) a count from 1 to threshold-1 shows as 「10未満」 and, where a row
or column would then have a single hidden cell that its total gives away,
a second cell (or the total) is hidden too (二次秘匿), as the 介護DB rule
does; staff mode shows exact numbers.
"""
from __future__ import annotations

import calendar
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import delete, event, func, insert, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session, sessionmaker

from bot.i18n import S_
from bot.models.events import Event, SignUp
from bot.models.figures import FigureCount, FigureStaleDay
from bot.models.intake import IntakeRecord, RecordStatus, Subject, Urgency
from bot.models.workflow import RecordEvent, RecordWorkflow
from bot.municipality import Municipality
from bot.services.record_queue import NO_CENTRE

CITY_ZONE = ZoneInfo("Asia/Tokyo")
_INSERT = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}

# How a consultation reached the city (受付経路). Records residents make are LINE; records staff enter
# for a phone call or a visit carry the source "phone" or "counter".
CHANNELS: dict[str, str] = {"line": S_("LINE"), "phone": S_("電話"), "counter": S_("窓口")}
_CHANNEL_OF_SOURCE = {"phone": "phone", "counter": "counter"}  # every other source came through LINE
SUBJECTS: dict[str, str] = {Subject.SELF: S_("本人"), Subject.FAMILY: S_("家族"), Subject.NEIGHBOUR: S_("近所・知り合い")}
URGENCIES: dict[str, str] = {Urgency.NOW: S_("すぐ"), Urgency.DAYS: S_("数日以内"), Urgency.ANYTIME: S_("いつでも")}

# Sections features landing later add: (staff label, figures(session, start, end, centre_codes) -> [(label, count)]).
ExtraFigures = Callable[[Session, date, date, "list[str] | None"], "list[tuple[str, int]]"]
EXTRA_SECTIONS: list[tuple[str, ExtraFigures]] = []
# Sections counted per area: (key, staff label, columns [(measure, label)],
# by_area(session, start, end, centre_codes) -> ({(area, measure): n}, {measure: total})).
AreaFigures = Callable[[Session, date, date, "list[str] | None"],
                       "tuple[dict[tuple[str, str], int], dict[str, int]]"]
AREA_SECTIONS: list[tuple[str, str, list[tuple[str, str]], AreaFigures]] = []


class PeriodError(ValueError):
    """The period asked for is not one the figures can be given for."""


@dataclass(frozen=True)
class Period:
    """Days from ``start`` to ``end``, both included, in city time."""

    start: date
    end: date
    kind: str = "range"  # month, quarter, year or range: how the period is named

    def label(self, translate: Callable[[str], str] = str) -> str:
        """The period as staff name it: 2026年5月, 2026年度 第1四半期, 2026年度, 2026-05-01〜2026-06-15."""
        fiscal_year = self.start.year if self.start.month >= 4 else self.start.year - 1
        if self.kind == "month":
            return translate(S_("{year}年{month}月")).format(year=self.start.year, month=self.start.month)
        if self.kind == "quarter":
            return translate(S_("{year}年度 第{quarter}四半期")).format(
                year=fiscal_year, quarter=(self.start.month - 4) % 12 // 3 + 1)
        if self.kind == "year":
            return translate(S_("{year}年度")).format(year=fiscal_year)
        return f"{self.start.isoformat()}〜{self.end.isoformat()}"

    @classmethod
    def parse(cls, kind: str, value: str = "", start: str = "", end: str = "") -> Period:
        """A month (2026-05), a quarter of the fiscal year (2026-Q1: April to June), a fiscal year (2026) or a range."""
        try:
            if kind == "month":
                year, month = (int(part) for part in re.fullmatch(r"(\d{4})-(\d{1,2})", value).groups())
                first = _day(year, month, 1)
                return cls(first, first.replace(day=calendar.monthrange(year, month)[1]), kind)
            if kind == "quarter":
                year, quarter = (int(part) for part in re.fullmatch(r"(\d{4})-Q([1-4])", value).groups())
                first = _day(year + (quarter == 4), (3 * quarter + 1) % 12 or 12, 1)
                last_month = first.month + 2
                return cls(first, first.replace(month=last_month, day=calendar.monthrange(first.year, last_month)[1]),
                           kind)
            if kind == "year":
                year = int(re.fullmatch(r"\d{4}", value).group())
                return cls(_day(year, 4, 1), _day(year + 1, 3, 31), kind)
            if kind == "range":
                first, last = date.fromisoformat(start), date.fromisoformat(end)
                if last < first or (last - first).days > 3 * 366 or not 2000 <= first.year <= 2100:
                    raise PeriodError("range")
                return cls(first, last, kind)
        except (AttributeError, ValueError) as error:
            raise PeriodError(kind) from error
        raise PeriodError(kind)

    @classmethod
    def fiscal_year_of(cls, day: date) -> Period:
        return cls.parse("year", str(day.year if day.month >= 4 else day.year - 1))

    def months(self) -> list[tuple[int, int]]:
        """(year, month) of every month the period touches, in order."""
        months, cursor = [], self.start.replace(day=1)
        while cursor <= self.end:
            months.append((cursor.year, cursor.month))
            cursor = (cursor + timedelta(days=32)).replace(day=1)
        return months


def _day(year: int, month: int, day: int) -> date:
    if not 2000 <= year <= 2100:
        raise PeriodError("year")
    return date(year, month, day)


def city_day(moment: datetime) -> date:
    """The city's date of a stored (UTC) moment."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(CITY_ZONE).date()


def _utc_bounds(first: date, last: date) -> tuple[datetime, datetime]:
    """The UTC moments from the start of ``first`` to the end of ``last`` in city time."""
    start = datetime.combine(first, time(), CITY_ZONE).astimezone(timezone.utc)
    end = datetime.combine(last + timedelta(days=1), time(), CITY_ZONE).astimezone(timezone.utc)
    return start, end


# -- the daily summary ---------------------------------------------------------------------------------------

def watch_records(sessions: sessionmaker) -> None:
    """Mark the days a flush changed as stale, so the summary is recounted before it is read."""
    event.listen(sessions, "after_flush", _mark_stale_days)


def _mark_stale_days(session: Session, _context: Any) -> None:
    days: set[date] = set()
    for item in [*session.new, *session.dirty, *session.deleted]:
        record = item if isinstance(item, IntakeRecord) else None
        if isinstance(item, (RecordWorkflow, RecordEvent)):
            record = session.get(IntakeRecord, item.record_id) if item.record_id else None
        if record is None:
            continue
        days.update(_days_of(record))
    if days:
        FigureSummary.mark(session, days)


def _days_of(record: IntakeRecord) -> set[date]:
    """Every day the record counts on, now and before this flush (a reopened record left its closing day)."""
    from sqlalchemy import inspect

    state = inspect(record)
    moments: list[datetime | None] = [record.created_at, record.closed_at, record.withdrawn_at]
    for name in ("created_at", "closed_at", "withdrawn_at"):
        moments.extend(state.attrs[name].history.deleted or ())
    return {city_day(moment) for moment in moments if moment is not None}


# Durations are counted in these buckets (hours, upper bounds): a year's summary stays small, and a median
# or 90th percentile reads as 「24時間以内」「14日以内」, as precise as a meeting needs.
DURATION_BUCKETS = (1, 2, 4, 8, 12, 24, 48, 72, 96, 120, 168, 240, 336, 504, 720, 1080, 1440, 2160, 2880, 4320, 6480,
                    8784)
OVER_A_YEAR = 8785


def duration_bucket(start: datetime, end: datetime) -> str:
    """The bucket of the time from ``start`` to ``end``: the smallest upper bound (hours) it fits under."""
    hours = (_aware(end) - _aware(start)).total_seconds() / 3600
    return str(next((bound for bound in DURATION_BUCKETS if hours < bound), OVER_A_YEAR))


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def count_days(session: Session, first: date, last: date) -> Counter[tuple[date, str, str, str, str]]:
    """Count city days from the records: (day, centre, area, measure, value) -> count. The summary's only rule."""
    start, end = _utc_bounds(first, last)
    counts: Counter[tuple[date, str, str, str, str]] = Counter()
    received = session.execute(
        select(IntakeRecord.id, IntakeRecord.centre_code, IntakeRecord.area_code, IntakeRecord.categories,
               IntakeRecord.subject, IntakeRecord.source, IntakeRecord.urgency, IntakeRecord.created_at,
               RecordWorkflow.escalated_at)
        .outerjoin(RecordWorkflow, RecordWorkflow.record_id == IntakeRecord.id)
        .where(IntakeRecord.created_at >= start, IntakeRecord.created_at < end)
    ).all()
    first_contact = dict(session.execute(
        select(RecordEvent.record_id, func.min(RecordEvent.at))
        .join(IntakeRecord, IntakeRecord.id == RecordEvent.record_id)
        .where(IntakeRecord.created_at >= start, IntakeRecord.created_at < end,
               RecordEvent.actor_kind == RecordEvent.STAFF)
        .group_by(RecordEvent.record_id)
    ).all())
    for row in received:
        # Only the received count keeps the area (the figures by area); the rest are per centre.
        counts[(city_day(row.created_at), row.centre_code or "", row.area_code or "", "received", "")] += 1
        where = (city_day(row.created_at), row.centre_code or "", "")
        for category in set(row.categories or ()):
            counts[(*where, "category", str(category)[:32])] += 1
        counts[(*where, "subject", row.subject or "")] += 1
        counts[(*where, "channel", _CHANNEL_OF_SOURCE.get(row.source, "line"))] += 1
        counts[(*where, "urgency", row.urgency or "")] += 1
        if row.escalated_at is not None:
            counts[(*where, "escalated", "")] += 1
        if row.id in first_contact:
            counts[(*where, "first_contact_hours", duration_bucket(row.created_at, first_contact[row.id]))] += 1
    closed = session.execute(
        select(IntakeRecord.centre_code, IntakeRecord.area_code, IntakeRecord.created_at, IntakeRecord.closed_at,
               RecordWorkflow.outcome)
        .outerjoin(RecordWorkflow, RecordWorkflow.record_id == IntakeRecord.id)
        .where(IntakeRecord.closed_at >= start, IntakeRecord.closed_at < end)
    ).all()
    for row in closed:
        where = (city_day(row.closed_at), row.centre_code or "", "")
        counts[(*where, "closed", "")] += 1
        counts[(*where, "outcome", row.outcome or "")] += 1
        counts[(*where, "close_hours", duration_bucket(row.created_at, row.closed_at))] += 1
    withdrawn = session.execute(
        select(IntakeRecord.centre_code, IntakeRecord.area_code, IntakeRecord.withdrawn_at)
        .where(IntakeRecord.withdrawn_at >= start, IntakeRecord.withdrawn_at < end)
    ).all()
    for row in withdrawn:
        counts[(city_day(row.withdrawn_at), row.centre_code or "", "", "withdrawn", "")] += 1
    return counts


def _runs(days: list[date], longest: int = 31) -> list[tuple[date, date]]:
    """Sorted days as runs of consecutive days (first, last), none longer than ``longest`` days."""
    runs: list[tuple[date, date]] = []
    for day in days:
        if runs and day - runs[-1][1] == timedelta(days=1) and (day - runs[-1][0]).days < longest:
            runs[-1] = (runs[-1][0], day)
        else:
            runs.append((day, day))
    return runs


class FigureSummary:
    """The daily summary: marked stale by flushes, recounted day by day."""

    def __init__(self, session: Session) -> None:
        self.session = session

    @staticmethod
    def mark(session: Session, days: Iterable[date]) -> None:
        """Mark days stale; a day another transaction marks at the same time is skipped, not an error."""
        dialect = session.get_bind().dialect.name
        stmt = _INSERT[dialect](FigureStaleDay).on_conflict_do_nothing(index_elements=[FigureStaleDay.day])
        session.execute(stmt, [{"day": day} for day in sorted(set(days))])

    def refresh(self) -> int:
        """Recount every stale day; returns how many were recounted.

        The stale rows are locked while their days are recounted; a day another reader is recounting at
        that moment is skipped (its counts are at most a moment old), so two readers never write one day.
        """
        days = list(self.session.scalars(select(FigureStaleDay.day).order_by(FigureStaleDay.day)
                                         .with_for_update(skip_locked=True)))
        for first, last in _runs(days):
            self.recount(first, last)
        if days:
            self.session.execute(delete(FigureStaleDay).where(FigureStaleDay.day.in_(days)))
        return len(days)

    def recount(self, first: date, last: date) -> None:
        """Count the days from ``first`` to ``last`` again, in place of what the summary held for them."""
        self.session.execute(delete(FigureCount).where(FigureCount.day >= first, FigureCount.day <= last))
        rows = [{"day": day, "centre_code": centre, "area_code": area, "measure": measure, "value": value,
                 "count": count}
                for (day, centre, area, measure, value), count in count_days(self.session, first, last).items()]
        for offset in range(0, len(rows), 5000):
            self.session.execute(insert(FigureCount.__table__), rows[offset:offset + 5000])

    def rebuild(self, first: date, last: date) -> None:
        """Recount every day from ``first`` to ``last`` (after bulk loads that bypass the session)."""
        day = first
        while day <= last:
            run_end = min(last, day + timedelta(days=30))
            self.recount(day, run_end)
            day = run_end + timedelta(days=1)

    def totals(self, start: date, end: date, centre_codes: list[str] | None, *, by_area: bool = False,
               measures: Iterable[str] | None = None) -> dict[tuple[str, str, str], int]:
        """(centre or area, measure, value) -> count over the days from ``start`` to ``end``."""
        place = FigureCount.area_code if by_area else FigureCount.centre_code
        stmt = (select(place, FigureCount.measure, FigureCount.value, func.sum(FigureCount.count))
                .where(FigureCount.day >= start, FigureCount.day <= end)
                .group_by(place, FigureCount.measure, FigureCount.value))
        if centre_codes is not None:
            stmt = stmt.where(FigureCount.centre_code.in_(centre_codes))
        if measures is not None:
            stmt = stmt.where(FigureCount.measure.in_(list(measures)))
        return {(p, m, v): int(n) for p, m, v, n in self.session.execute(stmt)}

    def monthly(self, start: date, end: date, centre_codes: list[str] | None, measure: str
                ) -> dict[tuple[int, int, str], int]:
        """(year, month, value) -> count of one measure, month by month."""
        counts: dict[tuple[int, int, str], int] = defaultdict(int)
        stmt = (select(FigureCount.day, FigureCount.value, func.sum(FigureCount.count))
                .where(FigureCount.day >= start, FigureCount.day <= end, FigureCount.measure == measure)
                .group_by(FigureCount.day, FigureCount.value))
        if centre_codes is not None:
            stmt = stmt.where(FigureCount.centre_code.in_(centre_codes))
        for day, value, count in self.session.execute(stmt):
            counts[(day.year, day.month, value)] += int(count)
        return counts

    def open_at(self, end: date, centre_codes: list[str] | None) -> dict[str, int]:
        """Records still open at the end of ``end`` per centre: received, less closed and withdrawn, until then."""
        stmt = (select(FigureCount.centre_code, FigureCount.measure, func.sum(FigureCount.count))
                .where(FigureCount.day <= end, FigureCount.measure.in_(["received", "closed", "withdrawn"]))
                .group_by(FigureCount.centre_code, FigureCount.measure))
        if centre_codes is not None:
            stmt = stmt.where(FigureCount.centre_code.in_(centre_codes))
        still: dict[str, int] = defaultdict(int)
        for centre, measure, count in self.session.execute(stmt):
            still[centre] += int(count) if measure == "received" else -int(count)
        return dict(still)


def percentile(histogram: dict[int, int], share: float) -> int | None:
    """The value at ``share`` (0.5: the median) of a histogram {value: count}; None when it is empty."""
    total = sum(histogram.values())
    if not total:
        return None
    rank, seen = max(1, -(-total * share // 1)), 0
    for value in sorted(histogram):
        seen += histogram[value]
        if seen >= rank:
            return value
    return None


# -- suppression ----------------------------------------------------------------------------------------------

HIDDEN = "hidden"  # under the threshold (一次秘匿)
COMPLEMENT = "complement"  # hidden so that a total does not give a hidden cell away (二次秘匿)


def suppress(cells: list[list[int]], row_totals: list[int], column_totals: list[int], grand: int,
             threshold: int, *, rows_add_up: bool = True
             ) -> tuple[list[list[str | None]], list[str | None], list[str | None], str | None]:
    """Which cells of a table with totals to hide in meeting mode: None for shown, HIDDEN or COMPLEMENT.

    Every line (a row with its total, a column with its total, the row totals with the grand total, the
    column totals with the grand total) ends with no hidden cell or at least two: a single hidden cell
    would be its total less the others. The second one hidden is the smallest other non-zero cell of the
    line, else the line's total. ``rows_add_up`` False: a row's cells are not parts of its total (one
    record in several categories; columns of different things), so a row alone gives nothing away.
    """
    rows, columns = len(cells), len(column_totals)
    # The grid with the totals: row r < rows, column c < columns are cells; index ``rows``/``columns`` the totals.
    value: dict[tuple[int, int], int] = {(r, c): cells[r][c] for r in range(rows) for c in range(columns)}
    value.update({(r, columns): row_totals[r] for r in range(rows)})
    value.update({(rows, c): column_totals[c] for c in range(columns)})
    value[(rows, columns)] = grand
    marks: dict[tuple[int, int], str] = {key: HIDDEN for key, n in value.items() if 0 < n < threshold}
    lines = [[(r, c) for c in range(columns + 1)] for r in range(rows + 1)] if rows_add_up else []
    lines += [[(r, c) for r in range(rows + 1)] for c in range(columns + 1)]
    changed = True
    while changed:
        changed = False
        for line in lines:
            hidden = [key for key in line if key in marks]
            if len(hidden) != 1:
                continue
            *parts, total = line
            candidates = sorted((value[key], key) for key in parts if key not in marks and value[key] > 0)
            choice = candidates[0][1] if candidates else (total if total not in marks else None)
            if choice is None:
                continue
            marks[choice] = COMPLEMENT
            changed = True
    return ([[marks.get((r, c)) for c in range(columns)] for r in range(rows)],
            [marks.get((r, columns)) for r in range(rows)],
            [marks.get((rows, c)) for c in range(columns)],
            marks.get((rows, columns)))


# -- the report -----------------------------------------------------------------------------------------------

@dataclass
class Cell:
    """One number of a table as the page, the CSV and the print show it."""

    count: int | None  # None: not a count (a duration with too few records, a missing value)
    text: str
    link: dict[str, str] | None = None  # the queue's filter behind the number (staff mode)
    mark: str | None = None


@dataclass
class Table:
    key: str
    title: str
    columns: list[str]
    rows: list[tuple[str, list[Cell]]] = field(default_factory=list)
    note: str = ""

    def csv_rows(self) -> list[list[str]]:
        return [[label, *(cell.text for cell in cells)] for label, cells in self.rows]


def count_table(key: str, title: str, row_labels: list[tuple[str, str]], column_labels: list[tuple[str, str]],
                counts: dict[tuple[str, str], int], totals: dict[str, int] | None, *, meeting: bool,
                threshold: int, link: Callable[[str | None, str | None], dict[str, str] | None] | None = None,
                total_label: str = S_("計"), row_total: bool = True, translate: Callable[[str], str] = str,
                column_totals: dict[str, int] | None = None, column_total: bool = True) -> Table:
    """A table of counts with a total column and a total row, suppressed in meeting mode.

    ``totals`` gives each row's own total (records, when one record counts in several columns); by default
    the sum of the row; then the row's cells are not taken to add up to it. ``row_total`` False: the
    columns are different things, the table has no total column. ``column_totals``: totals that are not
    sums (places and people counted once however many rows they appear in). ``column_total`` False: the
    rows are different things, the table has no total row; with ``row_total`` False too, nothing adds up
    and each cell is hidden on its own.
    """
    cells = [[counts.get((row, column), 0) for column, _ in column_labels] for row, _ in row_labels]
    row_totals = [totals.get(row, 0) if totals is not None else sum(line) for (row, _), line in zip(row_labels, cells)]
    column_totals = [column_totals[column] if column_totals is not None else sum(line[c] for line in cells)
                     for c, (column, _) in enumerate(column_labels)]
    grand = sum(row_totals)
    if meeting and not (row_total or column_total):
        marks = [[HIDDEN if 0 < n < threshold else None for n in line] for line in cells]
        row_marks, column_marks, grand_mark = [None] * len(row_labels), [None] * len(column_labels), None
    elif meeting:
        marks, row_marks, column_marks, grand_mark = suppress(cells, row_totals, column_totals, grand, threshold,
                                                              rows_add_up=totals is None and row_total)
    else:
        marks = [[None] * len(column_labels) for _ in row_labels]
        row_marks, column_marks, grand_mark = [None] * len(row_labels), [None] * len(column_labels), None

    def cell(n: int, mark: str | None, filters: dict[str, str] | None) -> Cell:
        if mark == HIDDEN:
            return Cell(None, under, mark=mark)
        if mark == COMPLEMENT:
            return Cell(None, "＊", mark=mark)
        return Cell(n, f"{n:,}", link=filters if (not meeting and n and filters is not None) else None)

    under = hidden_text(threshold, translate)
    total_label = translate(total_label)
    table = Table(key, translate(title), [translate(label) for _, label in column_labels] + [total_label])
    for r, (row, label) in enumerate(row_labels):
        line = [cell(cells[r][c], marks[r][c], link(row, column) if link else None)
                for c, (column, _) in enumerate(column_labels)]
        line.append(cell(row_totals[r], row_marks[r], link(row, None) if link else None))
        table.rows.append((label, line))
    footer = [cell(column_totals[c], column_marks[c], link(None, column) if link else None)
              for c, (column, _) in enumerate(column_labels)]
    footer.append(cell(grand, grand_mark, link(None, None) if link else None))
    table.rows.append((total_label, footer))
    if not row_total:
        table.columns.pop()
        table.rows = [(row_label, line[:-1]) for row_label, line in table.rows]
    if not column_total:
        table.rows.pop()
    return table


@dataclass
class Report:
    period: Period
    meeting: bool
    threshold: int
    tables: list[Table]
    indicators: list[tuple[str, str]]
    monthly: dict[str, list[tuple[str, int | None]]]  # category label -> [(month, count)] for the chart
    # [(month, received in the period, received a year before)]; None: hidden in meeting mode
    year_on_year: list[tuple[str, int | None, int | None]] = field(default_factory=list)

    def table(self, key: str) -> Table:
        return next(table for table in self.tables if table.key == key)


def hidden_text(threshold: int, translate: Callable[[str], str] = str) -> str:
    """What a hidden count shows: 「10未満」."""
    return translate(S_("{threshold}未満")).format(threshold=threshold)


def _duration(bound: int | None, translate: Callable[[str], str]) -> str:
    """A duration bucket as staff read it: 「24時間以内」「14日以内」「1年超」."""
    if bound is None:
        return "―"
    if bound >= OVER_A_YEAR:
        return translate(S_("1年超"))
    if bound <= 48:
        return translate(S_("{hours}時間以内")).format(hours=bound)
    return translate(S_("{days}日以内")).format(days=bound // 24)


class Figures:
    """The figures page's tables for a period and the viewer's centres."""

    def __init__(self, session: Session, profile: Municipality, threshold: int | None = None,
                 translate: Callable[[str], str] = str) -> None:
        self.session = session
        self.t = translate
        self.profile = profile
        self.threshold = threshold or profile.figures_threshold
        self.summary = FigureSummary(session)

    def report(self, period: Period, centre_codes: list[str] | None, *, meeting: bool = True,
               names: Callable[[str, str], str] | None = None) -> Report:
        """Every table for ``period``; ``centre_codes`` None: every centre and the coordinator's triage."""
        self.summary.refresh()
        label = names or (lambda kind, code: code)
        t = self.threshold
        totals = self.summary.totals(period.start, period.end, centre_codes)
        centres = [(c.code, label("centre", c.code)) for c in self.profile.centres
                   if centre_codes is None or c.code in centre_codes]
        if centre_codes is None:
            centres.append(("", label("centre", "")))

        def by(measure: str) -> dict[tuple[str, str], int]:
            return {(place, value): n for (place, m, value), n in totals.items() if m == measure}

        received = {place: n for (place, value), n in by("received").items()}

        def queue(**fixed: str) -> Callable[[str, str], dict[str, str]]:
            def link(row: str | None, column: str | None) -> dict[str, str]:
                # The queue's 受付日 filter: the records received in the period, as these tables count them.
                filters = {"status": "all", **fixed, "date_from": period.start.isoformat(),
                           "date_to": period.end.isoformat()}
                if row is not None:
                    filters["centre"] = row or NO_CENTRE
                if column and "category" in fixed:
                    filters["category"] = column
                if column and "urgency" in fixed:
                    filters["urgency"] = column
                return {key: value for key, value in filters.items() if value}
            return link

        categories = [(c.code, label("category", c.code)) for c in self.profile.categories]
        tables = [
            count_table("categories", S_("相談受付件数（分野別・複数選択）"), centres, categories, by("category"),
                        received, meeting=meeting, threshold=t, translate=self.t, link=queue(category="")),
            count_table("subjects", S_("誰の相談か"), centres, list(SUBJECTS.items()), by("subject"), None,
                        meeting=meeting, threshold=t, translate=self.t, link=queue()),
            count_table("channels", S_("受付経路"), centres, list(CHANNELS.items()), by("channel"), None,
                        meeting=meeting, threshold=t, translate=self.t, link=queue()),
            count_table("urgency", S_("緊急度"), centres, list(URGENCIES.items()), by("urgency"), None,
                        meeting=meeting, threshold=t, translate=self.t, link=queue(urgency="")),
        ]
        still_open = self.summary.open_at(period.end, centre_codes)
        flow = {(place, measure): n for (place, measure, value), n in totals.items()
                if measure in ("received", "escalated", "closed", "withdrawn")}
        flow.update({(place, "open"): n for place, n in still_open.items()})
        tables.append(count_table(
            "progress", S_("受付・つなぎ・終結"), centres,
            [("received", S_("受付")), ("escalated", S_("多機関協働へ")), ("closed", S_("終結")),
             ("withdrawn", S_("取り下げ")), ("open", S_("期末に対応中"))],
            flow, {}, meeting=meeting, threshold=t, translate=self.t, row_total=False,
            # Only 受付 is the queue's 受付日 filter; the other columns count what happened in the period.
            link=lambda row, column: queue()(row, None) if column == "received" else None))
        outcomes = [(o.code, label("outcome", o.code)) for o in self.profile.outcomes]
        tables.append(count_table("outcomes", S_("終結時の結果"), centres, outcomes, by("outcome"), None,
                                  meeting=meeting, threshold=t, translate=self.t))
        tables.append(self._durations(centres, totals, meeting))
        area_totals = self.summary.totals(period.start, period.end, centre_codes, by_area=True, measures=["received"])
        areas = [(a.code, label("area", a.code)) for a in self.profile.areas
                 if centre_codes is None or self._centre_of_area(a.code) in centre_codes]
        received_by_area = {(area, "received"): n for (area, _, _), n in area_totals.items()}
        area_rows, note = areas, ""
        if meeting:
            area_rows, received_by_area, merged = self._merge_small_areas(areas, received_by_area, t, label)
            if merged:
                note = self.t(S_("件数の少ない地区は、センターごとにまとめて表示しています。"))
        area_table = count_table("areas", S_("地域別 相談受付件数"), area_rows, [("received", S_("受付"))],
                                 received_by_area, None, meeting=meeting, threshold=t, translate=self.t)
        area_table.note = note
        tables.append(area_table)
        events = self._events(period, centre_codes, meeting, label)
        tables.extend(events)
        for title, figures in EXTRA_SECTIONS:
            pairs = figures(self.session, period.start, period.end, centre_codes)
            tables.append(count_table(f"extra{len(tables)}", title, [(name, self.t(name)) for name, _ in pairs],
                                      [("count", S_("件数"))], {(name, "count"): n for name, n in pairs}, None,
                                      meeting=meeting, threshold=t, row_total=False, column_total=False,
                                      translate=self.t))
        for key, title, columns, by_area in AREA_SECTIONS:
            # Each column is a different measure (no total column); the total row is the city's, where a
            # supporter active in two areas counts once.
            counts, column_totals = by_area(self.session, period.start, period.end, centre_codes)
            tables.append(count_table(key, title, areas, columns, counts, None, meeting=meeting, threshold=t,
                                      row_total=False, column_totals=column_totals, translate=self.t))
        grand = sum(received.values())
        _, event_total = events[0].rows[-1]  # every kind together
        indicators = [(self.t(name), shown) for name, shown in (
            (S_("相談受付件数"), _shown(grand, meeting, t, self.t)),
            (S_("参加支援の対象者数（サロン・行事の実参加者数）"), event_total[3].text),
            (S_("地域づくりの拠点数（会場数）"), event_total[1].text),
            (S_("地域づくりの参加者数（延べ）"), event_total[2].text),
        )]
        monthly = self.summary.monthly(period.start, period.end, centre_codes, "category")
        chart = {name: [(self.t(S_("{month}月")).format(month=m), _chart_value(monthly.get((y, m, code), 0), meeting, t))
                        for y, m in period.months()] for code, name in categories}
        this_year = self.summary.monthly(period.start, period.end, centre_codes, "received")
        year_before = self.summary.monthly(_year_before(period.start), _year_before(period.end), centre_codes,
                                           "received")
        year_on_year = [(self.t(S_("{month}月")).format(month=m), _chart_value(this_year.get((y, m, ""), 0), meeting, t),
                         _chart_value(year_before.get((y - 1, m, ""), 0), meeting, t)) for y, m in period.months()]
        return Report(period, meeting, t, tables, indicators, chart, year_on_year)

    def _merge_small_areas(self, areas: list[tuple[str, str]], counts: dict[tuple[str, str], int], threshold: int,
                           label: Callable[[str, str], str],
                           ) -> tuple[list[tuple[str, str]], dict[tuple[str, str], int], bool]:
        """Meeting mode: a centre's areas with fewer than ``threshold`` (but some) become one row,
        「平のほかの地区（3地区）」, so the meeting sees a number where it would see many 「10未満」.
        A centre with only one such area keeps it (hidden as usual)."""
        small: dict[str, list[tuple[str, str]]] = defaultdict(list)
        for code, area_label in areas:
            if 0 < counts.get((code, "received"), 0) < threshold:
                small[self._centre_of_area(code) or ""].append((code, area_label))
        merged_codes = {code for group in small.values() if len(group) > 1 for code, _ in group}
        if not merged_codes:
            return areas, counts, False
        rows = [(code, area_label) for code, area_label in areas if code not in merged_codes]
        merged = {key: n for key, n in counts.items() if key[0] not in merged_codes}
        for centre, group in small.items():
            if len(group) < 2:
                continue
            key = f"others:{centre}"
            name = self.t(S_("{centre}のほかの地区（{count}地区）")).format(
                centre=label("centre", centre), count=len(group))
            rows.append((key, name))
            merged[(key, "received")] = sum(counts.get((code, "received"), 0) for code, _ in group)
        return rows, merged, True

    def _centre_of_area(self, area_code: str) -> str | None:
        from bot.services.routing import centre_for_area

        centre = centre_for_area(self.profile, area_code)
        return centre.code if centre else None

    def _durations(self, centres: list[tuple[str, str]], totals: dict[tuple[str, str, str], int],
                   meeting: bool) -> Table:
        table = Table("durations", self.t(S_("初回対応・終結までの時間")),
                      [self.t(S_("初回対応まで（中央値）")), self.t(S_("初回対応まで（90%）")), self.t(S_("終結まで（中央値）")),
                       self.t(S_("終結まで（90%）"))],
                      note=self.t(S_("初回対応: 職員が記録に最初に手を付けた時。件数が少ない場合は会議用表示で伏せます。")))
        rows = [*centres, ("*", self.t(S_("計")))]
        for code, row_label in rows:
            cells = []
            for measure in ("first_contact_hours", "close_hours"):
                histogram: dict[int, int] = defaultdict(int)
                for (place, m, value), n in totals.items():
                    if m == measure and (code == "*" or place == code) and value.isdigit():
                        histogram[int(value)] += n
                few = meeting and 0 < sum(histogram.values()) < self.threshold
                for share in (0.5, 0.9):
                    cells.append(Cell(None, hidden_text(self.threshold, self.t), mark=HIDDEN) if few
                                 else Cell(None, _duration(percentile(histogram, share), self.t)))
            table.rows.append((row_label, cells))
        return table

    def _events(self, period: Period, centre_codes: list[str] | None, meeting: bool,
                label: Callable[[str, str], str]) -> list[Table]:
        """Salons and events held in the period (not cancelled): dates, places, participants, waiting lists."""
        from bot.services.events.base import KINDS

        start, end = _utc_bounds(period.start, period.end)
        held = [Event.status == Event.SCHEDULED, Event.starts_at >= start, Event.starts_at < end]
        if centre_codes is not None:
            held.append(Event.centre_code.in_(centre_codes))
        # Three queries for both tables: dates and venues; seats and waiting lists; who took part.
        places: dict[tuple[str, str], set[str]] = defaultdict(set)
        counts: Counter[tuple[str, str, str]] = Counter()
        for kind, area, venue, dates in self.session.execute(
                select(Event.kind, Event.area_code, Event.venue_name, func.count(Event.id))
                .where(*held).group_by(Event.kind, Event.area_code, Event.venue_name)):
            places[(kind, area)].add(venue)
            counts[(kind, area, "dates")] += dates
        holding = SignUp.status.in_(SignUp.HOLDING_SEATS)
        for kind, area, seats, by_hand, waiting in self.session.execute(
                select(Event.kind, Event.area_code, func.sum(SignUp.party_size).filter(holding),
                       func.count(SignUp.id).filter(holding, SignUp.resident_id.is_(None)),
                       func.count(SignUp.id).filter(SignUp.status == SignUp.WAITING))
                .join(Event, Event.id == SignUp.event_id).where(*held).group_by(Event.kind, Event.area_code)):
            counts[(kind, area, "people")] += int(seats or 0)
            counts[(kind, area, "by_hand")] += by_hand  # phoned-in sign-ups: each counted as one person
            counts[(kind, area, "waiting")] += waiting
        residents: dict[tuple[str, str], set[int]] = defaultdict(set)
        for kind, area, resident_id in self.session.execute(
                select(Event.kind, Event.area_code, SignUp.resident_id).distinct()
                .join(Event, Event.id == SignUp.event_id)
                .where(*held, holding, SignUp.resident_id.is_not(None))):
            residents[(kind, area)].add(resident_id)
        columns = [("dates", S_("開催回数")), ("places", S_("会場数")), ("people", S_("参加者数（延べ）")),
                   ("unique", S_("実参加者数")), ("waiting", S_("キャンセル待ち"))]
        groups = {key for key in places} | {(kind, area) for kind, area, _ in counts}

        def figures_of(keys: list[tuple[str, str]]) -> dict[str, int]:
            venues = set().union(*(places[key] for key in keys)) if keys else set()
            people = set().union(*(residents[key] for key in keys)) if keys else set()
            return {"dates": sum(counts[(*key, "dates")] for key in keys), "places": len(venues),
                    "people": sum(counts[(*key, "people")] for key in keys),
                    "unique": len(people) + sum(counts[(*key, "by_hand")] for key in keys),
                    "waiting": sum(counts[(*key, "waiting")] for key in keys)}

        tables = []
        for key, title, position, rows in (
            ("event_kinds", S_("サロン・行事（種類別）"), 0, [(k, self.t(v)) for k, v in KINDS.items()]),
            ("event_areas", S_("サロン・行事（地域別）"), 1, [(a.code, label("area", a.code)) for a in self.profile.areas]),
        ):
            present = {group[position] for group in groups}
            rows = [row for row in rows if row[0] in present]
            rows += [(code, code) for code in sorted(present - {code for code, _ in rows})]
            cells = {(code, column): n for code, _ in rows
                     for column, n in figures_of([g for g in groups if g[position] == code]).items()}
            tables.append(count_table(key, title, rows, columns, cells, {}, meeting=meeting, threshold=self.threshold,
                                      translate=self.t, row_total=False, column_totals=figures_of(sorted(groups))))
        return tables


def _year_before(day: date) -> date:
    return day.replace(year=day.year - 1, day=28 if (day.month, day.day) == (2, 29) else day.day)


def _shown(n: int, meeting: bool, threshold: int, translate: Callable[[str], str]) -> str:
    return hidden_text(threshold, translate) if meeting and 0 < n < threshold else f"{n:,}"


def _chart_value(n: int, meeting: bool, threshold: int) -> int | None:
    return None if meeting and 0 < n < threshold else n


def _register_feature_sections() -> None:
    """The figures of 見守り, 住民支え合い and お知らせ, each a section of its own (imported here: they do not need us)."""
    from bot.services import mutual_aid, notices, watch

    EXTRA_SECTIONS.extend([(S_("見守り"), watch.figures), (S_("住民支え合い"), mutual_aid.figures),
                           (S_("お知らせ"), notices.figures)])
    AREA_SECTIONS.append(("mutual_aid_areas", S_("住民支え合い（地域別）"), mutual_aid.FIGURE_MEASURES,
                          mutual_aid.figures_by_area))


_register_feature_sections()
