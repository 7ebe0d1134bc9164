"""Dates, times and numbers as each language writes them, in the site's time zone."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from app.lib import formats, i18n, site

AFTERNOON = datetime(2026, 11, 30, 18, 5, tzinfo=UTC)  # 15:05 in São Paulo


@pytest.fixture(autouse=True)
def sao_paulo():
    site.configure(ZoneInfo("America/Sao_Paulo"), timedelta(hours=12))
    yield
    site.configure(ZoneInfo("UTC"), timedelta(hours=12))
    i18n.use_language(None)


@pytest.mark.parametrize(
    ("language", "clock", "day", "long_day"),
    [
        ("en", "3:05\u202fPM", "Nov 30, 2026", "Monday, November 30, 2026"),
        ("pt_BR", "15:05", "30 de nov. de 2026", "segunda-feira, 30 de novembro de 2026"),
        ("es", "15:05", "30 nov 2026", "lunes, 30 de noviembre de 2026"),
    ],
)
def test_times_and_days_in_each_language_and_the_site_zone(language, clock, day, long_day):
    i18n.use_language(language)
    assert formats.time_of_day(AFTERNOON) == clock
    assert formats.day(AFTERNOON) == day
    assert formats.long_day(date(2026, 11, 30)) == long_day
    assert formats.day_and_time(AFTERNOON).startswith(day) and formats.day_and_time(AFTERNOON).endswith(clock)


def test_the_24_hour_shortcut_agrees_with_babel_early_in_the_morning():
    early = datetime(2026, 11, 30, 10, 7, tzinfo=UTC)  # 07:07 in São Paulo
    i18n.use_language("pt_BR")
    assert formats.time_of_day(early) == "07:07"
    i18n.use_language("es")
    assert formats.time_of_day(early) == "7:07"


def test_today_shows_the_time_alone_and_earlier_days_their_date():
    i18n.use_language("pt_BR")
    assert formats.time_or_day(AFTERNOON, AFTERNOON + timedelta(hours=1)) == "15:05"
    assert formats.time_or_day(AFTERNOON, AFTERNOON + timedelta(days=2)) == "30 de nov. 15:05"


def test_weekday_names_start_on_monday_in_the_language():
    i18n.use_language("es")
    assert formats.weekday_names()[1] == "lunes"
    assert formats.weekday_names()[7] == "domingo"


def test_numbers_use_the_language_separators():
    i18n.use_language("pt_BR")
    assert formats.number(12345) == "12.345"
    i18n.use_language("en")
    assert formats.number(12345) == "12,345"
