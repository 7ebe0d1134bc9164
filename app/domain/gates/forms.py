"""The gate form -> the GateInput the API takes, and a gate back to a form."""

from __future__ import annotations

from app.domain.gates.schemas import Gate, GateInput
from app.web.forms import Form


def gate_input(form: Form) -> GateInput:
    """A new gate is active (the add form has no such box); the edit form says so with `activeShown`."""
    active = form.checked("active") if form.text("activeShown") else True
    return GateInput(name=form.text("name"), vehicles=form.checked("vehicles"), active=active)


def values_of(gate: Gate) -> dict[str, str]:
    return {"name": gate.name, "vehicles": "on" if gate.vehicles else "", "active": "on" if gate.active else ""}
