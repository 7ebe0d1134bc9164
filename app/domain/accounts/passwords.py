"""Password hashing: PBKDF2-HMAC-SHA256 from the standard library, 600,000 iterations, off the event loop.

A hash is stored as `pbkdf2_sha256$<iterations>$<salt>$<hex digest>`, the format Piccolo's BaseUser wrote
before, so hashes stored by earlier versions keep verifying. Each hash carries its own iteration count:
changing the count for new hashes never breaks the old ones. Hashing costs ~0.2 s of CPU, so it runs in a
thread and sign-ins do not stall every other request.

The count for new hashes is a parameter: `set_iterations` lowers it where the cost is unwanted (the tests
create many accounts); production keeps DEFAULT_ITERATIONS.
"""

from __future__ import annotations

import asyncio
import hashlib
import secrets

ALGORITHM = "pbkdf2_sha256"
DEFAULT_ITERATIONS = 600_000
"""OWASP's figure for PBKDF2-HMAC-SHA256 (2023)."""

_iterations = DEFAULT_ITERATIONS


def set_iterations(iterations: int) -> None:
    """The iteration count of hashes made from now on; hashes already stored keep theirs."""
    global _iterations
    if iterations < 1:
        raise ValueError("iterations must be at least 1")
    _iterations = iterations


def iterations() -> int:
    return _iterations


def _digest(password: str, salt: str, iterations: int) -> str:
    return hashlib.pbkdf2_hmac("sha256", password.encode(), salt.encode(), iterations).hex()


def _hash(password: str, salt: str, iterations: int) -> str:
    return f"{ALGORITHM}${iterations}${salt}${_digest(password, salt, iterations)}"


async def hash_password(password: str) -> str:
    """A new hash of `password`, with a fresh random salt and the current iteration count."""
    return await asyncio.to_thread(_hash, password, secrets.token_hex(16), _iterations)


def placeholder() -> str:
    """A well-formed hash no password matches, that costs as much to check as a real one: checked against
    when the email is unknown, so both answers take the same time."""
    return f"{ALGORITHM}${_iterations}${'0' * 32}${'0' * 64}"


async def verify(password: str, stored: str) -> bool:
    """Whether `password` is the one `stored` was made from; False for anything not a hash of ours."""
    algorithm, _, rest = stored.partition("$")
    count, _, rest = rest.partition("$")
    salt, _, digest = rest.partition("$")
    if algorithm != ALGORITHM or not (count.isascii() and count.isdigit()) or not salt or not digest or int(count) < 1:
        return False
    candidate = await asyncio.to_thread(_digest, password, salt, int(count))
    return secrets.compare_digest(candidate, digest)
