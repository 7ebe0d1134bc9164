"""What makes a visit valid, checked the same way for the API, the kiosk and the command line."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, tzinfo
from uuid import UUID

from app.domain.visits import schemas as visit_schemas
from app.lib import schemas as models
from app.lib.clock import CLOCK_SKEW, EARLIEST, INSTANT_PATTERN, ISO_HINT, has_shape, parse_instant, utc_now
from app.lib.errors import FieldErrors
from app.lib.i18n import _
from app.lib.text import canonical_plate, name_key, plate_key


@dataclass(frozen=True)
class CleanVisit:
    resident_id: UUID
    visitor_name: str
    total_people: int
    vehicle_color: str | None
    license_plate: str | None
    plate_key: str | None
    name_key: str | None
    subject: str
    arrival_date: datetime
    departure_date: datetime | None


def _instant(errors: FieldErrors, field: str, value: str | None, site_tz: tzinfo) -> datetime | None:
    if not value:
        return None
    if not has_shape(value, INSTANT_PATTERN):
        errors.add(field, _(ISO_HINT))
        return None
    try:
        moment = parse_instant(value, site_tz)
    except ValueError as exc:
        errors.add(field, str(exc))
        return None
    if moment > utc_now() + CLOCK_SKEW:
        errors.add(field, _("cannot be in the future"))
    elif moment < EARLIEST:
        errors.add(field, _("cannot be before %(year)s", year=EARLIEST.year))
    return moment


def clean_visitor(errors: FieldErrors, data) -> tuple[str, str, str | None, str | None]:
    """The visitor as the guard describes them, for a visit and for a question to the resident alike: the
    cleaned (name, subject, vehicle colour, plate), noting every problem in `errors` (the party size too)."""
    visitor_name = errors.required("visitorName", data.visitor_name, models.NAME_MAX)
    subject = errors.required("subject", data.subject, models.SUBJECT_MAX)
    if not models.PEOPLE_MIN <= data.total_people <= models.PEOPLE_MAX:
        errors.add(
            "totalPeople",
            _("must be a whole number from %(min)s to %(max)s", min=models.PEOPLE_MIN, max=models.PEOPLE_MAX),
        )
    vehicle_color = errors.optional("vehicleColor", data.vehicle_color, models.COLOR_MAX)
    plate = errors.optional("licensePlate", data.license_plate, models.PLATE_MAX, canonical_plate)
    return visitor_name, subject, vehicle_color, plate


def clean_visit(data: visit_schemas.VisitInput, site_tz: tzinfo) -> CleanVisit:
    """Trim, bound and parse every field, reporting all problems together (raises Invalid)."""
    errors = FieldErrors()
    visitor_name, subject, vehicle_color, plate = clean_visitor(errors, data)
    arrival = _instant(errors, "arrivalDate", data.arrival_date, site_tz)
    if arrival is None and "arrivalDate" not in errors.errors:
        errors.add("arrivalDate", _("is required"))
    departure = _instant(errors, "departureDate", data.departure_date, site_tz)
    if arrival and departure and departure < arrival:
        errors.add("departureDate", _("cannot be before the arrival"))
    errors.raise_if_any()
    assert arrival is not None
    return CleanVisit(
        resident_id=data.resident_id,
        visitor_name=visitor_name,
        total_people=data.total_people,
        vehicle_color=vehicle_color,
        license_plate=plate,
        plate_key=plate_key(plate),
        name_key=name_key(visitor_name),
        subject=subject,
        arrival_date=arrival,
        departure_date=departure,
    )
