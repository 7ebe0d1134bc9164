"""The Reports' roll-up of closed days (app/domain/reports/rollup.py), and the triggers that keep it honest.

Plain tables, like check_in_key:
- `report_day`: the tally of a closed local day ('2026-03-27') or of a whole closed month ('2026-03') as
  JSON, kept once counted;
- `report_horizon`: one row, the site's zone the days were counted in and the UTC second before which days
  may be kept (today's local midnight when a report was last read);
- `report_stale`: UTC hours (seconds since 1970 / 3600) of the arrivals of visits inserted, changed or deleted
  before that horizon; reading a report forgets the days of these hours and counts them again.

The triggers are on `visit` itself, so every way of writing a visit, today's and tomorrow's, is covered. Their
condition reads the horizon first: a check-in of today arrives after it and writes nothing more. Only the
columns the Reports count fire the update trigger (not a name erased, say). On SQLite an INSERT trigger, whatever
its condition, makes each insert keep a statement journal: about 36 us of CPU a check-in while the connection's
temp_store is a file, nothing measurable with temp_store=MEMORY (bench/results/reports-rollup-2026-12-07.md).
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

ID = "2026-12-07T14:30:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "The Reports' roll-up of closed days"

TABLES = (
    "CREATE TABLE IF NOT EXISTS report_day (day VARCHAR(10) PRIMARY KEY, summary TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS report_stale (hour BIGINT PRIMARY KEY)",
    "CREATE TABLE IF NOT EXISTS report_horizon ("
    "id INTEGER PRIMARY KEY CHECK (id = 1), zone VARCHAR(64) NOT NULL, closed_before BIGINT NOT NULL)",
)
COUNTED = "arrival_date, departure_date, departure_automatic, subject"


def _sqlite_mark(row: str) -> str:
    hour = f"unixepoch({row}.arrival_date) / 3600"
    return (
        f"INSERT INTO report_stale (hour) SELECT {hour}"
        f" WHERE NOT EXISTS (SELECT 1 FROM report_stale WHERE hour = {hour});"
    )


def _sqlite_before(row: str) -> str:
    return f"unixepoch({row}.arrival_date) < (SELECT closed_before FROM report_horizon)"


SQLITE_TRIGGERS = (
    f"CREATE TRIGGER IF NOT EXISTS visit_report_inserted AFTER INSERT ON visit WHEN {_sqlite_before('NEW')}"
    f" BEGIN {_sqlite_mark('NEW')} END",
    f"CREATE TRIGGER IF NOT EXISTS visit_report_updated AFTER UPDATE OF {COUNTED} ON visit"
    f" WHEN {_sqlite_before('OLD')} OR {_sqlite_before('NEW')} BEGIN {_sqlite_mark('OLD')} {_sqlite_mark('NEW')} END",
    f"CREATE TRIGGER IF NOT EXISTS visit_report_deleted AFTER DELETE ON visit WHEN {_sqlite_before('OLD')}"
    f" BEGIN {_sqlite_mark('OLD')} END",
)


def _postgres_mark(row: str) -> str:
    return (
        f"IF extract(epoch FROM {row}.arrival_date) < closed THEN INSERT INTO report_stale (hour)"
        f" VALUES (floor(extract(epoch FROM {row}.arrival_date) / 3600)::bigint) ON CONFLICT DO NOTHING; END IF;"
    )


POSTGRES_TRIGGERS = (
    "CREATE OR REPLACE FUNCTION visit_report_stale() RETURNS trigger LANGUAGE plpgsql AS $$"
    " DECLARE closed bigint;"
    " BEGIN"
    " SELECT closed_before INTO closed FROM report_horizon;"
    " IF closed IS NULL THEN RETURN NULL; END IF;"
    f" IF TG_OP <> 'INSERT' THEN {_postgres_mark('OLD')} END IF;"
    f" IF TG_OP <> 'DELETE' THEN {_postgres_mark('NEW')} END IF;"
    " RETURN NULL;"
    " END $$",
    "DROP TRIGGER IF EXISTS visit_report_stale ON visit",
    f"CREATE TRIGGER visit_report_stale AFTER INSERT OR DELETE OR UPDATE OF {COUNTED} ON visit"
    " FOR EACH ROW EXECUTE FUNCTION visit_report_stale()",
)


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="gatehouse", description=DESCRIPTION)

    async def create():
        from piccolo.engine.postgres import PostgresEngine

        from app.db.tables import Visit

        postgres = isinstance(Visit._meta.db, PostgresEngine)
        for statement in TABLES + (POSTGRES_TRIGGERS if postgres else SQLITE_TRIGGERS):
            await Visit.raw(statement)

    async def drop():
        from piccolo.engine.postgres import PostgresEngine

        from app.db.tables import Visit

        if isinstance(Visit._meta.db, PostgresEngine):
            await Visit.raw("DROP TRIGGER IF EXISTS visit_report_stale ON visit")
            await Visit.raw("DROP FUNCTION IF EXISTS visit_report_stale()")
        else:
            for name in ("inserted", "updated", "deleted"):
                await Visit.raw(f"DROP TRIGGER IF EXISTS visit_report_{name}")
        for table in ("report_day", "report_stale", "report_horizon"):
            await Visit.raw(f"DROP TABLE IF EXISTS {table}")

    manager.add_raw(create)
    manager.add_raw_backwards(drop)
    return manager
