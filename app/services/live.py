"""Tell every open kiosk that the visits changed, so their boards catch up.

The visit services call visit_changed after each committed write, so the API and the kiosk
announce their changes the same way. The app plugs in the transport (Litestar channels, in
memory or Redis) at start-up; without one (the command line, unit tests) publishing does nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from uuid import UUID

CHANNEL = "visits"
CHANGES = ("checked-in", "checked-out", "updated", "deleted")

Publisher = Callable[[dict, str], None]
_publisher: Publisher | None = None


def configure(publisher: Publisher | None) -> None:
    global _publisher
    _publisher = publisher


def visit_changed(change: str, visit_id: UUID) -> None:
    """Announce one change; `change` is one of CHANGES. Never raises: a lost event only delays a board."""
    if change not in CHANGES:
        raise ValueError(f"unknown change {change!r}")
    if _publisher is None:
        return
    try:
        _publisher({"change": change, "visitId": str(visit_id)}, CHANNEL)
    except Exception:  # boards also refresh on reconnect and every minute
        logging.getLogger("gatehouse.live").exception("Could not publish a visit change")
