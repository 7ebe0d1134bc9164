"""The JSON API: thin controllers over app/services, authenticated by Bearer token."""

from __future__ import annotations

from litestar import Router
from litestar.di import Provide

from app.api.auth import BEARER_SCHEME, provide_api_actor
from app.api.expected import ExpectedVisitController
from app.api.paging import whole_number_limit
from app.api.residents import ResidentController
from app.api.visits import VisitController


def api_router() -> Router:
    return Router(
        path="/api",
        route_handlers=[VisitController, ResidentController, ExpectedVisitController],
        dependencies={"actor": Provide(provide_api_actor)},
        security=[{BEARER_SCHEME: []}],
        before_request=whole_number_limit,
    )
