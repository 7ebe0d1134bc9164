"""A parcel as the API and the pages send it and as the service returns it."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated
from uuid import UUID

import msgspec
from msgspec import Meta

from app.lib import schemas as models
from app.lib.i18n import N_, _

CARRIER_MAX = 60
TRACKING_MAX = 60
SHELF_MAX = 40
NOTE_MAX = 300
SIZE_NAMES = {"envelope": N_("Envelope"), "small": N_("Small"), "medium": N_("Medium"), "large": N_("Large")}
"""The sizes, in words (translated where shown)."""
SIZES = tuple(SIZE_NAMES)


def size_names() -> dict[str, str]:
    """Each size in the reader's language, smallest first."""
    return {size: _(words) for size, words in SIZE_NAMES.items()}


CARRIERS = ("Correios", "Mercado Livre", "Amazon", "DHL", "FedEx", "UPS")
"""The kiosk's quick picks; any other carrier is typed."""


class Parcel(msgspec.Struct, rename="camel"):
    id: UUID
    resident_id: UUID
    resident_name: str
    resident_unit: str
    carrier: str
    tracking_number: str | None
    size: Annotated[str, Meta(description="envelope, small, medium or large")]
    shelf: str | None
    note: str | None
    received_at: datetime
    received_by: Annotated[str | None, Meta(description="The email of the guard who received it")]
    handed_over_at: datetime | None
    collected_by: Annotated[str | None, Meta(description="Who collected it (the resident or a named person)")]
    handed_over_by: str | None
    authorised_person: Annotated[str | None, Meta(description="Someone else the household lets collect it")]
    left_at_door: Annotated[bool, Meta(description="The household asked for it to be left at the door")]
    gate_id: Annotated[UUID | None, Meta(description="The gate that received it (see /api/gates)")]
    waiting: Annotated[bool, Meta(description="Not handed over yet")]
    overdue: Annotated[bool, Meta(description="Waiting longer than PARCEL_REMINDER_DAYS")]


class ParcelInput(msgspec.Struct, rename="camel"):
    resident_id: Annotated[UUID, Meta(description="The household it is for (an active resident)")]
    carrier: Annotated[str, models.required_text(CARRIER_MAX, ["Correios"])]
    tracking_number: Annotated[str | None, models.optional_text(TRACKING_MAX)] = None
    size: Annotated[str, models.documented("One of envelope, small, medium, large", enum=list(SIZES))] = "medium"
    shelf: Annotated[str | None, models.optional_text(SHELF_MAX)] = None
    note: Annotated[str | None, models.optional_text(NOTE_MAX)] = None
    gate_id: Annotated[
        UUID | None, Meta(description="The gate receiving it (an active one); the default gate when left out")
    ] = None


class HandOverInput(msgspec.Struct, rename="camel"):
    collected_by: Annotated[str, models.required_text(models.NAME_MAX, ["Ana Lima"])]


class InstructionsInput(msgspec.Struct, rename="camel"):
    """The household's wishes for a waiting parcel."""

    authorised_person: Annotated[
        str | None,
        models.documented(
            f"Someone else who may collect it, at most {models.NAME_MAX} characters", max_length=models.NAME_MAX
        ),
    ] = None
    left_at_door: bool = False


class Summary(msgspec.Struct, rename="camel"):
    """The counts above the kiosk's list of parcels waiting."""

    waiting: int
    overdue: int
    households: int
