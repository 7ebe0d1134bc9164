"""/api/residents: the people visitors come to see."""

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
from app.domain.residents import schemas as resident_schemas
from app.domain.residents import service as residents
from app.lib.actors import Actor

Search = Annotated[str | None, QueryParameter(max_length=100, description="Name or unit fragment")]
Active = Annotated[bool | None, QueryParameter(description="true: only active residents; false: only inactive")]


SAME_HOME = "A resident of the same name (case aside) already lives in the unit; `errors` names them"


class ResidentController(Controller):
    path = "/residents"
    tags = ["Residents"]

    @get(
        "/",
        operation_id="listResidents",
        summary="List residents",
        response_headers=LINK_HEADER_DOC,
        responses=problems(),
    )
    async def list_residents(
        self,
        request: Request,
        actor: NamedDependency[Actor],
        limit: Limit = None,
        cursor: Cursor = None,
        q: Search = None,
        active: Active = None,
    ) -> Response[list[resident_schemas.Resident]]:
        """Residents by name, a page at a time; a resident's token sees only that resident."""
        return page_response(request, await residents.list_residents(actor, q, active, limit, cursor))

    @get("/{resident_id:uuid}", operation_id="getResident", summary="Get a resident", responses=problems(404))
    async def get_resident(
        self, actor: NamedDependency[Actor], resident_id: FromPath[UUID]
    ) -> resident_schemas.Resident:
        return await residents.get_resident(actor, resident_id)

    @post(
        "/",
        operation_id="createResident",
        summary="Add a resident",
        status_code=HTTP_201_CREATED,
        responses=problems(403, 409, 413, conflict=SAME_HOME),
    )
    async def create_resident(
        self, request: Request, actor: NamedDependency[Actor], data: JSONBody[resident_schemas.ResidentInput]
    ) -> Response[resident_schemas.Resident]:
        data = await strict_json(request, resident_schemas.ResidentInput)
        resident = await residents.create_resident(actor, data)
        return Response(resident, status_code=HTTP_201_CREATED, headers={"Location": f"/api/residents/{resident.id}"})

    @put(
        "/{resident_id:uuid}",
        operation_id="updateResident",
        summary="Replace a resident",
        responses=problems(403, 404, 409, 413, conflict=SAME_HOME),
    )
    async def update_resident(
        self,
        request: Request,
        actor: NamedDependency[Actor],
        resident_id: FromPath[UUID],
        data: JSONBody[resident_schemas.ResidentInput],
    ) -> resident_schemas.Resident:
        data = await strict_json(request, resident_schemas.ResidentInput)
        return await residents.update_resident(actor, resident_id, data)

    @delete(
        "/{resident_id:uuid}",
        operation_id="deleteResident",
        summary="Delete a resident nobody has visited",
        responses=problems(403, 404, 409, conflict="Records still refer to the resident: deactivate them instead"),
    )
    async def delete_resident(self, actor: NamedDependency[Actor], resident_id: FromPath[UUID]) -> None:
        """409 when anything refers to the resident (visits, announced visitors, do-not-admit entries, accounts):
        the problem's `references` counts each kind; deactivate the resident instead (PUT with active false)."""
        await residents.delete_resident(actor, resident_id)
