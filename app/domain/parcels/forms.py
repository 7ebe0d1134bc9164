"""The kiosk's Receive form -> the ParcelInputs the API takes (one per tracking number, or a count of them)."""

from __future__ import annotations

from app.domain.parcels.schemas import HandOverInput, InstructionsInput, ParcelInput
from app.domain.parcels.service import RECEIVE_MAX
from app.lib.i18n import _
from app.web.forms import Form

BLANK = {"count": "1", "size": "medium"}


def parcel_inputs(form: Form) -> list[ParcelInput]:
    """One parcel per tracking number typed or scanned (a scanner ends each with Enter, a new line), else
    `count` parcels without one; carrier, size, shelf and note are shared by all of them."""
    resident_id = form.uuid(
        "residentId", _("choose the resident the parcels are for"), _("choose a resident from the list")
    )
    numbers = [line.strip() for line in form.text("trackingNumbers").splitlines() if line.strip()]
    problem = _("must be a whole number from 1 to %(max)s", max=RECEIVE_MAX)
    count = form.whole_number("count", 1, problem)
    if not numbers and not 1 <= count <= RECEIVE_MAX:
        form.errors.add("count", problem)
    if len(numbers) > RECEIVE_MAX:
        form.errors.add("trackingNumbers", _("at most %(max)s parcels in one go", max=RECEIVE_MAX))
    form.errors.raise_if_any()
    shared = {
        "resident_id": resident_id,
        "carrier": form.text("carrier"),
        "size": form.text("size") or "medium",
        "shelf": form.optional("shelf"),
        "note": form.optional("note"),
    }
    return [ParcelInput(tracking_number=number, **shared) for number in numbers] or [
        ParcelInput(**shared) for _n in range(count)
    ]


def hand_over_input(form: Form) -> HandOverInput:
    return HandOverInput(collected_by=form.text("collectedBy"))


def instructions_input(form: Form) -> InstructionsInput:
    return InstructionsInput(
        authorised_person=form.optional("authorisedPerson"), left_at_door=form.checked("leftAtDoor")
    )
