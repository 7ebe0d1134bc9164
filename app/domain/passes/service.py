"""Passes: looking one up by its code (the gate) or its token (the public page), revoking one, checking in by one.

The code is short, so wrong codes are counted per kiosk session (or API token) and per address: after
rules.WRONG_CODES_LIMIT wrong codes in rules.WRONG_CODES_WINDOW seconds a lookup is refused (429) and the audit
trail records it. A found code, even an expired one, is not counted as a guess.
"""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from app.db.engine import write_transaction
from app.db.tables import ExpectedVisit as ExpectedTable
from app.domain.accounts.sign_in import AttemptCounters
from app.domain.expected import service as expected
from app.domain.notifications import service as notifications
from app.domain.notifications.channels import channels
from app.domain.passes import badges, emails, rules
from app.domain.passes.schemas import FoundPass, PublicPass
from app.domain.records import audit
from app.domain.visits import schemas as visit_schemas
from app.domain.visits import service as visits
from app.lib import live, site
from app.lib.actors import SYSTEM, Actor, require_staff
from app.lib.clock import in_zone, utc_now
from app.lib.errors import Conflict, DomainError, Forbidden, Invalid, NotFound
from app.lib.i18n import N_, _, ngettext
from app.lib.text import NOT_AN_EMAIL, is_email, normal_email


class TooManyGuesses(DomainError):
    status_code = 429
    title = N_("Too many requests")


def _keys(actor: Actor, session: str | None) -> dict[str, int]:
    """Per kiosk session (the API: per account) and per address; callers without one share a counter."""
    who = f"session:{session}" if session else f"account:{actor.account_id}"
    return {
        f"wrong-pass:{who}": rules.WRONG_CODES_LIMIT,
        f"wrong-pass:{actor.address or 'unknown'}": rules.WRONG_CODES_LIMIT,
    }


async def _count_guess(counters: AttemptCounters, actor: Actor, keys: dict[str, int]) -> None:
    if not await counters.count_unless_over(keys, rules.WRONG_CODES_WINDOW):
        await audit.record(
            actor, "pass.guessing_limited", "account", actor.account_id, {"limit": rules.WRONG_CODES_LIMIT}
        )
        minutes = rules.WRONG_CODES_WINDOW // 60
        raise TooManyGuesses(
            ngettext(
                "Too many wrong pass codes. Wait %(num)s minute and try again.",
                "Too many wrong pass codes. Wait %(num)s minutes and try again.",
                minutes,
            )
        )


async def find_by_code(
    actor: Actor, code: str, counters: AttemptCounters, session: str | None = None, field: str | None = None
) -> FoundPass:
    """The announcement whose pass has this code, with the reason it lets no one in now (None when it does).

    A code no pass ever had is NotFound (or, with `field`, a problem with that field) and counts as a guess."""
    require_staff(actor, "Only guards and administrators may look up passes.")
    code = rules.as_typed(code)
    keys = _keys(actor, session)
    await _count_guess(counters, actor, keys)
    rows = await expected.passes_with_code(code) if rules.is_code(code) else []
    if not rows:
        if field:
            raise Invalid({field: _("no pass has this code")})
        raise NotFound(_("No pass has this code."))
    for key in keys:
        await counters.take_back(key)
    return await _found(actor, rows[0])


async def _found(actor: Actor, row: dict) -> FoundPass:
    reason = rules.refusal(row, [int(day) for day in row["weekdays"].split(",") if day], expected.today())
    return FoundPass(await expected.get_expected(actor, row["id"]) if row["cancelled_at"] is None else None, reason)


async def find_scanned(
    actor: Actor, text: str, counters: AttemptCounters, session: str | None
) -> FoundPass | badges.Badge:
    """What the kiosk's Pass field names: a pass by its 6 digits or its QR code's address (a scanner types
    it), or a badge handed back, whose check-out the page then opens (badges.leaving). Anything else counts as
    a wrong code."""
    scanned = rules.read_scan(text)
    if scanned is not None and scanned[0] == "visit":
        return await badges.leaving(actor, UUID(scanned[1]))
    if scanned is not None and scanned[0] == "token":
        require_staff(actor, "Only guards and administrators may look up passes.")
        row = await ExpectedTable.select().where(ExpectedTable.pass_token == scanned[1]).first()
        if row is not None and rules.same(row["pass_token"], scanned[1]):
            return await _found(actor, row)
    return await find_by_code(actor, scanned[1] if scanned else "", counters, session)


async def find_by_token(token: str) -> PublicPass | None:
    """The public page's pass; None for a token no pass has (and for a cancelled announcement's)."""
    if not 20 <= len(token) <= 64:
        return None
    row = (
        await ExpectedTable.select(ExpectedTable.id, ExpectedTable.pass_token)
        .where(ExpectedTable.pass_token == token, ExpectedTable.cancelled_at.is_null())
        .first()
    )
    if row is None or not rules.same(row["pass_token"], token):
        return None
    return await _public(row["id"])


async def my_pass(actor: Actor, expected_id: UUID) -> PublicPass:
    """A resident's own announcement's pass, as the visitor will see it; another household's is not found."""
    await expected.get_expected(actor, expected_id)
    return await _public(expected_id)


async def _public(expected_id: UUID) -> PublicPass:
    item = await expected.get_expected(SYSTEM, expected_id)
    row = await ExpectedTable.select().where(ExpectedTable.id == expected_id).first()
    name, address = site.community()
    return PublicPass(
        code=item.pass_code,
        token=row["pass_token"],
        visitor_name=item.visitor_name,
        unit=item.resident_unit,
        when=expected.describe_when(item),
        starts_on=item.starts_on,
        ends_on=item.ends_on,
        uses=item.pass_uses,
        max_uses=item.pass_max_uses,
        reason=rules.refusal(row, item.weekdays, expected.today()),
        community_name=name,
        community_address=address,
        used_at=in_zone(row["used_at"], site.site_timezone()),
        revoked_at=item.pass_revoked_at,
    )


async def revoke(actor: Actor, expected_id: UUID):
    """Residents revoke their own announcements' passes, administrators anyone's; guards may not."""
    await expected.get_expected(actor, expected_id)
    if not actor.is_resident and actor.role != "admin":
        raise Forbidden(_("Only residents and administrators may revoke passes."))
    now = utc_now()
    async with write_transaction(ExpectedTable._meta.db):
        revoked = (
            await ExpectedTable.update({ExpectedTable.pass_revoked_at: now, ExpectedTable.updated_at: now})
            .where(ExpectedTable.id == expected_id, ExpectedTable.pass_revoked_at.is_null())
            .returning(ExpectedTable.id)
        )
        item = await expected.get_expected(actor, expected_id)
        if revoked:  # revoking again changes nothing and records nothing
            await audit.record(actor, "expected.pass_revoked", "expected", expected_id, {"passCode": item.pass_code})
    if revoked:
        live.expected_changed(expected_id)
    return item


async def email_pass(actor: Actor, expected_id: UUID, address: str | None) -> str:
    """Email the pass to the visitor (through the outbox, in this transaction); the address it went to.

    Residents send their own passes, administrators anyone's; not when the site sends no email (Conflict), nor a
    pass that no longer opens the gate: used, revoked or expired (rules.Gone, with the reason in words)."""
    await expected.get_expected(actor, expected_id)
    if not actor.is_resident and actor.role != "admin":
        raise Forbidden(_("Only residents and administrators may send passes."))
    if not channels().email_on:
        raise Conflict(_("This community’s Gatehouse sends no email (an administrator has not set it up)."))
    item = await _public(expected_id)
    if not rules.opens_the_gate(item.reason):
        raise rules.Gone(item.reason)
    email = normal_email(address)
    if not email:
        raise Invalid({"email": _("is required and cannot be blank")})
    if not is_email(email):
        raise Invalid({"email": _(NOT_AN_EMAIL)})
    async with write_transaction(ExpectedTable._meta.db):
        await notifications.email_someone(actor.account_id, email, emails.compose(item, expected.pass_url(item.token)))
        await audit.record(actor, "expected.pass_emailed", "expected", expected_id, {"email": email})
    notifications.wake_sender()
    return email


def check_in_input(item, data: visit_schemas.CheckInBody, now: datetime) -> visit_schemas.CheckInInput:
    """The check-in a pass makes: what the guard typed, else what the announcement says."""
    return visit_schemas.CheckInInput(
        resident_id=item.resident_id,
        visitor_name=data.visitor_name or item.visitor_name,
        total_people=data.total_people or item.total_people,
        subject=data.subject or _("Guest"),
        arrival_date=data.arrival_date or now.isoformat(),
        vehicle_color=data.vehicle_color or item.vehicle_color,
        license_plate=data.license_plate or item.license_plate,
        override_reason=data.override_reason,
        expected_visit_id=item.id,
        gate_id=data.gate_id,
    )


async def check_in(
    actor: Actor,
    data: visit_schemas.CheckInBody,
    counters: AttemptCounters,
    session: str | None = None,
    idempotency_key: str | None = None,
    fingerprint: str | None = None,
) -> visit_schemas.Visit:
    """Check a visitor in by their pass: the do-not-admit list still applies; the use is counted in the visit's
    own transaction (visits.create_visit -> expected.use_for_check_in), so two check-ins cannot both use the
    last entry. An unknown code is a problem with `passCode`; a used, revoked or expired pass is Gone (410)."""
    require_staff(actor, "Only guards and administrators may record visits.")
    found = await find_by_code(actor, data.pass_code, counters, session, field="passCode")
    if found.reason is not None:
        raise rules.Gone(found.reason)
    try:
        visit_input = check_in_input(found.expected, data, utc_now())
        return await visits.create_visit(actor, visit_input, idempotency_key, fingerprint)
    except rules.Refused as refused:  # another check-in used it meanwhile
        raise rules.Gone(refused.reason) from None
