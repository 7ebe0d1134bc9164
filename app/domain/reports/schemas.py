"""The numbers the Reports page draws and the reports API returns."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import msgspec
from msgspec import Meta


class DayCount(msgspec.Struct, rename="camel"):
    day: Annotated[date, Meta(description="A day in the site's time zone")]
    visits: Annotated[int, Meta(description="Visitors who arrived that day")]


class HourCount(msgspec.Struct, rename="camel"):
    weekday: Annotated[int, Meta(ge=1, le=7, description="ISO weekday in the site's time zone: 1 Monday … 7 Sunday")]
    hour: Annotated[int, Meta(ge=0, le=23, description="Hour of the day in the site's time zone")]
    arrivals: int


class SubjectCount(msgspec.Struct):
    subject: str
    visits: int


class StayBand(msgspec.Struct):
    label: str
    visits: int


class Stays(msgspec.Struct):
    """Stays of visitors a guard checked out (the sweep's automatic check-outs are guesses, counted apart)."""

    counted: int
    median_minutes: int | None
    longest_minutes: int | None
    overstays: int
    overstay_hours: float
    automatic_check_outs: int
    bands: list[StayBand]


class Report(msgspec.Struct):
    """Everything the Reports page shows for one period."""

    first_day: date
    last_day: date
    days: list[DayCount]
    hours: list[HourCount]
    busiest: list[HourCount]
    subjects: list[SubjectCount]
    stays: Stays
    overrides: int
