"""/api/standing-permissions: residents' "always let in", with the conventions of /api/visits."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from litestar import Controller, Request, Response, delete, get, post
from litestar.di import NamedDependency
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromPath, QueryParameter
from litestar.status_codes import HTTP_201_CREATED

from app.api.body import strict_json
from app.api.docs import problems
from app.api.paging import LINK_HEADER_DOC, Cursor, Limit, page_response
from app.domain.permissions import schemas as permission_schemas
from app.domain.permissions import service as permissions
from app.lib.actors import Actor
from app.lib.text import NOT_BLANK_PATTERN

_NAMED = {"type": "string", "minLength": 1, "pattern": NOT_BLANK_PATTERN}
THE_KIND_NEEDS = {
    "schema_if": {"required": ["kind"], "properties": {"kind": {"const": "person"}}},
    "then": {"required": ["visitorName"], "properties": {"visitorName": _NAMED}},
    "schema_else": {
        "if": {"required": ["kind"], "properties": {"kind": {"const": "plate"}}},
        "then": {"required": ["licensePlate"], "properties": {"licensePlate": _NAMED}},
    },
}
"""What JSON Schema can state between fields: a person's permission names the person, a plate's the plate."""
PermissionBody = Annotated[
    permission_schemas.StandingPermissionInput,
    Body(media_type=RequestEncodingType.JSON, schema_extra=THE_KIND_NEEDS),
]
_RULES = (
    "Rules the schema cannot state: `visitorName` (kind person) and `licensePlate` (kind plate) contain a letter "
    "or a digit, and the other is not kept; `startsOn` is not in the past; `endsOn` is not before `startsOn` and at "
    f"most {permission_schemas.LONGEST_DAYS} days after it; an administrator's token must give `residentId` (an "
    "active resident), a resident's token may leave it out or give its own."
)

IncludePast = Annotated[
    bool | None, QueryParameter(name="includePast", description="true: also permissions whose last day has passed")
]
ResidentFilter = Annotated[UUID | None, QueryParameter(name="residentId", description="Only this resident's")]


class StandingPermissionController(Controller):
    path = "/standing-permissions"
    tags = ["Standing permissions"]

    @get(
        "/",
        operation_id="listStandingPermissions",
        summary="List standing permissions",
        response_headers=LINK_HEADER_DOC,
        responses=problems(),
    )
    async def list_permissions(
        self,
        request: Request,
        actor: NamedDependency[Actor],
        limit: Limit = None,
        cursor: Cursor = None,
        include_past: IncludePast = None,
        resident_id: ResidentFilter = None,
    ) -> Response[list[permission_schemas.StandingPermission]]:
        """Newest first, revoked ones left out; a resident's token sees only its household's."""
        found = await permissions.list_permissions(actor, limit, cursor, bool(include_past), resident_id)
        return page_response(request, found)

    @get(
        "/{permission_id:uuid}",
        operation_id="getStandingPermission",
        summary="Get a standing permission",
        responses=problems(404),
    )
    async def get_permission(
        self, actor: NamedDependency[Actor], permission_id: FromPath[UUID]
    ) -> permission_schemas.StandingPermission:
        return await permissions.get_permission(actor, permission_id)

    @post(
        "/",
        operation_id="createStandingPermission",
        summary="Grant a standing permission",
        description="Let deliveries, a named person or a plate in without asking, for a period. Residents grant "
        "their own household's; administrators give `residentId`; guards may not (403). " + _RULES,
        status_code=HTTP_201_CREATED,
        responses=problems(403, 413),
    )
    async def grant(
        self, request: Request, actor: NamedDependency[Actor], data: PermissionBody
    ) -> Response[permission_schemas.StandingPermission]:
        data = await strict_json(request, permission_schemas.StandingPermissionInput)
        granted = await permissions.grant(actor, data)
        location = f"/api/standing-permissions/{granted.id}"
        return Response(granted, status_code=HTTP_201_CREATED, headers={"Location": location})

    @delete(
        "/{permission_id:uuid}",
        operation_id="deleteStandingPermission",
        summary="Revoke a standing permission",
        description="The gate stops letting the visitor in from now; the permission is kept for the audit trail "
        "but no longer listed. Residents revoke their household's, administrators any; guards may not (403).",
        responses=problems(403, 404),
    )
    async def revoke(self, actor: NamedDependency[Actor], permission_id: FromPath[UUID]) -> None:
        await permissions.revoke(actor, permission_id)
