"""Every list page pages: its "More" links reach every row exactly once, with the filters kept.

Each list gets more rows than one page holds (120 announcements on /admin/expected, which used to stop
at 100), then the test walks the page and its "More" links as htmx does and collects the rows' ids.
"""

from __future__ import annotations

import html
import re

import pytest

from app.domain.accounts import tokens as api_tokens
from app.domain.bans import schemas as ban_schemas
from app.domain.bans import service as bans
from app.domain.expected import schemas as expected_schemas
from app.domain.expected import service as expected
from app.lib.actors import SYSTEM
from tests.pages import sign_in

HTMX = {"hx-request": "true"}
MORE = re.compile(r'hx-get="([^"]*cursor=[^"]*)"')


async def walk(client, url: str, row: re.Pattern) -> list[list[str]]:
    """The rows' ids, page by page: the whole page first, then each "More" fetched as htmx fetches it."""
    pages = []
    response = await client.get(url)
    while True:
        assert response.status_code == 200, response.text
        pages.append(row.findall(response.text))
        links = MORE.findall(response.text)
        assert len(links) <= 1, links
        if not links:
            return pages
        response = await client.get(html.unescape(links[0]), headers=HTMX)
        assert "<html" not in response.text


def assert_each_once(pages: list[list[str]], expected_ids: set[str], page_size: int) -> None:
    seen = [row_id for page in pages for row_id in dict.fromkeys(page)]
    assert len(seen) == len(set(seen)), "a row came twice"
    assert set(seen) == expected_ids
    assert len(pages) == -(-len(expected_ids) // page_size)  # ceil: every page full but the last


async def signed_in(client, factory, role: str, resident_id=None, next_url: str = "/"):
    caller = await factory.caller(role, resident_id=resident_id)
    response, _ = await sign_in(client, caller.actor.email, next_url=next_url)
    assert response.status_code == 303
    return caller


def announcement(resident_id, n: int) -> expected_schemas.ExpectedInput:
    return expected_schemas.ExpectedInput(
        visitor_name=f"Guest {n:03d}", starts_on=expected.today().isoformat(), resident_id=resident_id
    )


async def test_admin_expected_pages_past_100_announcements(client, factory):
    home = await factory.resident(name="Ana Lima", unit="B-302")
    await signed_in(client, factory, "admin", next_url="/admin/expected")
    ids = {str((await expected.announce(SYSTEM, announcement(home.id, n))).id) for n in range(120)}
    pages = await walk(client, "/admin/expected", re.compile(r'href="/admin/expected/([0-9a-f-]{36})"'))
    assert_each_once(pages, ids, 50)


async def test_a_residents_expected_visitors_page(client, factory):
    home = await factory.resident(name="Ana Lima", unit="B-302")
    resident = await signed_in(client, factory, "resident", home.id, next_url="/me")
    ids = {str((await expected.announce(resident.actor, announcement(home.id, n))).id) for n in range(60)}
    other = await factory.resident(name="Bruno Costa", unit="C-101")
    await expected.announce(SYSTEM, announcement(other.id, 999))
    pages = await walk(client, "/me/expected", re.compile(r'href="/me/expected/([0-9a-f-]{36})"'))
    assert_each_once(pages, ids, 50)


async def test_a_forged_cursor_on_a_list_page_is_shown_not_a_server_error(client, factory):
    await signed_in(client, factory, "admin", next_url="/admin/expected")
    for url in ("/admin/expected", "/admin/bans"):
        page = await client.get(f"{url}?cursor=bm90LWEtY3Vyc29y")
        assert page.status_code == 200 and "cursor: is not a cursor this server issued" in page.text


@pytest.mark.parametrize("role", ["admin", "resident"])
async def test_the_do_not_admit_list_pages(client, factory, role):
    home = await factory.resident(name="Ana Lima", unit="B-302")
    caller = await signed_in(client, factory, role, home.id if role == "resident" else None)
    base = "/admin/bans" if role == "admin" else "/me/bans"
    actor = SYSTEM if role == "admin" else caller.actor
    entries = [
        await bans.add_ban(actor, ban_schemas.BanInput(reason=f"Reason {n}", license_plate=f"PAG{n:04d}"))
        for n in range(60)
    ]
    pages = await walk(client, base, re.compile(rf'action="{base}/([0-9a-f-]{{36}})/lift"'))
    assert_each_once(pages, {str(entry.id) for entry in entries}, 50)


async def test_visit_history_pages_with_its_filters(client, factory):
    home = await factory.resident(name="Ana Lima", unit="B-302")
    other = await factory.resident(name="Bruno Costa", unit="C-101")
    await signed_in(client, factory, "guard", next_url="/kiosk")
    ids = {str((await factory.visit(home.id, license_plate="ABC1234")).id) for _ in range(60)}
    await factory.visit(other.id, license_plate="ABC1234")
    pages = await walk(
        client, f"/kiosk/visits?q=abc&residentId={home.id}", re.compile(r'href="/kiosk/visits/([0-9a-f-]{36})"')
    )
    assert_each_once(pages, ids, 25)


async def test_a_residents_history_pages(client, factory):
    home = await factory.resident(name="Ana Lima", unit="B-302")
    await signed_in(client, factory, "resident", home.id, next_url="/me")
    names = set()
    for n in range(45):
        day = f"2026-03-{n % 28 + 1:02d}"
        left = await factory.visit(home.id, arrival_date=f"{day}T10:00:00", departure_date=f"{day}T11:00:00")
        names.add(left.visitor_name)
    pages = await walk(client, "/me?from=2026-03-01", re.compile(r"<strong>(Visitor \d+)</strong>"))
    assert_each_once(pages, names, 20)


async def test_residents_and_accounts_page_by_name_and_email(client, factory):
    await signed_in(client, factory, "admin", next_url="/admin/residents")
    residents = {str((await factory.resident(name="Same Name")).id) for _ in range(60)}  # ties broken by id
    pages = await walk(client, "/admin/residents?q=same", re.compile(r'href="/admin/residents/([0-9a-f-]{36})"'))
    assert_each_once(pages, residents, 25)
    accounts = {str((await factory.caller("guard")).actor.account_id) for _ in range(60)}
    pages = await walk(client, "/admin/accounts?role=guard", re.compile(r'href="/admin/accounts/([0-9a-f-]{36})"'))
    assert_each_once(pages, accounts, 25)


async def test_api_tokens_page_with_the_revoked_ones_shown(client, factory):
    await signed_in(client, factory, "admin", next_url="/admin/tokens")
    in_use = {str(token.id) for token in (await api_tokens.list_tokens(SYSTEM, limit=500)).items}
    for _ in range(60):
        await factory.caller("guard")  # an account and a token each
    revoked = (await api_tokens.list_tokens(SYSTEM, limit=1)).items[0]
    await api_tokens.revoke_token(SYSTEM, revoked.id)
    every = {str(token.id) for token in (await api_tokens.list_tokens(SYSTEM, True, 500)).items}
    assert len(every) == len(in_use) + 60
    token = re.compile(r'<tr id="token-([0-9a-f-]{36})"')
    pages = await walk(client, "/admin/tokens?revoked=shown", token)
    assert_each_once(pages, every, 50)
    pages = await walk(client, "/admin/tokens", token)
    assert_each_once(pages, every - {str(revoked.id)}, 50)


async def test_the_audit_trail_pages_with_its_filters(client, factory):
    await signed_in(client, factory, "admin", next_url="/admin/audit")
    residents = {str((await factory.resident()).id) for _ in range(120)}
    pages = await walk(
        client, "/admin/audit?action=resident.created", re.compile(r'href="/admin/residents/([0-9a-f-]{36})"')
    )
    assert_each_once(pages, residents, 50)


async def test_expected_visitors_and_the_do_not_admit_list_are_searched_by_name_or_plate(client, factory):
    home = await factory.resident(name="Ana Lima", unit="B-302")
    await signed_in(client, factory, "admin", next_url="/admin/expected")
    for n in range(60):
        data = announcement(home.id, n)
        data.license_plate = f"KZT-{n:04d}"
        await expected.announce(SYSTEM, data)
        await bans.add_ban(
            SYSTEM, ban_schemas.BanInput(reason="x", name=f"Carlos {n:02d}", license_plate=f"BAN-{n:04d}")
        )
    visitor_link = re.compile(r'href="/admin/expected/([0-9a-f-]{36})"')
    by_plate = await client.get("/admin/expected?q=kzt 0007", headers=HTMX)
    assert (
        len(visitor_link.findall(by_plate.text)) == 1 and "Guest 007" in by_plate.text and "<html" not in by_plate.text
    )
    by_name = await walk(client, "/admin/expected?q=guest 0", visitor_link)  # Guest 000 to Guest 059
    assert sum(len(page) for page in by_name) == 60 and len(by_name) == 2
    assert "Nobody is announced" in (await client.get("/admin/expected?q=nobody")).text
    entry = re.compile(r'action="/admin/bans/([0-9a-f-]{36})/lift"')
    assert len(entry.findall((await client.get("/admin/bans?q=ban0012")).text)) == 1
    assert len(entry.findall((await client.get("/admin/bans?q=CARLOS 1", headers=HTMX)).text)) == 10
