"""The reminder round: a background task of every worker reminds households of parcels waiting too long."""

from __future__ import annotations

import asyncio
import logging

from app.domain.parcels import service as parcels

EVERY_SECONDS = 15 * 60
"""A parcel becomes due within a quarter of an hour of PARCEL_REMINDER_DAYS; each is claimed once."""

log = logging.getLogger("gatehouse.parcels")


async def run(every: float = EVERY_SECONDS) -> None:
    """Remind until cancelled; a database that is away is tried again at the next round."""
    while True:
        try:
            await parcels.send_reminders()
        except Exception:
            log.exception("could not send parcel reminders")
        await asyncio.sleep(every)
