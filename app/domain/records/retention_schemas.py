"""What retention and erasure take and report."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import msgspec

from app.domain.visits import schemas as visit_schemas
from app.lib.schemas import NAME_MAX, PLATE_MAX, optional_text


class ErasureInput(msgspec.Struct, rename="camel"):
    """Whose data to erase: a visitor's name (any case or accents) or a licence plate (any spacing)."""

    name: Annotated[str | None, optional_text(NAME_MAX)] = None
    plate: Annotated[str | None, optional_text(PLATE_MAX)] = None


class PurgeResult(msgspec.Struct):
    cutoff: datetime
    visits: int
    audit_events: int
    announcements: int = 0
    deliveries: int = 0
    """Finished notification deliveries (push, email) created before the cutoff, deleted."""
    permissions: int = 0
    parcels: int = 0


class ErasurePreview(msgspec.Struct):
    erasable: list[visit_schemas.Visit]
    on_site: list[visit_schemas.Visit]
    """Matching visitors still inside: not erased until they are checked out."""
    audit_events: int
    announcements: int = 0
    permissions: int = 0
    parcels: int = 0


class ErasureResult(msgspec.Struct):
    visits: int
    audit_events: int
    on_site_skipped: int
    announcements: int = 0
    permissions: int = 0
    parcels: int = 0
