"""Signing in with a password, with failed attempts counted per client address.

Counts live in a key-value store (Litestar's Store protocol: memory for one worker, Redis for many),
so the rule is the same whichever door the attempt comes through.
"""

from __future__ import annotations

import asyncio
from typing import Protocol

from app.services import accounts
from app.services.actors import Actor
from app.services.errors import DomainError

MAX_FAILURES = 5
WINDOW_SECONDS = 15 * 60


class TooManyAttempts(DomainError):
    status_code = 429
    title = "Too many requests"


class CounterStore(Protocol):
    async def get(self, key: str, renew_for: int | None = None) -> bytes | None: ...
    async def set(self, key: str, value: str | bytes, expires_in: int | None = None) -> None: ...
    async def delete(self, key: str) -> None: ...


def _key(address: str) -> str:
    return f"failed-sign-in:{address}"


async def failures(store: CounterStore, address: str) -> int:
    raw = await store.get(_key(address))
    return int(raw or 0)


_counting = asyncio.Lock()


async def _count_attempt(store: CounterStore, address: str) -> None:
    """Count the attempt before the password is checked, so parallel guesses cannot all slip through."""
    async with _counting:
        attempts = await failures(store, address)
        if attempts >= MAX_FAILURES:
            raise TooManyAttempts("Too many failed sign-ins from this device. Wait 15 minutes and try again.")
        await store.set(_key(address), str(attempts + 1), expires_in=WINDOW_SECONDS)


async def sign_in(store: CounterStore, address: str, email: str, password: str) -> Actor:
    """The account for these credentials; after MAX_FAILURES misses in WINDOW_SECONDS the address waits."""
    await _count_attempt(store, address)
    actor = await accounts.actor_for_password(email, password)
    await store.delete(_key(address))
    return actor
