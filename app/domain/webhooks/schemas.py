"""Webhook endpoints and their deliveries as the API and the pages send them and as services return them."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal
from uuid import UUID

import msgspec
from msgspec import Meta

from app.lib import schemas as models

URL_MAX = 2000
DESCRIPTION_MAX = 200

EVENT_TYPES = (
    "visit.checked_in",
    "visit.checked_out",
    "visit.updated",
    "visit.deleted",
    "expected_visit.created",
    "expected_visit.updated",
    "expected_visit.deleted",
    "entry_request.asked",
    "entry_request.answered",
    "entry_request.cancelled",
)
"""Every event an endpoint may ask for; each carries the same JSON as the API gives for its record."""
TEST_EVENT = "webhook.test"
"""What "Send test event" sends: to one endpoint, whatever events it wants."""

EventType = Literal[
    "visit.checked_in",
    "visit.checked_out",
    "visit.updated",
    "visit.deleted",
    "expected_visit.created",
    "expected_visit.updated",
    "expected_visit.deleted",
    "entry_request.asked",
    "entry_request.answered",
    "entry_request.cancelled",
]

PENDING, SENDING, SENT, FAILED = "pending", "sending", "sent", "failed"


class WebhookInput(msgspec.Struct, rename="camel"):
    url: Annotated[
        str,
        models.documented(
            f"Where events are POSTed: an http or https URL, at most {URL_MAX} characters",
            ["https://example.com/gatehouse/events"],
            max_length=URL_MAX,
            format="uri",
        ),
    ]
    events: Annotated[
        list[EventType],
        models.documented(
            "The events wanted, each once, at least one", min_items=1, max_items=len(EVENT_TYPES), unique_items=True
        ),
    ]
    description: Annotated[str | None, models.optional_text(DESCRIPTION_MAX)] = None


class Webhook(msgspec.Struct, rename="camel"):
    id: UUID
    url: str
    events: list[str]
    description: str
    enabled: bool
    disabled_reason: Annotated[str | None, Meta(description="Why the endpoint stopped receiving events")]
    failing_since: Annotated[datetime | None, Meta(description="The first failure since the last success")]
    created_at: datetime


class NewWebhook(Webhook, rename="camel"):
    secret: Annotated[
        str, Meta(description="The signing secret (whsec_…), shown only in this answer: keep it with the receiver")
    ]


class DeliveryLine(msgspec.Struct, rename="camel"):
    """One line of an endpoint's delivery log."""

    id: UUID
    event_id: str
    event_type: str
    status: str
    attempts: int
    last_status: int | None
    latency_ms: int | None
    last_error: str | None
    next_attempt_at: datetime | None
    queued_at: datetime
    delivered_at: datetime | None
