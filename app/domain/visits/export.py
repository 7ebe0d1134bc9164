"""Visits as a spreadsheet: the history's filters and scoping, every matching visit, a batch at a time.

The columns are the API's field names (the seed contract), then the resident's unit and whether the
departure was recorded by the end-of-day sweep. Values are written as the API writes them (times in the
site's zone, ISO 8601), so a row and `GET /api/visits` agree cell for cell.
"""

from __future__ import annotations

import functools
from collections.abc import AsyncIterator
from uuid import UUID

import msgspec

from app.db import reads
from app.db.tables import Resident as ResidentTable
from app.db.tables import Visit as VisitTable
from app.domain.visits import schemas as visit_schemas
from app.domain.visits.service import NEWEST_FIRST, _filter_clauses, _uses_fixed_sql, list_visits, visit_from_row
from app.lib.actors import Actor
from app.lib.site import site_timezone

BATCH = 1000
"""Visits read per query: big enough that a million take a thousand indexed reads, small enough to hold."""
API_COLUMNS = tuple(
    field.encode_name for field in msgspec.structs.fields(visit_schemas.Visit) if field.name != "approval"
)
COLUMNS = (*API_COLUMNS, "unit")
"""The header: the API's fields (the seed's, then departureAutomatic), and the resident's unit."""


async def export_visits(actor: Actor, filters: visit_schemas.VisitFilters) -> AsyncIterator[list[list]]:
    """Every visit `list_visits` would page through for this actor and these filters, newest arrival first, as
    batches of CSV rows. Who may ask and every filter are checked here, before the first row is read, so a
    bad filter is a 400 and not a broken download."""
    await list_visits(actor, filters, 1)  # the same scoping and the same field errors as the list
    units = await _units(filters.resident_id)
    return _batches(filters, units)


async def _units(resident_id: UUID | None) -> dict[UUID, str]:
    query = ResidentTable.select(ResidentTable.id, ResidentTable.unit)
    if resident_id is not None:
        query = query.where(ResidentTable.id == resident_id)
    return {row["id"]: row["unit"] for row in await query}


def _row(visit: visit_schemas.Visit, units: dict[UUID, str]) -> list:
    values = msgspec.to_builtins(visit)
    cells = [
        _JSON_WORDS.get(value, value) if isinstance(value, bool) else value for value in map(values.get, API_COLUMNS)
    ]
    return [*cells, units.get(visit.resident_id, "")]


_JSON_WORDS = {True: "true", False: "false"}


async def _batches(filters: visit_schemas.VisitFilters, units: dict[UUID, str]) -> AsyncIterator[list[list]]:
    tz = site_timezone()
    convert = functools.partial(visit_from_row, tz=tz)
    clauses = None if _uses_fixed_sql(filters) else _filter_clauses(filters)
    after = None
    while True:
        if clauses is None:
            rows = await reads.visit_page_rows(BATCH, filters.resident_id, filters.on_site, after)
        else:
            query = VisitTable.select(*reads.VISIT_COLUMNS).where(*clauses)
            if after is not None:
                query = query.where(NEWEST_FIRST.after(after))
            query = query.order_by(VisitTable.arrival_date, VisitTable.id, ascending=False).limit(BATCH)
            rows = [reads.VisitRow(**row) for row in await query]
        if not rows:
            return
        yield [_row(convert(row), units) for row in rows]
        if len(rows) < BATCH:
            return
        after = (rows[-1].arrival_date, rows[-1].id)
