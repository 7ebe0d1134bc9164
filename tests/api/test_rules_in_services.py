"""Rules that used to sit in page controllers, now in their services where every door shares them."""

from __future__ import annotations

import pytest

from app.db.tables import Resident
from app.domain.accounts import admin as account_admin
from app.domain.accounts import service as accounts
from app.domain.accounts.schemas import AccountInput
from app.domain.bans import service as bans
from app.domain.bans.schemas import BanInput
from app.domain.kiosk import gate
from app.domain.kiosk.gate_schemas import GateQuery
from app.domain.records import retention
from app.domain.records.retention_schemas import ErasureInput
from app.domain.residents import importer as resident_import
from app.domain.residents.schemas import ImportInput
from app.lib.actors import SYSTEM
from app.lib.errors import Invalid


async def test_the_gate_checks_report_bans_announcements_and_earlier_visitors(db, factory, guard):
    home = await factory.resident()
    await factory.visit(home.id, visitor_name="Marta Returning", license_plate="RET-0001", departure_date=None)
    await bans.add_ban(SYSTEM, BanInput(reason="Threatened the staff", license_plate="RET-0001"))

    typed = await gate.gate_checks(guard.actor, GateQuery(license_plate="ret 0001", resident_id=home.id))
    assert [ban.reason for ban in typed.stopped_by] == ["Threatened the staff"]
    assert [earlier.visitor_name for earlier in typed.returning] == ["Marta Returning"]
    again = await gate.gate_checks(guard.actor, GateQuery(license_plate="RET-0001", from_earlier_visit=True))
    assert again.returning == [] and len(again.stopped_by) == 1  # a ban still warns on a form filled from one


async def test_checking_an_import_writes_nothing_and_importing_writes_all(db):
    text = "name,unit\nAna Lima,B-302\nBruno Costa,C-101\n"
    checked = await resident_import.check_or_import(SYSTEM, ImportInput(csv_text=text))
    assert checked.ready and checked.added is None and len(checked.preview.lines) == 2
    assert await Resident.count() == 0
    done = await resident_import.check_or_import(SYSTEM, ImportInput(csv_text=text, write=True))
    assert [r.name for r in done.added] == ["Ana Lima", "Bruno Costa"] and await Resident.count() == 2
    again = await resident_import.check_or_import(SYSTEM, ImportInput(csv_text=text, write=True))
    assert again.added is None and not again.ready and "file" in again.errors and again.preview.problems
    nothing = await resident_import.check_or_import(SYSTEM, ImportInput())
    assert nothing.errors == {"file": "choose a CSV file or paste its lines"}
    from_file = await resident_import.check_or_import(
        SYSTEM, ImportInput(csv_text="ignored", file=b"\xef\xbb\xbfZ,Z-1")
    )
    assert from_file.csv_text == "Z,Z-1" and from_file.ready


async def test_a_blank_password_gets_a_temporary_one_to_show_once(db):
    added = await account_admin.add_account(SYSTEM, AccountInput(email="new@example.com", role="guard"))
    assert added.temporary_password and len(added.temporary_password) >= accounts.PASSWORD_MIN
    assert (
        await accounts.actor_for_password(added.account.email, added.temporary_password)
    ).email == added.account.email
    typed = await account_admin.add_account(
        SYSTEM, AccountInput(email="typed@example.com", role="guard", password="typed-password-123")
    )
    assert typed.temporary_password is None


async def test_a_token_for_an_unknown_email_is_a_field_error(db):
    with pytest.raises(Invalid) as raised:
        await accounts.issue_token(SYSTEM, "nobody@example.com", "integration")
    assert raised.value.errors == {"email": "no account has this email"}


async def test_erasure_by_both_name_and_plate_goes_by_the_plate(db, factory):
    home = await factory.resident()
    by_plate = await factory.visit(
        home.id, visitor_name="Paulo Plate", license_plate="ABC-1D23", departure_date="2026-01-01T12:00:00+00:00"
    )
    by_name = await factory.visit(home.id, visitor_name="Nina Name", departure_date="2026-01-01T12:00:00+00:00")
    who = ErasureInput(name="Nina Name", plate="abc 1d23")
    preview = await retention.preview_erasure_of(SYSTEM, who)
    assert [visit.id for visit in preview.erasable] == [by_plate.id]
    done = await retention.erase_visitor(SYSTEM, who)
    assert done.visits == 1
    assert (await retention.preview_erasure_of(SYSTEM, ErasureInput(name="Nina Name"))).erasable[0].id == by_name.id
