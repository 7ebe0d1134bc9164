"""Administrators' resident pages: search, add, edit, deactivate, and import a building from CSV."""

from __future__ import annotations

from uuid import UUID

from litestar import Controller, Request, Response, get, post
from litestar.datastructures import UploadFile
from litestar.di import NamedDependency
from litestar.params import FromPath

from app.services import audit, models, resident_import, residents
from app.services.actors import Actor
from app.services.errors import InUse, Invalid
from app.web.render import form_fields, go_to, page, page_or_fragment, wants_fragment

PAGE_SIZE = 25
STATUSES = {"active": True, "inactive": False, "all": None}
FIELDS = ("name", "unit", "email", "phone")


def _form_of(resident: models.Resident) -> dict[str, str]:
    form = {field: getattr(resident, field) or "" for field in FIELDS}
    return form | {"active": "on" if resident.active else ""}


def _input_of(form: dict[str, str]) -> models.ResidentInput:
    """A form without the active box shown (the new-resident form) makes an active resident."""
    active = form.get("active") == "on" if "activeShown" in form else True
    return models.ResidentInput(**{field: form.get(field, "") for field in FIELDS}, active=active)


async def _detail(
    actor: Actor, resident_id: UUID, form=None, errors=None, saved="", status=200, refused=""
) -> Response:
    resident = await residents.get_resident(actor, resident_id)
    context = {
        "resident": resident,
        "form": form or _form_of(resident),
        "errors": errors or {},
        "saved": saved,
        "refused": refused,
        "history": await audit.history(actor, "resident", resident_id),
        "actions": audit.ACTIONS,
    }
    return page("admin/resident.html", status, **context)


class ResidentAdminController(Controller):
    path = "/admin/residents"
    include_in_schema = False

    @get("/")
    async def index(self, request: Request, actor: NamedDependency[Actor]) -> Response:
        params = {key: request.query_params.get(key, "") for key in ("q", "status")}
        params["status"] = params["status"] if params["status"] in STATUSES else "active"
        cursor = request.query_params.get("cursor") or None
        try:
            found = await residents.list_residents(actor, params["q"], STATUSES[params["status"]], PAGE_SIZE, cursor)
            errors = {}
        except Invalid as exc:
            found, errors = None, exc.errors
        context = {"params": params, "found": found, "errors": errors}
        if cursor and wants_fragment(request):
            return page("admin/_resident_rows.html", **context)
        return page_or_fragment(request, "admin/residents.html", "admin/_residents.html", **context)

    @get("/new")
    async def new(self, actor: NamedDependency[Actor]) -> Response:
        del actor  # administrators only, checked by the router
        return page("admin/resident_new.html", form={}, errors={})

    @post("/new")
    async def create(self, request: Request, actor: NamedDependency[Actor]) -> Response:
        form = await form_fields(request)
        try:
            resident = await residents.create_resident(actor, _input_of(form))
        except Invalid as exc:
            return page("admin/resident_new.html", 422, form=form, errors=exc.errors)
        return go_to(request, f"/admin/residents/{resident.id}?saved=added")

    @get("/{resident_id:uuid}")
    async def detail(self, request: Request, actor: NamedDependency[Actor], resident_id: FromPath[UUID]) -> Response:
        saved = request.query_params.get("saved", "")
        return await _detail(actor, resident_id, saved=saved if saved in ("added", "saved") else "")

    @post("/{resident_id:uuid}")
    async def update(self, request: Request, actor: NamedDependency[Actor], resident_id: FromPath[UUID]) -> Response:
        form = await form_fields(request)
        try:
            await residents.update_resident(actor, resident_id, _input_of(form))
        except Invalid as exc:
            return await _detail(actor, resident_id, form, exc.errors, status=422)
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
        """'Check' shows every line and problem with nothing written; 'Import' writes all lines or none.

        The text comes back in an editable box, so a bad line can be fixed here and checked again."""
        form = await request.form()
        context = {"preview": None, "csv_text": "", "errors": {}, "columns": resident_import.COLUMNS}
        try:
            upload = form.get("file")
            if isinstance(upload, UploadFile) and upload.filename:
                context["csv_text"] = resident_import.decode(await upload.read())
            else:
                context["csv_text"] = str(form.get("csvText") or "")
            if form.get("action") == "import":
                added = await resident_import.import_residents(actor, context["csv_text"])
                return page("admin/imported.html", added=added)
        except Invalid as exc:
            context["errors"] = exc.errors
        if context["csv_text"]:
            try:
                context["preview"] = await resident_import.preview(actor, context["csv_text"])
            except Invalid as exc:
                context["errors"] = context["errors"] or exc.errors
        elif not context["errors"]:
            context["errors"] = {"file": "choose a CSV file or paste its lines"}
        ready = context["preview"] is not None and context["preview"].ok and not context["errors"]
        return page("admin/import.html", 200 if ready else 422, **context)
