"""Indexes that serve Gatehouse's real queries (Piccolo's column options only make single-column ones).

- all visits newest first, and the keyset cursor (arrival_date, id);
- one resident's visits newest first;
- visitors on site now (a partial index: it stays as small as the board);
- plate search on the normalised key.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

ID = "2026-11-28T12:29:59:778802"
VERSION = "1.38.0"
DESCRIPTION = "Composite and partial indexes for visit listings"

INDEXES = {
    "visit_arrival_id": "visit (arrival_date, id)",
    "visit_resident_arrival_id": "visit (resident, arrival_date, id)",
    "visit_on_site": "visit (arrival_date, id) WHERE departure_date IS NULL",
    "visit_plate_key_arrival": "visit (plate_key, arrival_date)",
}


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="gatehouse", description=DESCRIPTION)

    async def create_indexes():
        from app.db.tables import Visit

        for name, target in INDEXES.items():
            await Visit.raw(f"CREATE INDEX IF NOT EXISTS {name} ON {target}")

    async def drop_indexes():
        from app.db.tables import Visit

        for name in INDEXES:
            await Visit.raw(f"DROP INDEX IF EXISTS {name}")

    manager.add_raw(create_indexes)
    manager.add_raw_backwards(drop_indexes)
    return manager
