"""The administrators' other spreadsheets: residents (read back unchanged by the import) and the audit trail."""

from __future__ import annotations

import csv
import io

from app.db.tables import AuditEvent, Resident
from app.domain.residents import importer
from app.domain.residents import service as residents
from app.domain.residents.schemas import ResidentInput
from app.lib.actors import SYSTEM

PEOPLE = [
    ("Ana Lima", "B-302", "ana@example.com", "+351 912 345 678"),  # a phone a spreadsheet would read as a formula
    ("José Álvares, Jr.", "C-101", None, None),  # a comma, accents
    ('Bruno "Bê" Costa', "D-1", "bruno@example.com", "555 0101"),  # quotes
    ("-Dash Person", "=A1", None, "@home"),  # every cell a formula to a spreadsheet
]


def _table(response) -> list[list[str]]:
    assert response.status_code == 200, response.text
    assert response.content.startswith(b"\xef\xbb\xbf") and response.headers["content-type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"), newline="")))


def _stored(rows) -> set[tuple]:
    return {(row["name"], row["unit"], row["email"], row["phone"]) for row in rows}


async def test_residents_export_imports_back_unchanged(office):
    client, token = office
    for name, unit, email, phone in PEOPLE:
        await residents.create_resident(SYSTEM, ResidentInput(name=name, unit=unit, email=email, phone=phone))
    before = _stored(await Resident.select())
    page = await client.get("/admin/residents")
    assert 'href="/admin/residents/export?' in page.text
    response = await client.get("/admin/residents/export?status=active")
    header, *lines = _table(response)
    assert tuple(header) == importer.COLUMNS and len(lines) == len(PEOPLE)
    assert ["'-Dash Person", "'=A1", "", "'@home"] in lines  # neutralised in the file

    await Resident.delete(force=True)
    upload = {"file": ("residents.csv", response.content, "text/csv")}
    result = await client.post("/admin/residents/import", data={"_csrf_token": token, "action": "check"}, files=upload)
    assert result.status_code == 200 and "4 residents ready to import" in result.text
    text = response.content.decode("utf-8-sig")
    result = await client.post(
        "/admin/residents/import", data={"_csrf_token": token, "action": "import", "csvText": text}
    )
    assert result.status_code == 200 and "4 residents imported" in result.text
    assert _stored(await Resident.select()) == before


async def test_residents_export_follows_the_lists_filters(office):
    client, _ = office
    await residents.create_resident(SYSTEM, ResidentInput(name="Ana Lima", unit="B-302"))
    await residents.create_resident(SYSTEM, ResidentInput(name="Carla Dias", unit="C-1", active=False))
    names = lambda response: [line[0] for line in _table(response)[1:]]  # noqa: E731
    assert names(await client.get("/admin/residents/export")) == ["Ana Lima"]
    assert names(await client.get("/admin/residents/export?status=inactive")) == ["Carla Dias"]
    assert names(await client.get("/admin/residents/export?status=all&q=carla")) == ["Carla Dias"]


async def test_audit_export_carries_the_trails_filters(office):
    client, _ = office
    home = await residents.create_resident(SYSTEM, ResidentInput(name="=Evil Name", unit="B-302"))
    await residents.create_resident(SYSTEM, ResidentInput(name="Other One", unit="B-303"))
    page = await client.get(f"/admin/audit?record={home.id}")
    assert 'href="/admin/audit/export?' in page.text
    header, *lines = _table(await client.get(f"/admin/audit/export?record={home.id}&action=resident.created"))
    assert header == ["at", "actorEmail", "address", "action", "recordType", "recordId", "changes"]
    assert len(lines) == 1 and lines[0][3] == "resident.created" and lines[0][5] == str(home.id)
    assert "=Evil Name" in lines[0][6] and not lines[0][6].startswith("=")
    everything = _table(await client.get("/admin/audit/export"))[1:]
    assert len(everything) == await AuditEvent.count()
    bad = await client.get("/admin/audit/export?record=not-a-uuid")
    assert bad.status_code == 400
