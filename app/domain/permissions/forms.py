"""The "always let in" form -> the StandingPermissionInput the API takes."""

from __future__ import annotations

from app.domain.permissions.schemas import KINDS, StandingPermissionInput
from app.web.forms import Form

FIELDS = ("kind", "visitorName", "licensePlate", "startsOn", "endsOn", "note", "residentId", "residentQuery")


def permission_input(form: Form) -> StandingPermissionInput:
    """The kind chosen by its radio; the service keeps only the name or the plate that kind needs."""
    kind = form.text("kind")
    return StandingPermissionInput(
        kind=kind if kind in KINDS else "deliveries",  # type: ignore[arg-type]
        visitor_name=form.optional("visitorName"),
        license_plate=form.optional("licensePlate"),
        starts_on=form.optional("startsOn"),
        ends_on=form.optional("endsOn"),
        note=form.optional("note"),
        resident_id=form.uuid("residentId"),
    )


def shown_again(form: Form) -> dict[str, str]:
    return {key: form.text(key) for key in FIELDS}
