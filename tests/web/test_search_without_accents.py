"""Names typed without accents, in any case, find the people whose names have them: Portuguese, Spanish and
English names alike, in the kiosk's resident picker, the visit search, the residents page and the API."""

from __future__ import annotations

import pytest

from app.domain.residents import service as residents
from app.lib.actors import SYSTEM

NAMES = [
    ("João Araújo", "A-101", ["joao", "ARAUJO", "joão ara"]),
    ("María Núñez Peña", "B-202", ["maria", "nunez", "pena"]),
    ("Chloë O'Brien", "C-303", ["chloe", "o'bri", "o bri"]),
]


@pytest.fixture
async def households(factory):
    return {name: await factory.resident(name=name, unit=unit) for name, unit, _ in NAMES}


@pytest.mark.parametrize(("name", "typed"), [(name, typed) for name, _, typings in NAMES for typed in typings])
async def test_the_resident_picker_finds_names_typed_without_accents(kiosk, households, name, typed):
    client, _, _ = kiosk
    answer = await client.get("/kiosk/residents", params={"residentQuery": typed}, headers={"hx-request": "true"})
    assert name.replace("'", "&#39;") in answer.text
    others = [other for other, _, _ in NAMES if other != name]
    assert not any(other.replace("'", "&#39;") in answer.text for other in others)


async def test_visit_search_and_the_residents_api_ignore_accents(kiosk, households, factory, admin):
    client, _, _ = kiosk
    home = households["María Núñez Peña"]
    await factory.visit(home.id, visitor_name="Sebastián Gómez")
    await factory.visit(home.id, visitor_name="Ana Souza")
    found = (await client.get("/kiosk/visits", params={"q": "sebastian gomez"})).text
    assert "Sebastián Gómez" in found and "Ana Souza" not in found
    listed = await client.get("/api/residents", params={"q": "nunez"}, headers=admin.headers)
    assert [item["name"] for item in listed.json()] == ["María Núñez Peña"]


async def test_a_renamed_resident_is_found_by_the_new_name(households):
    home = households["João Araújo"]
    from app.domain.residents import schemas

    await residents.update_resident(SYSTEM, home.id, schemas.ResidentInput(name="Joana Araújo", unit="A-101"))
    page = await residents.list_residents(SYSTEM, q="joana araujo")
    assert [item.name for item in page.items] == ["Joana Araújo"]
    assert (await residents.list_residents(SYSTEM, q="joao")).items == []
