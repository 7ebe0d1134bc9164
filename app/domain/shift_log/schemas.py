"""A shift log note as the API and the pages send it and as the service returns it; the handover's contents."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal
from uuid import UUID

import msgspec
from msgspec import Meta

from app.domain.entry_requests.schemas import EntryRequest
from app.domain.kiosk.board_schemas import Board
from app.domain.parcels.schemas import Parcel, Summary
from app.lib import schemas as models
from app.lib.i18n import N_, _

TEXT_MAX = 2000
CATEGORY_NAMES = {
    "handover": N_("Handover"),
    "incident": N_("Incident"),
    "maintenance": N_("Maintenance"),
    "delivery": N_("Delivery problem"),
}
"""The kinds of note, in words (translated where shown)."""
CATEGORIES = tuple(CATEGORY_NAMES)
Category = Literal["handover", "incident", "maintenance", "delivery"]
"""The same kinds, for a query parameter the OpenAPI document lists."""


def category_names() -> dict[str, str]:
    """Each kind of note in the reader's language."""
    return {category: _(words) for category, words in CATEGORY_NAMES.items()}


HOURS_DEFAULT, HOURS_MAX = 48, 24 * 14


class ShiftNote(msgspec.Struct, rename="camel"):
    id: UUID
    text: str
    category: Annotated[str, Meta(description="handover, incident, maintenance or delivery")]
    for_next_shift: bool
    created_at: datetime
    author: Annotated[str, Meta(description="The email of the guard who wrote it")]
    read_at: Annotated[datetime | None, Meta(description="When the next shift marked the handover read")]
    read_by: str | None


class ShiftNoteInput(msgspec.Struct, rename="camel"):
    text: Annotated[str, models.required_text(TEXT_MAX, ["The pedestrian gate's lock sticks; maintenance called."])]
    category: Annotated[
        str, models.documented("One of handover, incident, maintenance, delivery", enum=list(CATEGORIES))
    ] = "handover"
    for_next_shift: Annotated[bool, Meta(description="The incoming guard should read it")] = False


class Override(msgspec.Struct):
    """A visitor let in despite the do-not-admit list."""

    at: datetime
    by: str
    visit_id: UUID | None
    visitor_name: str
    reason: str


class Handover(msgspec.Struct):
    """Everything the incoming guard reads, over the last `hours` hours."""

    since: datetime
    hours: int
    notes: list[ShiftNote]
    unread: int
    board: Board
    overrides: list[Override]
    refused: list[EntryRequest]
    parcels: list[Parcel]
    parcel_summary: Summary
