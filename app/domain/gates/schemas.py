"""A gate as the API and the pages send it and as services return it."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated
from uuid import UUID

import msgspec
from msgspec import Meta

from app.lib import schemas as models

GATE_NAME_MAX = 60


class Gate(msgspec.Struct, rename="camel"):
    id: UUID
    name: str
    vehicles: Annotated[bool, Meta(description="Whether vehicles pass at this gate (false: pedestrians only)")]
    active: Annotated[bool, Meta(description="An inactive gate takes no check-ins or check-outs; its visits keep it")]
    default: Annotated[
        bool, Meta(description="The gate a check-in or check-out without gateId records: the first active gate")
    ]
    created_at: datetime


class GateInput(msgspec.Struct, rename="camel"):
    """A gate as an administrator defines it, to add one or to replace one in full."""

    name: Annotated[str, models.required_text(GATE_NAME_MAX, ["Service gate"])]
    vehicles: Annotated[bool, Meta(description="Whether vehicles pass at this gate")] = True
    active: Annotated[bool, Meta(description="false: no longer in use (at least one gate stays active)")] = True


class GateChoice(msgspec.Struct, rename="camel"):
    """Where a check-in or a check-out happens: a gate of GET /api/gates, or the default gate when left out."""

    gate_id: Annotated[
        UUID | None, Meta(description="An active gate (GET /api/gates); left out or null: the default gate")
    ] = None


class KioskGate(msgspec.Struct):
    """Where a kiosk stands (None until it has chosen, when there are several gates) and what it may choose."""

    here: Gate | None
    gates: list[Gate]
    several: bool
