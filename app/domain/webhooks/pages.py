"""The webhooks' administration pages: register an endpoint (its secret shown once), the list, and each
endpoint's delivery log with Send test event and Redeliver. Mounted in the administration router."""

from __future__ import annotations

from uuid import UUID

from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath

from app.domain.webhooks import forms as webhook_forms
from app.domain.webhooks import service as webhooks
from app.domain.webhooks.schemas import EVENT_TYPES
from app.lib.actors import Actor
from app.lib.errors import Conflict, Invalid
from app.lib.i18n import N_, _
from app.lib.schemas import Page
from app.web.forms import read_form
from app.web.lists import ListTemplates, list_page
from app.web.render import go_to, page

NOTICES = {
    "tested": N_("A test event is on its way: its line is at the top of the log."),
    "redelivered": N_("The event is queued again: its new line is at the top of the log."),
    "enabled": N_("The endpoint receives events again, starting with those that waited."),
}
PAGE_SIZE = 50
LOG = ListTemplates("webhooks/endpoint.html", "webhooks/_log.html", "webhooks/_log_rows.html")


class WebhookAdminController(Controller):
    path = "/admin/webhooks"
    include_in_schema = False

    async def _index(self, actor: Actor, status: int = 200, **extra) -> Response:
        context = {"form": {"events": list(EVENT_TYPES)}, "errors": {}, "created": None, "event_types": EVENT_TYPES}
        return page(
            "webhooks/index.html",
            status,
            endpoints=(await webhooks.list_webhooks(actor, webhooks.ENDPOINTS_MAX)).items,
            **(context | extra),
        )

    @get("/")
    async def index(self, actor: NamedDependency[Actor]) -> Response:
        return await self._index(actor)

    @post("/")
    async def register(self, request: Request, actor: NamedDependency[Actor]) -> Response:
        form = await read_form(request)
        try:
            created = await webhooks.register(actor, webhook_forms.webhook_input(form))
        except Invalid as exc:
            return await self._index(actor, 422, form=webhook_forms.shown_again(form), errors=exc.errors)
        except Conflict as exc:
            return await self._index(actor, 409, form=webhook_forms.shown_again(form), problem=exc.detail)
        return await self._index(actor, 201, created=created)  # the secret, this once

    @get("/{webhook_id:uuid}")
    async def endpoint(self, request: Request, actor: NamedDependency[Actor], webhook_id: FromPath[UUID]) -> Response:
        webhook = await webhooks.get_webhook(actor, webhook_id)
        base = f"{self.path}/{webhook_id}"

        async def fetch(cursor: str | None) -> Page:
            return await webhooks.deliveries(actor, webhook_id, PAGE_SIZE, cursor)

        notice = NOTICES.get(request.query_params.get("done", ""))
        return await list_page(
            request, LOG, fetch, base=base, webhook=webhook, notice=_(notice) if notice else "", problem=""
        )

    @post("/{webhook_id:uuid}/test")
    async def send_test(self, request: Request, actor: NamedDependency[Actor], webhook_id: FromPath[UUID]) -> Response:
        await webhooks.send_test(actor, webhook_id)
        return go_to(request, f"{self.path}/{webhook_id}?done=tested")

    @post("/{webhook_id:uuid}/deliveries/{delivery_id:uuid}/redeliver")
    async def redeliver(
        self, request: Request, actor: NamedDependency[Actor], webhook_id: FromPath[UUID], delivery_id: FromPath[UUID]
    ) -> Response:
        await webhooks.redeliver(actor, webhook_id, delivery_id)
        return go_to(request, f"{self.path}/{webhook_id}?done=redelivered")

    @post("/{webhook_id:uuid}/enable")
    async def enable(self, request: Request, actor: NamedDependency[Actor], webhook_id: FromPath[UUID]) -> Response:
        await webhooks.enable(actor, webhook_id)
        return go_to(request, f"{self.path}/{webhook_id}?done=enabled")

    @post("/{webhook_id:uuid}/delete")
    async def delete(self, request: Request, actor: NamedDependency[Actor], webhook_id: FromPath[UUID]) -> Response:
        await webhooks.delete_webhook(actor, webhook_id)
        return go_to(request, self.path)
