"""Announcing visitors: a resident for themselves (/me/expected), an administrator for anyone (/admin/expected)."""

from __future__ import annotations

from uuid import UUID

from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath

from app.domain.expected import forms as expected_forms
from app.domain.expected import service as expected
from app.domain.passes.rules import MAX_USES_LIMIT
from app.lib import formats
from app.lib.actors import Actor
from app.lib.errors import Invalid
from app.lib.i18n import _
from app.lib.schemas import Page
from app.web.auth import provide_resident_actor
from app.web.forms import read_form, read_query
from app.web.lists import ListTemplates, list_page
from app.web.render import go_to, page

BLANK = {"totalPeople": "1", "kind": "day"}
PAGE_SIZE = 50
LIST = ListTemplates("expected/index.html", "expected/_results.html", "expected/_rows.html")


def _context(base: str, **extra) -> dict:
    return {"base": base, "weekday_names": formats.weekday_names(), "describe": expected.describe_when} | extra


async def _list(request: Request, actor: Actor, base: str, notice: str = "") -> Response:
    params = read_query(request, ("q",)).fields

    async def fetch(cursor: str | None) -> Page:
        return await expected.list_expected(actor, PAGE_SIZE, cursor, q=params["q"])

    return await list_page(request, LIST, fetch, params=params, **_context(base, notice=notice))


def _form_page(base: str, form: dict, errors: dict, item=None, status: int = 200) -> Response:
    today = expected.today().isoformat()
    context = _context(base, form=form, errors=errors, item=item, today=today, max_uses=MAX_USES_LIMIT)
    return page("expected/form.html", status, **context)


async def _save(request: Request, actor: Actor, base: str, expected_id: UUID | None = None) -> Response:
    form = await read_form(request)
    item = await expected.get_expected(actor, expected_id) if expected_id else None
    try:
        data = expected_forms.expected_input(form)
        if expected_id:
            await expected.update(actor, expected_id, data)
        else:
            await expected.announce(actor, data)
    except Invalid as exc:
        return _form_page(base, expected_forms.shown_again(form), exc.errors, item, 422)
    return go_to(request, f"{base}?saved={'changed' if expected_id else 'announced'}")


class MyExpectedController(Controller):
    path = "/me/expected"
    include_in_schema = False
    dependencies = {"actor": Provide(provide_resident_actor)}

    @get("/")
    async def list_page(self, request: Request, actor: NamedDependency[Actor]) -> Response:
        saved = request.query_params.get("saved", "")
        notice = {
            "announced": _("Announced: the gate will see it on the day."),
            "changed": _("Saved."),
            "cancelled": _("Cancelled."),
        }.get(saved, "")
        return await _list(request, actor, self.path, notice)

    @get("/new")
    async def new(self, actor: NamedDependency[Actor]) -> Response:
        del actor
        return _form_page(self.path, dict(BLANK, startsOn=expected.today().isoformat()), {})

    @post("/new")
    async def create(self, request: Request, actor: NamedDependency[Actor]) -> Response:
        return await _save(request, actor, self.path)

    @get("/{expected_id:uuid}")
    async def edit(self, actor: NamedDependency[Actor], expected_id: FromPath[UUID]) -> Response:
        item = await expected.get_expected(actor, expected_id)
        return _form_page(self.path, expected_forms.values_of(item), {}, item)

    @post("/{expected_id:uuid}")
    async def change(self, request: Request, actor: NamedDependency[Actor], expected_id: FromPath[UUID]) -> Response:
        return await _save(request, actor, self.path, expected_id)

    @post("/{expected_id:uuid}/cancel")
    async def cancel(self, request: Request, actor: NamedDependency[Actor], expected_id: FromPath[UUID]) -> Response:
        await expected.cancel(actor, expected_id)
        return go_to(request, f"{self.path}?saved=cancelled")


class AdminExpectedController(MyExpectedController):
    """The same pages for administrators, who choose the resident; mounted in the administration router."""

    path = "/admin/expected"
    dependencies = {}
