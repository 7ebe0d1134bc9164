"""Erasing one visitor's personal data on request: look them up by name or plate, see what would change, erase."""

from __future__ import annotations

from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency

from app.services import retention
from app.services.actors import Actor
from app.services.errors import Invalid
from app.web.render import form_fields, go_to, page


def _who(form: dict[str, str]) -> dict:
    """By plate when one is given, else by name (the service wants exactly one)."""
    plate, name = (form.get("plate") or "").strip(), (form.get("name") or "").strip()
    return {"plate": plate} if plate else {"name": name}


class ErasureController(Controller):
    path = "/admin/erase"
    include_in_schema = False

    @get("/")
    async def preview(self, request: Request, actor: NamedDependency[Actor]) -> Response:
        """Looking is read-only: the matching visits, those still on site, and the audit entries to redact."""
        form = {key: request.query_params.get(key, "") for key in ("name", "plate")}
        erased = request.query_params.get("erased")
        announcements = request.query_params.get("announcements") or "0"
        context = {"form": form, "errors": {}, "found": None, "erased": erased, "announcements": announcements}
        if form["name"] or form["plate"]:
            try:
                context["found"] = await retention.erasure_preview(actor, **_who(form))
            except Invalid as exc:
                context["errors"] = exc.errors
        return page("admin/erase.html", **context)

    @post("/")
    async def erase(self, request: Request, actor: NamedDependency[Actor]) -> Response:
        form = await form_fields(request)
        try:
            done = await retention.erase(actor, **_who(form))
        except Invalid as exc:
            return page(
                "admin/erase.html", 422, form=form, errors=exc.errors, found=None, erased=None, announcements="0"
            )
        return go_to(request, f"{self.path}?erased={done.visits}&announcements={done.announcements}")
