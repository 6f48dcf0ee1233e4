"""The figures page for the community-care meetings: tables, a chart, CSVs and the national indicator sheet.

Meeting mode (会議用, the default) hides small counts; staff mode (職員用)
shows exact numbers, each a link to the queue behind it. Both are audited.
"""
from __future__ import annotations

from flask import Response, abort, render_template, request, url_for
from flask_babel import gettext

from admin.audit import audit
from admin.blueprint import bp, transaction, tsunagu
from admin.dates import city_today
from admin.names import area_name, category_label, centre_name, staff_locale
from admin.scope import VIEW_RECORDS, current_scope, requires
from admin.figure_charts import areas_side_by_side, monthly_trend, year_on_year
from admin.settings import admin_state
from bot.services.figures import Cell, Figures, Period, PeriodError, Report, Table, hidden_text
from bot.services.spreadsheet import excel_csv

KINDS = ("month", "quarter", "year", "range")


def _report() -> Report:
    """The report the query string asks for, within the viewer's centres; 400 for a period it cannot be."""
    args = request.args
    kind = args.get("period", "year")
    if kind not in KINDS:
        abort(400)
    try:
        period = (Period.parse(kind, args.get("value", ""), args.get("start", ""), args.get("end", ""))
                  if args.get("value") or kind == "range" else Period.fiscal_year_of(city_today()))
    except PeriodError:
        abort(400)
    mode = args.get("mode", "meeting")
    if mode not in ("meeting", "staff"):
        abort(400)
    scope = current_scope()
    centres = None if scope.sees_all_centres else sorted(scope.centre_codes)
    profile = tsunagu().profile

    def names(kind: str, code: str) -> str:
        if kind == "centre":
            return centre_name(profile, code or None, short=True)
        if kind == "area":
            return area_name(profile, code) or code
        if kind == "outcome":
            return profile.outcome_label(code, staff_locale())
        return category_label(profile, code)

    with transaction() as db_session:
        report = Figures(db_session, profile, translate=gettext).report(period, centres, meeting=mode == "meeting", names=names)
        audit("figures.view", session=db_session, mode=mode, start=period.start.isoformat(),
              end=period.end.isoformat(), export=request.endpoint.rsplit(".", 1)[-1])
    return report


@bp.get("/figures/")
@requires(VIEW_RECORDS)
def figures_page():  # noqa: ANN201
    """Show the figures of a period, in meeting mode unless staff mode is asked for."""
    return _render(printing=False)


@bp.get("/figures/print")
@requires(VIEW_RECORDS)
def figures_print():  # noqa: ANN201
    """Show the figures as an A4 report and open the print dialog."""
    return _render(printing=True)


def _render(printing: bool) -> str:
    report = _report()
    query = {key: value for key, value in request.args.items() if key in ("period", "value", "start", "end", "mode")}
    period_label = report.period.label(gettext)
    charts = [
        ("trend", monthly_trend(report, gettext("分野別 受付件数の推移")), _trend_table(report)),
        ("areas", areas_side_by_side(report.table("areas"), gettext("地域別 相談受付件数")), None),
        ("year", year_on_year(report, gettext("受付件数 前年との比較"), period_label, gettext("前年同期")),
         _year_table(report, period_label)),
    ]
    return render_template("admin/figures.html", report=report, query=query, period_label=period_label,
                           charts=charts, printing=printing, printed_at=admin_state().now(),
                           queue_url=lambda filters: url_for("admin.record_list", **filters))


def _trend_table(report: Report) -> Table:
    """The trend chart's numbers: categories down, months across (hidden counts as on the tables)."""
    months = [month for month, _ in next(iter(report.monthly.values()), [])]
    table = Table("trend", gettext("分野別 受付件数の推移"), months)
    for category, points in report.monthly.items():
        table.rows.append((category, [_chart_cell(value, report) for _, value in points]))
    return table


def _year_table(report: Report, period_label: str) -> Table:
    table = Table("year", gettext("受付件数 前年との比較"), [period_label, gettext("前年同期")])
    for month, this, last in report.year_on_year:
        table.rows.append((month, [_chart_cell(this, report), _chart_cell(last, report)]))
    return table


def _chart_cell(value: int | None, report: Report) -> Cell:
    return Cell(value, hidden_text(report.threshold, gettext) if value is None else f"{value:,}")


@bp.get("/figures/export.csv")
@requires(VIEW_RECORDS)
def figures_csv():  # noqa: ANN201
    """Download one table (``?table=``) exactly as the page shows it, or the indicator sheet, for Excel."""
    report = _report()
    key = request.args.get("table", "")
    if key in ("trend", "year"):
        table = _trend_table(report) if key == "trend" else _year_table(report, report.period.label(gettext))
        body = excel_csv(["", *table.columns], table.csv_rows())
    elif key == "indicators":
        body = excel_csv([gettext("指標"), report.period.label(gettext)], report.indicators)
    else:
        table = next((t for t in report.tables if t.key == key), None)
        if table is None:
            abort(404)
        body = excel_csv(["", *table.columns], table.csv_rows())
    return Response(body, headers={
        "Content-Type": "text/csv; charset=utf-8",
        "Content-Disposition": f'attachment; filename="figures-{key}-{report.period.start:%Y%m%d}.csv"',
        "Cache-Control": "no-store",
    })
