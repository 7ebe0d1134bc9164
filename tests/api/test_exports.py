"""GET /api/visits/export and the pages' Download CSV: the history's visits, row for row, as a spreadsheet."""

from __future__ import annotations

import csv
import io
from zoneinfo import ZoneInfo

from app import demo
from app.domain.visits.export import COLUMNS
from app.lib import site
from app.lib.paging import MAX_LIMIT

EXPORT_N = 100_000
"""Visits seeded (by the demo's bulk inserts) for the row-by-row comparison, as issue 19 asks; `make bench`
exports a million."""


def _rows(response) -> list[dict]:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/csv")
    assert response.content.startswith(b"\xef\xbb\xbf")  # the BOM spreadsheets need for UTF-8
    reader = csv.reader(io.StringIO(response.content.decode("utf-8-sig"), newline=""))
    header, *rows = list(reader)
    assert tuple(header) == COLUMNS
    return [dict(zip(header, row, strict=True)) for row in rows]


async def _api_pages(client, caller, query: str = "") -> list[dict]:
    found, url = [], f"/api/visits?limit={MAX_LIMIT}{query}"
    while url:
        response = await client.get(url, headers=caller.headers)
        assert response.status_code == 200, response.text
        found += response.json()
        link = response.headers.get("link")
        url = link[1 : link.index(">")] if link else None
    return found


def _as_cells(visit: dict, unit: str) -> dict:
    words = {True: "true", False: "false", None: ""}
    cells = {
        key: words[value] if value is None or isinstance(value, bool) else str(value) for key, value in visit.items()
    }
    cells.pop("approval")
    return cells | {"unit": unit}


async def test_export_of_many_visits_matches_the_api_row_by_row(client, db):
    await demo.seed_bulk(EXPORT_N, residents=50)
    from app.db.tables import ApiToken, Resident
    from tests.factory import Factory

    guard = await Factory().caller("guard")
    units = {str(row["id"]): row["unit"] for row in await Resident.select(Resident.id, Resident.unit)}
    listed = await _api_pages(client, guard)
    exported = _rows(await client.get("/api/visits/export", headers=guard.headers))
    assert len(exported) == len(listed) == EXPORT_N
    for row, visit in zip(exported, listed, strict=True):
        assert row == _as_cells(visit, units[visit["residentId"]])
    assert await ApiToken.count() >= 1


async def test_export_takes_the_lists_filters(client, factory, guard):
    home = await factory.resident(unit="D-404")
    other = await factory.resident()
    await factory.visit(
        home.id,
        visitor_name="Early Bird",
        arrival_date="2026-01-01T10:00:00+00:00",
        departure_date="2026-01-01T11:00:00+00:00",
    )
    await factory.visit(
        home.id, visitor_name="Carla Dias", license_plate="XYZ-9876", arrival_date="2026-01-02T10:00:00+00:00"
    )
    await factory.visit(other.id, visitor_name="Carla Other", arrival_date="2026-01-02T11:00:00+00:00")
    await factory.visit(home.id, visitor_name="Still Here", arrival_date="2026-01-03T10:00:00+00:00")
    for query in (
        f"&residentId={home.id}",
        "&q=carla",
        "&from=2026-01-02&to=2026-01-02",
        "&onSite=false",
        f"&residentId={home.id}&q=xyz9876",
    ):
        listed = await _api_pages(client, guard, query)
        exported = _rows(await client.get(f"/api/visits/export?{query[1:]}", headers=guard.headers))
        assert [row["id"] for row in exported] == [visit["id"] for visit in listed], query
        assert listed, query


async def test_cells_a_spreadsheet_would_run_are_neutralised_and_times_are_in_the_sites_zone(client, factory, guard):
    home = await factory.resident(unit="=1+1")
    await factory.visit(
        home.id,
        visitor_name='=HYPERLINK("http://x")',
        subject="+Guest",
        license_plate="@ABC",
        arrival_date="2026-01-02T10:00:00+00:00",
    )
    site.configure(ZoneInfo("America/Sao_Paulo"))  # the next test's database fixture puts the default back
    (row,) = _rows(await client.get("/api/visits/export", headers=guard.headers))
    assert row["visitorName"] == '\'=HYPERLINK("http://x")'
    assert row["subject"] == "'+Guest" and row["unit"] == "'=1+1"
    assert row["arrivalDate"] == "2026-01-02T07:00:00-03:00"
    assert row["departureDate"] == "" and row["departureAutomatic"] == "false"


async def test_a_residents_token_exports_only_their_own_visits(client, factory, homes):
    home_a, caller_a, home_b, _ = homes
    mine = await factory.visit(home_a.id)
    await factory.visit(home_b.id)
    rows = _rows(await client.get("/api/visits/export", headers=caller_a.headers))
    assert [row["id"] for row in rows] == [str(mine.id)]
    refused = await client.get(f"/api/visits/export?residentId={home_b.id}", headers=caller_a.headers)
    assert refused.status_code == 404


async def test_a_bad_filter_is_a_problem_before_any_row(client, guard):
    response = await client.get("/api/visits/export?from=yesterday", headers=guard.headers)
    assert response.status_code == 400
    assert "from" in response.text
    assert (await client.get("/api/visits/export")).status_code == 401


async def test_the_history_page_downloads_with_its_filters(kiosk, factory):
    client, _, _ = kiosk
    home = await factory.resident()
    await factory.visit(home.id, visitor_name="Carla Dias", arrival_date="2026-01-02T10:00:00+00:00")
    await factory.visit(home.id, visitor_name="Other One", arrival_date="2026-01-02T10:00:00+00:00")
    page = await client.get("/kiosk/visits?q=carla")
    assert 'href="/kiosk/visits/export?q=carla' in page.text
    response = await client.get("/kiosk/visits/export?q=carla&status=all")
    assert [row["visitorName"] for row in _rows(response)] == ["Carla Dias"]
    assert "attachment" in response.headers["content-disposition"]


async def test_a_resident_downloads_their_own_history(resident_a, factory, homes):
    client, _ = resident_a
    home_a, _, home_b, _ = homes
    await factory.visit(home_a.id, visitor_name="Mine", arrival_date="2026-01-02T10:00:00+00:00")
    await factory.visit(home_b.id, visitor_name="Theirs", arrival_date="2026-01-02T10:00:00+00:00")
    page = await client.get("/me")
    assert 'href="/me/export?' in page.text
    rows = _rows(await client.get("/me/export?from=2026-01-01&to=2026-01-31"))
    assert [row["visitorName"] for row in rows] == ["Mine"]
