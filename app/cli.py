"""The `gatehouse` command: migrate, serve, user and token create, demo, sweep, backup, restore, purge, erase."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import sys
import time
from datetime import timedelta
from pathlib import Path
from uuid import UUID

from app.settings import SettingsError, load_settings


class CommandError(Exception):
    """The command cannot go on; its message is printed and the exit status is 1."""


def _bootstrap() -> None:
    from app.lib import i18n, site

    settings = load_settings()
    site.configure(settings.timezone, timedelta(hours=settings.overstay_hours))
    i18n.configure(settings.language)
    i18n.use_language(None)


def _run(coro) -> None:
    from app.db.lifecycle import close_database, open_database

    async def wrapped():
        await open_database()
        try:
            return await coro
        finally:
            await close_database()

    asyncio.run(wrapped())


async def _migrate() -> None:
    from piccolo.apps.migrations.commands.forwards import run_forwards

    from app.db.lifecycle import close_database

    try:
        result = await run_forwards(app_name="gatehouse")
    finally:
        await close_database()
    if not result.success:
        raise SystemExit(f"Migration failed: {result.message}")


def cmd_migrate(_: argparse.Namespace) -> None:
    asyncio.run(_migrate())


def cmd_serve(args: argparse.Namespace) -> None:
    import uvicorn

    proxies = load_settings().forwarded_allow_ips
    uvicorn.run(
        "app.main:create_app",
        factory=True,
        host=args.host,
        port=args.port,
        workers=args.workers,
        loop="uvloop",
        http="httptools",
        # uvicorn alone would believe X-Forwarded-For from 127.0.0.1, so any local client could pick its own
        # address (and escape the sign-in limits): forwarded headers count only from FORWARDED_ALLOW_IPS.
        proxy_headers=proxies is not None,
        forwarded_allow_ips=proxies or "",
        # Open kiosk event streams never end by themselves; without this, stopping would wait forever.
        timeout_graceful_shutdown=5,
        log_level="info",
    )


async def _user_create(args: argparse.Namespace) -> None:
    from app.domain.accounts import service as accounts
    from app.lib.actors import SYSTEM

    account = await accounts.create_account(SYSTEM, args.email, args.password, args.role, args.resident_id)
    print(f"Created {account.role} account {account.email} ({account.id})")


async def _token_create(args: argparse.Namespace) -> None:
    from app.domain.accounts import service as accounts
    from app.lib.actors import SYSTEM

    issued = await accounts.issue_token(SYSTEM, args.email, args.name or "")
    print(f"API token {issued.name!r} for {args.email}; it is shown only this once:", file=sys.stderr)
    print(issued.token)


async def _demo(args: argparse.Namespace) -> None:
    from app import demo

    if await demo.database_is_empty():
        if args.visits is None:
            await demo.seed_demo()
        else:
            started = time.perf_counter()
            await demo.seed_bulk(args.visits, args.residents)
            print(
                f"Seeded {args.visits} visits over {args.residents} residents in {time.perf_counter() - started:.1f} s."
            )
        print("Filled the empty database with demo data.")
    else:
        print("The database already has data; no demo data added.")
    token = await demo.rotate_demo_token()
    if token is None:
        print("No demo accounts here: create one with `gatehouse user create`.")
        return
    print(f"\nSign in at {args.url} with:")
    for role, (email, password) in demo.DEMO_LOGINS.items():
        print(f"  {role:9} {email:26} {password}")
    print(f"\nAPI token of the demo admin (try: curl -H 'Authorization: Bearer <token>' {args.url}/api/visits):")
    print(token)


@contextlib.asynccontextmanager
async def _live_changes():
    """With REDIS_URL, announce changes to the servers' kiosks as they do; without it they refresh within a minute."""
    from app.lib import live
    from app.lib.shared_state import channels_plugin, redis_client

    redis = redis_client(load_settings())
    if redis is None:
        yield
        return
    async with redis, channels_plugin(redis) as channels:  # leaving waits until every change is published
        live.configure(channels.publish)
        try:
            yield
        finally:
            live.configure(None)


async def _sweep(args: argparse.Namespace) -> None:
    from app.domain.kiosk import sweep
    from app.lib.actors import SYSTEM
    from app.lib.site import site_timezone

    before = sweep.cutoff(args.before)
    async with _live_changes():
        result = await sweep.sweep(SYSTEM, before, dry_run=args.dry_run)
    when = f"{result.before:%d %b %Y, %H:%M} ({site_timezone()})"
    count = len(result.visits)
    people = f"{count} {'visitor' if count == 1 else 'visitors'}"
    if not result.visits:
        print(f"Nobody who arrived before {when} is still on the board.")
    elif result.dry_run:
        print(f"Would check out {people} who arrived before {when} (dry run: nothing written):")
    else:
        print(f"Checked out {people} who arrived before {when}, at that time, marked automatic:")
    for visit in result.visits:
        plate = f"  {visit.license_plate}" if visit.license_plate else ""
        print(f"  {visit.arrival_date:%d %b %Y, %H:%M}  {visit.visitor_name}  visiting {visit.resident_name}{plate}")


PG_DUMP_HINT = (
    "On PostgreSQL, back up with pg_dump and restore with pg_restore "
    "(see 'Backups' in the README): pg_dump -Fc -d \"$DATABASE_URL\" -f gatehouse.dump"
)


def _sqlite_database() -> Path:
    from app.db.engine import sqlite_path

    settings = load_settings()
    if not settings.is_sqlite:
        raise CommandError(PG_DUMP_HINT)
    return sqlite_path(settings.database_url)


def confirm(question: str, assume_yes: bool) -> bool:
    """True with --yes; otherwise only when the operator types yes (no answer, or no terminal, is no)."""
    if assume_yes:
        return True
    try:
        answer = input(f"{question} Type 'yes' to go on: ")
    except EOFError:
        answer = ""
    return answer.strip().lower() in {"y", "yes"}


def cmd_backup(args: argparse.Namespace) -> None:
    from app.db import backup

    source = _sqlite_database()
    try:
        summary = backup.backup(source, Path(args.path))
    except backup.BackupError as exc:
        raise CommandError(str(exc)) from None
    print(f"Backed up {source} to {summary.describe()}.")
    print(f"PRAGMA integrity_check on the copy: {summary.integrity}")


def cmd_restore(args: argparse.Namespace) -> None:
    from app.db import backup

    target = _sqlite_database()
    try:
        incoming = backup.inspect(Path(args.path))
        current = backup.inspect(target) if target.exists() else None
    except backup.BackupError as exc:
        raise CommandError(str(exc)) from None
    print(f"Backup:  {incoming.describe()}, integrity_check {incoming.integrity}")
    print(f"Current: {current.describe() if current else f'{target} (no database yet)'}")
    if not confirm(f"Replace the database at {target} with this backup?", args.yes):
        raise CommandError("Nothing restored.")
    try:
        kept = backup.restore(Path(args.path), target)
    except backup.BackupError as exc:
        raise CommandError(str(exc)) from None
    if kept:
        print(f"The database it replaced is kept at {kept}.")
    print(f"Restored {incoming.visits} visits and {incoming.residents} residents into {target}.")
    print("If the backup comes from an older release, run `gatehouse migrate` next.")


async def _purge(args: argparse.Namespace) -> None:
    from app.domain.records import retention
    from app.lib.actors import SYSTEM

    days = load_settings().retention_days
    if days is None:
        raise CommandError("RETENTION_DAYS is not set, so visits are kept; set it (e.g. RETENTION_DAYS=365) to purge.")
    if args.dry_run:
        plan = await retention.purge_preview(SYSTEM, days)
        print(
            f"Dry run: {plan.visits} visits that left before {plan.cutoff:%Y-%m-%d %H:%M} UTC "
            f"(more than {days} days ago) and {plan.announcements} announcements that ended before then would be "
            f"anonymised, and {plan.audit_events} audit entries redacted. Nothing was changed."
        )
        return
    done = await retention.purge(SYSTEM, days)
    print(
        f"Anonymised {done.visits} visits that left before {done.cutoff:%Y-%m-%d %H:%M} UTC "
        f"(more than {days} days ago) and {done.announcements} announcements that ended before then, "
        f"and redacted {done.audit_events} audit entries."
    )


def _visit_line(visit) -> str:
    left = f"{visit.departure_date:%Y-%m-%d %H:%M}" if visit.departure_date else "still on site"
    return (
        f"  {visit.id}  arrived {visit.arrival_date:%Y-%m-%d %H:%M}, left {left}  {visit.visitor_name}"
        f"  plate {visit.license_plate or '-'}  for {visit.resident_name}"
    )


async def _erase(args: argparse.Namespace) -> None:
    from app.domain.records import retention
    from app.lib.actors import SYSTEM

    preview = await retention.erasure_preview(SYSTEM, name=args.name, plate=args.plate)
    print(f"{len(preview.erasable) + len(preview.on_site)} visits match:")
    for visit in preview.erasable + preview.on_site:
        print(_visit_line(visit))
    if preview.on_site:
        print(f"{len(preview.on_site)} of them are still on site and will not be erased; check them out first.")
    if preview.announcements:
        print(f"{preview.announcements} announcements by residents name this visitor.")
    if not preview.erasable and not preview.announcements:
        print("Nothing to erase.")
        return
    question = (
        f"Erase the visitor's name, plate and vehicle colour from {len(preview.erasable)} visits "
        f"and {preview.announcements} announcements, and redact {preview.audit_events} audit entries? "
        "This cannot be undone."
    )
    if not confirm(question, args.yes):
        raise CommandError("Nothing erased.")
    done = await retention.erase(SYSTEM, name=args.name, plate=args.plate)
    print(
        f"Erased the personal data of {done.visits} visits and {done.announcements} announcements "
        f"and redacted {done.audit_events} audit entries."
    )


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be a positive whole number")
    return value


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="gatehouse", description="Visitor management for residential communities.")
    commands = parser.add_subparsers(dest="command", required=True)

    commands.add_parser("migrate", help="apply pending migrations to DATABASE_URL").set_defaults(func=cmd_migrate)

    serve = commands.add_parser("serve", help="run the web server")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--workers", type=int, default=1)
    serve.set_defaults(func=cmd_serve)

    user = commands.add_parser("user", help="manage accounts").add_subparsers(dest="action", required=True)
    create_user = user.add_parser("create", help="create an account")
    create_user.add_argument("--email", required=True)
    create_user.add_argument("--password", required=True)
    create_user.add_argument("--role", required=True, choices=["admin", "guard", "resident"])
    create_user.add_argument("--resident-id", type=UUID, default=None)
    create_user.set_defaults(func=lambda args: _run(_user_create(args)))

    token = commands.add_parser("token", help="manage API tokens").add_subparsers(dest="action", required=True)
    create_token = token.add_parser("create", help="issue an API token for an account")
    create_token.add_argument("--email", required=True)
    create_token.add_argument("--name", default="")
    create_token.set_defaults(func=lambda args: _run(_token_create(args)))

    demo = commands.add_parser("demo", help="fill an empty database with demo data")
    demo.add_argument("--url", default="http://127.0.0.1:8000", help="where the server will answer, for the message")
    demo.add_argument("--visits", type=_positive, default=None, help="bulk-seed this many visits (e.g. 1000000)")
    demo.add_argument("--residents", type=_positive, default=2000, help="over this many residents, with --visits")
    demo.set_defaults(func=lambda args: _run(_demo(args)))

    sweep = commands.add_parser(
        "sweep",
        help="check out everyone left on the board, marked automatic",
        description="Check out every visitor still on the board who arrived before the cut-off, at the cut-off, "
        "marking the departure automatic (never mistaken for a guard's check-out) and recording it in the audit trail.",
    )
    sweep.add_argument(
        "--before",
        metavar="ISO-DATETIME",
        default=None,
        help="the cut-off, e.g. 2026-11-28T06:00 (site time unless it has an offset); default: the start of today",
    )
    sweep.add_argument("--dry-run", action="store_true", help="list who would be checked out; write nothing")
    sweep.set_defaults(func=lambda args: _run(_sweep(args)))

    backup = commands.add_parser("backup", help="copy the SQLite database, online, to a new file")
    backup.add_argument("path", help="the new file to write (it must not exist)")
    backup.set_defaults(func=cmd_backup)

    restore = commands.add_parser("restore", help="replace the SQLite database with a backup, after confirming")
    restore.add_argument("path", help="a file written by gatehouse backup")
    restore.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    restore.set_defaults(func=cmd_restore)

    purge = commands.add_parser("purge", help="anonymise visits that left more than RETENTION_DAYS days ago")
    purge.add_argument("--dry-run", action="store_true", help="only count what would be anonymised")
    purge.set_defaults(func=lambda args: _run(_purge(args)))

    erase = commands.add_parser("erase", help="erase one visitor's personal data on request, after a preview")
    who = erase.add_mutually_exclusive_group(required=True)
    who.add_argument("--name", help="the visitor's name (any case, with or without accents)")
    who.add_argument("--plate", help="a licence plate (spacing and dashes do not matter)")
    erase.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    erase.set_defaults(func=lambda args: _run(_erase(args)))
    return parser


def main(argv: list[str] | None = None) -> int:
    from app.lib.errors import DomainError, Invalid

    args = _parser().parse_args(argv)
    try:
        _bootstrap()
        args.func(args)
    except Invalid as exc:
        for field, message in exc.errors.items():
            print(f"error: {field} {message}", file=sys.stderr)
        return 1
    except (DomainError, SettingsError, CommandError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
