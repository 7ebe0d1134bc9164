"""The kiosk's forms -> the EntryRequestInput, AnswerInput and CheckInInput the API uses.

Asking reads the check-in form itself: the guard typed the visitor once and chooses Ask instead of Check in."""

from __future__ import annotations

from app.domain.entry_requests import service
from app.domain.entry_requests.schemas import AnswerInput, EntryRequest, EntryRequestInput
from app.domain.visits import forms as visit_forms
from app.domain.visits.schemas import CheckInInput
from app.lib.clock import utc_now
from app.lib.errors import Invalid
from app.lib.i18n import _
from app.web.forms import Form


def request_input(form: Form) -> EntryRequestInput:
    """The check-in form's visitor, as a question to their resident (every problem reported at once)."""
    visit = visit_forms.visit_input(form)
    return EntryRequestInput(
        resident_id=visit.resident_id,
        visitor_name=visit.visitor_name,
        total_people=visit.total_people,
        subject=visit.subject,
        vehicle_color=visit.vehicle_color,
        license_plate=visit.license_plate,
        note=form.optional("note"),
    )


def _decision(form: Form, allowed: tuple[str, ...]) -> str:
    decision = form.text("decision")
    if decision not in allowed:
        raise Invalid({"decision": _("choose one of the answers offered")})
    return decision


def answer_input(form: Form) -> AnswerInput:
    return AnswerInput(decision=_decision(form, service.RESIDENT_DECISIONS), message=form.optional("message"))


def call_input(form: Form) -> AnswerInput:
    return AnswerInput(
        decision=_decision(form, tuple(service.CALL_OUTCOMES)), message=form.optional("message"), via="phone"
    )


def check_in_input(request: EntryRequest, form: Form) -> CheckInInput:
    """The visit the request was about, arriving now; a refused or unanswered one carries the guard's reason."""
    return CheckInInput(
        resident_id=request.resident_id,
        visitor_name=request.visitor_name,
        total_people=request.total_people,
        subject=request.subject,
        arrival_date=utc_now().isoformat(),
        vehicle_color=request.vehicle_color,
        license_plate=request.license_plate,
        override_reason=form.optional("overrideReason"),
        entry_request_id=request.id,
    )
