"""A resident emails a pass to the visitor through the outbox, when the site sends email."""

from __future__ import annotations

import pytest

from app.db.tables import AuditEvent, Delivery
from app.domain.expected import schemas as expected_schemas
from app.domain.expected import service as expected
from app.domain.notifications import sender
from app.domain.passes import service as passes
from app.lib.errors import Conflict, Forbidden, Invalid, NotFound


async def announce(caller, name="Rosa <b>Lima</b>"):
    data = expected_schemas.ExpectedInput(visitor_name=name, starts_on=expected.today().isoformat())
    return await expected.announce(caller.actor, data)


async def test_the_visitor_gets_the_pass_by_email(factory, mail_server):
    home = await factory.resident(name="Ana Lima", unit="B-302")
    resident = await factory.caller("resident", resident_id=home.id)
    item = await announce(resident)
    assert await passes.email_pass(resident.actor, item.id, " Rosa@Example.com ") == "rosa@example.com"
    assert await sender.send_due() == 1
    [(recipients, message)] = mail_server.inbox.messages
    assert recipients == ["rosa@example.com"]
    text = message.get_body(("plain",)).get_content()
    assert item.pass_code in text and item.pass_url in text and "B-302" in text and "Ana Lima" not in text
    html = message.get_body(("html",)).get_content()
    assert "Rosa &lt;b&gt;Lima&lt;/b&gt;" in html and "<b>Lima</b>" not in html
    assert {row["action"] for row in await AuditEvent.select(AuditEvent.action)} >= {"expected.pass_emailed"}


async def test_only_the_household_or_an_administrator_sends_it_to_a_real_address(factory, mail_server):
    home = await factory.resident(name="Ana Lima", unit="B-302")
    other_home = await factory.resident(name="Bruno Costa", unit="C-101")
    resident = await factory.caller("resident", resident_id=home.id)
    other = await factory.caller("resident", resident_id=other_home.id)
    guard = await factory.caller("guard")
    admin = await factory.caller("admin")
    item = await announce(resident)
    with pytest.raises(NotFound):
        await passes.email_pass(other.actor, item.id, "rosa@example.com")
    with pytest.raises(Forbidden):
        await passes.email_pass(guard.actor, item.id, "rosa@example.com")
    with pytest.raises(Invalid) as bad:
        await passes.email_pass(resident.actor, item.id, "not an address")
    assert bad.value.errors == {"email": "should look like name@example.com"}
    assert await passes.email_pass(admin.actor, item.id, "rosa@example.com") == "rosa@example.com"
    assert await Delivery.count() == 1


async def test_without_smtp_no_pass_is_emailed(factory):
    home = await factory.resident(name="Ana Lima", unit="B-302")
    resident = await factory.caller("resident", resident_id=home.id)
    item = await announce(resident)
    with pytest.raises(Conflict):
        await passes.email_pass(resident.actor, item.id, "rosa@example.com")
    assert await Delivery.count() == 0
