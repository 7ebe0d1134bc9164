"""Visits record whether their departure was automatic (the end-of-day sweep) or a guard's check-out."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.column_types import Boolean
from piccolo.columns.indexes import IndexMethod

ID = "2026-11-28T15:00:48:856333"
VERSION = "1.38.0"
DESCRIPTION = "Automatic departures on visits"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="gatehouse", description=DESCRIPTION)

    manager.add_column(
        table_class_name="Visit",
        tablename="visit",
        column_name="departure_automatic",
        db_column_name="departure_automatic",
        column_class_name="Boolean",
        column_class=Boolean,
        params={
            "default": False,
            "null": False,
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
