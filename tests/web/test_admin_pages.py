"""The administration pages in process: residents, CSV import, accounts, API tokens, and what the audit trail keeps."""

from __future__ import annotations

import html
import json
import re

import httpx

from app.db.tables import Account, AuditEvent, Resident
from app.domain.expected import schemas as expected_schemas
from tests.pages import PASSWORD, sign_in

RESIDENT_LINK = re.compile(r'href="/admin/residents/[0-9a-f-]{36}"')
_SECRET = re.compile(r"data-secret>([^<]+)<")


async def actions_for(record_id) -> list[str]:
    rows = await AuditEvent.select(AuditEvent.action).where(AuditEvent.record_id == record_id).order_by(AuditEvent.at)
    return [row["action"] for row in rows]


def secret_on(page: httpx.Response) -> str:
    match = _SECRET.search(page.text)
    assert match, "no secret shown on the page"
    return match.group(1)


# ---------------------------------------------------------------- residents


async def test_residents_are_listed_searched_and_paged(office, factory):
    client, _ = office
    for n in range(30):
        await factory.resident(name=f"Person {n:02d}", unit=f"T-{n:02d}")
    await factory.resident(name="Zélia Quinta", unit="Q-1")
    page = await client.get("/admin/residents")
    assert page.status_code == 200 and page.headers["cache-control"] == "no-store"
    assert len(RESIDENT_LINK.findall(page.text)) == 25 and "More" in page.text
    found = await client.get("/admin/residents?q=quinta", headers={"hx-request": "true"})
    assert "Zélia Quinta" in found.text and "Person 00" not in found.text and "<html" not in found.text
    more = re.search(r'hx-get="(/admin/residents\?[^"]*cursor=[^"]+)"', page.text).group(1).replace("&amp;", "&")
    rest = await client.get(more, headers={"hx-request": "true"})
    assert len(RESIDENT_LINK.findall(rest.text)) == 6


async def test_adding_a_resident_reports_every_field_and_keeps_what_was_typed(office):
    client, token = office
    bad = {"name": " ", "unit": "B-302", "email": "not-an-email", "phone": "", "_csrf_token": token}
    page = await client.post("/admin/residents/new", data=bad)
    assert page.status_code == 422
    assert "is required and cannot be blank" in page.text and "should look like name@example.com" in page.text
    assert 'value="not-an-email"' in page.text and 'value="B-302"' in page.text
    assert await Resident.count() == 0

    good = bad | {"name": "Ana <b>Lima</b>", "email": "ana@example.com"}
    page = await client.post("/admin/residents/new", data=good)
    assert page.status_code == 200 and "Resident added." in page.text
    assert "Ana &lt;b&gt;Lima&lt;/b&gt;" in page.text and "<b>Lima</b>" not in page.text
    resident = await Resident.select().first()
    assert await actions_for(resident["id"]) == ["resident.created"]


async def test_deactivating_a_resident_keeps_them_and_records_before_and_after(office, factory):
    client, token = office
    resident = await factory.resident(name="Bruno Costa", unit="C-101")
    form = {"name": "Bruno Costa", "unit": "c-101", "email": "", "phone": "", "activeShown": "1", "_csrf_token": token}
    page = await client.post(f"/admin/residents/{resident.id}", data=form)  # "active" unticked
    assert page.status_code == 200 and "Saved." in page.text and "Inactive" in page.text
    row = await Resident.select().where(Resident.id == resident.id).first()
    assert row["active"] is False and row["unit"] == "C-101"
    event = await AuditEvent.select().where(AuditEvent.action == "resident.updated").first()
    assert json.loads(event["changes"]) == {"active": [True, False]}
    assert "Bruno Costa" not in (await client.get("/admin/residents")).text
    assert "Bruno Costa" in (await client.get("/admin/residents?status=inactive")).text


# ---------------------------------------------------------------- CSV import

BAD_CSV = (
    "name,unit,email,phone\nAna Lima,B-302,ana@example.com,\nBruno Costa,,bruno@example.com,555\nCarla Dias,C-1,,\n"
)


async def test_import_preview_reports_each_bad_line_and_writes_nothing(office):
    client, token = office
    files = {"file": ("building.csv", BAD_CSV.encode(), "text/csv")}
    page = await client.post("/admin/residents/import", data={"_csrf_token": token, "action": "check"}, files=files)
    assert page.status_code == 422
    assert "Line 3: unit is required and cannot be blank" in page.text
    assert "1 problem" in page.text and 'value="import"' not in page.text
    assert "Bruno Costa,,bruno@example.com,555" in page.text  # the text comes back to be corrected
    assert await Resident.count() == 0

    # Sending "import" anyway (a stale page, a crafted post) writes nothing either.
    page = await client.post(
        "/admin/residents/import", data={"_csrf_token": token, "action": "import", "csvText": BAD_CSV}
    )
    assert page.status_code == 422 and "nothing was imported" in page.text
    assert await Resident.count() == 0


async def test_adding_a_resident_already_living_in_the_unit_is_refused_as_the_import_refuses_it(office, resident):
    client, token = office
    same = {"name": "ana LIMA", "unit": "b-302", "email": "", "phone": "", "_csrf_token": token}
    page = await client.post("/admin/residents/new", data=same)
    assert page.status_code == 422 and "Ana Lima already lives in B-302" in page.text
    assert await Resident.count() == 1
    page = await client.post("/admin/residents/new", data=same | {"unit": "B-303"})
    assert page.status_code == 200 and await Resident.count() == 2


async def test_a_fixed_file_imports_every_line_in_one_go(office):
    client, token = office
    fixed = BAD_CSV.replace("Bruno Costa,,", "Bruno Costa,C-101,")
    page = await client.post(
        "/admin/residents/import", data={"_csrf_token": token, "action": "check", "csvText": fixed}
    )
    assert page.status_code == 200 and "3 residents ready to import" in page.text and 'value="import"' in page.text
    page = await client.post(
        "/admin/residents/import", data={"_csrf_token": token, "action": "import", "csvText": fixed}
    )
    assert page.status_code == 200 and "3 residents imported" in page.text
    rows = await Resident.select(Resident.name, Resident.unit).order_by(Resident.name)
    assert [(r["name"], r["unit"]) for r in rows] == [
        ("Ana Lima", "B-302"),
        ("Bruno Costa", "C-101"),
        ("Carla Dias", "C-1"),
    ]
    assert await AuditEvent.count().where(AuditEvent.action == "resident.created") == 3

    again = await client.post(
        "/admin/residents/import", data={"_csrf_token": token, "action": "import", "csvText": fixed}
    )
    assert again.status_code == 422 and "Ana Lima already lives in B-302" in again.text
    assert await Resident.count() == 3


async def test_import_without_a_file_or_with_a_non_utf8_file_says_so(office):
    client, token = office
    page = await client.post("/admin/residents/import", data={"_csrf_token": token, "action": "check"})
    assert page.status_code == 422 and "choose a CSV file or paste its lines" in page.text
    files = {"file": ("latin1.csv", "José,A-1\n".encode("latin-1"), "text/csv")}
    page = await client.post("/admin/residents/import", data={"_csrf_token": token, "action": "check"}, files=files)
    assert page.status_code == 422 and "is not UTF-8 text" in page.text


async def test_import_needs_the_csrf_token(office):
    client, _ = office
    page = await client.post("/admin/residents/import", data={"action": "import", "csvText": "Ana,B-1\n"})
    assert page.status_code == 403
    assert await Resident.count() == 0


# ---------------------------------------------------------------- accounts


async def test_a_new_account_gets_a_password_shown_once_that_signs_in(office, factory):
    client, token = office
    home = await factory.resident(name="Ana Lima", unit="B-302")
    form = {
        "email": "Ana@Example.com",
        "role": "resident",
        "residentId": str(home.id),
        "password": "",
        "_csrf_token": token,
    }
    page = await client.post("/admin/accounts/new", data=form)
    assert page.status_code == 200 and "shown only this once" in page.text and "Account created." in page.text
    password = secret_on(page)
    account = await Account.select().where(Account.email == "ana@example.com").first()
    assert await actions_for(account["id"]) == ["account.created"]
    assert str(page.url).endswith(f"/admin/accounts/{account['id']}?done=created")  # posted, then redirected
    reloaded = await client.get(str(page.url))
    assert "shown only this once" not in reloaded.text and password not in reloaded.text

    async with httpx.AsyncClient(transport=client._transport, base_url=str(client.base_url)) as other:
        response, _ = await sign_in(other, "ana@example.com", password, next_url="/me")
        assert response.status_code == 303 and response.headers["location"] == "/me"


async def test_account_form_errors_are_inline_and_keep_the_input(office):
    client, token = office
    form = {"email": "nope", "role": "resident", "residentId": "", "password": "short", "_csrf_token": token}
    page = await client.post("/admin/accounts/new", data=form)
    assert page.status_code == 422
    assert "should look like name@example.com" in page.text and "must be at least 10 characters" in page.text
    assert "is required for a resident account" in page.text and 'value="nope"' in page.text
    assert 'value="short"' not in page.text  # a password is never echoed back
    assert await Account.count() == 1  # only the administrator


async def test_deactivating_ends_sessions_and_tokens_at_once(office, client, guard):
    client, token = office
    async with httpx.AsyncClient(transport=client._transport, base_url=str(client.base_url)) as kiosk:
        await sign_in(kiosk, guard.actor.email)
        assert (await kiosk.get("/kiosk", follow_redirects=False)).status_code == 200
        assert (await kiosk.get("/api/visits", headers=guard.headers)).status_code == 200

        page = await client.post(
            f"/admin/accounts/{guard.actor.account_id}/active", data={"active": "false", "_csrf_token": token}
        )
        assert page.status_code == 200 and "Account deactivated" in page.text

        refused = await kiosk.get("/kiosk", follow_redirects=False)
        assert refused.status_code == 303 and refused.headers["location"].startswith("/sign-in")
        assert (await kiosk.get("/api/visits", headers=guard.headers)).status_code == 401
        again, _ = await sign_in(kiosk, guard.actor.email)
        assert again.status_code == 401

        # Reactivating lets the account sign in again, but the session it had stays ended.
        await client.post(
            f"/admin/accounts/{guard.actor.account_id}/active", data={"active": "true", "_csrf_token": token}
        )
        assert (await kiosk.get("/kiosk", follow_redirects=False)).status_code == 303
        assert (await sign_in(kiosk, guard.actor.email))[0].status_code == 303
    assert await actions_for(guard.actor.account_id) == [
        "account.created",
        "account.signed_in",
        "account.deactivated",
        "account.sign_in_failed",
        "account.reactivated",
        "account.signed_in",
    ]


async def test_resetting_a_password_ends_the_old_sessions_and_the_old_password(office, client, guard):
    client, token = office
    async with httpx.AsyncClient(transport=client._transport, base_url=str(client.base_url)) as kiosk:
        await sign_in(kiosk, guard.actor.email)
        page = await client.post(
            f"/admin/accounts/{guard.actor.account_id}/reset-password", data={"_csrf_token": token}
        )
        new_password = secret_on(page)
        assert (await kiosk.get("/kiosk", follow_redirects=False)).status_code == 303
        assert (await sign_in(kiosk, guard.actor.email, PASSWORD))[0].status_code == 401
        assert (await sign_in(kiosk, guard.actor.email, new_password))[0].status_code == 303
    assert "account.password_reset" in await actions_for(guard.actor.account_id)


async def test_an_administrator_cannot_deactivate_themselves(office, admin, guard):
    client, token = office
    own = await client.get(f"/admin/accounts/{admin.actor.account_id}")
    assert own.status_code == 200 and "/active" not in own.text and "Deactivate" not in own.text
    other = await client.get(f"/admin/accounts/{guard.actor.account_id}")
    assert f"/admin/accounts/{guard.actor.account_id}/active" in other.text and "Deactivate" in other.text
    page = await client.post(
        f"/admin/accounts/{admin.actor.account_id}/active", data={"active": "false", "_csrf_token": token}
    )
    assert page.status_code == 409 and "your own account" in page.text
    assert (await Account.select(Account.active).where(Account.id == admin.actor.account_id).first())["active"]


# ---------------------------------------------------------------- tokens


async def test_a_token_is_shown_once_works_shows_its_last_use_and_can_be_revoked(office, client, guard):
    client, token = office
    page = await client.post(
        "/admin/tokens", data={"email": guard.actor.email, "name": "Parcel lockers", "_csrf_token": token}
    )
    assert page.status_code == 200 and str(page.url).endswith("/admin/tokens")  # posted, then redirected
    issued = secret_on(page)
    assert issued not in (await client.get("/admin/tokens")).text  # shown once: a reload shows nothing, issues nothing
    assert (await client.get("/api/visits", headers={"Authorization": f"Bearer {issued}"})).status_code == 200
    listing = await client.get("/admin/tokens")
    assert "Parcel lockers" in listing.text and issued not in listing.text
    row = re.search(r"Parcel lockers</td>.*?</tr>", listing.text, re.S).group(0)
    assert "Never" not in row  # last use is shown

    token_id = re.search(r'action="/admin/tokens/([0-9a-f-]{36})/revoke"', row).group(1)
    page = await client.post(f"/admin/tokens/{token_id}/revoke", data={"_csrf_token": token})
    assert "Revoked: the token no longer works." in page.text
    assert (await client.get("/api/visits", headers={"Authorization": f"Bearer {issued}"})).status_code == 401
    assert await actions_for(token_id) == ["token.issued", "token.revoked"]


async def test_a_deactivated_account_gets_no_token(office, guard):
    client, token = office
    await client.post(
        f"/admin/accounts/{guard.actor.account_id}/active", data={"active": "false", "_csrf_token": token}
    )
    page = await client.post("/admin/tokens", data={"email": guard.actor.email, "name": "x", "_csrf_token": token})
    assert page.status_code == 422 and "This account is deactivated; reactivate it first." in page.text


async def test_a_token_for_an_unknown_account_is_an_inline_error(office):
    client, token = office
    page = await client.post("/admin/tokens", data={"email": "nobody@example.com", "name": "x", "_csrf_token": token})
    assert (
        page.status_code == 422
        and "No account has this email." in page.text
        and 'value="nobody@example.com"' in page.text
    )


# ---------------------------------------------------------------- audit trail


async def test_sign_ins_succeeding_and_failing_are_recorded_with_the_address(client, guard):
    await sign_in(client, guard.actor.email, "wrong-password")
    await sign_in(client, "nobody@example.com", "whatever-it-is")
    await sign_in(client, guard.actor.email)
    rows = await AuditEvent.select().where(AuditEvent.action.like("account.sign%")).order_by(AuditEvent.at)
    assert [(r["action"], r["actor_email"]) for r in rows] == [
        ("account.sign_in_failed", guard.actor.email),
        ("account.sign_in_failed", "nobody@example.com"),
        ("account.signed_in", guard.actor.email),
    ]
    assert [json.loads(r["changes"]).get("reason") for r in rows] == ["wrong password", "unknown email", None]
    assert rows[0]["record_id"] == guard.actor.account_id and rows[1]["record_id"] is None
    assert all(r["address"] for r in rows)


async def test_passwords_and_tokens_never_reach_the_audit_trail(office, factory):
    client, token = office
    await client.post(
        "/admin/accounts/new",
        data={"email": "g@example.com", "role": "guard", "password": "typed-password-123", "_csrf_token": token},
    )
    account = await Account.select().where(Account.email == "g@example.com").first()
    reset = secret_on(await client.post(f"/admin/accounts/{account['id']}/reset-password", data={"_csrf_token": token}))
    issued = secret_on(
        await client.post("/admin/tokens", data={"email": "g@example.com", "name": "t", "_csrf_token": token})
    )
    async with httpx.AsyncClient(transport=client._transport, base_url=str(client.base_url)) as other:
        await sign_in(other, "g@example.com", "a-wrong-password-typed")
    trail = json.dumps(await AuditEvent.select(), default=str)
    for secret in ("typed-password-123", reset, issued, "a-wrong-password-typed", PASSWORD):
        assert secret not in trail


async def test_admins_browse_the_trail_with_filters_and_paging(office, factory, admin, guard):
    client, _ = office
    resident = await factory.resident(name="Ana Lima", unit="B-302")
    for n in range(55):
        await factory.visit(resident.id, visitor_name=f"Visitor {n}")
    page = await client.get("/admin/audit")
    assert page.status_code == 200 and page.text.count("<tr>") == 50 + 1  # 50 rows and the header
    assert "More" in page.text
    by_action = await client.get("/admin/audit?action=account.signed_in", headers={"hx-request": "true"})
    assert admin.actor.email in by_action.text.replace("<wbr>", "") and "Visit checked in" not in by_action.text
    by_actor = await client.get("/admin/audit?actor=system&action=account.created", headers={"hx-request": "true"})
    assert by_actor.text.count("Account created") == 2 and "Signed in" not in by_actor.text
    assert guard.actor.email not in (await client.get(f"/admin/audit?actor={admin.actor.email}")).text.replace(
        "<wbr>", ""
    )
    by_record = await client.get(f"/admin/audit?record={resident.id}", headers={"hx-request": "true"})
    assert by_record.text.count("Resident added") == 1 and "Visit checked in" not in by_record.text
    tomorrow = await client.get("/admin/audit?from=2999-01-01")
    assert "Nothing recorded matches." in tomorrow.text
    bad = await client.get("/admin/audit?record=nope&from=soon")
    assert bad.status_code == 200 and "record: is not a record id" in bad.text and "from: is not" in bad.text


async def test_the_audit_trail_escapes_what_people_typed(office, factory):
    client, _ = office
    await factory.resident(name="<script>alert(1)</script>", unit="X-1")
    page = await client.get("/admin/audit?action=resident.created")
    assert "<script>alert(1)</script>" not in page.text and "&lt;script&gt;" in page.text


async def test_the_largest_import_allowed_is_written_in_one_transaction(db):
    from app.domain.residents import importer as resident_import
    from app.lib.actors import SYSTEM

    text = "".join(f"Person {n},U-{n}\n" for n in range(resident_import.MAX_LINES))
    added = await resident_import.import_residents(SYSTEM, text)  # PostgreSQL: more rows than one statement takes
    assert len(added) == resident_import.MAX_LINES == await Resident.count()


def test_the_separator_is_the_one_every_line_has_and_quotes_must_close():
    from app.domain.residents.importer import read_csv

    names = read_csv("Lee, Ann;1a;;\nBob;2b;;\n")
    assert [(line.name, line.unit) for line in names.lines] == [("Lee, Ann", "1A"), ("Bob", "2B")]
    assert [line.line for line in read_csv("\nname;unit\nAna;B-1\n").lines] == [3]
    assert [(line.name, line.unit) for line in read_csv("Ana,B-1\rBob,B-2\r").lines] == [("Ana", "B-1"), ("Bob", "B-2")]
    unclosed = read_csv('name,unit,email,phone\n"Ann,1a,,\nBob,2b,,\n')
    assert [(p.line, p.message) for p in unclosed.problems] == [(2, 'opens a quote (") that is never closed')]


async def test_an_admin_erases_a_visitors_data_after_a_preview(office, factory):
    from app.db.tables import Visit

    client, token = office
    home = await factory.resident(name="Ana Lima", unit="B-302")
    left = await factory.visit(
        home.id, visitor_name="Maria Silva", license_plate="KZT-4R21", departure_date="2026-01-01T12:00:00+00:00"
    )
    inside = await factory.visit(home.id, visitor_name="Maria Silva", license_plate="kzt 4r21")
    preview = await client.get("/admin/erase?plate=kzt-4r21")
    assert "1 visit to erase, 1 still on site" in preview.text and "On site: kept" in preview.text
    assert await Visit.count().where(Visit.visitor_name == "Maria Silva") == 2  # looking changes nothing

    done = await client.post("/admin/erase", data={"plate": "kzt-4r21", "name": "", "_csrf_token": token})
    assert done.status_code == 200 and "Erased the personal data of 1 visit." in done.text
    rows = {row["id"]: row for row in await Visit.select()}
    assert rows[left.id]["license_plate"] is None and rows[left.id]["visitor_name"] != "Maria Silva"
    assert rows[inside.id]["visitor_name"] == "Maria Silva"
    assert await actions_for(left.id) == ["visit.created", "visit.erased"]

    blank = await client.post("/admin/erase", data={"plate": "", "name": " ", "_csrf_token": token})
    assert blank.status_code == 422 and "is required" in blank.text


async def test_erasing_a_visitor_known_only_from_an_announcement(office, factory):
    from app.db.tables import ExpectedVisit
    from app.domain.expected import service as expected
    from app.lib.actors import SYSTEM

    client, token = office
    home = await factory.resident(name="Ana Lima", unit="B-302")
    data = expected_schemas.ExpectedInput(
        visitor_name="Nina Nowak", starts_on=expected.today().isoformat(), resident_id=home.id, note="Brings the dog"
    )
    announced = await expected.announce(SYSTEM, data)
    preview = await client.get("/admin/erase?name=nina+nowak")
    assert "0 visits to erase, 1 announcement" in preview.text and 'class="danger">Erase<' in preview.text

    done = await client.post("/admin/erase", data={"name": "Nina Nowak", "plate": "", "_csrf_token": token})
    assert done.status_code == 200
    assert "Erased the personal data of 0 visits and 1 announcement." in done.text
    stored = await ExpectedVisit.select().where(ExpectedVisit.id == announced.id).first()
    assert stored["note"] is None and stored["visitor_name"] != "Nina Nowak"


async def test_a_semicolon_line_in_a_comma_file_says_what_was_found(office):
    client, token = office
    text = "name,unit,email,phone\nAna Lima,B-302,,\nBruno Costa;C-101;bruno@example.com;555\nCarla Dias,C-1,,\n"
    files = {"file": ("building.csv", text.encode(), "text/csv")}
    page = await client.post("/admin/residents/import", data={"_csrf_token": token, "action": "check"}, files=files)
    assert page.status_code == 422
    shown = html.unescape(page.text)
    assert "Line 3: line uses ';' between values where the file uses ',': save the file with ','" in shown
    assert "unit is required" not in shown and "1 problem" in shown
    assert await Resident.count() == 0
