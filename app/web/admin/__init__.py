"""The administration pages: residents, accounts, API tokens and the audit trail. Administrators only."""

from __future__ import annotations

from litestar import Router, get
from litestar.di import NamedDependency, Provide
from litestar.response import Redirect

from app.services.actors import Actor
from app.web.admin.accounts import AccountAdminController
from app.web.admin.audit import AuditController
from app.web.admin.erasure import ErasureController
from app.web.admin.residents import ResidentAdminController, ResidentImportController
from app.web.admin.tokens import TokenAdminController
from app.web.auth import provide_admin_actor
from app.web.bans import BanAdminController
from app.web.expected import AdminExpectedController


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
            ErasureController,
        ],
        dependencies={"actor": Provide(provide_admin_actor)},
    )
