"""The webhook sender: fans recorded events out to the endpoints that want them and POSTs them, signed.

A background task of every worker (create_app starts it), like the notifications' sender. Each round:
1. fan out: events not yet fanned out become one delivery per enabled endpoint that wants them; the
   conditional UPDATE of `fanned_out` hands each event to one worker;
2. claim: per enabled endpoint, the oldest unsent deliveries, when the oldest is due; a conditional UPDATE
   marks them `sending` until a lease ends, so each delivery is attempted by one worker at a time, and
   only the oldest is ever claimed first, so an endpoint receives its events in order;
3. send them in order, stopping at the first failure (the rest are released, untried): a failure waits
   an exponential backoff, for a day after the delivery was queued, then the delivery has failed; an
   endpoint failing for a day is disabled with the reason.
At least once: a worker that dies holding a claim loses nothing (the lease ends, the rows are due again),
and `webhook-id` stays the same on every attempt so receivers drop duplicates.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
from datetime import UTC, datetime, timedelta
from uuid import UUID, uuid4

import aiohttp
import msgspec
from piccolo.columns.combination import WhereRaw
from standardwebhooks import Webhook as Signer

from app.db import writes
from app.db.engine import row_by_row, write_transaction
from app.db.reads import numbered, run_many, run_statement
from app.db.tables import WebhookDelivery as DeliveryTable
from app.db.tables import WebhookEndpoint as EndpointTable
from app.db.tables import WebhookEvent as EventTable
from app.domain.webhooks import events, outbound
from app.domain.webhooks.schemas import FAILED, PENDING, SENDING, SENT

log = logging.getLogger("gatehouse.webhooks")

POLL_SECONDS = 2.0
CLAIM_BATCH = 50
FAN_OUT_BATCH = CLAIM_BATCH
"""A round fans out no more events than it may send to each endpoint: deliveries made far ahead of their
sending only pile up while check-ins keep coming, and every claim then looks for the oldest in the pile."""
TIMEOUT_SECONDS = 5.0
LEASE = timedelta(minutes=2)
"""Longer than a claimed batch can take to send (each request times out well before)."""
BACKOFF_FIRST = timedelta(seconds=5)
BACKOFF_MAX = timedelta(hours=1)
"""After the nth failed attempt the delivery waits BACKOFF_FIRST * 2**(n-1), at most BACKOFF_MAX."""
BUSY_SHARE = 0.1
"""While the worker is recording changes (serving requests), the sender takes about this share of its time,
sleeping between rounds in proportion to the round's length: the requests come first, and the deliveries
catch up once the worker is quieter. Idle, it sends as fast as the receivers answer."""
BUSY_PAUSE_MAX = 2.0
GIVE_UP_AFTER = timedelta(days=1)
DISABLE_AFTER = timedelta(days=1)
KEEP_LOG = timedelta(days=7)
ERROR_MAX = 300
USER_AGENT = "Gatehouse-Webhooks/1"

_wake: asyncio.Event | None = None
_watchers: set[asyncio.Event] = set()


async def next_round() -> None:
    """Until the running sender finishes its next round (for tests and tools that wait on its work)."""
    done = asyncio.Event()
    _watchers.add(done)
    try:
        await done.wait()
    finally:
        _watchers.discard(done)


def now() -> datetime:
    return datetime.now(UTC)


def backoff(attempts: int) -> timedelta:
    return min(BACKOFF_FIRST * (2 ** max(attempts - 1, 0)), BACKOFF_MAX)


def wake() -> None:
    if _wake is not None:
        _wake.set()


# --- fan-out -------------------------------------------------------------------------------------------------


def _wanted(events_text: str) -> set[str]:
    try:
        return set(json.loads(events_text))
    except ValueError:
        return set()


_NO_ENDPOINT_LISTENS = WhereRaw(f"NOT {writes.AN_ENDPOINT_LISTENS}")


class _Taken(msgspec.Struct, array_like=True, frozen=True):
    id: UUID
    type: str
    created_at: datetime


class _Listener(msgspec.Struct, array_like=True, frozen=True):
    id: UUID
    events: str


# Fixed SQL for the part of a round that holds the write lock on SQLite: the oldest events not fanned out, taken
# in one statement (the outer `NOT fanned_out` is looked at again after waiting for another worker's lock on
# PostgreSQL), and their deliveries written as one batch. `NOT fanned_out` is written as the partial index of
# those events has it (webhook_event_unsent), so both databases read them from it, oldest first.
_NOT_FANNED_OUT = "NOT fanned_out"
_TAKE = (
    f"UPDATE webhook_event SET fanned_out = ? WHERE {_NOT_FANNED_OUT} AND id IN"  # noqa: S608 - constants only
    f" (SELECT id FROM webhook_event WHERE {_NOT_FANNED_OUT} ORDER BY created_at LIMIT ?)"
    " RETURNING id, type, created_at"
)
_LISTENERS = "SELECT id, events FROM webhook_endpoint WHERE enabled = ?"
_QUEUE = (
    "INSERT INTO webhook_delivery (id, endpoint, event, event_type, queued_at, next_attempt_at, status, attempts)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
)
_TAKE_PG, _LISTENERS_PG, _QUEUE_PG = numbered(_TAKE), numbered(_LISTENERS), numbered(_QUEUE)


async def fan_out(limit: int = FAN_OUT_BATCH) -> int:
    """Deliveries for the events not yet fanned out; how many events were taken."""
    listened = await EndpointTable.exists().where(EndpointTable.enabled.eq(True))
    events.set_listened(listened)
    if not listened:
        # No one to send to: one statement, atomic by itself, and no transaction held across awaits. It looks
        # again itself: an endpoint registered since the look above may already have an event (a check-in
        # right after it), which must wait for the next round, not be dropped.
        done = await (
            EventTable.update({EventTable.fanned_out: True})
            .where(WhereRaw(_NOT_FANNED_OUT), _NO_ENDPOINT_LISTENS)
            .returning(EventTable.id)
        )
        return len(done)
    if not await EventTable.exists().where(WhereRaw(_NOT_FANNED_OUT)):
        return 0
    async with write_transaction(EventTable._meta.db):
        taken = await run_statement(_TAKE, _TAKE_PG, [True, limit], _Taken, inline=False)
        if not taken:
            return 0
        # Read in the transaction: an endpoint enabled before an event was recorded gets it.
        listeners = await run_statement(_LISTENERS, _LISTENERS_PG, [True], _Listener, inline=False)
        wants = [(listener.id, _wanted(listener.events)) for listener in listeners]
        started = now()
        rows = [
            [uuid4(), endpoint_id, event.id, event.type, event.created_at, started, PENDING, 0]
            for event in taken
            for endpoint_id, wanted in wants
            if event.type in wanted
        ]
        if rows:
            await run_many(_QUEUE, _QUEUE_PG, rows)
    return len(taken)


# --- claiming ------------------------------------------------------------------------------------------------


def _claimable(at: datetime):
    return (DeliveryTable.status == PENDING) | ((DeliveryTable.status == SENDING) & (DeliveryTable.claimed_until < at))


def _due(at: datetime):
    return ((DeliveryTable.status == PENDING) & (DeliveryTable.next_attempt_at <= at)) | (
        (DeliveryTable.status == SENDING) & (DeliveryTable.claimed_until < at)
    )


class _Queued(msgspec.Struct, array_like=True, frozen=True):
    id: UUID


# The statuses are literals, as in the partial index of unsent deliveries (webhook_delivery_unsent): with
# parameters neither database could use it, and both read the oldest directly from it.
_HEAD = (
    "SELECT id FROM webhook_delivery"  # noqa: S608 - constants only
    f" WHERE endpoint = ? AND status IN ('{PENDING}', '{SENDING}') ORDER BY queued_at, id LIMIT ?"
)
_HEAD_PG = numbered(_HEAD)


async def claim(endpoint_id: UUID, limit: int = CLAIM_BATCH) -> list[dict]:
    """The endpoint's oldest unsent deliveries, claimed for this worker, when the oldest is due; else none."""
    at = now()
    head = await run_statement(_HEAD, _HEAD_PG, [endpoint_id, limit], _Queued)
    if not head:
        return []
    ids = [row.id for row in head]
    async with write_transaction(DeliveryTable._meta.db):
        first_due = await DeliveryTable.exists().where(DeliveryTable.id == ids[0], _due(at))
        if not first_due:
            return []
        claimed = await (
            DeliveryTable.update({DeliveryTable.status: SENDING, DeliveryTable.claimed_until: at + LEASE})
            .where(DeliveryTable.id.is_in(ids), _claimable(at))
            .returning(DeliveryTable.id)
        )
    claimed_ids = {row["id"] for row in claimed}
    if ids[0] not in claimed_ids:  # another worker took the oldest in between: leave the rest to it
        await release(list(claimed_ids))
        return []
    rows = await DeliveryTable.select(
        DeliveryTable.id,
        DeliveryTable.event,
        DeliveryTable.event_type,
        DeliveryTable.attempts,
        DeliveryTable.queued_at,
        DeliveryTable.event.payload.as_alias("payload"),
        DeliveryTable.event.created_at.as_alias("event_at"),
    ).where(DeliveryTable.id.is_in(list(claimed_ids)))
    by_id = {row["id"]: row for row in rows}
    return [by_id[delivery_id] for delivery_id in ids if delivery_id in by_id]


async def release(ids: list[UUID]) -> None:
    """Claimed but not tried: due again at once, their attempts not counted."""
    if ids:
        await DeliveryTable.update({DeliveryTable.status: PENDING, DeliveryTable.claimed_until: None}).where(
            DeliveryTable.id.is_in(ids), DeliveryTable.status == SENDING
        )


# --- sending -------------------------------------------------------------------------------------------------


def body(event_type: str, event_at: datetime, payload: str) -> bytes:
    """The request body: the event's type, its time and the record's API JSON as `data`."""
    at = event_at.astimezone(UTC).isoformat().replace("+00:00", "Z")
    return msgspec.json.encode({"type": event_type, "timestamp": at, "data": msgspec.Raw(payload.encode())})


def signed_headers(secret: str, event_id: UUID, data: bytes) -> dict[str, str]:
    msg_id = events.message_id(event_id)
    at = datetime.now(UTC)  # the wall clock, which receivers compare with theirs
    return {
        "webhook-id": msg_id,
        "webhook-timestamp": str(int(at.timestamp())),
        "webhook-signature": Signer(secret).sign(msg_id, at, data),
        "content-type": "application/json",
        "user-agent": USER_AGENT,
    }


class Outcome(msgspec.Struct):
    ok: bool
    status: int | None
    latency_ms: int
    error: str | None


async def post(session: aiohttp.ClientSession, url: str, headers: dict, data: bytes) -> Outcome:
    """One attempt: a 2xx answer is delivered; anything else (a redirect included) is a failure."""
    started = time.perf_counter()
    status, error = None, None
    try:
        reason = outbound.check_url(url)
        if reason is not None:
            raise outbound.Refused(reason)
        async with session.post(url, data=data, headers=headers, allow_redirects=False) as response:
            status = response.status
            await response.read()
        if not 200 <= status < 300:
            error = f"answered {status}"
    except outbound.Refused as exc:
        error = f"refused: {exc}"
    except (aiohttp.ClientError, OSError, TimeoutError) as exc:
        cause = exc.__cause__ if isinstance(exc.__cause__, outbound.Refused) else exc
        error = f"refused: {cause}" if cause is not exc else f"unreachable: {type(exc).__name__}"
    latency = round((time.perf_counter() - started) * 1000)
    return Outcome(ok=error is None, status=status, latency_ms=latency, error=error)


_DELIVERED = (
    "UPDATE webhook_delivery SET status = ?, attempts = attempts + 1, claimed_until = NULL, last_status = ?,"
    " latency_ms = ?, last_error = NULL, delivered_at = ? WHERE id = ? AND status = ?"
)
_DELIVERED_PG = numbered(_DELIVERED)


async def _delivered(sent: list[tuple[dict, Outcome]]) -> None:
    """Deliveries sent in a batch, recorded together (row_by_row: on SQLite one wait for the write lock the
    check-ins hold and one batch in it, not one statement per delivery), with fixed SQL."""
    if not sent:
        return
    at = now()
    async with row_by_row(DeliveryTable._meta.db):
        rows = [[SENT, outcome.status, outcome.latency_ms, at, row["id"], SENDING] for row, outcome in sent]
        await run_many(_DELIVERED, _DELIVERED_PG, rows)


async def _failed(row: dict, outcome: Outcome) -> None:
    at = now()
    attempts = row["attempts"] + 1
    final = at - row["queued_at"] >= GIVE_UP_AFTER
    await DeliveryTable.update(
        {
            DeliveryTable.status: FAILED if final else PENDING,
            DeliveryTable.attempts: attempts,
            DeliveryTable.claimed_until: None,
            DeliveryTable.next_attempt_at: at + backoff(attempts),
            DeliveryTable.last_status: outcome.status,
            DeliveryTable.latency_ms: outcome.latency_ms,
            DeliveryTable.last_error: (outcome.error or "")[:ERROR_MAX],
        }
    ).where(DeliveryTable.id == row["id"], DeliveryTable.status == SENDING)


async def _endpoint_failed(endpoint: dict, error: str) -> None:
    at = now()
    since = endpoint["failing_since"]
    if since is None:
        await EndpointTable.update({EndpointTable.failing_since: at}).where(EndpointTable.id == endpoint["id"])
    elif at - since >= DISABLE_AFTER:
        reason = f"Failing since {since.astimezone(UTC):%Y-%m-%d %H:%M} UTC; the last attempt: {error}"
        await EndpointTable.update(
            {EndpointTable.enabled: False, EndpointTable.disabled_reason: reason[:ERROR_MAX]}
        ).where(EndpointTable.id == endpoint["id"])
        log.warning("webhook endpoint %s disabled: %s", endpoint["id"], reason)


async def send_endpoint(session: aiohttp.ClientSession, endpoint: dict) -> int:
    """Claim and send this endpoint's due deliveries in order; how many were delivered."""
    rows = await claim(endpoint["id"])
    sent: list[tuple[dict, Outcome]] = []
    for index, row in enumerate(rows):
        data = body(row["event_type"], row["event_at"], row["payload"])
        headers = signed_headers(endpoint["secret"], row["event"], data)
        outcome = await post(session, endpoint["url"], headers, data)
        if outcome.ok:
            sent.append((row, outcome))
            continue
        await _failed(row, outcome)
        await _endpoint_failed(endpoint, outcome.error or "")
        await release([later["id"] for later in rows[index + 1 :]])
        break
    await _delivered(sent)
    delivered = len(sent)
    if delivered and endpoint["failing_since"] is not None:
        await EndpointTable.update({EndpointTable.failing_since: None}).where(EndpointTable.id == endpoint["id"])
    return delivered


async def send_due(session: aiohttp.ClientSession) -> int:
    """One round: fan out, then send every endpoint's due deliveries; how many were delivered."""
    await fan_out()
    if not events.listened() or not await DeliveryTable.exists().where(_due(now())):
        return 0
    endpoints = await EndpointTable.select(
        EndpointTable.id, EndpointTable.url, EndpointTable.secret, EndpointTable.failing_since
    ).where(EndpointTable.enabled.eq(True))
    sent = await asyncio.gather(*(send_endpoint(session, endpoint) for endpoint in endpoints))
    return sum(sent)


async def prune(before: datetime | None = None) -> int:
    """Events (and their delivery log) older than KEEP_LOG, once nothing of theirs is still to send."""
    before = before or now() - KEEP_LOG
    unsent = DeliveryTable.select(DeliveryTable.event).where(DeliveryTable.status.is_in([PENDING, SENDING]))
    old = await EventTable.select(EventTable.id).where(
        EventTable.created_at < before, EventTable.fanned_out.eq(True), EventTable.id.not_in(unsent)
    )
    if old:
        await EventTable.delete().where(EventTable.id.is_in([row["id"] for row in old]))
    return len(old)


async def _wait_seconds(poll_seconds: float) -> float:
    """Until the next retry is due, at most `poll_seconds` (what is due already waits behind a retry)."""
    if not events.listened():
        return poll_seconds
    at = now()
    try:
        row = await (
            DeliveryTable.select(DeliveryTable.next_attempt_at)
            .where(
                DeliveryTable.status == PENDING,
                DeliveryTable.next_attempt_at > at,
                DeliveryTable.endpoint.enabled.eq(True),
            )
            .order_by(DeliveryTable.next_attempt_at)
            .first()
        )
    except Exception:  # the database is away: poll as usual
        return poll_seconds
    if row is None:
        return poll_seconds
    return min(max((row["next_attempt_at"] - at).total_seconds(), 0.01), poll_seconds)


def session() -> aiohttp.ClientSession:
    connector = aiohttp.TCPConnector(resolver=outbound.GuardedResolver(), limit_per_host=4)
    return aiohttp.ClientSession(connector=connector, timeout=aiohttp.ClientTimeout(total=TIMEOUT_SECONDS))


async def run(poll_seconds: float = POLL_SECONDS) -> None:
    """Send until cancelled: a round whenever woken (a change was recorded), or every `poll_seconds`."""
    global _wake
    _wake = asyncio.Event()
    events.configure_wake(wake)
    pruned_at = 0.0
    try:
        async with session() as client:
            while True:
                seen, started = events.recorded(), time.perf_counter()
                try:
                    busy = await send_due(client)
                    if time.monotonic() - pruned_at > 3600:
                        pruned_at = time.monotonic()
                        await prune()
                except Exception:  # the database may be away for a while: keep polling
                    log.exception("the webhook sender could not send")
                    busy = 0
                for watcher in _watchers:
                    watcher.set()
                if busy:
                    if events.recorded() != seen:  # requests are changing things: let them go first
                        spent = time.perf_counter() - started
                        await asyncio.sleep(min(spent * (1 - BUSY_SHARE) / BUSY_SHARE, BUSY_PAUSE_MAX))
                    continue
                wait = await _wait_seconds(poll_seconds)
                with contextlib.suppress(TimeoutError):
                    async with asyncio.timeout(wait):  # not wait_for: on 3.11 it can swallow the task's cancel
                        await _wake.wait()
                _wake.clear()
    finally:
        events.configure_wake(None)
        _wake = None
