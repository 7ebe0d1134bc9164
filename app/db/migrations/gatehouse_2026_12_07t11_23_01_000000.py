"""The default gate, and the visits already stored recorded at it.

Before gates, every visit came in and left by the one gate there was: the default gate (created here, named
in the site's language, unless a gate exists) becomes their arrival gate, and the departure gate of those
that have left. One statement each; the visits' columns were added by the previous migration.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

ID = "2026-12-07T11:23:01:000000"
VERSION = "1.38.0"
DESCRIPTION = "The default gate, recorded on the visits already stored"


async def record_default_gate() -> None:
    from app.db.engine import write_transaction
    from app.db.tables import Visit
    from app.domain.gates.service import ensure_default_gate

    gate_id = await ensure_default_gate()
    async with write_transaction(Visit._meta.db):
        await Visit.update({Visit.arrival_gate_id: gate_id}).where(Visit.arrival_gate_id.is_null())
        await Visit.update({Visit.departure_gate_id: gate_id}).where(
            Visit.departure_gate_id.is_null(), Visit.departure_date.is_not_null(), Visit.departure_automatic.eq(False)
        )


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="gatehouse", description=DESCRIPTION)
    manager.add_raw(record_default_gate)
    return manager
