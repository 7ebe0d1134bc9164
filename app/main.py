"""The Litestar application, built by create_app(settings); nothing else runs at import time."""

from __future__ import annotations

from litestar import Litestar
from litestar.exceptions import HTTPException
from litestar.openapi import OpenAPIConfig
from litestar.openapi.plugins import SwaggerRenderPlugin
from litestar.static_files import create_static_files_router

from app.api import api_router
from app.api.allow import complete_allow_header
from app.api.auth import SECURITY_COMPONENTS
from app.api.health import healthz, readyz
from app.api.problems import EXCEPTION_HANDLERS
from app.db.lifecycle import close_database, open_database
from app.security_headers import add_security_headers
from app.services import site
from app.settings import MAX_BODY_BYTES, PROJECT_ROOT, Settings, load_settings
from app.web import channels_plugin, csrf_config, live_hooks, stores, template_config, web_router
from app.web.cookies import secure_cookies_over_https
from app.web.errors import pages_or_api
from app.web.sessions import session_config

SWAGGER_ASSETS = "/static/vendor/swagger-ui"


def _openapi_config() -> OpenAPIConfig:
    return OpenAPIConfig(
        title="Gatehouse API",
        version="1.0.0",
        description="Visits and residents of a residential community. "
        "Authenticate with `Authorization: Bearer <token>`.",
        path="/schema",
        components=SECURITY_COMPONENTS,
        render_plugins=[
            SwaggerRenderPlugin(
                path="/",
                favicon="",
                js_url=f"{SWAGGER_ASSETS}/swagger-ui-bundle.js",
                css_url=f"{SWAGGER_ASSETS}/swagger-ui.css",
                standalone_preset_js_url=f"{SWAGGER_ASSETS}/swagger-ui-standalone-preset.js",
            )
        ],
    )


def create_app(settings: Settings | None = None) -> Litestar:
    settings = settings or load_settings()
    site.configure(settings.timezone)
    channels = channels_plugin(settings)
    start_live, stop_live = live_hooks(channels)
    return Litestar(
        route_handlers=[
            api_router(),
            web_router(),
            healthz,
            readyz,
            create_static_files_router(path="/static", directories=[PROJECT_ROOT / "static"], include_in_schema=False),
        ],
        exception_handlers={**EXCEPTION_HANDLERS, HTTPException: pages_or_api(EXCEPTION_HANDLERS[HTTPException])},
        before_send=[add_security_headers, secure_cookies_over_https, complete_allow_header],
        on_startup=[open_database, start_live],
        on_shutdown=[stop_live, close_database],
        plugins=[channels],
        middleware=[session_config().middleware],
        csrf_config=csrf_config(settings),
        stores=stores(settings),
        template_config=template_config(),
        openapi_config=_openapi_config(),
        request_max_body_size=MAX_BODY_BYTES,
        debug=settings.debug,
    )
