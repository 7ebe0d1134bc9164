"""The kiosk's visit forms -> the VisitInput, CheckInInput and filters the API uses, and a visit back to a form.

Conversion problems (no resident chosen, a party size that is not a number) are reported together
with the rule problems, under the API's camelCase field names.
"""

from __future__ import annotations

from uuid import UUID

import msgspec

from app.domain.expected.schemas import Expected
from app.domain.kiosk import gate_schemas
from app.domain.kiosk.gate_schemas import Suggestion
from app.domain.visits import schemas as visit_schemas
from app.domain.visits.rules import clean_visit
from app.lib import formats
from app.lib.clock import INSTANT_PATTERN, has_shape, utc_now
from app.lib.errors import Invalid
from app.lib.i18n import _
from app.lib.schemas import PEOPLE_MAX, PEOPLE_MIN
from app.lib.site import site_timezone
from app.web.forms import Form

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
PEOPLE_PROBLEM = f"must be a whole number from {PEOPLE_MIN} to {PEOPLE_MAX}"
"""English only: kept for the forms that still import it; people_problem() says it in the reader's language."""
STATUSES = {"all": None, "inside": True, "left": False}
_PLACEHOLDER_RESIDENT = UUID(int=0)


def people_problem() -> str:
    return _("must be a whole number from %(min)s to %(max)s", min=PEOPLE_MIN, max=PEOPLE_MAX)


def visit_input(form: Form, arrival_default_now: bool = True) -> visit_schemas.VisitInput:
    """Raises Invalid listing every problem at once; a blank arrival means now when arrival_default_now."""
    resident_id = form.uuid(
        "residentId",
        when_missing=_("choose the resident being visited"),
        when_wrong=_("choose the resident being visited from the list"),
    )
    data = visit_schemas.VisitInput(
        resident_id=resident_id or _PLACEHOLDER_RESIDENT,
        visitor_name=form.text("visitorName"),
        total_people=form.whole_number("totalPeople", PEOPLE_MIN, people_problem()),
        subject=form.text("subject"),
        arrival_date=typed_instant(form, "arrivalDate", arrival_default_now),
        vehicle_color=form.optional("vehicleColor"),
        license_plate=form.optional("licensePlate"),
        departure_date=form.optional("departureDate"),
    )
    if form.errors.errors:
        # Report the rule problems beside the conversion ones; otherwise the service checks the rules once.
        try:
            clean_visit(data, site_timezone())
        except Invalid as exc:
            for field, message in exc.errors.items():
                form.errors.add(field, message)
    form.errors.raise_if_any()
    return data


def typed_instant(form: Form, field: str, default_now: bool = False) -> str:
    """A time as the site writes it (14:30, or 07/12/2026 14:30) or the API's ISO 8601, as ISO 8601 for the
    service; blank is now when `default_now` ("now" to the second, so visits checked in within one minute
    keep their order on the board)."""
    text, now = form.text(field).strip(), utc_now()
    if not text:
        return now.isoformat() if default_now else ""
    if (moment := formats.typed_clock(text, now)) is not None:
        return moment.isoformat()
    if not has_shape(text, INSTANT_PATTERN):
        examples = formats.typed_clock_examples(now)
        form.errors.add(field, _("write a time like %(time)s, or a day and a time like %(day_time)s", **examples))
    return text


def check_in_input(form: Form) -> visit_schemas.CheckInInput:
    """The kiosk's check-in: the visit, plus the override reason and the announcement it came from."""
    data = visit_input(form)
    return visit_schemas.CheckInInput(
        **msgspec.structs.asdict(data),
        override_reason=form.optional("overrideReason"),
        expected_visit_id=form.uuid("expectedVisitId"),
    )


def gate_query(form: Form) -> gate_schemas.GateQuery:
    """What the guard has typed so far, for the gate's checks (half-typed ids count as none)."""
    return gate_schemas.GateQuery(
        visitor_name=form.optional("visitorName"),
        license_plate=form.optional("licensePlate"),
        resident_id=form.uuid("residentId"),
        from_announcement=bool(form.text("expectedVisitId")),
        from_earlier_visit=bool(form.text("fromVisitId")),
        subject=form.optional("subject"),
    )


def filters(form: Form) -> visit_schemas.VisitFilters:
    """History filters as the page sends them (a date-only `to` includes that whole day)."""
    resident_id = form.uuid("residentId", when_wrong=_("choose the resident from the list"))
    form.errors.raise_if_any()
    return visit_schemas.VisitFilters(
        resident_id=resident_id,
        on_site=STATUSES.get(form.text("status") or "all"),
        arrived_from=form.text("from").strip() or None,
        arrived_to=form.text("to").strip() or None,
        q=form.text("q").strip() or None,
    )


def values_of(visit: visit_schemas.Visit) -> dict[str, str]:
    """A visit's values as the edit form shows them (times in the site's zone, to the second)."""
    data = msgspec.to_builtins(visit)
    fields = {name: "" if data.get(name) is None else str(data[name]) for name in FORM_FIELDS}
    # To the second: saving a correction must not move the times it did not touch.
    fields["arrivalDate"] = visit.arrival_date.strftime("%Y-%m-%dT%H:%M:%S")
    fields["departureDate"] = visit.departure_date.strftime("%Y-%m-%dT%H:%M:%S") if visit.departure_date else ""
    fields["residentQuery"] = visit.resident_name
    return fields


def check_in_values(source: Expected | Suggestion, **extra: str) -> dict[str, str]:
    """The kiosk's check-in form filled from an announcement or an earlier visit; the guard confirms or corrects
    it. `extra` says where it came from (expectedVisitId or fromVisitId)."""
    return {
        "residentId": str(source.resident_id),
        "residentQuery": f"{source.resident_name} · {source.resident_unit}",
        "visitorName": source.visitor_name,
        "totalPeople": str(source.total_people),
        "vehicleColor": source.vehicle_color or "",
        "licensePlate": source.license_plate or "",
        "subject": getattr(source, "subject", None) or _("Guest"),
    } | extra
