"""Run a job once a day at a local time (the end-of-day sweep at SWEEP_AT).

The clock and the sleep are arguments, so tests drive the loop with a fake clock and never wait.
Every worker runs its own loop; the job must be safe to run twice at once (the sweep is: its
conditional update changes each visit once, and only the worker that changed a visit records it).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, time, timedelta, tzinfo
from typing import Any

from app.lib.clock import utc_now

MAX_NAP = timedelta(hours=1)
"""Sleep at most this long before looking at the clock again (wall-clock changes, a suspended host)."""

log = logging.getLogger("gatehouse.schedule")


def next_run(after: datetime, at: time, tz: tzinfo) -> datetime:
    """The first `at` in zone `tz` strictly after `after`, as a UTC instant.

    On a daylight-saving change a time that does not exist that day (02:30 when clocks jump from
    02:00 to 03:00) runs an hour later, and a time that happens twice runs at its first occurrence:
    either way, once that day.
    """
    local_day = after.astimezone(tz).date()
    today = datetime.combine(local_day, at, tzinfo=tz).astimezone(UTC)
    if today > after:
        return today
    return datetime.combine(local_day + timedelta(days=1), at, tzinfo=tz).astimezone(UTC)


async def run_daily(
    at: time,
    job: Callable[[], Awaitable[Any]],
    tz: tzinfo,
    now: Callable[[], datetime] = utc_now,
    sleep: Callable[[float], Awaitable[Any]] = asyncio.sleep,
) -> None:
    """Forever: wait until the next `at`, run `job`, repeat. A failing job is logged and retried the next day."""
    due = next_run(now(), at, tz)
    while True:
        while (left := due - now()) > timedelta(0):
            await sleep(min(left, MAX_NAP).total_seconds())
        try:
            await job()
        except Exception:
            log.exception("The daily job at %s failed; it runs again tomorrow", at.isoformat("minutes"))
        due = next_run(max(now(), due), at, tz)
