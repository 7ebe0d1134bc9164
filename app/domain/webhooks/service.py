"""Webhook endpoints: administrators register them, read their delivery log, send a test event, redeliver.

The events themselves are recorded by the features' services (events.record, in their own transaction)
and sent by the sender (sender.py); this module is the administrators' side.
"""

from __future__ import annotations

import base64
import json
import secrets
from uuid import UUID, uuid4

from app.db.engine import retried_on_deadlock, write_transaction
from app.db.tables import WebhookDelivery as DeliveryTable
from app.db.tables import WebhookEndpoint as EndpointTable
from app.db.tables import WebhookEvent as EventTable
from app.domain.records import audit
from app.domain.webhooks import events, outbound, sender
from app.domain.webhooks.schemas import (
    DESCRIPTION_MAX,
    EVENT_TYPES,
    PENDING,
    SENDING,
    TEST_EVENT,
    URL_MAX,
    DeliveryLine,
    NewWebhook,
    Webhook,
    WebhookInput,
)
from app.lib import schemas as models
from app.lib.actors import Actor, require_admin
from app.lib.clock import utc_now
from app.lib.errors import Conflict, FieldErrors, NotFound
from app.lib.i18n import _
from app.lib.paging import Keyset

ENDPOINTS_MAX = 20
_COLUMNS = (
    EndpointTable.id,
    EndpointTable.url,
    EndpointTable.events,
    EndpointTable.description,
    EndpointTable.enabled,
    EndpointTable.disabled_reason,
    EndpointTable.failing_since,
    EndpointTable.created_at,
)


def _to_webhook(row: dict) -> Webhook:
    return Webhook(
        id=row["id"],
        url=row["url"],
        events=json.loads(row["events"] or "[]"),
        description=row["description"] or "",
        enabled=bool(row["enabled"]),
        disabled_reason=row["disabled_reason"],
        failing_since=row["failing_since"],
        created_at=row["created_at"],
    )


def new_secret() -> str:
    """A Standard Webhooks secret: whsec_ and 32 random bytes in base64."""
    return "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()


def _clean(data: WebhookInput) -> dict:
    errors = FieldErrors()
    url = errors.required("url", data.url, URL_MAX)
    if url and "url" not in errors.errors and outbound.check_url(url) is not None:
        errors.add("url", _("must be an http or https address that is not this server's own or a private network's"))
    wanted = [event for event in EVENT_TYPES if event in set(data.events)]
    if not wanted:
        errors.add("events", _("choose at least one event"))
    elif len(data.events) != len(set(data.events)) or len(wanted) != len(data.events):
        errors.add("events", _("name each event once, from the list of events"))
    description = errors.optional("description", data.description, DESCRIPTION_MAX)
    errors.raise_if_any()
    return {"url": url, "events": json.dumps(wanted), "description": description or ""}


async def register(actor: Actor, data: WebhookInput) -> NewWebhook:
    """A new endpoint; its signing secret is in this answer and never again."""
    require_admin(actor, "Only administrators may manage webhooks.")
    values = _clean(data)
    if await EndpointTable.count() >= ENDPOINTS_MAX:
        raise Conflict(_("At most %(count)s webhook endpoints may be registered.", count=ENDPOINTS_MAX))
    secret = new_secret()
    async with write_transaction(EndpointTable._meta.db):
        row = EndpointTable(id=uuid4(), secret=secret, created_by=actor.account_id, created_at=utc_now(), **values)
        await row.save()
        await audit.record(actor, "webhook.registered", "webhook", row.id, {"url": values["url"]})
    webhook = await get_webhook(actor, row.id)
    return NewWebhook(**{field: getattr(webhook, field) for field in webhook.__struct_fields__}, secret=secret)


async def get_webhook(actor: Actor, webhook_id: UUID) -> Webhook:
    require_admin(actor, "Only administrators may manage webhooks.")
    row = await EndpointTable.select(*_COLUMNS).where(EndpointTable.id == webhook_id).first()
    if row is None:
        raise NotFound(_("No webhook endpoint with this id."))
    return _to_webhook(row)


OLDEST_FIRST = Keyset(EndpointTable.created_at, EndpointTable.id)


async def list_webhooks(actor: Actor, limit: int | None = None, cursor: str | None = None) -> models.Page:
    """The endpoints, oldest first, a keyset page at a time."""
    require_admin(actor, "Only administrators may manage webhooks.")
    return await OLDEST_FIRST.fetch(EndpointTable.select(*_COLUMNS), limit, cursor, _to_webhook)


async def delete_webhook(actor: Actor, webhook_id: UUID) -> None:
    """The endpoint and its delivery log go; nothing more is sent to it."""
    webhook = await get_webhook(actor, webhook_id)

    async def delete() -> None:
        async with write_transaction(EndpointTable._meta.db):
            await EndpointTable.delete().where(EndpointTable.id == webhook_id)
            await audit.record(actor, "webhook.deleted", "webhook", webhook_id, {"url": webhook.url})

    # The delivery log goes with it, row by row, while the sender may be updating some of those rows.
    await retried_on_deadlock(delete)


async def enable(actor: Actor, webhook_id: UUID) -> Webhook:
    """An endpoint disabled after a day of failures receives again, starting with what was waiting."""
    webhook = await get_webhook(actor, webhook_id)
    if not webhook.enabled:
        async with write_transaction(EndpointTable._meta.db):
            await EndpointTable.update(
                {EndpointTable.enabled: True, EndpointTable.disabled_reason: None, EndpointTable.failing_since: None}
            ).where(EndpointTable.id == webhook_id)
            await DeliveryTable.update({DeliveryTable.next_attempt_at: sender.now()}).where(
                DeliveryTable.endpoint == webhook_id, DeliveryTable.status == PENDING
            )
            await audit.record(actor, "webhook.enabled", "webhook", webhook_id, {"url": webhook.url})
        sender.wake()
    return await get_webhook(actor, webhook_id)


LOG_ORDER = Keyset(DeliveryTable.queued_at, DeliveryTable.id, descending=True)


async def deliveries(
    actor: Actor, webhook_id: UUID, limit: int | None = None, cursor: str | None = None
) -> models.Page:
    """The endpoint's delivery log, newest first."""
    await get_webhook(actor, webhook_id)
    query = DeliveryTable.select(
        DeliveryTable.id,
        DeliveryTable.event,
        DeliveryTable.event_type,
        DeliveryTable.status,
        DeliveryTable.attempts,
        DeliveryTable.last_status,
        DeliveryTable.latency_ms,
        DeliveryTable.last_error,
        DeliveryTable.next_attempt_at,
        DeliveryTable.queued_at,
        DeliveryTable.delivered_at,
    ).where(DeliveryTable.endpoint == webhook_id)
    return await LOG_ORDER.fetch(query, limit, cursor, _to_line)


def _to_line(row: dict) -> DeliveryLine:
    waiting = row["status"] in (PENDING, SENDING)
    return DeliveryLine(
        id=row["id"],
        event_id=events.message_id(row["event"]),
        event_type=row["event_type"],
        status=row["status"],
        attempts=row["attempts"],
        last_status=row["last_status"],
        latency_ms=row["latency_ms"],
        last_error=row["last_error"],
        next_attempt_at=row["next_attempt_at"] if waiting else None,
        queued_at=row["queued_at"],
        delivered_at=row["delivered_at"],
    )


async def _queue(webhook_id: UUID, event_id: UUID, event_type: str) -> UUID:
    now = sender.now()
    delivery = DeliveryTable(
        id=uuid4(), endpoint=webhook_id, event=event_id, event_type=event_type, queued_at=now, next_attempt_at=now
    )
    await delivery.save()
    return delivery.id


async def send_test(actor: Actor, webhook_id: UUID) -> UUID:
    """A `webhook.test` event to this endpoint alone, queued after what it is waiting for; its delivery id."""
    webhook = await get_webhook(actor, webhook_id)
    if not webhook.enabled:
        raise Conflict(_("This endpoint is disabled: enable it first."))
    async with write_transaction(EventTable._meta.db):
        event_id = uuid4()
        data = {"message": "A test event from Gatehouse", "webhookId": str(webhook_id)}
        await EventTable(
            id=event_id, type=TEST_EVENT, payload=json.dumps(data), created_at=sender.now(), fanned_out=True
        ).save()
        delivery_id = await _queue(webhook_id, event_id, TEST_EVENT)
    sender.wake()
    return delivery_id


async def redeliver(actor: Actor, webhook_id: UUID, delivery_id: UUID) -> UUID:
    """The same event (the same webhook-id) sent again, after what the endpoint is waiting for."""
    await get_webhook(actor, webhook_id)
    row = (
        await DeliveryTable.select(DeliveryTable.event, DeliveryTable.event_type)
        .where(DeliveryTable.id == delivery_id, DeliveryTable.endpoint == webhook_id)
        .first()
    )
    if row is None:
        raise NotFound(_("No delivery with this id."))
    async with write_transaction(DeliveryTable._meta.db):
        new_id = await _queue(webhook_id, row["event"], row["event_type"])
    sender.wake()
    return new_id
