"""Notifications: a feature tells people something (an entry request, a test) and the outbox carries it.

notify_household / notify_account are called inside the caller's write transaction: they build the notice
for each reader in that reader's language and queue one delivery per push subscription and one per email,
in the same transaction, so the change and its notices commit together. The sender (sender.py) sends them
after the commit; wake_sender() lets it start at once instead of at its next poll.
"""

from __future__ import annotations

import base64
import binascii
import ipaddress
from collections.abc import Callable
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit
from uuid import UUID, uuid4

import msgspec

from app.db.engine import write_transaction
from app.db.tables import Account as AccountTable
from app.db.tables import Delivery as DeliveryTable
from app.db.tables import PushSubscription as SubscriptionTable
from app.domain.notifications import emails, outbox, sender
from app.domain.notifications.channels import channels
from app.domain.notifications.schemas import (
    EMAIL,
    EXPIRED,
    FAILED,
    GONE,
    PENDING,
    PUSH,
    SENT,
    DeliveryRow,
    Device,
    Notice,
    Preferences,
    SubscriptionInput,
)
from app.lib import i18n
from app.lib import schemas as models
from app.lib.actors import RESIDENT, Actor, require_admin, require_resident
from app.lib.errors import Conflict, FieldErrors, NotFound
from app.lib.i18n import _
from app.lib.paging import Keyset

Build = Callable[[UUID], Notice]
DEVICES_MAX = 20
LABEL_MAX = 120
FINISHED = (SENT, FAILED, EXPIRED, GONE)


# --- queueing: the interface other features call ---------------------------------------------------------


async def notify_household(resident_id: UUID, build: Build) -> int:
    """Inside the caller's write_transaction: queue `build(account_id)` for every active account of the
    household, each built in its reader's language. Returns how many deliveries were queued."""
    accounts = await _accounts().where(
        AccountTable.resident == resident_id, AccountTable.role == RESIDENT, AccountTable.active.eq(True)
    )
    return await _queue(accounts, build)


async def notify_account(account_id: UUID, build: Build) -> int:
    """The same as notify_household, for one active account."""
    accounts = await _accounts().where(AccountTable.id == account_id, AccountTable.active.eq(True))
    return await _queue(accounts, build)


async def email_someone(account_id: UUID, address: str, mail: dict[str, str]) -> None:
    """Inside the caller's write_transaction: one composed email (subject, text, html, language) to an address
    that belongs to no account, such as a visitor's, sent on behalf of `account_id`."""
    now = outbox.precise_now()
    await DeliveryTable.insert(
        DeliveryTable(
            id=uuid4(),
            account=account_id,
            channel=EMAIL,
            target=address,
            payload=mail,
            created_at=now,
            next_attempt_at=now,
        )
    )


def wake_sender() -> None:
    """After the commit: send what was queued now rather than at the sender's next poll."""
    sender.wake()


def _accounts():
    return AccountTable.select(
        AccountTable.id, AccountTable.email, AccountTable.language, AccountTable.email_notices
    ).order_by(AccountTable.id)


def _push_payload(notice: Notice) -> dict[str, Any]:
    """The notice as the service worker reads it, with the words it says after an answer from a button."""
    return msgspec.to_builtins(notice) | {
        "answered": _("Your answer was sent."),
        "notAnswered": _("Your answer could not be sent. Open Gatehouse to answer."),
    }


async def _queue(accounts: list[dict], build: Build) -> int:
    if not accounts:
        return 0
    site = channels()
    subscriptions = await SubscriptionTable.select(SubscriptionTable.id, SubscriptionTable.account).where(
        SubscriptionTable.account.is_in([account["id"] for account in accounts])
    )
    now = outbox.precise_now()
    rows = []
    for account in accounts:
        with i18n.speaking(account["language"]):
            notice = build(account["id"])
            push = _push_payload(notice)
            mail = emails.compose(notice, site) if site.email_on and account["email_notices"] else None
        common = {"account": account["id"], "created_at": now, "next_attempt_at": now, "not_after": notice.expires_at}
        rows += [
            DeliveryTable(id=uuid4(), channel=PUSH, target=str(sub["id"]), payload=push, **common)
            for sub in subscriptions
            if sub["account"] == account["id"]
        ]
        if mail is not None:
            rows.append(DeliveryTable(id=uuid4(), channel=EMAIL, target=account["email"], payload=mail, **common))
    if rows:
        await DeliveryTable.insert(*rows)
    return len(rows)


# --- the resident's choices and devices ------------------------------------------------------------------


def _to_device(row: dict) -> Device:
    return Device(
        id=row["id"],
        label=row["label"],
        created_at=row["created_at"],
        last_success_at=row["last_success_at"],
        last_error=row["last_error"],
        last_error_at=row["last_error_at"],
        endpoint=row["endpoint"],
    )


async def devices(actor: Actor) -> list[Device]:
    require_resident(actor, "Only residents may choose how they are notified.")
    rows = (
        await SubscriptionTable.select()
        .where(SubscriptionTable.account == actor.account_id)
        .order_by(SubscriptionTable.created_at, ascending=False)
    )
    return [_to_device(row) for row in rows]


async def preferences(actor: Actor) -> Preferences:
    require_resident(actor, "Only residents may choose how they are notified.")
    row = (
        await AccountTable.select(AccountTable.email, AccountTable.email_notices)
        .where(AccountTable.id == actor.account_id)
        .first()
    )
    if row is None:
        raise NotFound(_("No such page."))
    return Preferences(
        email=row["email"],
        email_on=row["email_notices"],
        email_available=channels().email_on,
        push_available=True,
        devices=await devices(actor),
    )


async def set_email_notices(actor: Actor, on: bool) -> None:
    require_resident(actor, "Only residents may choose how they are notified.")
    await AccountTable.update({AccountTable.email_notices: on}).where(AccountTable.id == actor.account_id)


def _key(text: str, size: int | None) -> bytes | None:
    try:
        raw = base64.urlsafe_b64decode(text.strip() + "=" * (-len(text.strip()) % 4))
    except (binascii.Error, ValueError):
        return None
    return raw if size is None or len(raw) == size else None


def endpoint_problem(endpoint: str) -> str | None:
    """Pushes are POSTed to the endpoint by the server, so only a public https address is taken: never the
    server's own network (a subscription is no way to make Gatehouse call an internal service)."""
    parts = urlsplit(endpoint.strip())
    if parts.scheme != "https" or not parts.hostname or parts.username or parts.password:
        return _("must be the push service's https address")
    try:
        address = ipaddress.ip_address(parts.hostname)
    except ValueError:
        return _("must be the push service's https address") if parts.hostname == "localhost" else None
    return None if address.is_global else _("must be the push service's https address")


def _clean_subscription(data: SubscriptionInput) -> dict:
    errors = FieldErrors()
    endpoint = data.endpoint.strip()
    if problem := endpoint_problem(endpoint):
        errors.add("endpoint", problem)
    public_key = _key(data.keys.p256dh, 65)
    if public_key is None or public_key[0] != 4:
        errors.add("keys.p256dh", _("must be the browser's P-256 public key"))
    if _key(data.keys.auth, 16) is None:
        errors.add("keys.auth", _("must be the browser's 16-byte auth secret"))
    errors.raise_if_any()
    return {"endpoint": endpoint, "p256dh": data.keys.p256dh.strip(), "auth": data.keys.auth.strip()}


async def subscribe(actor: Actor, data: SubscriptionInput, label: str) -> Device:
    """This browser receives pushes for this account from now on: its keys are renewed if it was already
    subscribed, and a browser another account had (someone else signed in there before) is moved."""
    require_resident(actor, "Only residents may choose how they are notified.")
    values = _clean_subscription(data) | {"label": label[:LABEL_MAX]}
    async with write_transaction(SubscriptionTable._meta.db):
        kept = (
            await SubscriptionTable.update(values)
            .where(SubscriptionTable.endpoint == values["endpoint"], SubscriptionTable.account == actor.account_id)
            .returning(SubscriptionTable.id)
        )
        if kept:
            device_id = kept[0]["id"]
        else:
            await SubscriptionTable.delete().where(SubscriptionTable.endpoint == values["endpoint"])
            if await SubscriptionTable.count().where(SubscriptionTable.account == actor.account_id) >= DEVICES_MAX:
                raise Conflict(_("You have %(max)s devices already; remove one first.", max=DEVICES_MAX))
            device_id = uuid4()
            await SubscriptionTable.insert(SubscriptionTable(id=device_id, account=actor.account_id, **values))
    return next(device for device in await devices(actor) if device.id == device_id)


async def unsubscribe(actor: Actor, endpoint: str) -> bool:
    """This browser stops receiving pushes for this account; False when it was not subscribed."""
    require_resident(actor, "Only residents may choose how they are notified.")
    removed = (
        await SubscriptionTable.delete()
        .where(SubscriptionTable.endpoint == endpoint.strip(), SubscriptionTable.account == actor.account_id)
        .returning(SubscriptionTable.id)
    )
    return bool(removed)


async def remove_device(actor: Actor, device_id: UUID) -> None:
    """Another account's device is 'not found', like a device that does not exist."""
    require_resident(actor, "Only residents may choose how they are notified.")
    removed = (
        await SubscriptionTable.delete()
        .where(SubscriptionTable.id == device_id, SubscriptionTable.account == actor.account_id)
        .returning(SubscriptionTable.id)
    )
    if not removed:
        raise NotFound(_("No device with this id."))


def test_notice(account_id: UUID) -> Notice:
    del account_id
    return Notice(
        title=_("Test notification from Gatehouse"),
        body=_("If you can read this, Gatehouse can reach you here."),
        url="/me/notifications",
        tag="gatehouse-test",
    )


async def send_test(actor: Actor) -> int:
    """Queue a test notice to every channel of this account; how many deliveries were queued (0: none on)."""
    require_resident(actor, "Only residents may choose how they are notified.")
    async with write_transaction(DeliveryTable._meta.db):
        queued = await notify_account(actor.account_id, test_notice)
    wake_sender()
    return queued


# --- what was sent -----------------------------------------------------------------------------------------


_DELIVERY_COLUMNS = (
    DeliveryTable.id,
    DeliveryTable.account.email.as_alias("account_email"),
    DeliveryTable.channel,
    DeliveryTable.target,
    DeliveryTable.payload,
    DeliveryTable.created_at,
    DeliveryTable.status,
    DeliveryTable.attempts,
    DeliveryTable.sent_at,
    DeliveryTable.last_error,
)


def _to_row(row: dict) -> DeliveryRow:
    return DeliveryRow(
        id=row["id"],
        account_email=row["account_email"],
        channel=row["channel"],
        target=row["target"] if row["channel"] == EMAIL else "",
        title=str(outbox.payload_of(row["payload"]).get("title", "")),
        created_at=row["created_at"],
        status=row["status"],
        attempts=row["attempts"],
        sent_at=row["sent_at"],
        last_error=row["last_error"],
    )


async def recent_deliveries(actor: Actor, limit: int = 5) -> list[DeliveryRow]:
    """This account's latest deliveries, for the result of "Send me a test"."""
    require_resident(actor, "Only residents may choose how they are notified.")
    rows = (
        await DeliveryTable.select(*_DELIVERY_COLUMNS)
        .where(DeliveryTable.account == actor.account_id)
        .order_by(DeliveryTable.created_at, DeliveryTable.id, ascending=False)
        .limit(limit)
    )
    return [_to_row(row) for row in rows]


NEWEST_FIRST = Keyset(DeliveryTable.created_at, DeliveryTable.id, descending=True)


async def list_deliveries(actor: Actor, limit: int | None = None, cursor: str | None = None) -> models.Page:
    """Every delivery, newest first: administrators only."""
    require_admin(actor, "Only administrators may see what was sent.")
    return await NEWEST_FIRST.fetch(DeliveryTable.select(*_DELIVERY_COLUMNS), limit, cursor, _to_row)


# --- retention -----------------------------------------------------------------------------------------------


async def forget_account(account_id: UUID) -> None:
    """Inside the caller's transaction, when an account is deactivated: its devices go, and nothing more
    is sent to it."""
    await SubscriptionTable.delete().where(SubscriptionTable.account == account_id)
    await DeliveryTable.update({DeliveryTable.status: EXPIRED}).where(
        DeliveryTable.account == account_id, DeliveryTable.status == PENDING
    )


def _finished_before(before: datetime):
    return (DeliveryTable.created_at < before) & DeliveryTable.status.is_in(list(FINISHED))


async def count_finished_deliveries(before: datetime) -> int:
    return await DeliveryTable.count().where(_finished_before(before))


async def purge_deliveries(before: datetime) -> int:
    """Inside the caller's transaction: delete finished deliveries created before `before`."""
    removed = await DeliveryTable.delete().where(_finished_before(before)).returning(DeliveryTable.id)
    return len(removed)
