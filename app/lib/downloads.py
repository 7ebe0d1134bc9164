"""A CSV file sent as a download, written while it is sent (app/lib/spreadsheet.py's csv_stream)."""

from __future__ import annotations

from collections.abc import AsyncIterable, Iterable

from litestar.response import Stream

from app.lib.clock import utc_now
from app.lib.site import site_timezone
from app.lib.spreadsheet import csv_stream


def csv_download(batches: AsyncIterable[Iterable[Iterable[object]]], header: Iterable[str], name: str) -> Stream:
    """A streamed `text/csv` attachment named `<name>-<today in the site's zone>.csv`."""
    today = utc_now().astimezone(site_timezone()).date().isoformat()
    return Stream(
        csv_stream(header, batches),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}-{today}.csv"', "Cache-Control": "no-store"},
    )
