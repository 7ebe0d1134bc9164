"""A pass for every announcement stored before passes: a code unique among them, a fresh token."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

ID = "2026-12-07T11:21:30:000000"
VERSION = "1.38.0"
DESCRIPTION = "Passes for the announcements already stored"


async def give_passes() -> None:
    from app.db.engine import write_transaction
    from app.db.tables import ExpectedVisit
    from app.domain.passes import rules

    rows = await ExpectedVisit.select(ExpectedVisit.id).where(ExpectedVisit.pass_token.is_null())
    taken = {row["pass_code"] for row in await ExpectedVisit.select(ExpectedVisit.pass_code)}
    async with write_transaction(ExpectedVisit._meta.db):
        for row in rows:
            code = rules.new_code()
            while code in taken:
                code = rules.new_code()
            taken.add(code)
            values = {ExpectedVisit.pass_code: code, ExpectedVisit.pass_token: rules.new_token()}
            await ExpectedVisit.update(values).where(ExpectedVisit.id == row["id"])


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="gatehouse", description=DESCRIPTION)
    manager.add_raw(give_passes)
    return manager
