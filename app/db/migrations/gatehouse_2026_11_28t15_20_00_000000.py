"""Returning-visitor suggestions: fill the name key of earlier visits and index it with the arrival.

Earlier visits get the lower-cased name (the database cannot strip accents); new ones get the full key.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

ID = "2026-11-28T15:20:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "Index visits by visitor name key"

INDEXES = {"visit_name_key_arrival": "visit (name_key, arrival_date)"}


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="gatehouse", description=DESCRIPTION)

    async def fill_and_index():
        from app.db.tables import Visit

        await Visit.raw("UPDATE visit SET name_key = lower(visitor_name) WHERE name_key IS NULL")
        for name, target in INDEXES.items():
            await Visit.raw(f"CREATE INDEX IF NOT EXISTS {name} ON {target}")

    async def drop_indexes():
        from app.db.tables import Visit

        for name in INDEXES:
            await Visit.raw(f"DROP INDEX IF EXISTS {name}")

    manager.add_raw(fill_and_index)
    manager.add_raw_backwards(drop_indexes)
    return manager
