"""The JSON API: every feature's API controller (app/domain/<feature>/api.py), authenticated by Bearer token."""

from __future__ import annotations

from litestar import Request, Response, Router
from litestar.di import Provide

from app.api.auth import BEARER_SCHEME, authenticate, provide_api_actor
from app.api.body import decode_body
from app.api.idempotency import claim, remember
from app.api.paging import whole_number_limit
from app.domain.bans.api import BanController
from app.domain.entry_requests.api import EntryRequestController
from app.domain.expected.api import ExpectedVisitController
from app.domain.gates.api import GateController
from app.domain.parcels.api import ParcelController
from app.domain.passes.api import PassController, PassRevokeController
from app.domain.permissions.api import StandingPermissionController
from app.domain.records.audit_api import AuditApiController
from app.domain.reports.api import ReportController
from app.domain.residents.api import ResidentController
from app.domain.shift_log.api import ShiftNoteController
from app.domain.visits.api import VisitController
from app.domain.webhooks.api import WebhookController


async def before_api_request(request: Request) -> Response | None:
    """Check the token, refuse a bad `limit`, then decode the body once: in that order, before anything else;
    then a POST sent again with its Idempotency-Key answers as the first time."""
    await authenticate(request)
    await whole_number_limit(request)
    await decode_body(request)
    return await claim(request)


def api_router() -> Router:
    return Router(
        path="/api",
        route_handlers=[
            VisitController,
            ResidentController,
            ExpectedVisitController,
            EntryRequestController,
            StandingPermissionController,
            ParcelController,
            ShiftNoteController,
            GateController,
            ReportController,
            PassController,
            PassRevokeController,
            WebhookController,
            BanController,
            AuditApiController,
        ],
        dependencies={"actor": Provide(provide_api_actor, sync_to_thread=False)},
        security=[{BEARER_SCHEME: []}],
        before_request=before_api_request,
        middleware=[remember],
    )
