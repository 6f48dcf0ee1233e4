"""The figures page's charts, drawn on the server as SVG with pygal: no script, no CDN, printable.

Each chart goes into the page as an ``<img>`` with a ``data:`` URL (the
page's CSP allows images from ``data:``, and an SVG shown as an image runs
no script). A count hidden in meeting mode is a gap in the line, never a
number a reader could measure off the chart.
"""
from __future__ import annotations

import base64
import sys

import pygal
from pygal.style import Style

# pygal adds an import hook for its map plugins (pygal.maps.*, unused here) that has only the API
# Python 3.12 removes: every failed import after it warns (ImportWarning). Take it out again.
sys.meta_path[:] = [finder for finder in sys.meta_path if type(finder).__module__ != "pygal"]

from bot.services.figures import Report, Table

_STYLE = Style(font_family="'Noto Sans CJK JP', 'Noto Sans JP', sans-serif", background="white",
               plot_background="white", label_font_size=14, major_label_font_size=14, legend_font_size=14,
               title_font_size=18, value_font_size=12)
_CONFIG = {"style": _STYLE, "js": [], "disable_xml_declaration": True, "width": 900, "height": 420,
           "legend_at_bottom": True, "legend_at_bottom_columns": 3, "truncate_legend": 16, "print_values": False, "allow_interruptions": True}


def _data_url(chart: pygal.graph.graph.Graph) -> str:
    svg = chart.render(is_unicode=True)
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


def monthly_trend(report: Report, title: str) -> str:
    """One line per category, month by month."""
    chart = pygal.Line(title=title, **_CONFIG)
    months = next(iter(report.monthly.values()), [])
    chart.x_labels = [month for month, _ in months]
    for category, points in report.monthly.items():
        if any(points_value for _, points_value in points):
            chart.add(category, [value for _, value in points])
    return _data_url(chart)


def areas_side_by_side(table: Table, title: str) -> str:
    """One bar per area (the table's rows, without the total)."""
    chart = pygal.HorizontalBar(title=title, **{**_CONFIG, "show_legend": False})
    rows = table.rows[:-1]
    chart.x_labels = [label for label, _ in rows]
    chart.add(table.columns[0], [cells[0].count for _, cells in rows])
    return _data_url(chart)


def year_on_year(report: Report, title: str, this_label: str, last_label: str) -> str:
    """Consultations received per month, this period beside the same months a year before."""
    chart = pygal.Bar(title=title, **_CONFIG)
    chart.x_labels = [month for month, _, _ in report.year_on_year]
    chart.add(last_label, [last for _, _, last in report.year_on_year])
    chart.add(this_label, [this for _, this, _ in report.year_on_year])
    return _data_url(chart)
