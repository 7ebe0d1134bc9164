"""Search and history over all visits, and one visit's page where a guard corrects it."""

from __future__ import annotations

from uuid import UUID

from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath

from app.services import audit, visits
from app.services.actors import Actor
from app.services.errors import Invalid
from app.services.models import Page
from app.services.visit_forms import filters_from_query, form_from_visit, visit_input_from_form
from app.web.lists import ListTemplates, list_page, query_params
from app.web.render import page, page_or_fragment

PAGE_SIZE = 25
ACTIONS = {
    "visit.created": "Checked in",
    "visit.updated": "Corrected",
    "visit.checked_out": "Checked out",
    "visit.check_out_undone": "Check-out undone",
    "visit.swept": "Checked out automatically (end-of-day sweep)",
}


FIELD_LABELS = {
    "residentId": "Resident",
    "residentName": "Resident",
    "visitorName": "Visitor",
    "totalPeople": "People",
    "vehicleColor": "Vehicle colour",
    "licensePlate": "Licence plate",
    "subject": "Subject",
    "arrivalDate": "Arrived at",
    "departureDate": "Left at",
    "departureAutomatic": "Automatic check-out",
}


async def detail_context(actor: Actor, visit, form: dict, errors: dict | None = None, saved: bool = False) -> dict:
    history = await audit.history(actor, "visit", visit.id)
    return {
        "visit": visit,
        "form": form,
        "errors": errors or {},
        "saved": saved,
        "history": history,
        "actions": ACTIONS,
        "labels": FIELD_LABELS,
    }


QUERY_KEYS = ("q", "residentId", "residentQuery", "from", "to", "status")
LIST = ListTemplates("visits/index.html", "visits/_results.html", "visits/_rows.html")


class VisitPagesController(Controller):
    path = "/kiosk/visits"
    include_in_schema = False

    @get("/")
    async def search(self, request: Request, actor: NamedDependency[Actor]) -> Response:
        params = query_params(request, QUERY_KEYS)

        async def fetch(cursor: str | None) -> Page:
            return await visits.list_visits(actor, filters_from_query(params), PAGE_SIZE, cursor)

        return await list_page(request, LIST, fetch, base=self.path, params=params)

    @get("/{visit_id:uuid}")
    async def detail(self, actor: NamedDependency[Actor], visit_id: FromPath[UUID]) -> Response:
        visit = await visits.get_visit(actor, visit_id)
        return page("visits/detail.html", **await detail_context(actor, visit, form_from_visit(visit)))

    @post("/{visit_id:uuid}")
    async def update(self, request: Request, actor: NamedDependency[Actor], visit_id: FromPath[UUID]) -> Response:
        form = {key: str(value) for key, value in (await request.form()).items()}
        visit = await visits.get_visit(actor, visit_id)
        try:
            data = visit_input_from_form(form, arrival_default_now=False)
            visit = await visits.update_visit(actor, visit_id, data)
        except Invalid as exc:
            context = await detail_context(actor, visit, form, exc.errors)
            return page_or_fragment(request, "visits/detail.html", "visits/_edit.html", 422, **context)
        context = await detail_context(actor, visit, form_from_visit(visit), saved=True)
        return page_or_fragment(request, "visits/detail.html", "visits/_edit.html", **context)
