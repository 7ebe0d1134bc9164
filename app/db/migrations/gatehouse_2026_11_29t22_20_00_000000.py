"""Visits' name keys recomputed with the key function the code uses (app.lib.text.name_key).

The backfill of 2026-11-28T15:20 stored lower(visitor_name), which keeps accents and punctuation: an
earlier "José O'Brien" had the key "josé o'brien" where new visits have "jose o brien", so the name
index could not find them and erasure by name scanned every visit in Python. Keys are recomputed in
batches of BATCH visits (by id), one transaction per batch, and only those that differ are written.
Anonymised visits (no key) stay without one.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

ID = "2026-11-29T22:20:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "Recompute visits' name keys with the Python key function"

BATCH = 1000


async def recompute_name_keys(batch: int = BATCH) -> int:
    """Fix every visit's name key; returns how many were changed."""
    from app.db.engine import write_transaction
    from app.db.tables import Visit
    from app.lib.text import name_key

    changed, after = 0, None
    while True:
        query = Visit.select(Visit.id, Visit.visitor_name, Visit.name_key).where(Visit.name_key.is_not_null())
        if after is not None:
            query = query.where(Visit.id > after)
        rows = await query.order_by(Visit.id).limit(batch)
        if not rows:
            return changed
        fixes = [(row["id"], key) for row in rows if (key := name_key(row["visitor_name"])) != row["name_key"]]
        if fixes:
            async with write_transaction(Visit._meta.db):
                for visit_id, key in fixes:
                    await Visit.update({Visit.name_key: key}).where(Visit.id == visit_id)
        changed += len(fixes)
        after = rows[-1]["id"]


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="gatehouse", description=DESCRIPTION)

    async def run():
        await recompute_name_keys()

    manager.add_raw(run)
    return manager
