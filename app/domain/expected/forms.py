"""The announcement form -> the ExpectedInput the API takes, and an announcement back to a form."""

from __future__ import annotations

from app.domain.expected.schemas import Expected, ExpectedInput
from app.domain.expected.service import entries_problem, people_problem
from app.lib.i18n import _
from app.web.forms import Form

KINDS = ("day", "range", "weekly")


def expected_input(form: Form) -> ExpectedInput:
    """One day, a range, or weekdays within a range, chosen by `kind`."""
    kind = form.text("kind") if form.text("kind") in KINDS else "day"
    people = form.whole_number("totalPeople", 1, people_problem())
    most_entries = form.optional_whole_number("passMaxUses", entries_problem())
    try:
        days = [int(day) for day in form.all("weekdays")] if kind == "weekly" else []
    except ValueError:
        days = [0]
    if kind == "weekly" and not days:
        form.errors.add("weekdays", _("choose at least one day of the week"))
    form.errors.raise_if_any()
    return ExpectedInput(
        visitor_name=form.text("visitorName"),
        starts_on=form.text("startsOn"),
        resident_id=form.uuid("residentId"),
        ends_on=form.optional("endsOn") if kind != "day" else None,
        weekdays=days,
        total_people=people,
        vehicle_color=form.optional("vehicleColor"),
        license_plate=form.optional("licensePlate"),
        note=form.optional("note"),
        pass_max_uses=most_entries,
    )


def shown_again(form: Form) -> dict[str, str]:
    """The fields to show back after a problem, the ticked weekdays included."""
    return form.fields | {"weekdays": ",".join(form.all("weekdays"))}


def values_of(item: Expected) -> dict[str, str]:
    kind = "weekly" if item.weekdays else ("day" if item.single_day else "range")
    return {
        "visitorName": item.visitor_name,
        "totalPeople": str(item.total_people),
        "vehicleColor": item.vehicle_color or "",
        "licensePlate": item.license_plate or "",
        "note": item.note or "",
        "passMaxUses": "" if item.pass_max_uses is None else str(item.pass_max_uses),
        "kind": kind,
        "startsOn": item.starts_on.isoformat(),
        "endsOn": item.ends_on.isoformat(),
        "residentId": str(item.resident_id),
        "residentQuery": f"{item.resident_name} · {item.resident_unit}",
        "weekdays": ",".join(str(day) for day in item.weekdays),
    }
