"""Online backups of a SQLite database, and putting one back, with SQLite's own backup API.

The backup API copies the pages inside one read transaction: in WAL mode check-ins go on while it
runs, and the copy is the database as it was at one instant. (A PostgreSQL database is backed up
with pg_dump; see the README.)
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from app.db.engine import SQLITE_BUSY_TIMEOUT_SECONDS, create_private, prepare_sqlite_file
from app.lib.i18n import _, ngettext

GATEHOUSE_TABLES = {"resident", "account", "api_token", "visit", "audit_event", "migration"}


class BackupError(Exception):
    """The backup or restore cannot be done; the message (in the site's language) says why, and nothing was changed."""


@dataclass(frozen=True)
class DatabaseSummary:
    path: Path
    size_bytes: int
    visits: int
    residents: int
    integrity: str

    def describe(self) -> str:
        return _(
            "%(path)s (%(visits)s, %(residents)s, %(kib)s KiB)",
            path=self.path,
            visits=ngettext("%(num)s visit", "%(num)s visits", self.visits),
            residents=ngettext("%(num)s resident", "%(num)s residents", self.residents),
            kib=f"{self.size_bytes / 1024:.0f}",
        )


def _connect(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(path, timeout=SQLITE_BUSY_TIMEOUT_SECONDS)


def inspect(path: Path) -> DatabaseSummary:
    """Check that `path` is a sound Gatehouse database; BackupError says what is wrong otherwise."""
    if not path.is_file():
        raise BackupError(_("%(path)s is not a file", path=path))
    try:
        connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            integrity = connection.execute("PRAGMA integrity_check").fetchone()[0]
            tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            missing = GATEHOUSE_TABLES - tables
            if missing:
                raise BackupError(
                    _(
                        "%(path)s is not a Gatehouse database (no %(tables)s table)",
                        path=path,
                        tables=", ".join(sorted(missing)),
                    )
                )
            if not connection.execute("SELECT count(*) FROM migration WHERE app_name = 'gatehouse'").fetchone()[0]:
                raise BackupError(
                    _("%(path)s is not a Gatehouse database (no Gatehouse migrations ran in it)", path=path)
                )
            if integrity != "ok":
                raise BackupError(
                    _("%(path)s is damaged: integrity_check says %(result)s", path=path, result=integrity)
                )
            visits = connection.execute("SELECT count(*) FROM visit").fetchone()[0]
            residents = connection.execute("SELECT count(*) FROM resident").fetchone()[0]
        finally:
            connection.close()
    except sqlite3.DatabaseError as exc:
        raise BackupError(_("%(path)s is not a SQLite database (%(reason)s)", path=path, reason=exc)) from None
    return DatabaseSummary(path, path.stat().st_size, visits, residents, integrity)


def backup(source: Path, target: Path) -> DatabaseSummary:
    """Copy the live database at `source` to the new file `target`, then verify the copy."""
    if not source.is_file():
        raise BackupError(_("There is no database at %(path)s", path=source))
    if target.exists():
        raise BackupError(_("%(path)s already exists; choose a new file name", path=target))
    if not target.parent.is_dir():
        raise BackupError(_("The folder %(path)s does not exist", path=target.parent))
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    create_private(partial)
    live, copy = _connect(source), _connect(partial)
    try:
        live.backup(copy)  # all pages in one step: one read transaction, one consistent instant
        copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal beside it
    finally:
        copy.close()
        live.close()
    try:
        summary = inspect(partial)
    except BackupError:
        partial.unlink(missing_ok=True)
        raise
    partial.rename(target)
    return DatabaseSummary(target, summary.size_bytes, summary.visits, summary.residents, summary.integrity)


def restore(backup_file: Path, target: Path) -> Path | None:
    """Replace the database at `target` with `backup_file`; returns where the replaced database was kept."""
    inspect(backup_file)
    kept = None
    if target.is_file():
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        kept = target.with_name(f"{target.stem}.before-restore-{stamp}{target.suffix}")
        backup(target, kept)
    create_private(target)
    source, live = _connect(backup_file), _connect(target)
    try:
        source.backup(live)  # under the live database's write lock: other connections see old or new, never half
    finally:
        live.close()
        source.close()
    prepare_sqlite_file(target)
    inspect(target)
    return kept
