"""Administrators' API token page: issue (shown once), see last use, revoke."""

from __future__ import annotations

import json
from uuid import UUID

from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath

from app.domain.accounts import forms as account_forms
from app.domain.accounts import service as accounts
from app.domain.accounts import tokens as api_tokens
from app.domain.accounts.schemas import role_names
from app.lib.actors import Actor
from app.lib.errors import Invalid
from app.lib.i18n import N_, _
from app.lib.schemas import Page
from app.web.forms import read_form
from app.web.lists import ListTemplates, list_page
from app.web.render import go_to
from app.web.sessions import show_once, take_shown

NOTICES = {"revoked": N_("Revoked: the token no longer works.")}
PAGE_SIZE = 50
LIST = ListTemplates("admin/tokens.html", "admin/_tokens.html", "admin/_token_rows.html")


async def _tokens_page(actor: Actor, request: Request, status: int = 200, **extra) -> Response:
    """The issue form above the tokens; `extra` carries the form and its errors after a failed issue."""
    show_revoked = request.query_params.get("revoked") == "shown"

    async def fetch(cursor: str | None) -> Page:
        return await api_tokens.list_tokens(actor, show_revoked, PAGE_SIZE, cursor)

    context = {"show_revoked": show_revoked, "form": {}, "issued": None, "roles": role_names()}
    done = request.query_params.get("done", "")
    context["notice"] = _(NOTICES[done]) if done in NOTICES else ""
    params = {"revoked": "shown"} if show_revoked else {}
    return await list_page(
        request, LIST, fetch, base="/admin/tokens", params=params, status_code=status, **(context | extra)
    )


class TokenAdminController(Controller):
    path = "/admin/tokens"
    include_in_schema = False

    @get("/")
    async def index(self, request: Request, actor: NamedDependency[Actor]) -> Response:
        issued = take_shown(request, "token")
        return await _tokens_page(actor, request, issued=json.loads(issued) if issued else None)

    @post("/")
    async def issue(self, request: Request, actor: NamedDependency[Actor]) -> Response:
        form = await read_form(request)
        data = account_forms.token_input(form)
        try:
            issued = await accounts.issue_token(actor, data.email, data.name)
        except Invalid as exc:
            return await _tokens_page(actor, request, 422, form=form.fields, errors=exc.errors)
        show_once(request, "token", json.dumps({"name": issued.name, "token": issued.token}))
        return go_to(request, self.path)

    @post("/{token_id:uuid}/revoke")
    async def revoke(self, request: Request, actor: NamedDependency[Actor], token_id: FromPath[UUID]) -> Response:
        await api_tokens.revoke_token(actor, token_id)
        return go_to(request, f"{self.path}?done=revoked")
