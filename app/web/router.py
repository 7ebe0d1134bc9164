"""The web pages: the kiosk for guards and admins, My visitors for residents, over the same services as the API."""

from __future__ import annotations

from litestar import Router, get
from litestar.config.csrf import CSRFConfig
from litestar.di import NamedDependency, Provide
from litestar.middleware import DefineMiddleware
from litestar.middleware.csrf import CSRFMiddleware
from litestar.plugins.jinja import JinjaTemplateEngine
from litestar.response import Redirect
from litestar.template.config import TemplateConfig

from app.domain.accounts.pages import AccountController, PasswordController
from app.domain.bans.pages import MyBansController
from app.domain.entry_requests.gate_pages import GateRequestsController
from app.domain.entry_requests.pages import AnswerLinkController, MyRequestsController
from app.domain.expected.pages import MyExpectedController
from app.domain.gates.pages import KioskGateController
from app.domain.kiosk.events import board_events
from app.domain.kiosk.pages import KioskController
from app.domain.notifications.pages import MyNotificationsController
from app.domain.parcels.pages import KioskParcelsController, MyParcelsController
from app.domain.passes.pages import BadgeController, GatePassController, MyPassController, PublicPassController
from app.domain.permissions.pages import MyPermissionsController
from app.domain.shift_log.pages import HandoverController
from app.domain.visits.my_pages import MyVisitsController
from app.domain.visits.pages import VisitPagesController
from app.lib.actors import Actor
from app.settings import PROJECT_ROOT, Settings
from app.web.admin_router import admin_router
from app.web.auth import landing, provide_staff_actor, provide_web_actor
from app.web.errors import WEB_EXCEPTION_HANDLERS
from app.web.language import choose_language, language_middleware
from app.web.render import personal_headers_hook, register_filters
from app.web.sessions import session_middleware


@get("/", include_in_schema=False)
async def root(actor: NamedDependency[Actor]) -> Redirect:
    """Each role's home: the kiosk for staff, My visitors for a resident."""
    return Redirect(path=landing(actor.role, ""), status_code=303)


def kiosk_router() -> Router:
    """Everything under /kiosk is for guards and administrators; residents get 403."""
    return Router(
        path="/",
        route_handlers=[
            KioskController,
            KioskGateController,
            GateRequestsController,
            VisitPagesController,
            KioskParcelsController,
            HandoverController,
            GatePassController,
            BadgeController,
            board_events,
        ],
        dependencies={"actor": Provide(provide_staff_actor)},
    )


def web_router(settings: Settings) -> Router:
    """Sessions and CSRF tokens belong to the pages, so their middleware is here, not on the app: the API
    (Bearer tokens), health checks and static files skip both, which was a fifth of an API read's time."""
    return Router(
        path="/",
        route_handlers=[
            root,
            choose_language,
            AccountController,
            PasswordController,
            MyVisitsController,
            MyBansController,
            MyExpectedController,
            MyRequestsController,
            AnswerLinkController,
            MyNotificationsController,
            MyPermissionsController,
            MyParcelsController,
            MyPassController,
            PublicPassController,
            kiosk_router(),
            admin_router(),
        ],
        dependencies={"actor": Provide(provide_web_actor)},
        exception_handlers=WEB_EXCEPTION_HANDLERS,
        after_request=personal_headers_hook,
        middleware=[
            session_middleware(),
            language_middleware,
            DefineMiddleware(CSRFMiddleware, config=csrf_config(settings)),
        ],
        include_in_schema=False,
    )


def template_config(settings: Settings) -> TemplateConfig:
    def configure(engine: JinjaTemplateEngine) -> None:
        register_filters(engine)
        # Checking each template file's time on every render was 3% of the board's time; DEBUG edits live.
        engine.engine.auto_reload = settings.debug

    return TemplateConfig(directory=PROJECT_ROOT / "templates", engine=JinjaTemplateEngine, engine_callback=configure)


def csrf_config(settings: Settings) -> CSRFConfig:
    return CSRFConfig(secret=settings.secret_key, cookie_httponly=True, cookie_samesite="lax")
