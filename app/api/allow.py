"""`Allow` answers list every method of the address.

Litestar builds each address's automatic OPTIONS answer when the route is first made; handlers added to
the same path later (GET after POST on /api/residents) were missing from it, so clients were told a
method they may use is not allowed.
"""

from __future__ import annotations

from litestar import Litestar
from litestar.datastructures import MutableScopeHeaders
from litestar.routes import HTTPRoute
from litestar.types import Message, Scope


async def complete_allow_header(message: Message, scope: Scope) -> None:
    if message["type"] != "http.response.start" or scope.get("method") != "OPTIONS":
        return
    headers = MutableScopeHeaders.from_message(message)
    if "allow" not in headers:
        return
    handler = scope.get("route_handler")
    for route in Litestar.from_scope(scope).routes:  # the app's public list of routes, each with all its methods
        if isinstance(route, HTTPRoute) and handler in route.route_handlers:
            headers["Allow"] = ", ".join(sorted(route.methods))
            return
