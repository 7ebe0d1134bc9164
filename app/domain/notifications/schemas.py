"""What notifications carry: the notice a feature builds for each reader, devices, and the outbox's rows."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated
from uuid import UUID

import msgspec

from app.lib.schemas import documented

PUSH, EMAIL = "push", "email"
CHANNELS = (PUSH, EMAIL)
PENDING, SENDING, SENT, FAILED, EXPIRED, GONE = "pending", "sending", "sent", "failed", "expired", "gone"
STATUSES = (PENDING, SENDING, SENT, FAILED, EXPIRED, GONE)
ENDPOINT_MAX = 1000
KEY_MAX = 120


class NoticeAction(msgspec.Struct, rename="camel"):
    action: str
    """"approve" | "refuse" (free string)."""
    title: str
    """The button's label, already translated."""
    url: str
    """A site path holding a signed single-use token: POST answers, GET shows a confirm page."""


class Notice(msgspec.Struct, rename="camel"):
    """What one reader is told, in their language (built under it by notify_household/notify_account)."""

    title: str
    body: str
    url: str
    """The site path opened when the notification or the email is clicked."""
    tag: str | None = None
    """A later notice with the same tag replaces the earlier one on the device."""
    actions: list[NoticeAction] = []
    expires_at: datetime | None = None
    """Not sent after this (the delivery is marked expired)."""


class SubscriptionKeys(msgspec.Struct):
    p256dh: Annotated[str, documented("The browser's P-256 public key, base64url", max_length=KEY_MAX)]
    auth: Annotated[str, documented("The browser's auth secret, base64url", max_length=KEY_MAX)]


class SubscriptionInput(msgspec.Struct):
    """A browser's PushSubscription as `subscription.toJSON()` gives it (expirationTime is ignored)."""

    endpoint: Annotated[str, documented("The push service's https URL for this browser", max_length=ENDPOINT_MAX)]
    keys: SubscriptionKeys
    expirationTime: int | float | None = None  # noqa: N815 - the browser's own name


class Device(msgspec.Struct, rename="camel"):
    id: UUID
    label: str
    created_at: datetime
    last_success_at: datetime | None
    last_error: str | None
    last_error_at: datetime | None
    endpoint: str


class Preferences(msgspec.Struct, rename="camel"):
    email: str
    email_on: bool
    email_available: bool
    """False when the site sends no email (SMTP_URL unset)."""
    push_available: bool
    devices: list[Device]


class DeliveryRow(msgspec.Struct, rename="camel"):
    """One row of the outbox as administrators and the account itself see it."""

    id: UUID
    account_email: str
    channel: str
    target: str
    title: str
    created_at: datetime
    status: str
    attempts: int
    sent_at: datetime | None
    last_error: str | None
