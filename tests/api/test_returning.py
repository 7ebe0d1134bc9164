"""Returning visitors: three characters of a plate (or a name) bring back their last details."""

from __future__ import annotations

from app.domain.bans import schemas as ban_schemas
from app.domain.expected import schemas as expected_schemas
from app.domain.kiosk import returning
from app.lib.actors import SYSTEM
from tests.pages import sign_in

HTMX = {"hx-request": "true"}


async def test_three_characters_of_a_plate_find_the_latest_visit_of_each_plate(db, factory):
    home = await factory.resident(name="Ana Lima", unit="B-302")
    other = await factory.resident(name="Bruno Costa", unit="C-101")
    await factory.visit(
        home.id, visitor_name="Maria Silva", license_plate="KZT-4R21", arrival_date="2026-01-01T10:00:00+00:00"
    )
    await factory.visit(
        other.id,
        visitor_name="Maria Silva",
        license_plate="kzt 4r21",
        total_people=3,
        subject="Service",
        arrival_date="2026-02-01T10:00:00+00:00",
    )
    await factory.visit(
        home.id, visitor_name="Joao Dias", license_plate="KZA-1000", arrival_date="2026-01-15T10:00:00+00:00"
    )
    await factory.visit(home.id, visitor_name="Someone Else", license_plate="ABC-1234")

    assert await returning.suggest(SYSTEM, None, "kz") == []  # two characters: too many to help
    found = await returning.suggest(SYSTEM, None, "kz-t")
    assert [(s.license_plate, s.resident_name, s.total_people, s.subject) for s in found] == [
        ("KZT-4R21", "Bruno Costa", 3, "Service")  # the canonical form, however typed
    ]
    both = await returning.suggest(SYSTEM, None, "KZ ")
    assert both == []
    by_prefix = await returning.suggest(SYSTEM, None, "kza1")
    assert [s.visitor_name for s in by_prefix] == ["Joao Dias"]


async def test_without_a_plate_the_name_is_matched_ignoring_case_and_accents(db, factory):
    home = await factory.resident()
    await factory.visit(home.id, visitor_name="José Antônio")
    found = await returning.suggest(SYSTEM, "jose ant", None)
    assert [s.visitor_name for s in found] == ["José Antônio"]
    assert await returning.suggest(SYSTEM, "xyz", None) == []


async def test_the_kiosk_offers_an_earlier_visitor_and_fills_the_form(client, factory, guard):
    home = await factory.resident(name="Ana Lima", unit="B-302")
    earlier = await factory.visit(
        home.id,
        visitor_name="Maria Silva",
        license_plate="KZT-4R21",
        total_people=2,
        vehicle_color="Blue",
        subject="Delivery",
    )
    await sign_in(client, guard.actor.email)
    typed = await client.get("/kiosk/checks?licensePlate=kzt", headers=HTMX)
    assert f'href="/kiosk/again/{earlier.id}"' in typed.text and "Been here before" in typed.text
    form = await client.get(f"/kiosk/again/{earlier.id}", headers=HTMX)
    for value in (
        'value="Maria Silva"',
        'value="KZT-4R21"',
        'value="Blue"',
        'value="Delivery"',
        'value="2"',
        f'value="{home.id}"',
    ):
        assert value in form.text, value
    assert 'class="primary" autofocus' in form.text
    assert (await client.get("/kiosk/again/00000000-0000-0000-0000-000000000000", headers=HTMX)).status_code == 404


async def test_purged_and_erased_visitors_are_never_suggested(db, factory):
    from app.domain.records import retention

    home = await factory.resident()
    await factory.visit(
        home.id,
        visitor_name="Maria Silva",
        license_plate="KZT-4R21",
        arrival_date="2026-01-01T10:00:00+00:00",
        departure_date="2026-01-01T12:00:00+00:00",
    )
    assert await returning.suggest(SYSTEM, "maria", None)
    await retention.purge(SYSTEM, 30)
    assert await returning.suggest(SYSTEM, "maria", None) == []
    assert await returning.suggest(SYSTEM, None, "kzt") == []


async def test_a_banned_visitor_picked_from_a_list_opens_with_the_warning(client, factory, guard):
    from app.domain.bans import service as bans
    from app.domain.expected import service as expected

    home = await factory.resident(name="Ana Lima", unit="B-302")
    earlier = await factory.visit(home.id, visitor_name="Ex Partner", license_plate="BAN-0001")
    announced = await expected.announce(
        SYSTEM,
        expected_schemas.ExpectedInput(
            visitor_name="Ex Partner", starts_on=expected.today().isoformat(), resident_id=home.id
        ),
    )
    await bans.add_ban(SYSTEM, ban_schemas.BanInput(reason="Restraining order", license_plate="ban0001"))
    await bans.add_ban(SYSTEM, ban_schemas.BanInput(reason="Restraining order", name="ex-partner"))
    await sign_in(client, guard.actor.email)
    for url in (f"/kiosk/again/{earlier.id}", f"/kiosk/expected/{announced.id}"):
        form = await client.get(url, headers=HTMX)
        assert "Do not admit" in form.text and "Restraining order" in form.text, url
        assert "Check in anyway" in form.text and 'class="primary" autofocus' not in form.text, url
