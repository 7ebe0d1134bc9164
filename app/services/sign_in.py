"""Signing in with a password, with failed attempts counted per client address.

Counts live in a key-value store (Litestar's Store protocol: memory for one worker, Redis for many),
so the rule is the same whichever door the attempt comes through.
"""

from __future__ import annotations

import asyncio
from typing import Protocol

import msgspec

from app.services import accounts, audit, models
from app.services.actors import Actor
from app.services.errors import DomainError
from app.services.text import clean_text

MAX_FAILURES = 5
"""Per account and address: a guard who mistypes their password waits, other kiosks on the gate's network don't."""
MAX_ADDRESS_FAILURES = 20
"""Per address, across accounts: someone trying many accounts from one place."""
WINDOW_SECONDS = 15 * 60


class TooManyAttempts(DomainError):
    status_code = 429
    title = "Too many requests"


class CounterStore(Protocol):
    async def get(self, key: str, renew_for: int | None = None) -> bytes | None: ...
    async def set(self, key: str, value: str | bytes, expires_in: int | None = None) -> None: ...
    async def delete(self, key: str) -> None: ...


def _keys(address: str, email: str) -> dict[str, int]:
    """Each counter's key and its limit."""
    return {
        f"failed-sign-in:{address}:{email.strip().lower()}": MAX_FAILURES,
        f"failed-sign-in:{address}": MAX_ADDRESS_FAILURES,
    }


async def _count(store: CounterStore, key: str) -> int:
    return int(await store.get(key) or 0)


_counting = asyncio.Lock()


async def _count_attempt(store: CounterStore, keys: dict[str, int]) -> None:
    """Count the attempt before the password is checked, so parallel guesses cannot all slip through."""
    async with _counting:
        counts = {key: await _count(store, key) for key in keys}
        if any(counts[key] >= limit for key, limit in keys.items()):
            raise TooManyAttempts("Too many failed sign-ins. Wait 15 minutes and try again.")
        for key, count in counts.items():
            await store.set(key, str(count + 1), expires_in=WINDOW_SECONDS)


async def sign_in(store: CounterStore, address: str, email: str, password: str) -> Actor:
    """The account for these credentials, refused for a while after too many misses (see the limits above).

    Every success and failure goes to the audit trail (the email typed, never the password)."""
    keys = _keys(address, email)
    await _count_attempt(store, keys)
    try:
        actor = msgspec.structs.replace(await accounts.actor_for_password(email, password), address=address)
    except accounts.SignInRefused as refused:
        claimed = Actor(account_id=None, email=clean_text(email)[: models.EMAIL_MAX], role="", address=address)
        await audit.record(claimed, "account.sign_in_failed", "account", refused.account_id, {"reason": refused.reason})
        raise
    await audit.record(actor, "account.signed_in", "account", actor.account_id)
    account_key, address_key = keys
    await store.delete(account_key)
    async with _counting:  # a success is not a failure: take back what was counted for the address
        await store.set(address_key, str(max(await _count(store, address_key) - 1, 0)), expires_in=WINDOW_SECONDS)
    return actor
