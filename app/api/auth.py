"""Who is calling the API: the account behind the Bearer token, checked before anything else is read."""

from __future__ import annotations

from contextvars import ContextVar

from litestar import Request
from litestar.openapi.spec import Components, SecurityScheme

from app.domain.accounts import service as accounts
from app.lib import i18n
from app.lib.actors import Actor
from app.lib.client import client_address
from app.lib.errors import Unauthenticated

BEARER_SCHEME = "bearerToken"
SECURITY_COMPONENTS = Components(
    security_schemes={
        BEARER_SCHEME: SecurityScheme(
            type="http",
            scheme="bearer",
            description="An API token from `gatehouse token create`, sent as `Authorization: Bearer <token>`.",
        )
    }
)


async def authenticate(request: Request) -> None:
    """The first step of the API router's `before_request`, so it runs before Litestar reads the body or the
    query: an anonymous caller gets 401 whatever it sent, and the server spends nothing on the body of a
    request it will refuse. Being first, it also chooses the language of the problem messages
    (Accept-Language; JSON fields never change). Not a guard: Litestar copies the route handler for every
    guard call, which was a tenth of an API read. A `before_request` closer to a handler would replace the
    router's, and with it this check: tests/api/test_auth_and_roles.py fails if any API handler resolves another."""
    headers = request.headers
    i18n.use_language(i18n.from_accept_language(headers.get("accept-language")))
    scheme, _, token = headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthenticated(i18n.gettext("Send an API token as `Authorization: Bearer <token>`."))
    _actor.set(await accounts.actor_for_token(token.strip(), client_address(request)))


_actor: ContextVar[Actor] = ContextVar("api_actor")
"""The authenticated actor, for the rest of this request (as i18n keeps its language): each request runs in
its own task, with its own copy of the context. Not `request.state`, which builds a State (with its lock)
on each access, and a provider without parameters, which Litestar calls without parsing any: together a
tenth of what an API read cost above the handler."""


def provide_api_actor() -> Actor:
    return _actor.get()  # a LookupError (500), never an anonymous actor, if authenticate has not run
