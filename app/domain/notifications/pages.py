"""A resident's Notifications page (/me/notifications), administrators' deliveries (/admin/deliveries), and
the installable app's shell served from the site root (/sw.js, /manifest.webmanifest)."""

from __future__ import annotations

from uuid import UUID

import msgspec
from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath
from litestar.response import File

from app.domain.notifications import service as notifications
from app.domain.notifications.channels import channels
from app.domain.notifications.schemas import SubscriptionInput
from app.lib.actors import Actor
from app.lib.errors import Invalid
from app.lib.i18n import N_, _
from app.lib.schemas import Page
from app.settings import PROJECT_ROOT
from app.web.auth import provide_resident_actor
from app.web.forms import read_form
from app.web.lists import ListTemplates, list_page
from app.web.render import go_to, page, wants_fragment

NOTICES = {
    "email-on": N_("Email notices are on."),
    "email-off": N_("Email notices are off."),
    "removed": N_("The device was removed: it gets no more notifications."),
}
PAGE_SIZE = 50
LIST = ListTemplates("admin/deliveries.html", "admin/_deliveries.html", "admin/_delivery_rows.html")
SERVICE_WORKER = PROJECT_ROOT / "static" / "app" / "sw.js"


async def _subscription(request: Request) -> SubscriptionInput:
    try:
        return msgspec.json.decode(await request.body(), type=SubscriptionInput)
    except msgspec.DecodeError as exc:
        raise Invalid({"body": _("is not a push subscription (%(reason)s)", reason=str(exc))}) from None


def _device_label(request: Request) -> str:
    """A name for the device from its browser's User-Agent ("Chrome on Android"), in the reader's words."""
    agent = request.headers.get("user-agent", "")
    browser = next(
        (
            name
            for key, name in (("Edg/", "Edge"), ("Firefox/", "Firefox"), ("Chrome/", "Chrome"), ("Safari/", "Safari"))
            if key in agent
        ),
        _("A browser"),
    )
    system = next(
        (
            name
            for key, name in (
                ("Android", "Android"),
                ("iPhone", "iPhone"),
                ("iPad", "iPad"),
                ("Windows", "Windows"),
                ("Mac OS", "macOS"),
                ("Linux", "Linux"),
            )
            if key in agent
        ),
        "",
    )
    return _("%(browser)s on %(system)s", browser=browser, system=system) if system else browser


async def _whole_page(request: Request, actor: Actor) -> Response:
    done = request.query_params.get("done", "")
    return page(
        "notifications/index.html",
        preferences=await notifications.preferences(actor),
        deliveries=await notifications.recent_deliveries(actor),
        vapid_public_key=channels().vapid_public_key,
        notice=_(NOTICES[done]) if done in NOTICES else "",
        tested=request.query_params.get("tested"),
    )


class MyNotificationsController(Controller):
    path = "/me/notifications"
    include_in_schema = False
    dependencies = {"actor": Provide(provide_resident_actor)}

    @get("/")
    async def index(self, request: Request, actor: NamedDependency[Actor]) -> Response:
        return await _whole_page(request, actor)

    @get("/deliveries")
    async def deliveries(self, request: Request, actor: NamedDependency[Actor]) -> Response:
        """The latest deliveries, which the page fetches again while one is still waiting to be sent."""
        if not wants_fragment(request):
            return await _whole_page(request, actor)
        return page("notifications/_deliveries.html", deliveries=await notifications.recent_deliveries(actor))

    @get("/devices")
    async def devices(self, request: Request, actor: NamedDependency[Actor]) -> Response:
        """The devices, which the page fetches again when this one subscribes or unsubscribes."""
        if not wants_fragment(request):
            return await _whole_page(request, actor)
        return page("notifications/_devices.html", devices=await notifications.devices(actor))

    @post("/devices", status_code=201)
    async def subscribe(self, request: Request, actor: NamedDependency[Actor]) -> Response:
        device = await notifications.subscribe(actor, await _subscription(request), _device_label(request))
        return Response(content=msgspec.to_builtins(device), status_code=201)

    @post("/devices/unsubscribe", status_code=200)
    async def unsubscribe(self, request: Request, actor: NamedDependency[Actor]) -> Response:
        subscription = await _subscription(request)
        removed = await notifications.unsubscribe(actor, subscription.endpoint)
        return Response(content={"removed": removed}, status_code=200)

    @post("/devices/{device_id:uuid}/remove")
    async def remove(self, request: Request, actor: NamedDependency[Actor], device_id: FromPath[UUID]) -> Response:
        await notifications.remove_device(actor, device_id)
        return go_to(request, f"{self.path}?done=removed")

    @post("/email")
    async def email(self, request: Request, actor: NamedDependency[Actor]) -> Response:
        on = (await read_form(request)).text("email") == "on"
        await notifications.set_email_notices(actor, on)
        return go_to(request, f"{self.path}?done={'email-on' if on else 'email-off'}")

    @post("/test")
    async def test(self, request: Request, actor: NamedDependency[Actor]) -> Response:
        queued = await notifications.send_test(actor)
        return go_to(request, f"{self.path}?tested={queued}#test")


class DeliveriesAdminController(Controller):
    """What was sent to whom, read-only; mounted in the administration router, which checks the role."""

    path = "/admin/deliveries"
    include_in_schema = False

    @get("/")
    async def index(self, request: Request, actor: NamedDependency[Actor]) -> Response:
        async def fetch(cursor: str | None) -> Page:
            return await notifications.list_deliveries(actor, PAGE_SIZE, cursor)

        return await list_page(request, LIST, fetch, base=self.path)


@get("/sw.js", include_in_schema=False, sync_to_thread=False)
def service_worker() -> File:
    """From the site root, so its scope can be the whole site; browsers check it for updates themselves."""
    return File(
        SERVICE_WORKER,
        content_disposition_type="inline",
        media_type="text/javascript; charset=utf-8",
        headers={"Service-Worker-Allowed": "/", "Cache-Control": "no-cache"},
    )


@get("/manifest.webmanifest", include_in_schema=False, sync_to_thread=False)
def manifest() -> Response:
    icons = "/static/icons"
    return Response(
        content={
            "name": "Gatehouse",
            "short_name": "Gatehouse",
            "id": "/me",
            "start_url": "/me",
            "scope": "/",
            "display": "standalone",
            "background_color": "#ffffff",
            "theme_color": "#0b4f71",
            "icons": [
                {"src": f"{icons}/icon-192.png", "sizes": "192x192", "type": "image/png"},
                {"src": f"{icons}/icon-512.png", "sizes": "512x512", "type": "image/png"},
                {"src": f"{icons}/maskable-512.png", "sizes": "512x512", "type": "image/png", "purpose": "maskable"},
            ],
        },
        media_type="application/manifest+json",
        headers={"Cache-Control": "no-cache"},
    )


def app_shell_routes() -> list:
    return [service_worker, manifest]
