"""The note form -> the ShiftNoteInput the API takes; the handover's window from its query."""

from __future__ import annotations

from app.domain.shift_log.schemas import HOURS_DEFAULT, ShiftNoteInput
from app.domain.shift_log.service import hours_problem
from app.web.forms import Form

BLANK = {"category": "handover"}


def note_input(form: Form) -> ShiftNoteInput:
    return ShiftNoteInput(
        text=form.text("text"),
        category=form.text("category") or "handover",
        for_next_shift=form.checked("forNextShift"),
    )


def hours(form: Form) -> int:
    value = form.whole_number("hours", HOURS_DEFAULT, hours_problem())
    form.errors.raise_if_any()
    return value
