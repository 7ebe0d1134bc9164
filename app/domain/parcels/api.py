"""/api/parcels: parcels received at the gatehouse, with the conventions of /api/visits."""

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
from app.domain.parcels import schemas as parcel_schemas
from app.domain.parcels import service as parcels
from app.lib.actors import Actor

Waiting = Annotated[
    bool | None, QueryParameter(description="true: only parcels waiting (oldest first); false: only handed over")
]
Search = Annotated[
    str | None,
    QueryParameter(description="A unit, part of the resident's name, a tracking number or who collected it"),
]


class ParcelController(Controller):
    path = "/parcels"
    tags = ["Parcels"]

    @get(
        "/",
        operation_id="listParcels",
        summary="List parcels",
        response_headers=LINK_HEADER_DOC,
        responses=problems(),
    )
    async def list_parcels(
        self,
        request: Request,
        actor: NamedDependency[Actor],
        limit: Limit = None,
        cursor: Cursor = None,
        waiting: Waiting = None,
        q: Search = None,
    ) -> Response[list[parcel_schemas.Parcel]]:
        """Newest first (waiting ones: oldest first); a resident's token sees only that household's."""
        return page_response(request, await parcels.list_parcels(actor, limit, cursor, waiting, q))

    @get("/{parcel_id:uuid}", operation_id="getParcel", summary="Get a parcel", responses=problems(404))
    async def get_parcel(self, actor: NamedDependency[Actor], parcel_id: FromPath[UUID]) -> parcel_schemas.Parcel:
        return await parcels.get_parcel(actor, parcel_id)

    @post(
        "/",
        operation_id="createParcel",
        summary="Receive a parcel",
        description="Guards and administrators; the household is told at once (live pages, push, email).",
        status_code=HTTP_201_CREATED,
        responses=problems(403, 413),
    )
    async def receive(
        self, request: Request, actor: NamedDependency[Actor], data: JSONBody[parcel_schemas.ParcelInput]
    ) -> Response[parcel_schemas.Parcel]:
        data = await strict_json(request, parcel_schemas.ParcelInput)
        (parcel,) = await parcels.receive(actor, [data])
        return Response(parcel, status_code=HTTP_201_CREATED, headers={"Location": f"/api/parcels/{parcel.id}"})

    @post(
        "/{parcel_id:uuid}/hand-over",
        operation_id="handOverParcel",
        summary="Hand a parcel over",
        description="Records who collected it. 409 when it was already handed over (of two at once, one wins).",
        status_code=200,
        responses=problems(403, 404, 409, 413),
    )
    async def hand_over(
        self,
        request: Request,
        actor: NamedDependency[Actor],
        parcel_id: FromPath[UUID],
        data: JSONBody[parcel_schemas.HandOverInput],
    ) -> parcel_schemas.Parcel:
        data = await strict_json(request, parcel_schemas.HandOverInput)
        return await parcels.hand_over(actor, parcel_id, data)

    @put(
        "/{parcel_id:uuid}/instructions",
        operation_id="updateParcelInstructions",
        summary="Authorise someone else, or ask for it at the door",
        description="The household's own parcels only, while waiting (409 once handed over).",
        responses=problems(403, 404, 409, 413),
    )
    async def instructions(
        self,
        request: Request,
        actor: NamedDependency[Actor],
        parcel_id: FromPath[UUID],
        data: JSONBody[parcel_schemas.InstructionsInput],
    ) -> parcel_schemas.Parcel:
        data = await strict_json(request, parcel_schemas.InstructionsInput)
        return await parcels.set_instructions(actor, parcel_id, data)

    @delete("/{parcel_id:uuid}", operation_id="deleteParcel", summary="Delete a parcel", responses=problems(403, 404))
    async def delete_parcel(self, actor: NamedDependency[Actor], parcel_id: FromPath[UUID]) -> None:
        await parcels.delete_parcel(actor, parcel_id)
