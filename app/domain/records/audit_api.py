"""/api/audit: the audit trail for administrators, with the filters of its page, keyset paged."""

from __future__ import annotations

from typing import Annotated, Literal
from uuid import UUID

from litestar import Controller, Request, Response, get
from litestar.di import NamedDependency
from litestar.params import QueryParameter

from app.api.docs import problems
from app.api.paging import LINK_HEADER_DOC, Cursor, Limit, page_response
from app.domain.records import audit
from app.domain.records.audit_labels import ACTIONS
from app.domain.records.audit_schemas import AuditEntry, Filters
from app.lib.actors import Actor
from app.lib.clock import FILTER_DAY_PATTERN, FILTER_INSTANT_PATTERN
from app.lib.schemas import Page

_DAY_OR_INSTANT = {
    "one_of": None,
    "any_of": [
        {"type": "string", "format": "date", "pattern": FILTER_DAY_PATTERN},
        {"type": "string", "format": "date-time", "pattern": FILTER_INSTANT_PATTERN},
        {"type": "string", "maxLength": 0},
    ],
}
Action = Literal[tuple(ACTIONS)]  # type: ignore[valid-type]
"""Every action the trail records, as an enum in the OpenAPI document."""
ActorQuery = Annotated[
    str | None, QueryParameter(name="actor", description="A fragment of the actor's email", max_length=254)
]
ActionQuery = Annotated[Action | None, QueryParameter(description="Only this action")]
RecordQuery = Annotated[UUID | None, QueryParameter(description="Only events about the record with this id")]
FromQuery = Annotated[
    str | None,
    QueryParameter(
        name="from", description="From this day or date-time (site's time zone)", schema_extra=_DAY_OR_INSTANT
    ),
]
ToQuery = Annotated[
    str | None,
    QueryParameter(name="to", description="Until this day (included) or date-time", schema_extra=_DAY_OR_INSTANT),
]


class AuditApiController(Controller):
    path = "/audit"
    tags = ["Audit trail"]

    @get(
        "/",
        operation_id="listAuditEvents",
        summary="Browse the audit trail",
        description="Administrators only; newest first.",
        response_headers=LINK_HEADER_DOC,
        responses=problems(403),
    )
    async def list_events(
        self,
        request: Request,
        actor: NamedDependency[Actor],
        limit: Limit = None,
        cursor: Cursor = None,
        actor_email: ActorQuery = None,
        action: ActionQuery = None,
        record: RecordQuery = None,
        since: FromQuery = None,
        until: ToQuery = None,
    ) -> Response[list[AuditEntry]]:
        filters = Filters(
            actor=actor_email, action=action, record=str(record) if record else None, since=since, until=until
        )
        found = await audit.search(actor, filters, limit, cursor)
        entries = [AuditEntry(**{f: getattr(e, f) for f in AuditEntry.__struct_fields__}) for e in found.items]
        return page_response(request, Page(items=entries, next_cursor=found.next_cursor))
