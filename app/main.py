"""The Litestar application, built by create_app(settings); nothing else runs at import time."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Coroutine

from litestar import Litestar
from litestar.datastructures import State
from litestar.exceptions import HTTPException
from litestar.openapi import OpenAPIConfig
from litestar.openapi.plugins import SwaggerRenderPlugin

from app.api.allow import complete_allow_header
from app.api.auth import SECURITY_COMPONENTS
from app.api.health import healthz, readyz
from app.api.problems import EXCEPTION_HANDLERS
from app.api.router import api_router
from app.db.lifecycle import close_database, open_database
from app.domain.kiosk import sweep
from app.domain.notifications import channels, sender
from app.domain.notifications.pages import app_shell_routes
from app.domain.parcels import reminders as parcel_reminders
from app.domain.webhooks import sender as webhook_sender
from app.lib import i18n, live, schedule, signing, site
from app.lib.security_headers import add_security_headers
from app.lib.shared_state import shared_state
from app.lib.static_files import static_routers
from app.settings import MAX_BODY_BYTES, Settings, load_settings
from app.web.cookies import secure_cookies_over_https
from app.web.errors import pages_or_api
from app.web.router import template_config, web_router

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


STOP_WAIT_SECONDS = 10
log = logging.getLogger("gatehouse")


def background_task_hooks(name: str, job: Callable[[], Coroutine] | None) -> tuple:
    """Start `job()` as a task when the app starts (if there is one) and cancel it when the app stops; the task
    is app.state[name] (None without a job)."""

    def start(app: Litestar) -> None:
        app.state[name] = asyncio.get_running_loop().create_task(job(), name=name.replace("_", "-")) if job else None

    async def stop(app: Litestar) -> None:
        task = app.state.get(name)
        if task is None:
            return
        task.cancel()
        # Bounded: a task that let its cancel go by must not keep the server (or a test) from stopping.
        done, _ = await asyncio.wait({task}, timeout=STOP_WAIT_SECONDS)
        if not done:
            log.warning("the background task %s did not stop within %s s of being cancelled", name, STOP_WAIT_SECONDS)
            return
        with contextlib.suppress(asyncio.CancelledError):
            await task

    return start, stop


def daily_sweep_hooks(settings: Settings) -> tuple:
    """Start the daily end-of-day sweep with the app when SWEEP_AT is set (it is off by default)."""
    at = settings.sweep_at
    job = None if at is None else lambda: schedule.run_daily(at, sweep.daily_sweep, settings.timezone)
    return background_task_hooks("daily_sweep", job)


def notification_sender_hooks() -> tuple:
    """The outbox's sender runs with the app (each worker runs one; the outbox hands each delivery to one)."""
    return background_task_hooks("notification_sender", sender.run)


def parcel_reminder_hooks() -> tuple:
    """Households are reminded of parcels waiting PARCEL_REMINDER_DAYS (each parcel claimed by one worker)."""
    return background_task_hooks("parcel_reminders", parcel_reminders.run)


def webhook_sender_hooks() -> tuple:
    """The webhooks' sender runs with the app (each worker runs one; claims hand each delivery to one)."""
    return background_task_hooks("webhook_sender", webhook_sender.run)


def create_app(settings: Settings | None = None) -> Litestar:
    settings = settings or load_settings()
    site.configure_from(settings)
    i18n.configure(settings.language)
    signing.configure(settings.secret_key)
    channels.configure(settings)
    shared = shared_state(settings)
    start_shared, stop_shared = shared.hooks()
    start_sweep, stop_sweep = daily_sweep_hooks(settings)
    start_sender, stop_sender = notification_sender_hooks()
    start_reminders, stop_reminders = parcel_reminder_hooks()
    start_ending_streams, stop_ending_streams = live.end_streams_on_stop_signals()
    start_webhooks, stop_webhooks = webhook_sender_hooks()
    return Litestar(
        route_handlers=[
            api_router(),
            web_router(settings),
            healthz,
            readyz,
            *static_routers(),
            *app_shell_routes(),
        ],
        exception_handlers={**EXCEPTION_HANDLERS, HTTPException: pages_or_api(EXCEPTION_HANDLERS[HTTPException])},
        before_send=[add_security_headers, secure_cookies_over_https, complete_allow_header],
        on_startup=[
            open_database,
            start_shared,
            start_sweep,
            start_sender,
            start_reminders,
            start_webhooks,
            start_ending_streams,
        ],
        on_shutdown=[
            stop_ending_streams,
            stop_webhooks,
            stop_reminders,
            stop_sender,
            stop_sweep,
            stop_shared,
            close_database,
        ],
        plugins=[shared.channels],
        stores=shared.stores,
        state=State({"sign_in_counters": shared.sign_in_counters}),
        template_config=template_config(settings),
        openapi_config=_openapi_config(),
        request_max_body_size=MAX_BODY_BYTES,
        debug=settings.debug,
    )
