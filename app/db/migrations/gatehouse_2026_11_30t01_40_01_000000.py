"""Residents' name keys filled with app.lib.text.name_key, in batches of BATCH residents (by id), one
transaction per batch; the resident service keeps them up to date from here on.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

ID = "2026-11-30T01:40:01:000000"
VERSION = "1.38.0"
DESCRIPTION = "Fill resident name keys"

BATCH = 1000


async def fill_resident_name_keys(batch: int = BATCH) -> int:
    from app.db.engine import write_transaction
    from app.db.tables import Resident
    from app.lib.text import name_key

    filled, after = 0, None
    while True:
        query = Resident.select(Resident.id, Resident.name, Resident.name_key)
        if after is not None:
            query = query.where(Resident.id > after)
        rows = await query.order_by(Resident.id).limit(batch)
        if not rows:
            return filled
        fixes = [(row["id"], key) for row in rows if (key := name_key(row["name"])) != row["name_key"]]
        if fixes:
            async with write_transaction(Resident._meta.db):
                for resident_id, key in fixes:
                    await Resident.update({Resident.name_key: key}).where(Resident.id == resident_id)
        filled += len(fixes)
        after = rows[-1]["id"]


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="gatehouse", description=DESCRIPTION)

    async def run():
        await fill_resident_name_keys()

    manager.add_raw(run)
    return manager
