"""The Reports page for administrators: the period's numbers, each chart drawn on the server beside its table."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta

from litestar import Controller, Request, Response, get
from litestar.di import NamedDependency

from app.domain.kiosk.board import time_inside
from app.domain.reports import charts
from app.domain.reports import service as reports
from app.lib import formats
from app.lib.actors import Actor
from app.web.render import page

_EPOCH = datetime(2000, 1, 1, tzinfo=UTC)


def stay(minutes: int | None) -> str:
    """A stay's length as the board writes it ('2 h 15 min')."""
    return "" if minutes is None else time_inside(_EPOCH, _EPOCH + timedelta(minutes=minutes))


def _months(days) -> list[tuple[str, int]]:
    """A long period's days summed by month, for its table (the chart keeps every day)."""
    totals: Counter = Counter()
    for day in days:
        totals[day.day.replace(day=1)] += day.visits
    return [(formats.month(month), count) for month, count in totals.items()]


class ReportPagesController(Controller):
    path = "/admin/reports"
    include_in_schema = False

    @get("/")
    async def index(self, request: Request, actor: NamedDependency[Actor]) -> Response:
        try:
            days = int(request.query_params.get("days") or reports.DEFAULT_DAYS)
        except ValueError:
            days = reports.DEFAULT_DAYS
        found = await reports.report(actor, days)
        weekdays = formats.weekday_names()
        by_day = [(formats.day(day.day), day.visits) for day in found.days]
        subjects = [(subject.subject, subject.visits) for subject in found.subjects]
        bands = [(band.label, band.visits) for band in found.stays.bands]
        busiest = [(f"{weekdays[cell.weekday]} {cell.hour:02d}h", cell.arrivals) for cell in found.busiest]
        return page(
            "reports/page.html",
            report=found,
            days=len(found.days),
            periods=reports.PERIODS,
            day_chart=charts.day_columns(found.days),
            day_table=by_day if len(by_day) <= 31 else _months(found.days),
            heat=charts.heat_cells(found.hours),
            weekdays=weekdays,
            busiest=busiest,
            busiest_chart=charts.row_bars(busiest),
            subjects_chart=charts.row_bars(subjects),
            subjects_table=subjects,
            stays_chart=charts.row_bars(bands),
            stays_table=bands,
            stay=stay,
        )
