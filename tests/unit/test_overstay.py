"""Who is overstaying (issue 7): the rule, its boundary and the site's limit."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from uuid import uuid4

import pytest

from app.domain.kiosk.overstay import overstay
from app.domain.visits import schemas as visit_schemas
from app.lib import site

NOW = datetime(2026, 11, 28, 15, 0, tzinfo=UTC)


def a_visit(arrived: datetime, left: datetime | None = None) -> visit_schemas.Visit:
    return visit_schemas.Visit(
        id=uuid4(),
        resident_id=uuid4(),
        resident_name="Ana Lima",
        visitor_name="Maria Silva",
        total_people=1,
        vehicle_color=None,
        license_plate=None,
        subject="Guest",
        arrival_date=arrived,
        departure_date=left,
        created_at=arrived,
    )


@pytest.fixture
def limit():
    """Set the site's overstay limit for one test, and put the default back."""
    yield lambda hours: site.configure(site.site_timezone(), timedelta(hours=hours))
    site.configure(site.site_timezone())


def test_exactly_the_limit_is_not_an_overstay_one_second_more_is():
    assert overstay(a_visit(NOW - timedelta(hours=12)), NOW) is None
    reason = overstay(a_visit(NOW - timedelta(hours=12, seconds=1)), NOW)
    assert reason is not None
    assert (reason.code, reason.label) == ("over-limit", "Over 12 h")
    assert reason.detail == "Inside for more than 12 hours."


def test_a_visitor_who_left_is_never_overstaying():
    arrived = NOW - timedelta(days=3)
    assert overstay(a_visit(arrived, left=arrived + timedelta(days=2)), NOW) is None


def test_the_limit_comes_from_the_site_setting(limit):
    limit(2)
    reason = overstay(a_visit(NOW - timedelta(hours=2, minutes=1)), NOW)
    assert reason is not None and reason.label == "Over 2 h"
    assert overstay(a_visit(NOW - timedelta(hours=1, minutes=59)), NOW) is None
    limit(1)
    assert overstay(a_visit(NOW - timedelta(hours=1, minutes=1)), NOW).detail == "Inside for more than 1 hour."
