"""Indexes for the audit trail: one record's history in order, and browsing by time."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

ID = "2026-11-28T13:25:03:790272"
VERSION = "1.38.0"
DESCRIPTION = "Indexes for the audit trail"

INDEXES = {
    "audit_event_record": "audit_event (record_type, record_id, at)",
    "audit_event_at": "audit_event (at)",
}


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="gatehouse", description=DESCRIPTION)

    async def create_indexes():
        from app.db.tables import AuditEvent

        for name, target in INDEXES.items():
            await AuditEvent.raw(f"CREATE INDEX IF NOT EXISTS {name} ON {target}")

    async def drop_indexes():
        from app.db.tables import AuditEvent

        for name in INDEXES:
            await AuditEvent.raw(f"DROP INDEX IF EXISTS {name}")

    manager.add_raw(create_indexes)
    manager.add_raw_backwards(drop_indexes)
    return manager
