"""Licence plates rewritten in their one canonical form (app.lib.text.canonical_plate).

Plates were stored as typed, upper-cased: "BAN 0001" on one visit and "BAN-0001" on another, shown both
ways. New writes store the canonical form; this rewrites the plates of visits, announcements and
do-not-admit entries already stored, in batches of BATCH rows (by id), one transaction per batch, writing
only the plates that differ. The plate keys do not change (the canonical form has the same key).
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

ID = "2026-12-07T07:30:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "Licence plates in their canonical form"

BATCH = 1000


async def canonical_plates(table, batch: int = BATCH) -> int:
    """Rewrite `table`'s plates in the canonical form; returns how many were changed."""
    from app.db.engine import write_transaction
    from app.lib.text import canonical_plate

    changed, after = 0, None
    while True:
        query = table.select(table.id, table.license_plate).where(table.license_plate.is_not_null())
        if after is not None:
            query = query.where(table.id > after)
        rows = await query.order_by(table.id).limit(batch)
        if not rows:
            return changed
        fixes = [
            (row["id"], plate) for row in rows if (plate := canonical_plate(row["license_plate"])) != row["license_plate"]
        ]
        if fixes:
            async with write_transaction(table._meta.db):
                for row_id, plate in fixes:
                    await table.update({table.license_plate: plate}).where(table.id == row_id)
        changed += len(fixes)
        after = rows[-1]["id"]


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="gatehouse", description=DESCRIPTION)

    async def run():
        from app.db.tables import BannedVisitor, ExpectedVisit, Visit

        for table in (Visit, ExpectedVisit, BannedVisitor):
            await canonical_plates(table)

    manager.add_raw(run)
    return manager
