"""The resident forms -> the ResidentInput the API takes, a resident back to a form, and the CSV import."""

from __future__ import annotations

from app.domain.residents.schemas import ImportInput, Resident, ResidentInput
from app.web.forms import Form

FIELDS = ("name", "unit", "email", "phone")


def resident_input(form: Form) -> ResidentInput:
    """`active` follows its checkbox when the form shows one (editing); a new resident is active."""
    active = form.checked("active") if "activeShown" in form.fields else True
    return ResidentInput(**{field: form.text(field) for field in FIELDS}, active=active)


def values_of(resident: Resident) -> dict[str, str]:
    form = {field: getattr(resident, field) or "" for field in FIELDS}
    return form | {"active": "on" if resident.active else ""}


async def import_input(form: Form) -> ImportInput:
    """A chosen file wins over pasted text; the Import button writes, any other only checks."""
    upload = form.upload
    data = await upload.read() if upload is not None and upload.filename else None
    return ImportInput(csv_text=form.text("csvText"), file=data, write=form.text("action") == "import")
