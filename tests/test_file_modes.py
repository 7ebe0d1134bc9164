"""The SQLite database holds visitors' names and plates: its files are readable by their owner only."""

from __future__ import annotations

import sqlite3
import stat

from app.db import backup
from app.db.engine import engine_from_url


def _mode(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _make_database(path) -> None:
    engine_from_url(f"sqlite:///{path}")
    with sqlite3.connect(path) as connection:
        for table in backup.GATEHOUSE_TABLES | {"migration", "visit", "resident"}:
            connection.execute(f"CREATE TABLE IF NOT EXISTS {table} (id INTEGER, app_name TEXT)")
        connection.execute("INSERT INTO migration (app_name) VALUES ('gatehouse')")
    connection.close()


def test_a_new_database_and_its_wal_and_shm_are_private(tmp_path):
    path = tmp_path / "data" / "gatehouse.db"
    engine_from_url(f"sqlite:///{path}")
    assert _mode(path) == 0o600
    connection = sqlite3.connect(path)
    try:
        connection.execute("CREATE TABLE t (x)")
        connection.commit()
        for extra in ("-wal", "-shm"):
            sidecar = path.with_name(path.name + extra)
            assert sidecar.exists() and _mode(sidecar) == 0o600, extra
    finally:
        connection.close()


def test_backups_and_the_copy_kept_by_restore_are_private(tmp_path):
    live = tmp_path / "live.db"
    _make_database(live)
    copy = tmp_path / "copy.db"
    backup.backup(live, copy)
    assert _mode(copy) == 0o600
    kept = backup.restore(copy, live)
    assert kept is not None and _mode(kept) == 0o600
    fresh = tmp_path / "restored-here.db"
    backup.restore(copy, fresh)
    assert _mode(fresh) == 0o600
