"""/api/reports: the Reports page's numbers as JSON, for administrators."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, get
from litestar.di import NamedDependency
from litestar.params import QueryParameter

from app.api.docs import problems
from app.domain.reports import schemas as report_schemas
from app.domain.reports import service as reports
from app.lib.actors import Actor
from app.lib.clock import FILTER_DAY_PATTERN

_DAY = {
    "one_of": None,
    "any_of": [{"type": "string", "format": "date", "pattern": FILTER_DAY_PATTERN}, {"type": "string", "maxLength": 0}],
}
"""A day, or empty for the default."""
FirstDay = Annotated[
    str | None,
    QueryParameter(
        name="from",
        description="The first day (YYYY-MM-DD, in the site's time zone); by default 29 days before `to`",
        schema_extra=_DAY,
    ),
]
LastDay = Annotated[
    str | None,
    QueryParameter(name="to", description="The last day, included (YYYY-MM-DD); by default today", schema_extra=_DAY),
]


class ReportController(Controller):
    path = "/reports"
    tags = ["Reports"]

    @get(
        "/visits-per-day",
        operation_id="getVisitsPerDay",
        summary="Visits per day",
        description="Arrivals on each day from `from` to `to` (at most three years), days in the site's time zone, "
        "every day listed (0 for a quiet one). Administrators only.",
        responses=problems(403),
    )
    async def visits_per_day(
        self, actor: NamedDependency[Actor], first: FirstDay = None, last: LastDay = None
    ) -> list[report_schemas.DayCount]:
        return await reports.visits_per_day(actor, first, last)

    @get(
        "/arrivals-by-hour",
        operation_id="getArrivalsByHour",
        summary="Arrivals by weekday and hour",
        description="Arrivals from `from` to `to` by ISO weekday and hour of the day in the site's time zone: 168 "
        "cells, Monday 00h first. Administrators only.",
        responses=problems(403),
    )
    async def arrivals_by_hour(
        self, actor: NamedDependency[Actor], first: FirstDay = None, last: LastDay = None
    ) -> list[report_schemas.HourCount]:
        return await reports.arrivals_by_hour(actor, first, last)
