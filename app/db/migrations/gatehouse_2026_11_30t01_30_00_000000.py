"""Each account's language (en, pt_BR, es); empty means the browser's or the site's."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.column_types import Varchar
from piccolo.columns.indexes import IndexMethod

ID = "2026-11-30T01:30:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "Account language"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="gatehouse", description=DESCRIPTION)
    manager.add_column(
        table_class_name="Account",
        tablename="account",
        column_name="language",
        db_column_name="language",
        column_class_name="Varchar",
        column_class=Varchar,
        params={
            "length": 8,
            "default": None,
            "null": True,
            "primary_key": False,
            "unique": False,
            "index": False,
            "index_method": IndexMethod.btree,
            "choices": None,
            "db_column_name": None,
            "secret": False,
        },
        schema=None,
    )
    return manager
