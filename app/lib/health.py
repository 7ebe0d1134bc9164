"""Is the database answering?"""

from __future__ import annotations

import logging

from app.db.tables import Visit

log = logging.getLogger("gatehouse.health")


async def database_ready() -> bool:
    try:
        await Visit.raw("SELECT 1")
    except Exception as exc:  # any failure to answer means "not ready"
        log.warning("Database not ready: %s", exc)
        return False
    return True
