"""/api/visits: the seed contract for other systems."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from litestar import Controller, Request, Response, delete, get, post, put
from litestar.di import NamedDependency
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromPath, JSONBody, QueryParameter
from litestar.response import Stream
from litestar.status_codes import HTTP_201_CREATED

from app.api import idempotency
from app.api.body import strict_json
from app.api.docs import problems
from app.api.paging import LINK_HEADER_DOC, Cursor, Limit, page_response
from app.domain.gates.schemas import GateChoice
from app.domain.passes import service as passes
from app.domain.visits import export as visit_export
from app.domain.visits import schemas as visit_schemas
from app.domain.visits import service as visits
from app.lib.actors import Actor
from app.lib.clock import FILTER_DAY_PATTERN, FILTER_INSTANT_PATTERN
from app.lib.downloads import csv_download

_DATE_HELP = (
    "A day (YYYY-MM-DD, in the site's time zone) or an RFC 3339 date-time. "
    "The server also reads a date-time without seconds or without an offset (then in the site's time zone)"
)
_DAY_OR_INSTANT = {
    "one_of": None,
    "any_of": [
        {"type": "string", "format": "date", "pattern": FILTER_DAY_PATTERN},
        {"type": "string", "format": "date-time", "pattern": FILTER_INSTANT_PATTERN},
        {"type": "string", "maxLength": 0},
    ],
}
ArrivedFrom = Annotated[
    str | None,
    QueryParameter(name="from", description=f"Arrived at or after. {_DATE_HELP}", schema_extra=_DAY_OR_INSTANT),
]
ArrivedTo = Annotated[
    str | None,
    QueryParameter(
        name="to", description=f"Arrived at or before (a day: to its end). {_DATE_HELP}", schema_extra=_DAY_OR_INSTANT
    ),
]
_RULES = (
    "Rules the schema cannot state: `residentId` is an active resident; `arrivalDate` and `departureDate` are not "
    "in the future (a few minutes of clock skew allowed); `departureDate` is not before `arrivalDate`."
)
CheckInBody = Annotated[
    visit_schemas.CheckInBody,
    Body(
        media_type=RequestEncodingType.JSON,
        schema_extra={
            "schema_if": {"required": ["passCode"], "properties": {"passCode": {"type": "string"}}},
            "then": {"required": ["passCode"]},
            "schema_else": {
                "required": visit_schemas.CHECK_IN_REQUIRED,
                "properties": {name: {"not": {"type": "null"}} for name in visit_schemas.CHECK_IN_REQUIRED},
            },
        },
    ),
]
ResidentFilter = Annotated[UUID | None, QueryParameter(name="residentId", description="Only this resident's visits")]
OnSite = Annotated[bool | None, QueryParameter(name="onSite", description="true: still inside; false: left")]
Search = Annotated[str | None, QueryParameter(max_length=100, description="Visitor name or licence plate fragment")]


class VisitController(Controller):
    path = "/visits"
    tags = ["Visits"]

    @get(
        "/",
        operation_id="listVisits",
        summary="List visits",
        response_headers=LINK_HEADER_DOC,
        responses=problems(404),
    )
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

    @get(
        "/export",
        operation_id="exportVisits",
        summary="Download visits as CSV",
        description="Every visit `GET /api/visits` would list with the same filters (a resident's token: only their "
        "own), newest arrival first, as UTF-8 CSV with a byte-order mark, streamed. Columns: the fields of a visit, "
        "then the resident's `unit`. Times are ISO 8601 in the site's time zone; a cell that a spreadsheet would "
        "run as a formula (starting with `= + - @`) is written with a leading `'`.",
        media_type="text/csv",
        responses=problems(404),
    )
    async def export_visits(
        self,
        actor: NamedDependency[Actor],
        resident_id: ResidentFilter = None,
        on_site: OnSite = None,
        arrived_from: ArrivedFrom = None,
        arrived_to: ArrivedTo = None,
        q: Search = None,
    ) -> Stream:
        filters = visit_schemas.VisitFilters(resident_id, on_site, arrived_from, arrived_to, q)
        return csv_download(await visit_export.export_visits(actor, filters), visit_export.COLUMNS, "visits")

    @get("/{visit_id:uuid}", operation_id="getVisit", summary="Get a visit", responses=problems(404))
    async def get_visit(self, actor: NamedDependency[Actor], visit_id: FromPath[UUID]) -> visit_schemas.Visit:
        return await visits.get_visit(actor, visit_id)

    @get(
        "/resident/{resident_id:uuid}",
        operation_id="listResidentVisits",
        summary="List one resident's visits",
        response_headers=LINK_HEADER_DOC,
        responses=problems(404),
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

    @post(
        "/",
        operation_id="createVisit",
        summary="Check a visitor in",
        description="409 when the visitor is on the do-not-admit list (the entries are in `doNotAdmit`), unless the "
        "body carries an `overrideReason`. `expectedVisitId`, when given, is an announcement for this resident that "
        "applies today and is not used up. An `Idempotency-Key` header (up to 64 characters) makes a resend safe: "
        "a second request with the same key records nothing and answers with the visit the first one recorded. "
        "With `passCode` the other fields may be left out (they come from the pass's announcement); a used, "
        "revoked or expired pass is 410, and wrong codes count towards the limit of GET /api/passes/{code} (429). "
        + _RULES,
        status_code=HTTP_201_CREATED,
        responses=problems(
            403, 409, 410, 413, 429, conflict="The visitor is on the do-not-admit list (see `doNotAdmit`)"
        ),
    )
    async def create_visit(
        self, request: Request, actor: NamedDependency[Actor], data: CheckInBody
    ) -> Response[visit_schemas.Visit]:
        key = request.headers.get("idempotency-key")
        sent = idempotency.fingerprint("POST", request.url.path, await request.body()) if key else None
        body = await request.json()
        if isinstance(body, dict) and body.get("passCode") is not None:
            by_pass = await strict_json(request, visit_schemas.CheckInBody)
            counters = request.app.state.sign_in_counters
            visit = await passes.check_in(actor, by_pass, counters, idempotency_key=key, fingerprint=sent)
        else:
            visit = await visits.create_visit(actor, await strict_json(request, visit_schemas.CheckInInput), key, sent)
        return Response(visit, status_code=HTTP_201_CREATED, headers={"Location": f"/api/visits/{visit.id}"})

    @put(
        "/{visit_id:uuid}",
        operation_id="updateVisit",
        summary="Replace a visit",
        description=_RULES,
        responses=problems(403, 404, 413),
    )
    async def update_visit(
        self,
        request: Request,
        actor: NamedDependency[Actor],
        visit_id: FromPath[UUID],
        data: JSONBody[visit_schemas.VisitInput],
    ) -> visit_schemas.Visit:
        data = await strict_json(request, visit_schemas.VisitInput)
        return await visits.update_visit(actor, visit_id, data)

    @delete("/{visit_id:uuid}", operation_id="deleteVisit", summary="Delete a visit", responses=problems(403, 404))
    async def delete_visit(self, actor: NamedDependency[Actor], visit_id: FromPath[UUID]) -> None:
        await visits.delete_visit(actor, visit_id)

    @post(
        "/{visit_id:uuid}/checkout",
        operation_id="checkOutVisit",
        summary="Check a visitor out",
        status_code=200,
        responses=problems(403, 404, 409, conflict="The visitor has already left"),
    )
    async def check_out(
        self,
        request: Request,
        actor: NamedDependency[Actor],
        visit_id: FromPath[UUID],
        data: Annotated[GateChoice | None, Body(media_type=RequestEncodingType.JSON)] = None,
    ) -> visit_schemas.Visit:
        """Sets departureDate to now, and departureGateId to the body's `gateId` (any active gate, whichever the
        visitor came in by) or the default gate; the body may be left out. 409 when the visitor has already left."""
        choice = await strict_json(request, GateChoice | None) if await request.body() else None
        return await visits.check_out(actor, visit_id, choice.gate_id if choice else None)
