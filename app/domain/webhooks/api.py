"""/api/webhooks: administrators register, list and remove the endpoints that hear of every change."""

from __future__ import annotations

from uuid import UUID

from litestar import Controller, Request, Response, delete, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody
from litestar.status_codes import HTTP_201_CREATED, HTTP_202_ACCEPTED

from app.api.body import strict_json
from app.api.docs import problems
from app.api.paging import LINK_HEADER_DOC, Cursor, Limit, page_response
from app.domain.webhooks import schemas as webhook_schemas
from app.domain.webhooks import service as webhooks
from app.lib.actors import Actor

_SIGNING = (
    "Events are POSTed as JSON `{type, timestamp, data}` (`data`: the record as this API returns it), signed per "
    "Standard Webhooks (`webhook-id`, `webhook-timestamp`, `webhook-signature`) with the endpoint's secret; retried "
    "with exponential backoff for 24 hours, in order per endpoint, at least once (drop duplicates by `webhook-id`)."
)


class WebhookController(Controller):
    path = "/webhooks"
    tags = ["Webhooks"]

    @get(
        "/",
        operation_id="listWebhooks",
        summary="List webhook endpoints",
        response_headers=LINK_HEADER_DOC,
        responses=problems(403),
    )
    async def list_webhooks(
        self, request: Request, actor: NamedDependency[Actor], limit: Limit = None, cursor: Cursor = None
    ) -> Response[list[webhook_schemas.Webhook]]:
        """Oldest first, without their secrets."""
        return page_response(request, await webhooks.list_webhooks(actor, limit, cursor))

    @post(
        "/",
        operation_id="createWebhook",
        summary="Register a webhook endpoint",
        description="Administrators only. The answer holds the signing secret, shown this once. " + _SIGNING,
        status_code=HTTP_201_CREATED,
        responses=problems(403, 409, 413),
    )
    async def register(
        self, request: Request, actor: NamedDependency[Actor], data: JSONBody[webhook_schemas.WebhookInput]
    ) -> Response[webhook_schemas.NewWebhook]:
        data = await strict_json(request, webhook_schemas.WebhookInput)
        created = await webhooks.register(actor, data)
        return Response(created, status_code=HTTP_201_CREATED, headers={"Location": f"/api/webhooks/{created.id}"})

    @get(
        "/{webhook_id:uuid}", operation_id="getWebhook", summary="Get a webhook endpoint", responses=problems(403, 404)
    )
    async def get_webhook(self, actor: NamedDependency[Actor], webhook_id: FromPath[UUID]) -> webhook_schemas.Webhook:
        return await webhooks.get_webhook(actor, webhook_id)

    @delete(
        "/{webhook_id:uuid}",
        operation_id="deleteWebhook",
        summary="Remove a webhook endpoint",
        responses=problems(403, 404),
    )
    async def delete_webhook(self, actor: NamedDependency[Actor], webhook_id: FromPath[UUID]) -> None:
        await webhooks.delete_webhook(actor, webhook_id)

    @get(
        "/{webhook_id:uuid}/deliveries",
        operation_id="listWebhookDeliveries",
        summary="An endpoint's delivery log",
        response_headers=LINK_HEADER_DOC,
        responses=problems(403, 404),
    )
    async def deliveries(
        self,
        request: Request,
        actor: NamedDependency[Actor],
        webhook_id: FromPath[UUID],
        limit: Limit = None,
        cursor: Cursor = None,
    ) -> Response[list[webhook_schemas.DeliveryLine]]:
        """Newest first: event, attempts, last status code, latency, next attempt."""
        return page_response(request, await webhooks.deliveries(actor, webhook_id, limit, cursor))

    @post(
        "/{webhook_id:uuid}/test",
        operation_id="sendWebhookTest",
        summary="Send a test event",
        status_code=HTTP_202_ACCEPTED,
        responses=problems(403, 404, 409),
    )
    async def send_test(self, actor: NamedDependency[Actor], webhook_id: FromPath[UUID]) -> dict[str, UUID]:
        return {"deliveryId": await webhooks.send_test(actor, webhook_id)}

    @post(
        "/{webhook_id:uuid}/deliveries/{delivery_id:uuid}/redeliver",
        operation_id="redeliverWebhook",
        summary="Send a delivery's event again",
        status_code=HTTP_202_ACCEPTED,
        responses=problems(403, 404),
    )
    async def redeliver(
        self, actor: NamedDependency[Actor], webhook_id: FromPath[UUID], delivery_id: FromPath[UUID]
    ) -> dict[str, UUID]:
        return {"deliveryId": await webhooks.redeliver(actor, webhook_id, delivery_id)}
