"""CSV that Gatehouse writes, safe to open in a spreadsheet.

A cell that starts with `=`, `+`, `-` or `@` (or a tab or carriage return before one) is a formula to
Excel, LibreOffice and Google Sheets, so a visitor named `=HYPERLINK(...)` would run when an administrator
opens an export. Such text cells get a leading `'`, which spreadsheets show as plain text. Every export
goes through `csv_text` or, for one that may be long, `csv_stream`: UTF-8 with the byte-order mark that
spreadsheets need to read it as UTF-8, written a batch of rows at a time.
"""

from __future__ import annotations

import csv
import io
from collections.abc import AsyncIterable, AsyncIterator, Iterable

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
BOM = "\ufeff"


def csv_cell(value: object) -> str:
    """One cell's text: numbers as they are, text that a spreadsheet would evaluate neutralised."""
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, str):
        return str(value)
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def csv_value(cell: str) -> str:
    """A cell's text as it was before csv_cell: an export read back (the residents import) is unchanged."""
    return cell[1:] if cell.startswith("'") and cell[1:].startswith(FORMULA_STARTS) else cell


def csv_text(rows: Iterable[Iterable[object]]) -> str:
    """Rows as CSV (RFC 4180 line ends), every cell through csv_cell."""
    out = io.StringIO()
    writer = csv.writer(out)
    for row in rows:
        writer.writerow([csv_cell(value) for value in row])
    return out.getvalue()


async def csv_stream(header: Iterable[str], batches: AsyncIterable[Iterable[Iterable[object]]]) -> AsyncIterator[bytes]:
    """The header, then each batch of rows, as UTF-8 CSV: the byte-order mark first, one chunk per batch.

    Only one batch is held at a time, so a download of any length keeps the worker's memory flat."""
    yield (BOM + csv_text([header])).encode()
    async for rows in batches:
        yield csv_text(rows).encode()
