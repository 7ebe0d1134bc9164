"""An index for the shift's handover: the requests households refused in the last hours.

The handover reads `status = 'refused' AND answered_at >= since`; without this index that is a scan of every
request ever asked, which grows with the history while the answer stays a handful.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

ID = "2026-12-07T14:50:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "Index of answered requests by status, for the handover"

INDEXES = {"entry_request_status_answered": "entry_request (status, answered_at)"}


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="gatehouse", description=DESCRIPTION)

    async def create_indexes():
        from app.db.tables import EntryRequest

        for name, target in INDEXES.items():
            await EntryRequest.raw(f"CREATE INDEX IF NOT EXISTS {name} ON {target}")

    async def drop_indexes():
        from app.db.tables import EntryRequest

        for name in INDEXES:
            await EntryRequest.raw(f"DROP INDEX IF EXISTS {name}")

    manager.add_raw(create_indexes)
    manager.add_raw_backwards(drop_indexes)
    return manager
