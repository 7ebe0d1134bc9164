"""Turn a kiosk form (every value a string) into the VisitInput the visit rules check.

Conversion problems (no resident chosen, a party size that is not a number) are reported
together with the rule problems, under the API's camelCase field names.
"""

from __future__ import annotations

from collections.abc import Mapping
from uuid import UUID

import msgspec

from app.services import models
from app.services.clock import utc_now
from app.services.errors import FieldErrors, Invalid
from app.services.site import site_timezone
from app.services.visit_rules import clean_visit

FORM_FIELDS = (
    "residentId",
    "visitorName",
    "totalPeople",
    "vehicleColor",
    "licensePlate",
    "subject",
    "arrivalDate",
    "departureDate",
)
_PLACEHOLDER_RESIDENT = UUID(int=0)


def _resident_id(errors: FieldErrors, text: str) -> UUID:
    if not text.strip():
        errors.add("residentId", "choose the resident being visited")
        return _PLACEHOLDER_RESIDENT
    try:
        return UUID(text.strip())
    except ValueError:
        errors.add("residentId", "choose the resident being visited from the list")
        return _PLACEHOLDER_RESIDENT


def people_from_form(errors: FieldErrors, text: str) -> int:
    try:
        return int(text.strip() or "1")
    except ValueError:
        errors.add("totalPeople", f"must be a whole number from {models.PEOPLE_MIN} to {models.PEOPLE_MAX}")
        return models.PEOPLE_MIN


def visit_input_from_form(form: Mapping[str, str], arrival_default_now: bool = True) -> models.VisitInput:
    """Raises Invalid listing every problem at once; a blank arrival means now when arrival_default_now."""
    values = {name: str(form.get(name) or "") for name in FORM_FIELDS}
    errors = FieldErrors()
    data = models.VisitInput(
        resident_id=_resident_id(errors, values["residentId"]),
        visitor_name=values["visitorName"],
        total_people=people_from_form(errors, values["totalPeople"]),
        subject=values["subject"],
        # "now" to the second, so visits checked in within one minute keep their order on the board
        arrival_date=values["arrivalDate"] or (utc_now().isoformat() if arrival_default_now else ""),
        vehicle_color=values["vehicleColor"] or None,
        license_plate=values["licensePlate"] or None,
        departure_date=values["departureDate"] or None,
    )
    if errors.errors:
        # Report the rule problems beside the conversion ones; otherwise the service checks the rules once.
        try:
            clean_visit(data, site_timezone())
        except Invalid as exc:
            for field, message in exc.errors.items():
                errors.add(field, message)
    errors.raise_if_any()
    return data


def form_from_visit(visit: models.Visit) -> dict[str, str]:
    """A visit's values as the edit form shows them (times in the site's zone, to the second)."""
    data = msgspec.to_builtins(visit)
    fields = {name: "" if data.get(name) is None else str(data[name]) for name in FORM_FIELDS}
    # To the second: saving a correction must not move the times it did not touch.
    fields["arrivalDate"] = visit.arrival_date.strftime("%Y-%m-%dT%H:%M:%S")
    fields["departureDate"] = visit.departure_date.strftime("%Y-%m-%dT%H:%M:%S") if visit.departure_date else ""
    fields["residentQuery"] = visit.resident_name
    return fields


STATUSES = {"all": None, "inside": True, "left": False}


def filters_from_query(params: Mapping[str, str]) -> models.VisitFilters:
    """History filters as the page sends them (a date-only `to` includes that whole day)."""
    resident = (params.get("residentId") or "").strip()
    try:
        resident_id = UUID(resident) if resident else None
    except ValueError:
        raise Invalid({"residentId": "choose the resident from the list"}) from None
    arrived_to = (params.get("to") or "").strip()
    return models.VisitFilters(
        resident_id=resident_id,
        on_site=STATUSES.get(params.get("status") or "all"),
        arrived_from=(params.get("from") or "").strip() or None,
        arrived_to=arrived_to or None,
        q=(params.get("q") or "").strip() or None,
    )


def optional_uuid(text: str | None) -> UUID | None:
    """An id from a form or query, or None when blank or not an id (a half-typed picker)."""
    try:
        return UUID((text or "").strip())
    except ValueError:
        return None


def check_in_from_form(form: Mapping[str, str]) -> models.CheckInInput:
    """The kiosk's check-in: the visit, plus the override reason and the announcement it came from."""
    data = visit_input_from_form(form)
    return models.CheckInInput(
        **msgspec.structs.asdict(data),
        override_reason=form.get("overrideReason") or None,
        expected_visit_id=optional_uuid(form.get("expectedVisitId")),
    )
