"""An announcement's 'When' in the reader's weekday names and date formats (Babel), not English strftime."""

from __future__ import annotations

from datetime import UTC, date, datetime
from uuid import uuid4

import pytest

from app.domain.expected.schemas import Expected
from app.domain.expected.service import describe_when
from app.lib import i18n


@pytest.fixture(autouse=True)
def back_to_english():
    yield
    i18n.use_language(None)


def announcement(starts_on: date, ends_on: date, weekdays: list[int]) -> Expected:
    return Expected(
        id=uuid4(),
        resident_id=uuid4(),
        resident_name="Ana Lima",
        resident_unit="B-302",
        visitor_name="Carla",
        total_people=1,
        vehicle_color=None,
        license_plate=None,
        note=None,
        starts_on=starts_on,
        ends_on=ends_on,
        weekdays=weekdays,
        single_day=starts_on == ends_on and not weekdays,
        used=False,
        created_at=datetime(2026, 11, 1, tzinfo=UTC),
        pass_code="123456",
        pass_url="",
        pass_uses=0,
        pass_max_uses=None,
        pass_revoked_at=None,
    )


ONE_DAY = announcement(date(2026, 12, 1), date(2026, 12, 1), [])
RANGE = announcement(date(2026, 12, 1), date(2026, 12, 5), [])
WEEKLY = announcement(date(2026, 12, 1), date(2027, 3, 31), [2, 4])


@pytest.mark.parametrize(
    ("language", "one_day", "days", "weekdays", "last_day"),
    [
        ("en", "Tuesday, December 1, 2026", "Dec 1", "Tuesday and Thursday", "Mar 31, 2027"),
        (
            "pt_BR",
            "terça-feira, 1 de dezembro de 2026",
            "dez. de 2026",
            "terça-feira e quinta-feira",
            "31 de mar. de 2027",
        ),
        ("es", "martes, 1 de diciembre de 2026", "dic 2026", "martes y jueves", "31 mar 2027"),
    ],
)
def test_when_reads_as_each_language_writes_dates(language, one_day, days, weekdays, last_day):
    i18n.use_language(language)
    assert describe_when(ONE_DAY) == one_day
    assert days in describe_when(RANGE) and "5" in describe_when(RANGE)
    weekly = describe_when(WEEKLY)
    assert weekdays in weekly and last_day in weekly


def test_a_weekly_announcement_in_english_is_one_sentence():
    assert describe_when(WEEKLY) == "Every Tuesday and Thursday until Mar 31, 2027"
    assert describe_when(RANGE) == "Dec 1\u2009\u2013\u20095, 2026"
