"""CSV that Gatehouse writes, safe to open in a spreadsheet.

A cell that starts with `=`, `+`, `-` or `@` (or a tab or carriage return before one) is a formula to
Excel, LibreOffice and Google Sheets, so a visitor named `=HYPERLINK(...)` would run when an administrator
opens an export. Such text cells get a leading `'`, which spreadsheets show as plain text. Gatehouse
writes no CSV yet (it only reads the residents import); every future export goes through `csv_text`.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: object) -> str:
    """One cell's text: numbers as they are, text that a spreadsheet would evaluate neutralised."""
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, str):
        return str(value)
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def csv_text(rows: Iterable[Iterable[object]]) -> str:
    """Rows as CSV (RFC 4180 line ends), every cell through csv_cell."""
    out = io.StringIO()
    writer = csv.writer(out)
    for row in rows:
        writer.writerow([csv_cell(value) for value in row])
    return out.getvalue()
