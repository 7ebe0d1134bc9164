"""The do-not-admit list's pages: administrators for the community, a resident for their own unit."""

from __future__ import annotations

from uuid import UUID

from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath

from app.domain.bans import forms as ban_forms
from app.domain.bans import service as bans
from app.lib.actors import Actor
from app.lib.errors import Invalid
from app.lib.i18n import N_, _
from app.lib.schemas import Page
from app.web.auth import provide_resident_actor
from app.web.forms import read_form, read_query
from app.web.lists import ListTemplates, list_page
from app.web.render import go_to

NOTICES = {"added": N_("Added to the list."), "lifted": N_("Lifted: the gate no longer warns about this entry.")}
PAGE_SIZE = 50
LIST = ListTemplates("bans/index.html", "bans/_results.html", "bans/_rows.html")


async def _list_page(request: Request, actor: Actor, base: str, status: int = 200, **extra) -> Response:
    """The add form above the entries in force; `extra` carries the form and its errors after a failed add."""
    params = read_query(request, ("q",)).fields

    async def fetch(cursor: str | None) -> Page:
        return await bans.list_bans(actor, PAGE_SIZE, cursor, q=params["q"])

    context = {"form": {}, "notice": ""} | extra
    return await list_page(request, LIST, fetch, base=base, params=params, status_code=status, **context)


async def _add(request: Request, actor: Actor, base: str) -> Response:
    form = await read_form(request)
    try:
        await bans.add_ban(actor, ban_forms.ban_input(form))
    except Invalid as exc:
        return await _list_page(request, actor, base, 422, form=ban_forms.shown_again(form), errors=exc.errors)
    return go_to(request, f"{base}?done=added")  # a reload must not add it twice


class MyBansController(Controller):
    """A resident's entries, which apply only to visits to their own unit."""

    path = "/me/bans"
    include_in_schema = False
    dependencies = {"actor": Provide(provide_resident_actor)}

    @get("/")
    async def index(self, request: Request, actor: NamedDependency[Actor]) -> Response:
        notice = NOTICES.get(request.query_params.get("done", ""))
        return await _list_page(request, actor, self.path, notice=_(notice) if notice else "")

    @post("/")
    async def add(self, request: Request, actor: NamedDependency[Actor]) -> Response:
        return await _add(request, actor, self.path)

    @post("/{ban_id:uuid}/lift")
    async def lift(self, request: Request, actor: NamedDependency[Actor], ban_id: FromPath[UUID]) -> Response:
        await bans.lift_ban(actor, ban_id)
        return go_to(request, f"{self.path}?done=lifted")


class BanAdminController(MyBansController):
    """The community's list for administrators; mounted in the administration router, which checks the role."""

    path = "/admin/bans"
    dependencies = {}
