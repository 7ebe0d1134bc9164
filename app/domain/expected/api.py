"""/api/expected-visits: announcements of visitors, with the conventions of /api/visits."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from litestar import Controller, Request, Response, delete, get, post, put
from litestar.di import NamedDependency
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromPath, QueryParameter
from litestar.status_codes import HTTP_201_CREATED

from app.api.body import strict_json
from app.api.docs import problems
from app.api.paging import LINK_HEADER_DOC, Cursor, Limit, page_response
from app.domain.expected import schemas as expected_schemas
from app.domain.expected import service as expected
from app.lib.actors import Actor

WEEKLY_NEEDS_LAST_DAY = {
    "schema_if": {"required": ["weekdays"], "properties": {"weekdays": {"minItems": 1}}},
    "then": {"required": ["endsOn"], "properties": {"endsOn": {"type": "string", "minLength": 1}}},
}
"""The one rule between fields that JSON Schema can state: a weekly announcement (weekdays given) has a last day."""
AnnouncementBody = Annotated[
    expected_schemas.ExpectedInput, Body(media_type=RequestEncodingType.JSON, schema_extra=WEEKLY_NEEDS_LAST_DAY)
]
_RULES = (
    "Rules the schema cannot state: `startsOn` is not in the past; `endsOn` is not before `startsOn` and at most a "
    "year after it; with `weekdays`, `endsOn` is after `startsOn`; an administrator's token must give `residentId` "
    "(an active resident), a resident's token may leave it out or give its own."
)

IncludePast = Annotated[
    bool | None, QueryParameter(name="includePast", description="true: also announcements whose last day has passed")
]


class ExpectedVisitController(Controller):
    path = "/expected-visits"
    tags = ["Expected visits"]

    @get(
        "/",
        operation_id="listExpectedVisits",
        summary="List announced visitors",
        response_headers=LINK_HEADER_DOC,
        responses=problems(),
    )
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

    @get("/{expected_id:uuid}", operation_id="getExpectedVisit", summary="Get an announcement", responses=problems(404))
    async def get_expected(
        self, actor: NamedDependency[Actor], expected_id: FromPath[UUID]
    ) -> expected_schemas.Expected:
        return await expected.get_expected(actor, expected_id)

    @post(
        "/",
        operation_id="createExpectedVisit",
        summary="Announce a visitor",
        description="Residents announce their own visitors; administrators give `residentId`; guards may not (403). "
        + _RULES,
        status_code=HTTP_201_CREATED,
        responses=problems(403, 413),
    )
    async def announce(
        self, request: Request, actor: NamedDependency[Actor], data: AnnouncementBody
    ) -> Response[expected_schemas.Expected]:
        data = await strict_json(request, expected_schemas.ExpectedInput)
        announced = await expected.announce(actor, data)
        location = f"/api/expected-visits/{announced.id}"
        return Response(announced, status_code=HTTP_201_CREATED, headers={"Location": location})

    @put(
        "/{expected_id:uuid}",
        operation_id="updateExpectedVisit",
        summary="Replace an announcement",
        description=_RULES,
        responses=problems(403, 404, 413),
    )
    async def update(
        self,
        request: Request,
        actor: NamedDependency[Actor],
        expected_id: FromPath[UUID],
        data: AnnouncementBody,
    ) -> expected_schemas.Expected:
        data = await strict_json(request, expected_schemas.ExpectedInput)
        return await expected.update(actor, expected_id, data)

    @delete(
        "/{expected_id:uuid}",
        operation_id="deleteExpectedVisit",
        summary="Cancel an announcement",
        responses=problems(403, 404),
    )
    async def cancel(self, actor: NamedDependency[Actor], expected_id: FromPath[UUID]) -> None:
        await expected.cancel(actor, expected_id)
