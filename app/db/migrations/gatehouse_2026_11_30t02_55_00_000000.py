"""Check-in keys: the idempotency key a check-in form (or an API client) sent, and the visit it made,
so a check-in sent again after a lost answer returns that visit instead of recording a second one.

A plain table written with raw SQL (app/domain/visits/service.py): the key is the primary key, so two
workers racing on one key meet in the database, on PostgreSQL and on SQLite alike.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

ID = "2026-11-30T02:55:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "Check-in idempotency keys"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="gatehouse", description=DESCRIPTION)

    async def create():
        from app.db.tables import Visit

        await Visit.raw(
            "CREATE TABLE IF NOT EXISTS check_in_key ("
            "key VARCHAR(64) PRIMARY KEY, visit_id VARCHAR(36) NOT NULL, created_at VARCHAR(40) NOT NULL)"
        )

    async def drop():
        from app.db.tables import Visit

        await Visit.raw("DROP TABLE IF EXISTS check_in_key")

    manager.add_raw(create)
    manager.add_raw_backwards(drop)
    return manager
