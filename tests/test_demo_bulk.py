"""`gatehouse demo --visits N`: bulk seeding gives N visits, the on-site count, and working demo logins."""

from __future__ import annotations

from datetime import timedelta

from app import demo
from app.db.tables import Account, EntryRequest, Parcel, Resident, Visit
from app.domain.entry_requests.service import WAITING_WINDOW
from app.domain.visits import service as visits
from app.domain.visits.schemas import VisitFilters
from app.lib.actors import SYSTEM
from app.lib.clock import utc_now
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
    # Answered requests for the handover to list, none recent enough for the kiosk's Waiting list.
    assert await EntryRequest.count() == 700 // demo.REQUESTS_PER_VISIT
    now = utc_now()
    refused_lately = EntryRequest.count().where(
        EntryRequest.status == "refused", EntryRequest.answered_at >= now - timedelta(days=1)
    )
    assert await refused_lately >= demo.BULK_REFUSED_RECENTLY
    assert await EntryRequest.count().where(EntryRequest.asked_at >= now - WAITING_WINDOW) == 0
    assert await EntryRequest.count().where(EntryRequest.status.not_in(["approved", "refused"])) == 0

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
