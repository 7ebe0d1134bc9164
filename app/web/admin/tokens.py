"""Administrators' API token page: issue (shown once), see last use, revoke."""

from __future__ import annotations

from uuid import UUID

from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath

from app.services import accounts, api_tokens
from app.services.actors import Actor
from app.services.errors import Invalid, NotFound
from app.web.render import form_fields, page


async def _tokens_page(actor: Actor, request: Request, status: int = 200, **extra) -> Response:
    show_revoked = request.query_params.get("revoked") == "shown"
    context = {
        "tokens": await api_tokens.list_tokens(actor, include_revoked=show_revoked),
        "show_revoked": show_revoked,
        "form": {},
        "errors": {},
        "issued": None,
        "notice": "",
    }
    return page("admin/tokens.html", status, **(context | extra))


class TokenAdminController(Controller):
    path = "/admin/tokens"
    include_in_schema = False

    @get("/")
    async def index(self, request: Request, actor: NamedDependency[Actor]) -> Response:
        return await _tokens_page(actor, request)

    @post("/")
    async def issue(self, request: Request, actor: NamedDependency[Actor]) -> Response:
        form = await form_fields(request)
        try:
            issued = await accounts.issue_token(actor, form.get("email", ""), form.get("name", ""))
        except NotFound:
            return await _tokens_page(actor, request, 422, form=form, errors={"email": "no account has this email"})
        except Invalid as exc:
            return await _tokens_page(actor, request, 422, form=form, errors=exc.errors)
        return await _tokens_page(actor, request, 201, issued=issued)

    @post("/{token_id:uuid}/revoke")
    async def revoke(self, request: Request, actor: NamedDependency[Actor], token_id: FromPath[UUID]) -> Response:
        revoked = await api_tokens.revoke_token(actor, token_id)
        return await _tokens_page(actor, request, notice=f"Revoked “{revoked.name}”; it no longer works.")
