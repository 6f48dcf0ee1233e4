"""CSV files staff open in Excel: UTF-8 with a BOM, CRLF line ends, no formulas, no hidden characters."""
from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from typing import Any

from bot.text import visible_controls

# A cell starting with one of these would be read as a formula (CSV injection).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")


def safe_cell(value: Any) -> str:
    """The value as text a spreadsheet shows as it is (a bidi override shows as [U+202E], as on the pages)."""
    cell = "" if value is None else visible_controls(str(value))
    return "'" + cell if cell.startswith(_FORMULA_START) else cell


def excel_csv(header: Iterable[Any], rows: Iterable[Iterable[Any]]) -> bytes:
    """A CSV file Excel opens in Japanese: BOM, CRLF, every cell made safe."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([safe_cell(value) for value in header])
    writer.writerows([safe_cell(value) for value in row] for row in rows)
    return buffer.getvalue().encode("utf-8-sig")
