"""Search and history over all visits, and one visit's page where a guard corrects it."""

from __future__ import annotations

from uuid import UUID

from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.response import Stream

from app.domain.gates import service as gates
from app.domain.records import audit
from app.domain.visits import export as visit_export
from app.domain.visits import forms as visit_forms
from app.domain.visits import service as visits
from app.lib.actors import Actor
from app.lib.downloads import csv_download
from app.lib.errors import Invalid
from app.lib.schemas import Page
from app.web.forms import read_form, read_query
from app.web.lists import ListTemplates, list_page
from app.web.render import page, page_or_fragment

PAGE_SIZE = 25


async def detail_context(actor: Actor, visit, form: dict, errors: dict | None = None, saved: bool = False) -> dict:
    history = await audit.history(actor, "visit", visit.id)
    return {
        "gate_names": await gates.gate_names(),
        "visit": visit,
        "form": form,
        "errors": errors or {},
        "saved": saved,
        "history": history,
    }


QUERY_KEYS = ("q", "residentId", "residentQuery", "from", "to", "status")
LIST = ListTemplates("visits/index.html", "visits/_results.html", "visits/_rows.html")


class VisitPagesController(Controller):
    path = "/kiosk/visits"
    include_in_schema = False

    @get("/")
    async def search(self, request: Request, actor: NamedDependency[Actor]) -> Response:
        query = read_query(request, QUERY_KEYS)
        params = query.fields

        async def fetch(cursor: str | None) -> Page:
            return await visits.list_visits(actor, visit_forms.filters(query), PAGE_SIZE, cursor)

        return await list_page(request, LIST, fetch, base=self.path, params=params, gate_names=await gates.gate_names())

    @get("/export")
    async def export(self, request: Request, actor: NamedDependency[Actor]) -> Stream:
        """The history's visits with the search form's filters, as a spreadsheet."""
        filters = visit_forms.filters(read_query(request, QUERY_KEYS))
        return csv_download(await visit_export.export_visits(actor, filters), visit_export.COLUMNS, "visits")

    @get("/{visit_id:uuid}")
    async def detail(self, actor: NamedDependency[Actor], visit_id: FromPath[UUID]) -> Response:
        visit = await visits.get_visit(actor, visit_id)
        return page("visits/detail.html", **await detail_context(actor, visit, visit_forms.values_of(visit)))

    @post("/{visit_id:uuid}")
    async def update(self, request: Request, actor: NamedDependency[Actor], visit_id: FromPath[UUID]) -> Response:
        form = await read_form(request)
        visit = await visits.get_visit(actor, visit_id)
        try:
            visit = await visits.update_visit(actor, visit_id, visit_forms.visit_input(form, arrival_default_now=False))
        except Invalid as exc:
            context = await detail_context(actor, visit, form.fields, exc.errors)
            return page_or_fragment(request, "visits/detail.html", "visits/_edit.html", 422, **context)
        context = await detail_context(actor, visit, visit_forms.values_of(visit), saved=True)
        return page_or_fragment(request, "visits/detail.html", "visits/_edit.html", **context)
