"""A request to the resident about a visitor at the gate, as the API and the pages send it and services return it."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal
from uuid import UUID

import msgspec
from msgspec import Meta

from app.lib import schemas as models

MESSAGE_MAX = 300
NOTE_MAX = 300
STATUSES = ("pending", "approved", "refused", "expired", "cancelled")
Status = Literal["pending", "approved", "refused", "expired", "cancelled"]
Via = Literal["app", "push", "email", "phone"]
Decision = Literal["approve", "refuse", "no-answer"]


class Approval(msgspec.Struct, rename="camel"):
    """On a visit: the answer that let the visitor in (or that the guard overrode)."""

    entry_request_id: UUID
    status: Annotated[Status, Meta(description="approved, or refused / expired when the guard let them in anyway")]
    answered_by: Annotated[
        str | None, Meta(description="Who answered: the resident's account, or the guard who called")
    ]
    answered_at: datetime | None
    via: Via | None
    message: str | None


class EntryRequest(msgspec.Struct, rename="camel"):
    id: UUID
    resident_id: UUID
    resident_name: str
    resident_unit: str
    resident_phone: Annotated[str | None, Meta(description="The household's phone, for the guard's call")]
    visitor_name: str
    total_people: int
    vehicle_color: str | None
    license_plate: str | None
    subject: str
    note: Annotated[str | None, Meta(description="From the guard to the resident")]
    status: Annotated[Status, Meta(description="pending until answered; expired once expiresAt passes unanswered")]
    asked_at: datetime
    expires_at: datetime
    asked_by: Annotated[str | None, Meta(description="The guard who asked")]
    answered_by: Annotated[
        str | None, Meta(description="The resident's account that answered, or the guard who called")
    ]
    answered_at: datetime | None
    via: Annotated[
        Via | None, Meta(description="app (an open page), push, email, or phone (a call the guard recorded)")
    ]
    message: Annotated[str | None, Meta(description="The resident's message, or the guard's note of the call")]
    visit_id: Annotated[UUID | None, Meta(description="The visit checked in from this request")]


class EntryRequestInput(msgspec.Struct, rename="camel"):
    resident_id: UUID
    visitor_name: Annotated[str, models.required_text(models.NAME_MAX)]
    subject: Annotated[str, models.required_text(models.SUBJECT_MAX, ["Guest"])]
    total_people: Annotated[
        int,
        models.documented(
            f"From {models.PEOPLE_MIN} to {models.PEOPLE_MAX}", minimum=models.PEOPLE_MIN, maximum=models.PEOPLE_MAX
        ),
    ] = 1
    vehicle_color: Annotated[str | None, models.optional_text(models.COLOR_MAX)] = None
    license_plate: Annotated[str | None, models.optional_text(models.PLATE_MAX)] = None
    note: Annotated[
        str | None, models.documented(f"For the resident, at most {NOTE_MAX} characters", max_length=NOTE_MAX)
    ] = None


class AnswerInput(msgspec.Struct, rename="camel"):
    decision: Annotated[
        Decision,
        Meta(description="approve or refuse; a guard recording a call (via: phone) may also give no-answer"),
    ]
    message: Annotated[
        str | None,
        models.documented(
            f'Shown to the guard ("leave the parcel at the gate"), at most {MESSAGE_MAX} characters',
            max_length=MESSAGE_MAX,
        ),
    ] = None
    via: Annotated[
        Literal["phone"] | None,
        Meta(description="phone: a guard records the outcome of a call to the household; residents leave it out"),
    ] = None
