"""/api/expected-visits: announcements of visitors, with the conventions of /api/visits."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from litestar import Controller, Request, Response, delete, get, post, put
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody, QueryParameter
from litestar.status_codes import HTTP_201_CREATED

from app.api.body import strict_json
from app.api.docs import problems
from app.api.paging import LINK_HEADER_DOC, Cursor, Limit, page_response
from app.services import expected, expected_schemas
from app.services.actors import Actor

IncludePast = Annotated[
    bool | None, QueryParameter(name="includePast", description="true: also announcements whose last day has passed")
]


class ExpectedVisitController(Controller):
    path = "/expected-visits"
    tags = ["Expected visits"]

    @get("/", summary="List announced visitors", response_headers=LINK_HEADER_DOC, responses=problems(400))
    async def list_expected(
        self,
        request: Request,
        actor: NamedDependency[Actor],
        limit: Limit = None,
        cursor: Cursor = None,
        include_past: IncludePast = None,
    ) -> Response[list[expected_schemas.Expected]]:
        """Newest announcement first; a resident's token sees only that resident's."""
        return page_response(request, await expected.list_expected(actor, limit, cursor, bool(include_past)))

    @get("/{expected_id:uuid}", summary="Get an announcement", responses=problems(404))
    async def get_expected(
        self, actor: NamedDependency[Actor], expected_id: FromPath[UUID]
    ) -> expected_schemas.Expected:
        return await expected.get_expected(actor, expected_id)

    @post("/", summary="Announce a visitor", status_code=HTTP_201_CREATED, responses=problems(400, 403))
    async def announce(
        self, request: Request, actor: NamedDependency[Actor], data: JSONBody[expected_schemas.ExpectedInput]
    ) -> Response[expected_schemas.Expected]:
        """Residents announce their own visitors; administrators give `residentId`. Guards may not (403)."""
        data = await strict_json(request, expected_schemas.ExpectedInput)
        announced = await expected.announce(actor, data)
        location = f"/api/expected-visits/{announced.id}"
        return Response(announced, status_code=HTTP_201_CREATED, headers={"Location": location})

    @put("/{expected_id:uuid}", summary="Replace an announcement", responses=problems(400, 403, 404))
    async def update(
        self,
        request: Request,
        actor: NamedDependency[Actor],
        expected_id: FromPath[UUID],
        data: JSONBody[expected_schemas.ExpectedInput],
    ) -> expected_schemas.Expected:
        data = await strict_json(request, expected_schemas.ExpectedInput)
        return await expected.update(actor, expected_id, data)

    @delete("/{expected_id:uuid}", summary="Cancel an announcement", responses=problems(403, 404))
    async def cancel(self, actor: NamedDependency[Actor], expected_id: FromPath[UUID]) -> None:
        await expected.cancel(actor, expected_id)
