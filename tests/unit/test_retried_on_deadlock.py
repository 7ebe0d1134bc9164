"""PostgreSQL ends one side of a deadlock; the change it ended is made again, a few times at most."""

from __future__ import annotations

import pytest
from asyncpg.exceptions import DeadlockDetectedError

from app.db.engine import retried_on_deadlock


async def test_a_change_ended_by_a_deadlock_is_made_again():
    tries = []

    async def work():
        tries.append(1)
        if len(tries) < 3:
            raise DeadlockDetectedError("deadlock detected")
        return "done"

    assert await retried_on_deadlock(work) == "done"
    assert len(tries) == 3


async def test_a_change_that_keeps_deadlocking_fails_after_its_attempts_and_other_errors_at_once():
    tries = []

    async def deadlocks():
        tries.append(1)
        raise DeadlockDetectedError("deadlock detected")

    with pytest.raises(DeadlockDetectedError):
        await retried_on_deadlock(deadlocks, attempts=2)
    assert len(tries) == 2

    async def fails():
        tries.append(1)
        raise ValueError("not a deadlock")

    with pytest.raises(ValueError, match="not a deadlock"):
        await retried_on_deadlock(fails)
    assert len(tries) == 3
