"""The `gatehouse` command: migrate, serve, user and token create, demo, sweep, backup, restore, purge, erase."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import sys
import time
from pathlib import Path
from uuid import UUID

from app.lib.i18n import N_, _, ngettext
from app.settings import SettingsError, load_settings


class CommandError(Exception):
    """The command cannot go on; its message (translated) is printed and the exit status is 1."""


def _when(moment) -> str:
    """A moment as the site's language writes it, with the site's time zone named."""
    from app.lib import formats
    from app.lib.site import site_timezone

    return _("%(moment)s (%(zone)s)", moment=formats.day_and_time(moment), zone=site_timezone())


def _visits(count: int) -> str:
    return ngettext("%(num)s visit", "%(num)s visits", count)


def _residents(count: int) -> str:
    return ngettext("%(num)s resident", "%(num)s residents", count)


def _announcements(count: int) -> str:
    return ngettext("%(num)s announcement", "%(num)s announcements", count)


def _audit_entries(count: int) -> str:
    return ngettext("%(num)s audit entry", "%(num)s audit entries", count)


def _bootstrap() -> None:
    from app.lib import i18n, signing, site

    settings = load_settings()
    site.configure_from(settings)
    i18n.configure(settings.language)
    signing.configure(settings.secret_key)
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


async def _ran_migrations() -> int:
    from piccolo.apps.migrations.tables import Migration

    if not await Migration.table_exists():
        return 0
    return len(await Migration.get_migrations_which_ran(app_name="gatehouse"))


async def _migrate() -> None:
    """Piccolo prints its own progress, in English and not always true (on an empty database, every migration
    "already complete" and then "not yet run"): it is kept for a failure, and one line of ours says what was done."""
    import io

    from piccolo.apps.migrations.commands.forwards import run_forwards

    from app.db.lifecycle import close_database

    progress = io.StringIO()
    try:
        before = await _ran_migrations()
        try:
            with contextlib.redirect_stdout(progress):
                result = await run_forwards(app_name="gatehouse")
        except BaseException:
            sys.stderr.write(progress.getvalue())
            raise
        applied = await _ran_migrations() - before
    finally:
        await close_database()
    if not result.success:
        sys.stderr.write(progress.getvalue())
        raise SystemExit(_("Migration failed: %(reason)s", reason=result.message))
    if applied:
        print(
            ngettext(
                "Applied %(num)s migration; the database is up to date.",
                "Applied %(num)s migrations; the database is up to date.",
                applied,
            )
        )
    else:
        print(_("The database is up to date; no migration was needed."))


def cmd_migrate(_args: argparse.Namespace) -> None:
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
        # Open event streams end when the server is told to stop (live.end_streams_on_stop_signals); this
        # bounds what any other slow answer may keep it waiting.
        timeout_graceful_shutdown=5,
        log_level="info",
    )


async def _user_create(args: argparse.Namespace) -> None:
    from app.domain.accounts import service as accounts
    from app.lib.actors import SYSTEM

    account = await accounts.create_account(SYSTEM, args.email, args.password, args.role, args.resident_id)
    print(_(_CREATED[account.role], email=account.email, id=account.id))


_CREATED = {
    "admin": N_("Created admin account %(email)s (%(id)s)"),
    "guard": N_("Created guard account %(email)s (%(id)s)"),
    "resident": N_("Created resident account %(email)s (%(id)s)"),
}


async def _token_create(args: argparse.Namespace) -> None:
    from app.domain.accounts import service as accounts
    from app.lib.actors import SYSTEM

    issued = await accounts.issue_token(SYSTEM, args.email, args.name or "")
    print(
        _("API token %(name)r for %(email)s; it is shown only this once:", name=issued.name, email=args.email),
        file=sys.stderr,
    )
    print(issued.token)


async def _demo(args: argparse.Namespace) -> None:
    from app import demo

    if await demo.database_is_empty():
        if args.visits is None:
            await demo.seed_demo()
        else:
            started = time.perf_counter()
            await demo.seed_bulk(args.visits, args.residents)
            seconds = f"{time.perf_counter() - started:.1f}"
            print(
                _(
                    "Seeded %(visits)s over %(residents)s in %(seconds)s s.",
                    visits=_visits(args.visits),
                    residents=_residents(args.residents),
                    seconds=seconds,
                )
            )
        print(_("Filled the empty database with demo data."))
    else:
        print(_("The database already has data; no demo data added."))
    _print_community()
    token = await demo.rotate_demo_token()
    if token is None:
        print(_("No demo accounts here: create one with `gatehouse user create`."))
        return
    print("\n" + _("Sign in at %(url)s with:", url=args.url))
    for role, (email, password) in demo.DEMO_LOGINS.items():
        print(f"  {role:9} {email:26} {password}")
    command = f"curl -H 'Authorization: Bearer <token>' {args.url}/api/visits"
    print("\n" + _("API token of the demo admin (try: %(command)s):", command=command))
    print(token)


def _print_community() -> None:
    """The community the passes and emails will name (COMMUNITY_NAME, COMMUNITY_ADDRESS: `make run` sets demo ones)."""
    from app.lib import site

    name, address = site.community()
    if name:
        community = ", ".join(part for part in (name, address) if part)
        print(_("Passes and emails name the community: %(community)s.", community=community))
    else:
        print(_("Passes and emails name no community: set COMMUNITY_NAME and COMMUNITY_ADDRESS to name yours."))


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
    from app.lib import formats
    from app.lib.actors import SYSTEM

    before = sweep.cutoff(args.before)
    async with _live_changes():
        result = await sweep.sweep(SYSTEM, before, dry_run=args.dry_run)
    when = _when(result.before)
    count = len(result.visits)
    if not result.visits:
        print(_("Nobody who arrived before %(when)s is still on the board.", when=when))
    elif result.dry_run:
        print(
            ngettext(
                "Would check out %(num)s visitor who arrived before %(when)s (dry run: nothing written):",
                "Would check out %(num)s visitors who arrived before %(when)s (dry run: nothing written):",
                count,
                when=when,
            )
        )
    else:
        print(
            ngettext(
                "Checked out %(num)s visitor who arrived before %(when)s, at that time, marked automatic:",
                "Checked out %(num)s visitors who arrived before %(when)s, at that time, marked automatic:",
                count,
                when=when,
            )
        )
    for visit in result.visits:
        plate = f"  {visit.license_plate}" if visit.license_plate else ""
        line = _(
            "%(arrived)s  %(visitor)s  visiting %(resident)s",
            arrived=formats.day_and_time(visit.arrival_date),
            visitor=visit.visitor_name,
            resident=visit.resident_name,
        )
        print(f"  {line}{plate}")


PG_DUMP_HINT = N_(
    "On PostgreSQL, back up with pg_dump and restore with pg_restore (see 'Backups' in the README): %(command)s"
)
PG_DUMP_COMMAND = 'pg_dump -Fc -d "$DATABASE_URL" -f gatehouse.dump'


def _sqlite_database() -> Path:
    from app.db.engine import sqlite_path

    settings = load_settings()
    if not settings.is_sqlite:
        raise CommandError(_(PG_DUMP_HINT, command=PG_DUMP_COMMAND))
    return sqlite_path(settings.database_url)


def confirm(question: str, assume_yes: bool) -> bool:
    """True with --yes; otherwise only when the operator types yes, in English or the site's language (no
    answer, or no terminal, is no)."""
    from app.lib.text import name_key

    if assume_yes:
        return True
    word = _("yes")
    try:
        answer = input(_("%(question)s Type '%(yes)s' to go on: ", question=question, yes=word))
    except EOFError:
        answer = ""
    return name_key(answer) in {"y", "yes", name_key(word)}


def cmd_backup(args: argparse.Namespace) -> None:
    from app.db import backup

    source = _sqlite_database()
    try:
        summary = backup.backup(source, Path(args.path))
    except backup.BackupError as exc:
        raise CommandError(str(exc)) from None
    print(_("Backed up %(source)s to %(summary)s.", source=source, summary=summary.describe()))
    print(_("PRAGMA integrity_check on the copy: %(result)s", result=summary.integrity))


def cmd_restore(args: argparse.Namespace) -> None:
    from app.db import backup

    target = _sqlite_database()
    try:
        incoming = backup.inspect(Path(args.path))
        current = backup.inspect(target) if target.exists() else None
    except backup.BackupError as exc:
        raise CommandError(str(exc)) from None
    print(_("Backup: %(summary)s, integrity_check %(result)s", summary=incoming.describe(), result=incoming.integrity))
    if current:
        print(_("Current: %(summary)s", summary=current.describe()))
    else:
        print(_("Current: %(path)s (no database yet)", path=target))
    if not confirm(_("Replace the database at %(path)s with this backup?", path=target), args.yes):
        raise CommandError(_("Nothing restored."))
    try:
        kept = backup.restore(Path(args.path), target)
    except backup.BackupError as exc:
        raise CommandError(str(exc)) from None
    if kept:
        print(_("The database it replaced is kept at %(path)s.", path=kept))
    visits, residents = _visits(incoming.visits), _residents(incoming.residents)
    print(_("Restored %(visits)s and %(residents)s into %(path)s.", visits=visits, residents=residents, path=target))
    print(_("If the backup comes from an older release, run `gatehouse migrate` next."))


async def _purge(args: argparse.Namespace) -> None:
    from app.domain.records import retention
    from app.lib.actors import SYSTEM

    days = load_settings().retention_days
    if days is None:
        raise CommandError(
            _("RETENTION_DAYS is not set, so visits are kept; set it (e.g. RETENTION_DAYS=365) to purge.")
        )
    age = ngettext("more than %(num)s day ago", "more than %(num)s days ago", days)
    if args.dry_run:
        plan = await retention.purge_preview(SYSTEM, days)
        print(
            _(
                "Dry run: %(visits)s before %(cutoff)s (%(age)s) and %(announcements)s before then would be "
                "anonymised, and %(audit_entries)s redacted. Nothing was changed.",
                **_purged(plan, age),
            )
        )
        _print_deliveries(plan.deliveries, planned=True)
        if plan.permissions:
            print(
                ngettext(
                    "%(num)s standing permission that ended would be revoked and cleared.",
                    "%(num)s standing permissions that ended would be revoked and cleared.",
                    plan.permissions,
                )
            )
        return
    done = await retention.purge(SYSTEM, days)
    print(
        _(
            "Anonymised %(visits)s before %(cutoff)s (%(age)s) and %(announcements)s before then, "
            "and redacted %(audit_entries)s.",
            **_purged(done, age),
        )
    )
    _print_deliveries(done.deliveries, planned=False)
    _print_cleared_permissions(done.permissions)


def _print_deliveries(count: int, planned: bool) -> None:
    """Notification deliveries (push, email) go with the rest: a line when there were any."""
    if not count:
        return
    if planned:
        line = ngettext(
            "%(num)s notification delivery from before then would be deleted.",
            "%(num)s notification deliveries from before then would be deleted.",
            count,
        )
    else:
        line = ngettext(
            "Deleted %(num)s notification delivery from before then.",
            "Deleted %(num)s notification deliveries from before then.",
            count,
        )
    print(line)


def _purged(counts, age: str) -> dict[str, str]:
    """The parts of the purge's sentences, each noun with its verb so that it agrees with its number."""
    return {
        "visits": ngettext("%(num)s visit that left", "%(num)s visits that left", counts.visits),
        "announcements": ngettext(
            "%(num)s announcement that ended", "%(num)s announcements that ended", counts.announcements
        ),
        "audit_entries": _audit_entries(counts.audit_events),
        "cutoff": _when(counts.cutoff),
        "age": age,
    }


def _visit_line(visit) -> str:
    from app.lib import formats

    left = formats.day_and_time(visit.departure_date) if visit.departure_date else _("still on site")
    line = _(
        "%(id)s  arrived %(arrived)s, left %(left)s  %(visitor)s  plate %(plate)s  for %(resident)s",
        id=visit.id,
        arrived=formats.day_and_time(visit.arrival_date),
        left=left,
        visitor=visit.visitor_name,
        plate=visit.license_plate or "-",
        resident=visit.resident_name,
    )
    return f"  {line}"


async def _erase(args: argparse.Namespace) -> None:
    from app.domain.records import retention
    from app.lib.actors import SYSTEM

    preview = await retention.erasure_preview(SYSTEM, name=args.name, plate=args.plate)
    matching = len(preview.erasable) + len(preview.on_site)
    print(ngettext("%(num)s visit matches:", "%(num)s visits match:", matching))
    for visit in preview.erasable + preview.on_site:
        print(_visit_line(visit))
    if preview.on_site:
        on_site = len(preview.on_site)
        print(
            ngettext(
                "%(num)s of them is still on site and will not be erased; check them out first.",
                "%(num)s of them are still on site and will not be erased; check them out first.",
                on_site,
            )
        )
    if preview.announcements:
        print(
            ngettext(
                "%(num)s announcement by a resident names this visitor.",
                "%(num)s announcements by residents name this visitor.",
                preview.announcements,
            )
        )
    if preview.permissions:
        print(
            ngettext(
                "%(num)s standing permission by a resident names this visitor: it will be revoked and cleared.",
                "%(num)s standing permissions by residents name this visitor: they will be revoked and cleared.",
                preview.permissions,
            )
        )
    if not preview.erasable and not preview.announcements and not preview.permissions:
        print(_("Nothing to erase."))
        return
    question = _(
        "Erase the visitor's name, plate and vehicle colour from %(visits)s and %(announcements)s, "
        "and redact %(audit_entries)s? This cannot be undone.",
        visits=_visits(len(preview.erasable)),
        announcements=_announcements(preview.announcements),
        audit_entries=_audit_entries(preview.audit_events),
    )
    if not confirm(question, args.yes):
        raise CommandError(_("Nothing erased."))
    done = await retention.erase(SYSTEM, name=args.name, plate=args.plate)
    print(
        _(
            "Erased the personal data of %(visits)s and %(announcements)s and redacted %(audit_entries)s.",
            visits=_visits(done.visits),
            announcements=_announcements(done.announcements),
            audit_entries=_audit_entries(done.audit_events),
        )
    )
    _print_cleared_permissions(done.permissions)


def _print_cleared_permissions(count: int) -> None:
    if count:
        print(
            ngettext(
                "Revoked and cleared %(num)s standing permission.",
                "Revoked and cleared %(num)s standing permissions.",
                count,
            )
        )


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(_("must be a positive whole number"))
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
            print(_("error: %(field)s %(problem)s", field=field, problem=message), file=sys.stderr)
        return 1
    except (DomainError, SettingsError, CommandError) as exc:
        print(_("error: %(problem)s", problem=exc), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
