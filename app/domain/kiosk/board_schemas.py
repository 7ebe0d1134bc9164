"""The on-site board as the kiosk shows it: who is inside, for how long, and who overstays."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

import msgspec

from app.domain.visits import schemas as visit_schemas


class Overstay(msgspec.Struct, frozen=True):
    code: str
    """What kind of overstay, for code and tests: 'over-limit'."""
    label: str
    """A few words for the badge: 'Over 12 h'."""
    detail: str
    """A sentence for a tooltip or a printout: 'Inside for more than 12 hours.'"""


class BoardLine(msgspec.Struct):
    """One visit on the board with what is shown beside it, worked out here rather than by template calls
    (each call from a Jinja template costs more than the attribute it reads)."""

    visit: visit_schemas.Visit
    unit: str
    inside_for: str
    overstay: Overstay | None = None
    gate: str = ""
    """The gate the visitor came in by, when there are several (empty otherwise)."""


class Board(msgspec.Struct):
    lines: list[BoardLine]
    total_people: int
    as_of: datetime
    gates: dict[UUID, str] = msgspec.field(default_factory=dict)
    """The gates' names by id when there are several (the board then says each visitor's and filters by it)."""

    @property
    def overstays(self) -> dict[UUID, Overstay]:
        """The visits overstaying at as_of, by visit id, with the reason (see app.domain.kiosk.overstay)."""
        return {line.visit.id: line.overstay for line in self.lines if line.overstay is not None}
