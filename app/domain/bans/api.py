"""/api/do-not-admit: the do-not-admit list, with the rules and roles of its pages (bans.service)."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from litestar import Controller, Request, Response, get, post, put
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody, QueryParameter
from litestar.status_codes import HTTP_201_CREATED, HTTP_204_NO_CONTENT

from app.api.body import strict_json
from app.api.docs import problems
from app.api.paging import LINK_HEADER_DOC, Cursor, Limit, page_response
from app.domain.bans import service as bans
from app.domain.bans.schemas import Ban, BanInput
from app.lib.actors import Actor

_WHO = (
    "Administrators manage the community's entries (for everyone, or for one resident with `residentId`); a "
    "resident's token manages only entries for their own unit. A name, a plate or both; `expiresAt` in the future."
)
NameOrPlate = Annotated[str | None, QueryParameter(description="A fragment of the name or plate", max_length=100)]


class BanController(Controller):
    path = "/do-not-admit"
    tags = ["Do not admit"]

    @get(
        "/",
        operation_id="listDoNotAdmit",
        summary="List the entries in force",
        response_headers=LINK_HEADER_DOC,
        responses=problems(),
    )
    async def list_bans(
        self,
        request: Request,
        actor: NamedDependency[Actor],
        limit: Limit = None,
        cursor: Cursor = None,
        q: NameOrPlate = None,
    ) -> Response[list[Ban]]:
        """Newest first; staff see every entry, a resident's token only their unit's."""
        return page_response(request, await bans.list_bans(actor, limit, cursor, q=q))

    @get("/{ban_id:uuid}", operation_id="getDoNotAdmit", summary="Get an entry in force", responses=problems(404))
    async def get_ban(self, actor: NamedDependency[Actor], ban_id: FromPath[UUID]) -> Ban:
        return await bans.get_ban(actor, ban_id)

    @post(
        "/",
        operation_id="createDoNotAdmit",
        summary="Add an entry",
        description=_WHO,
        status_code=HTTP_201_CREATED,
        responses=problems(403, 413),
    )
    async def add(self, request: Request, actor: NamedDependency[Actor], data: JSONBody[BanInput]) -> Response[Ban]:
        data = await strict_json(request, BanInput)
        ban = await bans.add_ban(actor, data)
        return Response(ban, status_code=HTTP_201_CREATED, headers={"Location": f"/api/do-not-admit/{ban.id}"})

    @put(
        "/{ban_id:uuid}",
        operation_id="updateDoNotAdmit",
        summary="Replace an entry",
        description=_WHO,
        responses=problems(403, 404, 413),
    )
    async def update(
        self, request: Request, actor: NamedDependency[Actor], ban_id: FromPath[UUID], data: JSONBody[BanInput]
    ) -> Ban:
        data = await strict_json(request, BanInput)
        return await bans.update_ban(actor, ban_id, data)

    @post(
        "/{ban_id:uuid}/lift",
        operation_id="liftDoNotAdmit",
        summary="Lift an entry",
        description="The entry stops applying and leaves the list; it is kept for the record (the audit trail).",
        status_code=HTTP_204_NO_CONTENT,
        responses=problems(403, 404),
    )
    async def lift(self, actor: NamedDependency[Actor], ban_id: FromPath[UUID]) -> None:
        await bans.lift_ban(actor, ban_id)
