"""A resident's "Always let in" page (/me/always): the add form above the household's permissions."""

from __future__ import annotations

from datetime import timedelta
from uuid import UUID

from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath

from app.domain.permissions import forms as permission_forms
from app.domain.permissions import service as permissions
from app.domain.permissions.schemas import DEFAULT_DAYS
from app.lib.actors import Actor
from app.lib.errors import Invalid
from app.lib.i18n import N_, _
from app.lib.schemas import Page
from app.web.auth import provide_resident_actor
from app.web.forms import read_form
from app.web.lists import ListTemplates, list_page
from app.web.render import go_to

NOTICES = {
    "granted": N_("Saved: the gate lets them in without asking you."),
    "revoked": N_("Revoked: the gate asks you again."),
}
PAGE_SIZE = 50
LIST = ListTemplates("permissions/index.html", "permissions/_results.html", "permissions/_rows.html")


def blank_form() -> dict[str, str]:
    first = permissions.today()
    return {
        "kind": "deliveries",
        "startsOn": first.isoformat(),
        "endsOn": (first + timedelta(days=DEFAULT_DAYS)).isoformat(),
    }


async def _list_page(request: Request, actor: Actor, base: str, status: int = 200, **extra) -> Response:
    """`extra` carries the form and its errors after a failed add, so what was typed stays."""

    async def fetch(cursor: str | None) -> Page:
        return await permissions.list_permissions(actor, PAGE_SIZE, cursor)

    context = {"form": blank_form(), "notice": ""} | extra
    return await list_page(request, LIST, fetch, base=base, status_code=status, **context)


class AdminPermissionsController(Controller):
    """Administrators revoke from the resident's page (admin/resident.html lists them); mounted in the
    administration router, which checks the role."""

    path = "/admin/standing-permissions"
    include_in_schema = False

    @post("/{permission_id:uuid}/revoke")
    async def revoke(self, request: Request, actor: NamedDependency[Actor], permission_id: FromPath[UUID]) -> Response:
        revoked = await permissions.revoke(actor, permission_id)
        return go_to(request, f"/admin/residents/{revoked.resident_id}?saved=revoked#always-title")


class MyPermissionsController(Controller):
    path = "/me/always"
    include_in_schema = False
    dependencies = {"actor": Provide(provide_resident_actor)}

    @get("/")
    async def index(self, request: Request, actor: NamedDependency[Actor]) -> Response:
        notice = NOTICES.get(request.query_params.get("done", ""))
        return await _list_page(request, actor, self.path, notice=_(notice) if notice else "")

    @post("/")
    async def grant(self, request: Request, actor: NamedDependency[Actor]) -> Response:
        form = await read_form(request)
        try:
            await permissions.grant(actor, permission_forms.permission_input(form))
        except Invalid as exc:
            shown = permission_forms.shown_again(form)
            return await _list_page(request, actor, self.path, 422, form=shown, errors=exc.errors)
        return go_to(request, f"{self.path}?done=granted")  # a reload must not grant it twice

    @post("/{permission_id:uuid}/revoke")
    async def revoke(self, request: Request, actor: NamedDependency[Actor], permission_id: FromPath[UUID]) -> Response:
        await permissions.revoke(actor, permission_id)
        return go_to(request, f"{self.path}?done=revoked")
