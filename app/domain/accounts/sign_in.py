"""Signing in with a password, with failed attempts counted per client address.

Counts live in AttemptCounters (files under DATA_DIR for one worker, Redis for many; see app/lib/shared_state.py),
so the rule is the same whichever door the attempt comes through.
"""

from __future__ import annotations

from typing import Protocol

import msgspec

from app.domain.accounts import service as accounts
from app.domain.records import audit
from app.lib import schemas as models
from app.lib.actors import Actor
from app.lib.errors import DomainError
from app.lib.i18n import N_, ngettext
from app.lib.text import clean_text, normal_email

MAX_FAILURES = 5
"""Per account and address: a guard who mistypes their password waits, other kiosks on the gate's network don't."""
MAX_ADDRESS_FAILURES = 20
"""Per address, across accounts: someone trying many accounts from one place."""
WINDOW_SECONDS = 15 * 60


class TooManyAttempts(DomainError):
    status_code = 429
    title = N_("Too many requests")


class AttemptCounters(Protocol):
    """Failed-attempt counters that expire (app/lib/shared_state.py: in files, or in Redis for many workers)."""

    async def count_unless_over(self, limits: dict[str, int], window_seconds: int) -> bool:
        """Count one more under every key, unless one is already at its limit: then count nothing and
        answer False. One step, so parallel attempts cannot all read the same count."""

    async def take_back(self, key: str) -> None:
        """Count one fewer under `key` (never below zero)."""

    async def clear(self, key: str) -> None: ...


def _keys(address: str | None, email: str) -> dict[str, int]:
    """Each counter's key and its limit; callers without a known address share one set of counters."""
    address = address or "unknown"
    return {
        f"failed-sign-in:{address}:{normal_email(email)}": MAX_FAILURES,
        f"failed-sign-in:{address}": MAX_ADDRESS_FAILURES,
    }


async def sign_in(counters: AttemptCounters, address: str | None, email: str, password: str) -> Actor:
    """The account for these credentials, refused for a while after too many misses (see the limits above).

    Every success and failure goes to the audit trail (the email typed, never the password)."""
    keys = _keys(address, email)
    # Counted before the password is checked, so parallel guesses cannot all slip through.
    if not await counters.count_unless_over(keys, WINDOW_SECONDS):
        minutes = WINDOW_SECONDS // 60
        raise TooManyAttempts(
            ngettext(
                "Too many failed sign-ins. Wait %(num)s minute and try again.",
                "Too many failed sign-ins. Wait %(num)s minutes and try again.",
                minutes,
            )
        )
    try:
        actor = msgspec.structs.replace(await accounts.actor_for_password(email, password), address=address)
    except accounts.SignInRefused as refused:
        claimed = Actor(account_id=None, email=clean_text(email)[: models.EMAIL_MAX], role="", address=address)
        await audit.record(claimed, "account.sign_in_failed", "account", refused.account_id, {"reason": refused.reason})
        raise
    await audit.record(actor, "account.signed_in", "account", actor.account_id)
    account_key, address_key = keys
    await counters.clear(account_key)
    await counters.take_back(address_key)  # a success is not a failure
    return actor
