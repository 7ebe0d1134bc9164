"""The erasure form (a GET to look, a POST to erase) -> the ErasureInput the service takes."""

from __future__ import annotations

from app.domain.records.retention_schemas import ErasureInput
from app.web.forms import Form

FIELDS = ("name", "plate")


def erasure_input(form: Form) -> ErasureInput:
    return ErasureInput(name=form.optional("name"), plate=form.optional("plate"))
