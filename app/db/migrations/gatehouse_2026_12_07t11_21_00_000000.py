"""Passes on announcements: a 6-digit code, the public page's token, uses, a cap on them, revocation.
The announcements already stored get their passes in the next migration (Piccolo runs a migration's own
Python before its new columns exist)."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.column_types import Integer, Timestamptz, Varchar
from piccolo.columns.indexes import IndexMethod

ID = "2026-12-07T11:21:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "Passes on announcements"


def _params(**params) -> dict:
    return {
        "primary_key": False,
        "unique": False,
        "index": False,
        "index_method": IndexMethod.btree,
        "choices": None,
        "db_column_name": None,
        "secret": False,
    } | params


COLUMNS = (
    ("pass_code", Varchar, _params(length=6, default="", null=False, index=True)),
    ("pass_token", Varchar, _params(length=64, default=None, null=True, index=True)),
    ("pass_uses", Integer, _params(default=0, null=False)),
    ("pass_max_uses", Integer, _params(default=None, null=True)),
    ("pass_revoked_at", Timestamptz, _params(default=None, null=True)),
)


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="gatehouse", description=DESCRIPTION)
    for name, column_class, params in COLUMNS:
        manager.add_column(
            table_class_name="ExpectedVisit",
            tablename="expected_visit",
            column_name=name,
            db_column_name=name,
            column_class_name=column_class.__name__,
            column_class=column_class,
            params=params,
            schema=None,
        )
    return manager
