"""Indexes for the Reports (issue 19): every report's query reads an index alone, never the visits' rows.

- visits by arrival with the departure, the sweep's flag and the subject: visits per day and hour, stays,
  automatic check-outs and subjects over a period are each one range scan of this index;
- the audit trail by action and time: the do-not-admit overrides of a period.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

ID = "2026-12-07T11:24:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "Covering indexes for the Reports"

INDEXES = {
    "visit_reports": "visit (arrival_date, departure_date, departure_automatic, subject)",
    "audit_event_action_at": "audit_event (action, at)",
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
