"""The audit trail for administrators: who did what, when, from where, filtered and paged."""

from __future__ import annotations

from litestar import Controller, Request, Response, get
from litestar.di import NamedDependency
from litestar.response import Stream

from app.domain.gates import service as gates
from app.domain.records import audit, audit_labels, audit_schemas
from app.lib.actors import Actor
from app.lib.downloads import csv_download
from app.lib.schemas import Page
from app.web.forms import read_query
from app.web.lists import ListTemplates, list_page

PAGE_SIZE = 50
QUERY_KEYS = ("actor", "action", "record", "from", "to")
LIST = ListTemplates("admin/audit.html", "admin/_audit.html", "admin/_audit_rows.html")


def _filters(params: dict[str, str]) -> audit_schemas.Filters:
    return audit_schemas.Filters(
        actor=params["actor"],
        action=params["action"],
        record=params["record"],
        since=params["from"],
        until=params["to"],
    )


class AuditController(Controller):
    path = "/admin/audit"
    include_in_schema = False

    @get("/")
    async def index(self, request: Request, actor: NamedDependency[Actor]) -> Response:
        params = read_query(request, QUERY_KEYS).fields
        filters = _filters(params)

        async def fetch(cursor: str | None) -> Page:
            return await audit.search(actor, filters, PAGE_SIZE, cursor)

        actions = {code: audit_labels.action_label(code) for code in audit.ACTIONS}
        records = audit_labels.record_labels()
        gate_names = {str(gate_id): name for gate_id, name in (await gates.every_gate_name(actor)).items()}
        return await list_page(
            request, LIST, fetch, base=self.path, params=params, actions=actions, records=records, gate_names=gate_names
        )

    @get("/export")
    async def export(self, request: Request, actor: NamedDependency[Actor]) -> Stream:
        """The events the trail shows for its filters, as a spreadsheet."""
        filters = _filters(read_query(request, QUERY_KEYS).fields)
        return csv_download(await audit.export_events(actor, filters), audit.EXPORT_COLUMNS, "audit")
