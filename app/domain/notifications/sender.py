"""The background sender: claims due deliveries from the outbox and sends them by Web Push or email.

It runs as a task of the server (create_app starts it) and polls every few seconds; wake() makes it look at
once. Several workers may each run one: the outbox's claim hands every delivery to one of them. Encrypting
and signing a push is CPU work and `requests` blocks, so a push is sent in a worker thread; email goes
through aiosmtplib on the event loop.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from datetime import timedelta
from email.message import EmailMessage
from uuid import UUID

import aiosmtplib
import requests
from pywebpush import WebPushException, webpush

from app.db.tables import PushSubscription as SubscriptionTable
from app.domain.notifications import outbox
from app.domain.notifications.channels import Channels, channels
from app.domain.notifications.schemas import EMAIL, EXPIRED, FAILED, GONE
from app.lib.clock import utc_now

POLL_SECONDS = 3.0
BATCH = 20
PUSH_TIMEOUT_SECONDS = 10
SMTP_TIMEOUT_SECONDS = 20
DEFAULT_TTL = timedelta(days=1)
"""How long a push service keeps a notice for a device that is offline, when the notice has no expiry."""

log = logging.getLogger("gatehouse.notifications")
_wake: asyncio.Event | None = None


class Retry(Exception):
    """This attempt failed in a way worth trying again (a network error, a 5xx, a 429)."""


class Final(Exception):
    """This delivery will never go: `status` (failed or gone) says why."""

    def __init__(self, status: str, error: str) -> None:
        super().__init__(error)
        self.status = status


def wake() -> None:
    if _wake is not None:
        _wake.set()


async def send_due(limit: int = BATCH) -> int:
    """One round: claim what is due and send it; how many were claimed."""
    claimed = await outbox.claim(limit)
    await asyncio.gather(*(deliver(row) for row in claimed))
    return len(claimed)


async def deliver(row: dict) -> None:
    if row["not_after"] is not None and row["not_after"] <= utc_now():
        await outbox.final(row["id"], EXPIRED, None)
        return
    payload = outbox.payload_of(row["payload"])
    try:
        if row["channel"] == EMAIL:
            await send_email(row["target"], payload, channels())
        else:
            await send_push(UUID(row["target"]), payload, row["not_after"], channels())
    except Final as exc:
        await outbox.final(row["id"], exc.status, str(exc))
    except Retry as exc:
        await outbox.retry_later(row, str(exc))
    except Exception as exc:  # a bug must not stop the sender: the row is retried and the error kept
        log.exception("delivery %s failed", row["id"])
        await outbox.retry_later(row, f"{type(exc).__name__}: {exc}")
    else:
        await outbox.sent(row["id"])


# --- Web Push ----------------------------------------------------------------------------------------------


def _push_sync(subscription: dict, data: str, ttl: int, site: Channels, urgent: bool) -> None:
    webpush(
        {
            "endpoint": subscription["endpoint"],
            "keys": {"p256dh": subscription["p256dh"], "auth": subscription["auth"]},
        },
        data=data,
        vapid_private_key=site.vapid,
        vapid_claims={"sub": site.vapid_subject},  # a new dict each time: webpush() adds aud and exp to it
        ttl=ttl,
        timeout=PUSH_TIMEOUT_SECONDS,
        headers={"Urgency": "high"} if urgent else None,
    )


async def send_push(subscription_id: UUID, payload: dict, not_after, site: Channels) -> None:
    subscription = await SubscriptionTable.select().where(SubscriptionTable.id == subscription_id).first()
    if subscription is None:
        raise Final(GONE, "the device was removed")
    ttl = not_after - utc_now() if not_after is not None else DEFAULT_TTL
    data = json.dumps(payload, ensure_ascii=False)
    try:
        await asyncio.to_thread(
            _push_sync, subscription, data, max(int(ttl.total_seconds()), 0), site, bool(payload.get("actions"))
        )
    except WebPushException as exc:
        status = exc.status_code
        if status in (404, 410):
            await SubscriptionTable.delete().where(SubscriptionTable.id == subscription_id)
            raise Final(GONE, f"push service answered {status}: subscription removed") from None
        error = f"push service answered {status}" if status else f"push failed: {exc.message}"
        await _device_failed(subscription_id, error)
        if status is not None and 400 <= status < 500 and status != 429:
            raise Final(FAILED, error) from None
        raise Retry(error) from None
    except requests.RequestException as exc:
        error = f"push service unreachable: {type(exc).__name__}"
        await _device_failed(subscription_id, error)
        raise Retry(error) from None
    await SubscriptionTable.update({SubscriptionTable.last_success_at: utc_now()}).where(
        SubscriptionTable.id == subscription_id
    )


async def _device_failed(subscription_id: UUID, error: str) -> None:
    await SubscriptionTable.update(
        {SubscriptionTable.last_error: error[:300], SubscriptionTable.last_error_at: utc_now()}
    ).where(SubscriptionTable.id == subscription_id)


# --- email -------------------------------------------------------------------------------------------------


def message(address: str, payload: dict, site: Channels) -> EmailMessage:
    mail = EmailMessage()
    mail["From"] = site.smtp_from
    mail["To"] = address
    mail["Subject"] = payload["subject"]
    mail["Auto-Submitted"] = "auto-generated"
    mail.set_content(payload["text"])
    mail.add_alternative(payload["html"], subtype="html")
    mail["Content-Language"] = payload.get("language", "en")  # after set_content, which clears Content-*
    return mail


async def send_email(address: str, payload: dict, site: Channels) -> None:
    server = site.smtp
    if server is None:
        raise Final(FAILED, "SMTP_URL is not set")
    try:
        await aiosmtplib.send(
            message(address, payload, site),
            hostname=server.host,
            port=server.port,
            username=server.username,
            password=server.password,
            use_tls=server.implicit_tls,
            start_tls=server.starttls,
            timeout=SMTP_TIMEOUT_SECONDS,
        )
    except aiosmtplib.SMTPRecipientsRefused as exc:
        raise Final(FAILED, f"recipient refused: {exc}") from None
    except aiosmtplib.SMTPResponseException as exc:
        error = f"mail server answered {exc.code} {exc.message}"
        if 500 <= exc.code < 600:
            raise Final(FAILED, error) from None
        raise Retry(error) from None
    except (aiosmtplib.SMTPException, OSError) as exc:
        raise Retry(f"mail server unreachable: {type(exc).__name__}") from None


# --- the task ------------------------------------------------------------------------------------------------


async def run(poll_seconds: float = POLL_SECONDS) -> None:
    """Send until cancelled: a round whenever woken, or every `poll_seconds`."""
    global _wake
    _wake = asyncio.Event()
    try:
        while True:
            try:
                busy = await send_due()
            except Exception:  # the database may be away for a while: keep polling
                log.exception("the notification sender could not claim deliveries")
                busy = 0
            if busy:
                continue
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(poll_seconds):  # not wait_for: it can swallow the task's cancel
                    await _wake.wait()
            _wake.clear()
    finally:
        _wake = None
