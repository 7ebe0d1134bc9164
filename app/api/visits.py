"""/api/visits: the seed contract for other systems."""

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
from app.services import visit_schemas, visits
from app.services.actors import Actor
from app.services.clock import DAY_OR_INSTANT_PATTERN

_DATE_HELP = "ISO 8601; without an offset, in the site's time zone"
_DAY = {"pattern": "^$|" + DAY_OR_INSTANT_PATTERN}  # documented; the service checks it and says what is wrong
ArrivedFrom = Annotated[
    str | None, QueryParameter(name="from", description=f"Arrived at or after. {_DATE_HELP}", schema_extra=_DAY)
]
ArrivedTo = Annotated[
    str | None, QueryParameter(name="to", description=f"Arrived at or before. {_DATE_HELP}", schema_extra=_DAY)
]
ResidentFilter = Annotated[UUID | None, QueryParameter(name="residentId", description="Only this resident's visits")]
OnSite = Annotated[bool | None, QueryParameter(name="onSite", description="true: still inside; false: left")]
Search = Annotated[str | None, QueryParameter(max_length=100, description="Visitor name or licence plate fragment")]


class VisitController(Controller):
    path = "/visits"
    tags = ["Visits"]

    @get("/", summary="List visits", response_headers=LINK_HEADER_DOC, responses=problems(400, 404))
    async def list_visits(
        self,
        request: Request,
        actor: NamedDependency[Actor],
        limit: Limit = None,
        cursor: Cursor = None,
        resident_id: ResidentFilter = None,
        on_site: OnSite = None,
        arrived_from: ArrivedFrom = None,
        arrived_to: ArrivedTo = None,
        q: Search = None,
    ) -> Response[list[visit_schemas.Visit]]:
        """Visits, newest arrival first, a page at a time."""
        filters = visit_schemas.VisitFilters(resident_id, on_site, arrived_from, arrived_to, q)
        return page_response(request, await visits.list_visits(actor, filters, limit, cursor))

    @get("/{visit_id:uuid}", summary="Get a visit", responses=problems(404))
    async def get_visit(self, actor: NamedDependency[Actor], visit_id: FromPath[UUID]) -> visit_schemas.Visit:
        return await visits.get_visit(actor, visit_id)

    @get(
        "/resident/{resident_id:uuid}",
        summary="List one resident's visits",
        response_headers=LINK_HEADER_DOC,
        responses=problems(400, 404),
    )
    async def list_resident_visits(
        self,
        request: Request,
        actor: NamedDependency[Actor],
        resident_id: FromPath[UUID],
        limit: Limit = None,
        cursor: Cursor = None,
    ) -> Response[list[visit_schemas.Visit]]:
        filters = visit_schemas.VisitFilters(resident_id=resident_id)
        return page_response(request, await visits.list_visits(actor, filters, limit, cursor))

    @post("/", summary="Check a visitor in", status_code=HTTP_201_CREATED, responses=problems(400, 403, 409))
    async def create_visit(
        self, request: Request, actor: NamedDependency[Actor], data: JSONBody[visit_schemas.CheckInInput]
    ) -> Response[visit_schemas.Visit]:
        """409 when the visitor is on the do-not-admit list (the entries are in `doNotAdmit`), unless the
        body carries an `overrideReason`."""
        data = await strict_json(request, visit_schemas.CheckInInput)
        visit = await visits.create_visit(actor, data)
        return Response(visit, status_code=HTTP_201_CREATED, headers={"Location": f"/api/visits/{visit.id}"})

    @put("/{visit_id:uuid}", summary="Replace a visit", responses=problems(400, 403, 404))
    async def update_visit(
        self,
        request: Request,
        actor: NamedDependency[Actor],
        visit_id: FromPath[UUID],
        data: JSONBody[visit_schemas.VisitInput],
    ) -> visit_schemas.Visit:
        data = await strict_json(request, visit_schemas.VisitInput)
        return await visits.update_visit(actor, visit_id, data)

    @delete("/{visit_id:uuid}", summary="Delete a visit", responses=problems(403, 404))
    async def delete_visit(self, actor: NamedDependency[Actor], visit_id: FromPath[UUID]) -> None:
        await visits.delete_visit(actor, visit_id)

    @post(
        "/{visit_id:uuid}/checkout", summary="Check a visitor out", status_code=200, responses=problems(403, 404, 409)
    )
    async def check_out(self, actor: NamedDependency[Actor], visit_id: FromPath[UUID]) -> visit_schemas.Visit:
        """Sets departureDate to now; 409 when the visitor has already left."""
        return await visits.check_out(actor, visit_id)
