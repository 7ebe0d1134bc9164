"""Who is calling the API: the account behind the Bearer token, checked before anything else is read."""

from __future__ import annotations

import msgspec
from litestar import Request
from litestar.connection import ASGIConnection
from litestar.handlers import BaseRouteHandler
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


async def authenticate(connection: ASGIConnection, _: BaseRouteHandler) -> None:
    """A guard, so it runs before Litestar reads the body or the query: an anonymous caller gets 401 whatever
    it sent, and the server spends nothing on the body of a request it will refuse. It is the API's first
    step, so it also chooses the language of the problem messages (Accept-Language; JSON fields never change)."""
    i18n.use_language(i18n.from_accept_language(connection.headers.get("accept-language")))
    scheme, _, token = connection.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthenticated(i18n.gettext("Send an API token as `Authorization: Bearer <token>`."))
    actor = await accounts.actor_for_token(token.strip())
    connection.state.actor = msgspec.structs.replace(actor, address=client_address(connection))


async def provide_api_actor(request: Request) -> Actor:
    return request.state.actor
