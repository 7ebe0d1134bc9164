"""The do-not-admit form -> the BanInput the services take."""

from __future__ import annotations

from app.domain.bans.schemas import BanInput
from app.web.forms import Form

FIELDS = ("name", "licensePlate", "reason", "expiresAt", "residentId", "residentQuery")


def ban_input(form: Form) -> BanInput:
    return BanInput(
        reason=form.text("reason"),
        name=form.optional("name"),
        license_plate=form.optional("licensePlate"),
        resident_id=form.uuid("residentId"),
        expires_at=form.optional("expiresAt"),
    )


def shown_again(form: Form) -> dict[str, str]:
    return {key: form.text(key) for key in FIELDS}
