"""Erasing one visitor's personal data on request: look them up by name or plate, see what would change, erase."""

from __future__ import annotations

from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency

from app.domain.records import forms as erasure_forms
from app.domain.records import retention
from app.lib.actors import Actor
from app.lib.errors import Invalid
from app.web.forms import read_form, read_query
from app.web.render import go_to, page


class ErasureController(Controller):
    path = "/admin/erase"
    include_in_schema = False

    @get("/")
    async def preview(self, request: Request, actor: NamedDependency[Actor]) -> Response:
        """Looking is read-only: the matching visits, those still on site, and the audit entries to redact."""
        form = read_query(request, erasure_forms.FIELDS)
        erased = request.query_params.get("erased")
        announcements = request.query_params.get("announcements") or "0"
        context = {"form": form.fields, "errors": {}, "found": None, "erased": erased, "announcements": announcements}
        if form.text("name") or form.text("plate"):
            try:
                context["found"] = await retention.preview_erasure_of(actor, erasure_forms.erasure_input(form))
            except Invalid as exc:
                context["errors"] = exc.errors
        return page("admin/erase.html", **context)

    @post("/")
    async def erase(self, request: Request, actor: NamedDependency[Actor]) -> Response:
        form = await read_form(request)
        try:
            done = await retention.erase_visitor(actor, erasure_forms.erasure_input(form))
        except Invalid as exc:
            return page(
                "admin/erase.html", 422, form=form.fields, errors=exc.errors, found=None, erased=None, announcements="0"
            )
        return go_to(request, f"{self.path}?erased={done.visits}&announcements={done.announcements}")
