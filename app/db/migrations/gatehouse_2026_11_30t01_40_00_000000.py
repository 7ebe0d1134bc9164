"""Residents' name keys (the name without case, accents or punctuation), so "jose" finds José.

The next migration fills the column (Piccolo runs a migration's raw steps before its new columns).
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.column_types import Varchar
from piccolo.columns.indexes import IndexMethod

ID = "2026-11-30T01:40:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "Resident name keys for accent-insensitive search"

async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="gatehouse", description=DESCRIPTION)
    manager.add_column(
        table_class_name="Resident",
        tablename="resident",
        column_name="name_key",
        db_column_name="name_key",
        column_class_name="Varchar",
        column_class=Varchar,
        params={
            "length": 120,
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
