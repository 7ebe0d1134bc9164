"""A resident as the API and the pages send it and as services return it."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated
from uuid import UUID

import msgspec

from app.lib.schemas import EMAIL_MAX, NAME_MAX, PHONE_MAX, UNIT_MAX, documented, optional_text, required_text
from app.lib.text import EMAIL_PATTERN

IMPORT_MAX_BYTES = 1_000_000


class Resident(msgspec.Struct, rename="camel"):
    id: UUID
    name: str
    unit: str
    email: str | None
    phone: str | None
    active: bool
    created_at: datetime


class ResidentInput(msgspec.Struct, rename="camel"):
    name: Annotated[str, required_text(NAME_MAX)]
    unit: Annotated[str, required_text(UNIT_MAX, ["B-302"])]
    email: Annotated[
        str | None,
        documented("An email address (empty or null: none)", max_length=EMAIL_MAX, pattern="^$|" + EMAIL_PATTERN),
    ] = None
    phone: Annotated[str | None, optional_text(PHONE_MAX)] = None
    active: bool = True


class Line(msgspec.Struct):
    line: int
    name: str
    unit: str
    email: str | None
    phone: str | None


class Problem(msgspec.Struct):
    line: int
    field: str
    message: str


class Preview(msgspec.Struct):
    lines: list[Line]
    problems: list[Problem]

    @property
    def ok(self) -> bool:
        return bool(self.lines) and not self.problems


class ImportInput(msgspec.Struct):
    """A CSV of residents to check or to import: an uploaded file's bytes, or pasted text."""

    csv_text: Annotated[str, documented("Pasted lines: name, unit, email, phone", max_length=IMPORT_MAX_BYTES)] = ""
    file: Annotated[bytes | None, documented("An uploaded CSV file (UTF-8)", max_length=IMPORT_MAX_BYTES)] = None
    write: bool = False
    """Import (all lines or none) rather than only check."""


class ImportOutcome(msgspec.Struct):
    csv_text: str
    preview: Preview | None = None
    errors: dict[str, str] = {}
    added: list[Resident] | None = None
    """The residents written, when an import went through."""

    @property
    def ready(self) -> bool:
        return self.preview is not None and self.preview.ok and not self.errors
