"""The administration pages: residents, accounts, API tokens, gates, the audit trail and what was sent.
Administrators only."""

from __future__ import annotations

from litestar import Router, get
from litestar.di import NamedDependency, Provide
from litestar.response import Redirect

from app.domain.accounts.admin_pages import AccountAdminController
from app.domain.accounts.token_pages import TokenAdminController
from app.domain.bans.pages import BanAdminController
from app.domain.expected.pages import AdminExpectedController
from app.domain.gates.pages import GateAdminController
from app.domain.notifications.pages import DeliveriesAdminController
from app.domain.passes.pages import AdminPassController
from app.domain.permissions.pages import AdminPermissionsController
from app.domain.records.audit_pages import AuditController
from app.domain.records.erasure_pages import ErasureController
from app.domain.reports.pages import ReportPagesController
from app.domain.residents.pages import ResidentAdminController, ResidentImportController
from app.domain.shift_log.pages import ShiftLogAdminController
from app.domain.webhooks.pages import WebhookAdminController
from app.lib.actors import Actor
from app.web.auth import provide_admin_actor


@get("/admin", include_in_schema=False)
async def admin_home(actor: NamedDependency[Actor]) -> Redirect:
    del actor  # administrators only
    return Redirect(path="/admin/residents", status_code=303)


def admin_router() -> Router:
    return Router(
        path="/",
        route_handlers=[
            admin_home,
            ResidentImportController,
            ResidentAdminController,
            AccountAdminController,
            TokenAdminController,
            AuditController,
            BanAdminController,
            AdminExpectedController,
            AdminPassController,
            AdminPermissionsController,
            ErasureController,
            DeliveriesAdminController,
            ShiftLogAdminController,
            GateAdminController,
            ReportPagesController,
            WebhookAdminController,
        ],
        dependencies={"actor": Provide(provide_admin_actor)},
    )
