"""A visit's columns are listed once (reads.VisitRow); the table, the row and the API's Struct must agree."""

from __future__ import annotations

import random
import types
from datetime import datetime
from typing import Annotated, Union, get_args, get_origin
from uuid import UUID, uuid4

import msgspec
from piccolo.columns import UUID as UUIDColumn
from piccolo.columns import Boolean, ForeignKey, Integer, Text, Timestamptz, Varchar

from app import demo
from app.db import reads, writes
from app.db.tables import Visit as VisitTable
from app.domain.entry_requests.schemas import Approval
from app.domain.visits import schemas as visit_schemas
from app.domain.visits import service as visits
from app.lib.site import site_timezone

PYTHON_TYPE = {
    UUIDColumn: UUID,
    ForeignKey: UUID,
    Varchar: str,
    Text: str,
    Integer: int,
    Timestamptz: datetime,
    Boolean: bool,
}
API_NAME = {"resident": "resident_id"}
"""The row's field under another name in the API's Visit (`residentId`)."""
API_TYPE = {"approval": Approval}
"""The row's fields stored as JSON text that the API's Visit decodes (visits.visit_from_row)."""


def _plain(kind) -> tuple[type, bool]:
    """(the type, whether None is allowed), Annotated metadata and `| None` unwrapped."""
    if get_origin(kind) is Annotated:
        kind = get_args(kind)[0]
    if get_origin(kind) in (Union, types.UnionType):
        inner = [arg for arg in get_args(kind) if arg is not type(None)]
        assert len(inner) == 1, kind
        return inner[0], True
    return kind, False


def _fields(struct: type[msgspec.Struct]) -> dict[str, tuple[type, bool]]:
    return {field.name: _plain(field.type) for field in msgspec.structs.fields(struct)}


def test_every_row_field_is_a_visit_column_of_the_same_type_and_nullability():
    columns = {column._meta.name: column for column in VisitTable._meta.columns}
    for name, (kind, nullable) in _fields(reads.VisitRow).items():
        if name in reads.JOINED:
            assert name not in columns
            continue
        column = columns[name]
        assert PYTHON_TYPE[type(column)] is kind, name
        assert column._meta.null is nullable, name


def test_the_api_visit_has_the_rows_fields_in_the_same_order_with_the_same_types():
    """In the same order too: visits.visit_from_row builds the Visit from the row's values by position."""
    row = [
        (API_NAME.get(name, name), (API_TYPE[name], nullable) if name in API_TYPE else (kind, nullable))
        for name, (kind, nullable) in _fields(reads.VisitRow).items()
    ]
    assert list(_fields(visit_schemas.Visit).items()) == row


async def test_the_fixed_sql_and_the_piccolo_select_read_the_same_visit(db, factory):
    resident = await factory.resident(name="Ana Lima")
    visit = await factory.visit(resident.id, license_plate="abc-1d23", departure_date="2026-01-01T12:00:00Z")
    by_sql = await reads.visit_row(visit.id)
    selected = await VisitTable.select(*reads.VISIT_COLUMNS).where(VisitTable.id == visit.id)
    by_piccolo = reads.VisitRow(**selected[0])
    assert msgspec.to_builtins(by_sql) == msgspec.to_builtins(by_piccolo)
    assert visits.visit_from_row(by_sql, site_timezone()) == visit


def test_the_demo_writes_a_value_for_every_column_a_check_in_writes():
    """Its rows are tuples of writes.VISIT_COLUMNS (every column of the table, tests/test_check_in_sql.py);
    a column the demo gives no value fails here with its name (KeyError)."""
    (batch,) = demo.bulk_visit_tuples(random.Random(7), [uuid4()], 2, on_site=1)
    assert [len(row) for row in batch] == [len(writes.VISIT_COLUMNS)] * 2
