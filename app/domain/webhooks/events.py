"""What a feature calls, inside its write transaction, to let other systems hear of a change.

`record(event_type, data)` writes one row with the API's JSON of the record while an endpoint is enabled
(one fixed INSERT, which writes nothing when none is). The sender (sender.py) fans each event out to the
endpoints that want it after the commit, so a crash right after the commit loses nothing.
"""

from __future__ import annotations

import asyncio
import contextlib
from datetime import UTC, datetime
from typing import Any
from uuid import UUID, uuid4

import msgspec

from app.db import writes

_encode = msgspec.json.Encoder().encode
_WAKE_DELAY = 0.05
"""The sender looks a moment after a change (after its commit, as a rule) rather than at its next poll."""

_wake: Any = None
_recorded = 0
_listened = True
"""Whether an endpoint was enabled when the sender last looked: if not, a change does not wake it (its
poll, and a change of endpoints in this process, do). Another worker's new endpoint is seen at the poll."""


def recorded() -> int:
    """How many events this process has recorded: the sender yields to the requests while it grows."""
    return _recorded


def configure_wake(wake) -> None:
    """The sender's wake(), set while it runs; without a sender (the command line) events wait in the table."""
    global _wake
    _wake = wake


def set_listened(listened: bool) -> None:
    global _listened
    _listened = listened


def listened() -> bool:
    return _listened


def message_id(event_id: UUID) -> str:
    """The stable `webhook-id` of an event: the same on every attempt, so receivers can drop duplicates."""
    return f"msg_{event_id.hex}"


def row(event_type: str, data: Any) -> list:
    """The webhook_event row's values for a caller that writes it with its own statement (the check-in's
    app/db/writes.insert_visit): id, type, payload, created_at, fanned_out. The sender is told to look."""
    global _recorded
    _recorded += 1
    if _wake is not None and _listened:
        with contextlib.suppress(RuntimeError):
            asyncio.get_running_loop().call_later(_WAKE_DELAY, _wake)
    return [uuid4(), event_type, _encode(data).decode(), datetime.now(UTC), False]


async def record(event_type: str, data: Any) -> UUID:
    """Inside the caller's write_transaction: the event `event_type` with `data` (a Struct the API returns,
    or builtins) as its body's `data`."""
    args = row(event_type, data)
    await writes.insert_webhook_event(args)
    return args[0]
