"""Who is calling the API: the account behind the Bearer token, checked before anything else is read."""

from __future__ import annotations

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
    i18n.use_language(i18n.from_accept_language(request.headers.get("accept-language")))
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthenticated(i18n.gettext("Send an API token as `Authorization: Bearer <token>`."))
    request.state.actor = await accounts.actor_for_token(token.strip(), client_address(request))


async def provide_api_actor(request: Request) -> Actor:
    return request.state.actor
