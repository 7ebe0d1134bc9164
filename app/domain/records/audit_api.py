"""/api/audit: the audit trail for administrators, with the filters of its page, keyset paged."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, Request, Response, get
from litestar.di import NamedDependency
from litestar.params import QueryParameter

from app.api.docs import problems
from app.api.paging import LINK_HEADER_DOC, Cursor, Limit, page_response
from app.domain.records import audit
from app.domain.records.audit_schemas import AuditEntry, Filters
from app.lib.actors import Actor
from app.lib.schemas import Page

ActorQuery = Annotated[str | None, QueryParameter(name="actor", description="A fragment of the actor's email", max_length=254)]
ActionQuery = Annotated[str | None, QueryParameter(description="An action code, such as visit.created", max_length=40)]
RecordQuery = Annotated[str | None, QueryParameter(description="The id of the record the events are about", max_length=40)]
FromQuery = Annotated[
    str | None, QueryParameter(name="from", description="From this day or date-time (site's time zone)", max_length=40)
]
ToQuery = Annotated[
    str | None, QueryParameter(name="to", description="Until this day (included) or date-time", max_length=40)
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
        filters = Filters(actor=actor_email, action=action, record=record, since=since, until=until)
        found = await audit.search(actor, filters, limit, cursor)
        entries = [AuditEntry(**{f: getattr(e, f) for f in AuditEntry.__struct_fields__}) for e in found.items]
        return page_response(request, Page(items=entries, next_cursor=found.next_cursor))
