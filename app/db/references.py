"""Is this exception a foreign key refusing a change (a row others still refer to), not an outage or a crash?

The services check what refers to a record before deleting it and say so (residents.references_to); this is
the net under every such rule, on both engines: a refusal the rules missed is a 409, never a 500, and the
transaction it ended wrote nothing.
"""

from __future__ import annotations

import sqlite3

import asyncpg

from app.lib.i18n import N_

IN_USE = N_("Other records still refer to this one, so it cannot be removed; nothing was changed.")
"""Translate it where it is shown: `_(IN_USE)`."""


def is_reference_violation(exc: BaseException) -> bool:
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        if isinstance(current, asyncpg.ForeignKeyViolationError):
            return True
        if isinstance(current, sqlite3.IntegrityError) and "foreign key" in str(current).lower():
            return True
        seen.add(id(current))
        current = current.__cause__ or current.__context__
    return False
