"""Reading visits: listing, keyset paging, filters, single reads."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit
from uuid import uuid4

import pytest


async def test_list_is_newest_arrival_first_with_resident_name(client, factory, guard):
    resident = await factory.resident(name="Ana Costa")
    older = await factory.visit(resident.id, arrival_date="2026-01-01T08:00:00+00:00")
    newer = await factory.visit(resident.id, arrival_date="2026-01-02T08:00:00+00:00")

    response = await client.get("/api/visits", headers=guard.headers)

    assert response.status_code == 200
    body = response.json()
    assert [v["id"] for v in body] == [str(newer.id), str(older.id)]
    assert body[0]["residentName"] == "Ana Costa"
    assert set(body[0]) == {
        "id",
        "residentId",
        "residentName",
        "visitorName",
        "totalPeople",
        "vehicleColor",
        "licensePlate",
        "subject",
        "arrivalDate",
        "departureDate",
        "createdAt",
        "departureAutomatic",  # additive, beside the contract's fields
        "approval",  # additive: the resident's answer the visitor came in on
        "arrivalGateId",  # additive: the gates it came in and left by
        "departureGateId",
    }
    assert body[0]["departureAutomatic"] is False and body[0]["approval"] is None
    assert "link" not in response.headers


async def test_cursor_walks_every_visit_once_including_same_arrival_times(client, factory, guard):
    resident = await factory.resident()
    created = set()
    for hour in range(5):
        for _ in range(3):  # three visits share each arrival time: the id breaks the tie
            visit = await factory.visit(resident.id, arrival_date=f"2026-01-01T{10 + hour:02d}:00:00+00:00")
            created.add(str(visit.id))

    seen, url, pages = [], "/api/visits?limit=4", 0
    while url:
        response = await client.get(url, headers=guard.headers)
        assert response.status_code == 200
        seen += [v["id"] for v in response.json()]
        pages += 1
        link = response.headers.get("link")
        url = link[1 : link.index(">")] if link else None
        if link:
            assert link.endswith('>; rel="next"')
            assert parse_qs(urlsplit(url).query)["limit"] == ["4"]

    assert pages == 4
    assert len(seen) == len(set(seen)) == 15
    assert set(seen) == created


@pytest.mark.parametrize("limit", ["0", "501", "x"])
async def test_limit_out_of_range_is_a_400_naming_limit(client, guard, limit):
    response = await client.get(f"/api/visits?limit={limit}", headers=guard.headers)
    assert response.status_code == 400
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["errors"][0]["field"] == "limit"


async def test_forged_cursor_is_a_400_naming_cursor(client, guard):
    response = await client.get("/api/visits?cursor=bm90LWEtY3Vyc29y", headers=guard.headers)
    assert response.status_code == 400
    [error] = response.json()["errors"]
    assert error["field"] == "cursor" and error["message"]


async def test_filters_on_site_resident_and_arrival_window(client, factory, guard):
    a, b = await factory.resident(), await factory.resident()
    inside = await factory.visit(a.id, arrival_date="2026-03-01T10:00:00+00:00")
    left = await factory.visit(
        a.id, arrival_date="2026-02-01T10:00:00+00:00", departure_date="2026-02-01T11:00:00+00:00"
    )
    other = await factory.visit(b.id, arrival_date="2026-01-01T10:00:00+00:00")

    async def ids(query):
        response = await client.get(f"/api/visits?{query}", headers=guard.headers)
        assert response.status_code == 200, response.text
        return [v["id"] for v in response.json()]

    assert await ids("onSite=true") == [str(inside.id), str(other.id)]
    assert await ids("onSite=false") == [str(left.id)]
    assert await ids(f"residentId={b.id}") == [str(other.id)]
    assert await ids("from=2026-01-15T00:00:00Z&to=2026-02-15T00:00:00Z") == [str(left.id)]
    assert await ids("from=2026-02-01T10:00:00Z") == [str(inside.id), str(left.id)]


async def test_bad_filters_are_400_naming_the_parameter(client, guard):
    response = await client.get("/api/visits?onSite=maybe", headers=guard.headers)
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "onSite"
    response = await client.get("/api/visits?from=yesterday", headers=guard.headers)
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "from"


async def test_q_matches_visitor_name_or_plate_on_its_normalised_key(client, factory, guard):
    resident = await factory.resident()
    plated = await factory.visit(resident.id, visitor_name="Rui Nunes", license_plate="ABC 1D23")
    named = await factory.visit(resident.id, visitor_name="Abcde Lopes")
    await factory.visit(resident.id, visitor_name="Someone Else", license_plate="ZZZ-9999")

    async def ids(q):
        response = await client.get("/api/visits", params={"q": q}, headers=guard.headers)
        assert response.status_code == 200
        return {v["id"] for v in response.json()}

    assert await ids("abc-1d23") == {str(plated.id)}
    assert await ids("1d2") == {str(plated.id)}
    assert await ids("rui nu") == {str(plated.id)}
    assert await ids("abc") == {str(plated.id), str(named.id)}
    assert await ids("100%") == set()


async def test_get_one_visit_and_404_for_unknown_or_malformed_ids(client, factory, guard):
    resident = await factory.resident()
    visit = await factory.visit(resident.id)

    response = await client.get(f"/api/visits/{visit.id}", headers=guard.headers)
    assert response.status_code == 200
    assert response.json()["id"] == str(visit.id)

    for bad in (uuid4(), "not-a-uuid", "1"):
        response = await client.get(f"/api/visits/{bad}", headers=guard.headers)
        assert response.status_code in (400, 404)
        assert response.headers["content-type"].startswith("application/problem+json")
        assert response.json()["detail"]


async def test_visits_of_a_resident_and_404_for_an_unknown_resident(client, factory, guard):
    a, b = await factory.resident(), await factory.resident()
    mine = await factory.visit(a.id)
    await factory.visit(b.id)

    response = await client.get(f"/api/visits/resident/{a.id}", headers=guard.headers)
    assert response.status_code == 200
    assert [v["id"] for v in response.json()] == [str(mine.id)]

    response = await client.get(f"/api/visits/resident/{uuid4()}", headers=guard.headers)
    assert response.status_code == 404


async def test_a_date_only_to_includes_that_whole_day_in_the_site_zone(client, factory, guard):
    resident = await factory.resident()
    late = await factory.visit(resident.id, arrival_date="2026-01-01T23:59:59.500000+00:00")
    await factory.visit(resident.id, arrival_date="2026-01-02T00:00:00+00:00")
    response = await client.get("/api/visits?to=2026-01-01", headers=guard.headers)
    assert [v["id"] for v in response.json()] == [str(late.id)]


@pytest.mark.parametrize("query", ["from=0001-01-01T00:00:00%2B01:00", "to=9999-12-31T23:59:59-01:00", "to=2026-02-30"])
async def test_out_of_range_filters_are_400_not_500(client, guard, query):
    response = await client.get(f"/api/visits?{query}", headers=guard.headers)
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] in {"from", "to"}


async def test_limit_must_be_written_as_a_whole_number(client, admin):
    for path in ("/api/visits", "/api/residents", "/api/expected-visits"):
        for limit in ("1.0", " 1", "1e1"):
            response = await client.get(f"{path}?limit={limit}", headers=admin.headers)
            assert response.status_code == 400, (path, limit)
            assert response.json()["errors"][0]["field"] == "limit"
        assert (await client.get(f"{path}?limit=2", headers=admin.headers)).status_code == 200
