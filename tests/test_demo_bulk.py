"""`gatehouse demo --visits N`: bulk seeding gives N visits, the on-site count, and working demo logins."""

from __future__ import annotations

from app import demo
from app.db.tables import Account, Parcel, Resident, Visit
from app.domain.visits import service as visits
from app.domain.visits.schemas import VisitFilters
from app.lib.actors import SYSTEM
from tests.test_cli import gatehouse


async def test_bulk_demo_seeds_visits_residents_and_logins_once(db, client):
    result = gatehouse("demo", "--visits", "700", "--residents", "25")
    assert result.returncode == 0, result.stderr
    assert "Seeded 700 visits over 25 residents" in result.stdout
    assert await Visit.count() == 700 and await Resident.count() == 25
    assert await Visit.count().where(Visit.departure_date.is_null()) == demo.BULK_ON_SITE
    assert await Parcel.count().where(Parcel.handed_over_at.is_null()) == demo.BULK_PARCELS_WAITING
    assert await Account.count() == len(demo.DEMO_LOGINS)
    assert await Resident.count().where(Resident.name_key.is_null()) == 0  # found by names typed without accents

    token = result.stdout.strip().splitlines()[-1]
    response = await client.get("/api/visits?limit=500", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200 and len(response.json()) == 500
    inside = await visits.list_visits(SYSTEM, VisitFilters(on_site=True), 500)
    assert len(inside.items) == demo.BULK_ON_SITE

    again = gatehouse("demo", "--visits", "10")
    assert "already has data" in again.stdout
    assert await Visit.count() == 700


def test_bulk_demo_refuses_a_count_below_one():
    result = gatehouse("demo", "--visits", "0")
    assert result.returncode == 2 and "positive" in result.stderr
