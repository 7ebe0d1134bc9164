"""Limits that could be stepped around: the sign-in counter, deactivated residents, sign-out's cookie."""

from __future__ import annotations

import httpx
import pytest

from app.domain.accounts.sign_in import MAX_FAILURES
from app.domain.residents import schemas as resident_schemas
from app.domain.residents import service as residents
from app.lib.actors import SYSTEM
from app.main import create_app
from app.settings import load_settings
from app.web.sessions import SESSION_COOKIE
from tests.conftest import running
from tests.pages import PASSWORD, sign_in


async def test_control_characters_in_the_email_count_against_the_same_account(client, guard):
    """`guard@x%01`, `%02`, ... find the same account, so they must share its counter."""
    for n in range(1, MAX_FAILURES + 1):
        response, _ = await sign_in(client, guard.actor.email + chr(n), password="wrong-password")
        assert response.status_code == 401
    response, _ = await sign_in(client, "\x1f " + guard.actor.email.upper() + chr(MAX_FAILURES + 1), password=PASSWORD)
    assert response.status_code == 429


async def test_an_address_that_is_not_an_ip_is_not_stored(db, guard):
    """What a proxy forwards is not trusted as text: a 100-character 'address' (500 on PostgreSQL, whose
    column holds 64) signs in and is recorded as no address."""
    from app.db.tables import AuditEvent

    async with running(create_app(load_settings())) as app:
        transport = httpx.ASGITransport(app=app, client=("x" * 100, 4321))
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver.local") as client:
            response, _ = await sign_in(client, guard.actor.email)
    assert response.status_code == 303
    entry = await AuditEvent.select(AuditEvent.address).where(AuditEvent.action == "account.signed_in").first()
    assert entry == {"address": None}


async def test_a_real_address_is_stored_as_the_ip_it_is(db, guard):
    from app.db.tables import AuditEvent

    async with running(create_app(load_settings())) as app:
        transport = httpx.ASGITransport(app=app, client=("2001:DB8:0:0::1", 4321))
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver.local") as client:
            response, _ = await sign_in(client, guard.actor.email)
    assert response.status_code == 303
    entry = await AuditEvent.select(AuditEvent.address).where(AuditEvent.action == "account.signed_in").first()
    assert entry == {"address": "2001:db8::1"}


async def test_sign_out_deletes_the_cookie_instead_of_setting_it_to_null(client, guard):
    _, token = await sign_in(client, guard.actor.email)
    out = await client.post("/sign-out", data={"_csrf_token": token}, follow_redirects=False)
    cookie = next(c for c in out.headers.get_list("set-cookie") if c.startswith(SESSION_COOKIE + "="))
    value = cookie.split(";", 1)[0].split("=", 1)[1]
    assert value in ("", '""'), cookie
    assert "Max-Age=0" in cookie, cookie
    assert SESSION_COOKIE not in client.cookies


async def _deactivate(resident) -> None:
    fields = {f: getattr(resident, f) for f in ("name", "unit", "email", "phone")}
    await residents.update_resident(SYSTEM, resident.id, resident_schemas.ResidentInput(**fields, active=False))


async def test_a_deactivated_residents_accounts_stop_working(client, factory):
    home = await factory.resident()
    caller = await factory.caller("resident", resident_id=home.id)
    response, _ = await sign_in(client, caller.actor.email, next_url="/me")
    assert response.status_code == 303
    assert (await client.get("/me", follow_redirects=False)).status_code == 200
    assert (await client.get("/api/expected-visits", headers=caller.headers)).status_code == 200

    await _deactivate(home)

    assert (await client.get("/me", follow_redirects=False)).status_code == 303  # the session ended
    assert (await client.get("/api/expected-visits", headers=caller.headers)).status_code == 401
    assert (await client.get("/api/visits", headers=caller.headers)).status_code == 401
    client.cookies.clear()
    response, _ = await sign_in(client, caller.actor.email, next_url="/me")
    assert response.status_code == 401


async def test_deactivating_a_resident_deactivates_their_accounts_in_the_audit_trail(db, factory):
    from app.db.tables import Account, AuditEvent

    home = await factory.resident()
    caller = await factory.caller("resident", resident_id=home.id)
    other = await factory.caller("resident", resident_id=(await factory.resident()).id)
    await _deactivate(home)
    rows = await Account.select(Account.email, Account.active).order_by(Account.email)
    assert {row["email"]: row["active"] for row in rows} == {caller.actor.email: False, other.actor.email: True}
    entries = await AuditEvent.select(AuditEvent.action, AuditEvent.record_id).where(
        AuditEvent.action == "account.deactivated"
    )
    assert entries == [{"action": "account.deactivated", "record_id": caller.actor.account_id}]


async def test_a_deactivated_residents_account_is_not_brought_back_alone(db, factory):
    """Neither a reactivated account nor a new one may act for a resident who is deactivated."""
    from app.domain.accounts import admin as account_admin
    from app.domain.accounts import service as accounts
    from app.lib.errors import Conflict, Invalid

    home = await factory.resident()
    caller = await factory.caller("resident", resident_id=home.id)
    admin = (await factory.caller("admin")).actor
    await _deactivate(home)
    with pytest.raises(Conflict, match="reactivate the resident first"):
        await account_admin.set_active(admin, caller.actor.account_id, True)
    with pytest.raises(Invalid) as refused:
        await accounts.create_account(admin, "another@example.com", PASSWORD, "resident", home.id)
    assert refused.value.errors == {"residentId": "this resident is no longer active"}

    fields = {f: getattr(home, f) for f in ("name", "unit", "email", "phone")}
    await residents.update_resident(admin, home.id, resident_schemas.ResidentInput(**fields, active=True))
    assert (await account_admin.set_active(admin, caller.actor.account_id, True)).active
