"""Administrators' resident pages: search, add, edit, deactivate, and import a building from CSV."""

from __future__ import annotations

from uuid import UUID

from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.response import Stream

from app.domain.permissions import service as permissions
from app.domain.records import audit
from app.domain.residents import forms as resident_forms
from app.domain.residents import importer as resident_import
from app.domain.residents import service as residents
from app.lib import schemas as models
from app.lib.actors import Actor
from app.lib.downloads import csv_download
from app.lib.errors import InUse, Invalid
from app.web.forms import read_form, read_query
from app.web.lists import ListTemplates, list_page
from app.web.render import go_to, page

PAGE_SIZE = 25
STATUSES = {"active": True, "inactive": False, "all": None}
LIST = ListTemplates("admin/residents.html", "admin/_residents.html", "admin/_resident_rows.html")


PERMISSIONS_SHOWN = 100


async def _permissions_of(actor: Actor, resident_id: UUID) -> models.Page:
    """The resident's standing permissions in force or to come, for their page (no paging: a household has few)."""
    found = await permissions.list_permissions(actor, PERMISSIONS_SHOWN, resident_id=resident_id)
    return models.Page(items=found.items, next_cursor=None)


async def _detail(
    actor: Actor, resident_id: UUID, form=None, errors=None, saved="", status=200, refused=""
) -> Response:
    resident = await residents.get_resident(actor, resident_id)
    context = {
        "resident": resident,
        "form": form or resident_forms.values_of(resident),
        "errors": errors or {},
        "saved": saved,
        "refused": refused,
        "history": await audit.history(actor, "resident", resident_id),
        "permissions": await _permissions_of(actor, resident_id),
    }
    return page("admin/resident.html", status, **context)


class ResidentAdminController(Controller):
    path = "/admin/residents"
    include_in_schema = False

    @get("/")
    async def index(self, request: Request, actor: NamedDependency[Actor]) -> Response:
        params = read_query(request, ("q", "status")).fields
        params["status"] = params["status"] if params["status"] in STATUSES else "active"

        async def fetch(cursor: str | None) -> models.Page:
            return await residents.list_residents(actor, params["q"], STATUSES[params["status"]], PAGE_SIZE, cursor)

        return await list_page(request, LIST, fetch, base=self.path, params=params)

    @get("/export")
    async def export(self, request: Request, actor: NamedDependency[Actor]) -> Stream:
        """The residents the list shows, as the CSV the import reads back."""
        params = read_query(request, ("q", "status")).fields
        active = STATUSES.get(params["status"], True)
        rows = await resident_import.export_residents(actor, params["q"], active)
        return csv_download(rows, resident_import.COLUMNS, "residents")

    @get("/new")
    async def new(self, actor: NamedDependency[Actor]) -> Response:
        del actor  # administrators only, checked by the router
        return page("admin/resident_new.html", form={}, errors={})

    @post("/new")
    async def create(self, request: Request, actor: NamedDependency[Actor]) -> Response:
        form = await read_form(request)
        try:
            resident = await residents.create_resident(actor, resident_forms.resident_input(form))
        except Invalid as exc:
            return page("admin/resident_new.html", 422, form=form.fields, errors=exc.errors)
        return go_to(request, f"/admin/residents/{resident.id}?saved=added")

    @get("/{resident_id:uuid}")
    async def detail(self, request: Request, actor: NamedDependency[Actor], resident_id: FromPath[UUID]) -> Response:
        saved = request.query_params.get("saved", "")
        return await _detail(actor, resident_id, saved=saved if saved in ("added", "saved", "revoked") else "")

    @post("/{resident_id:uuid}")
    async def update(self, request: Request, actor: NamedDependency[Actor], resident_id: FromPath[UUID]) -> Response:
        form = await read_form(request)
        try:
            await residents.update_resident(actor, resident_id, resident_forms.resident_input(form))
        except Invalid as exc:
            return await _detail(actor, resident_id, form.fields, exc.errors, status=422)
        return await _detail(actor, resident_id, saved="saved")

    @post("/{resident_id:uuid}/delete")
    async def delete(self, request: Request, actor: NamedDependency[Actor], resident_id: FromPath[UUID]) -> Response:
        """A resident anything refers to stays, with the reason and the way out (deactivate) on the page."""
        try:
            await residents.delete_resident(actor, resident_id)
        except InUse as exc:
            return await _detail(actor, resident_id, status=409, refused=exc.detail)
        return go_to(request, "/admin/residents")


class ResidentImportController(Controller):
    path = "/admin/residents/import"
    include_in_schema = False

    @get("/")
    async def upload(self, actor: NamedDependency[Actor]) -> Response:
        del actor  # administrators only, checked by the router
        return page("admin/import.html", preview=None, csv_text="", errors={}, columns=resident_import.COLUMNS)

    # Room for a pasted file's URL-encoding (up to 3 bytes a character): the service's own limit is what users meet.
    @post("/", request_max_body_size=4 * resident_import.MAX_BYTES)
    async def check_or_import(self, request: Request, actor: NamedDependency[Actor]) -> Response:
        """'Check' shows every line and problem; 'Import' writes all or none (resident_import.check_or_import)."""
        data = await resident_forms.import_input(await read_form(request))
        outcome = await resident_import.check_or_import(actor, data)
        if outcome.added is not None:
            return page("admin/imported.html", added=outcome.added)
        context = {"preview": outcome.preview, "csv_text": outcome.csv_text, "errors": outcome.errors}
        return page("admin/import.html", 200 if outcome.ready else 422, columns=resident_import.COLUMNS, **context)
