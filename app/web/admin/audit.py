"""The audit trail for administrators: who did what, when, from where, filtered and paged."""

from __future__ import annotations

from litestar import Controller, Request, Response, get
from litestar.di import NamedDependency

from app.services import audit, audit_schemas
from app.services.actors import Actor
from app.services.errors import Invalid
from app.web.forms import read_query
from app.web.render import page, page_or_fragment, wants_fragment

PAGE_SIZE = 50
QUERY_KEYS = ("actor", "action", "record", "from", "to")


class AuditController(Controller):
    path = "/admin/audit"
    include_in_schema = False

    @get("/")
    async def index(self, request: Request, actor: NamedDependency[Actor]) -> Response:
        params = read_query(request, QUERY_KEYS).fields
        filters = audit_schemas.Filters(
            actor=params["actor"],
            action=params["action"],
            record=params["record"],
            since=params["from"],
            until=params["to"],
        )
        cursor = request.query_params.get("cursor") or None
        try:
            found, errors = await audit.search(actor, filters, PAGE_SIZE, cursor), {}
        except Invalid as exc:
            found, errors = None, exc.errors
        context = {"params": params, "found": found, "errors": errors, "actions": audit.ACTIONS}
        if cursor and wants_fragment(request):
            return page("admin/_audit_rows.html", **context)
        return page_or_fragment(request, "admin/audit.html", "admin/_audit.html", **context)
