"""The daily sweep's schedule (issue 7): when it runs next, the loop under a fake clock, and the settings."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from app.lib.schedule import MAX_NAP, next_run, run_daily
from app.settings import SettingsError, load_settings

LISBON = ZoneInfo("Europe/Lisbon")


@pytest.mark.parametrize(
    ("after", "expected"),
    [
        (datetime(2026, 11, 28, 2, 59, tzinfo=UTC), datetime(2026, 11, 28, 3, 0, tzinfo=UTC)),
        (datetime(2026, 11, 28, 3, 0, tzinfo=UTC), datetime(2026, 11, 29, 3, 0, tzinfo=UTC)),
        (datetime(2026, 11, 28, 15, 0, tzinfo=UTC), datetime(2026, 11, 29, 3, 0, tzinfo=UTC)),
        (datetime(2026, 12, 31, 23, 0, tzinfo=UTC), datetime(2027, 1, 1, 3, 0, tzinfo=UTC)),
    ],
)
def test_next_run_is_the_first_such_time_strictly_after(after, expected):
    assert next_run(after, time(3, 0), UTC) == expected


def test_next_run_is_in_the_site_zone():
    # 03:00 in Sao Paulo (UTC-3) is 06:00 UTC; at 05:00 UTC it is still to come today.
    sao_paulo = ZoneInfo("America/Sao_Paulo")
    assert next_run(datetime(2026, 11, 28, 5, 0, tzinfo=UTC), time(3, 0), sao_paulo) == datetime(
        2026, 11, 28, 6, 0, tzinfo=UTC
    )
    # Late at night in Sao Paulo is already the next day in UTC: the local date decides.
    assert next_run(datetime(2026, 11, 29, 1, 0, tzinfo=UTC), time(23, 30), sao_paulo) == datetime(
        2026, 11, 29, 2, 30, tzinfo=UTC
    )


def test_daylight_saving_changes_run_once_that_day():
    # Lisbon springs forward at 01:00 UTC on 29 March 2026: local 01:30 never happens; it runs an hour late.
    spring = next_run(datetime(2026, 3, 29, 0, 0, tzinfo=UTC), time(1, 30), LISBON)
    assert spring == datetime(2026, 3, 29, 1, 30, tzinfo=UTC)
    assert next_run(spring, time(1, 30), LISBON) == datetime(2026, 3, 30, 0, 30, tzinfo=UTC)
    # It falls back on 25 October 2026: local 01:30 happens twice; only the first counts.
    autumn = next_run(datetime(2026, 10, 25, 0, 0, tzinfo=UTC), time(1, 30), LISBON)
    assert autumn == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)
    assert next_run(autumn, time(1, 30), LISBON) == datetime(2026, 10, 26, 1, 30, tzinfo=UTC)


class Stop(BaseException):
    """Not an Exception, so run_daily does not catch it: it ends the loop as cancelling the task would."""


class FakeClock:
    """A clock that moves only when the loop sleeps; `short` makes every sleep wake early by that fraction."""

    def __init__(self, start: datetime, stop_after: int, short: float = 0.0) -> None:
        self.now, self.naps, self.runs = start, [], []
        self.stop_after, self.short = stop_after, short

    def time(self) -> datetime:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.naps.append(seconds)
        self.now += timedelta(seconds=max(1.0, seconds * (1 - self.short)))

    async def job(self) -> None:
        self.runs.append(self.now)
        if len(self.runs) == self.stop_after:
            raise Stop


async def test_run_daily_runs_once_a_day_at_the_time_without_sleeping_long():
    clock = FakeClock(datetime(2026, 11, 28, 10, 0, tzinfo=UTC), stop_after=3)
    with pytest.raises(Stop):
        await run_daily(time(3, 0), clock.job, UTC, now=clock.time, sleep=clock.sleep)
    assert clock.runs == [datetime(2026, 11, d, 3, 0, tzinfo=UTC) for d in (29, 30)] + [
        datetime(2026, 12, 1, 3, 0, tzinfo=UTC)
    ]
    assert max(clock.naps) <= MAX_NAP.total_seconds()


async def test_run_daily_never_runs_early_or_twice_when_sleep_wakes_early():
    clock = FakeClock(datetime(2026, 11, 28, 2, 0, tzinfo=UTC), stop_after=2, short=0.3)
    with pytest.raises(Stop):
        await run_daily(time(3, 0), clock.job, UTC, now=clock.time, sleep=clock.sleep)
    first, second = clock.runs
    assert first >= datetime(2026, 11, 28, 3, 0, tzinfo=UTC) and first.date().day == 28
    assert second >= datetime(2026, 11, 29, 3, 0, tzinfo=UTC) and second.date().day == 29


async def test_a_failing_job_is_logged_and_tried_again_the_next_day(caplog):
    clock = FakeClock(datetime(2026, 11, 28, 10, 0, tzinfo=UTC), stop_after=2)

    async def failing_then_stopping():
        await clock.job()
        raise RuntimeError("database unreachable")

    with pytest.raises(Stop):
        await run_daily(time(3, 0), failing_then_stopping, UTC, now=clock.time, sleep=clock.sleep)
    assert len(clock.runs) == 2
    assert "database unreachable" in caplog.text


def test_overstay_hours_and_sweep_at_settings(monkeypatch):
    monkeypatch.delenv("OVERSTAY_HOURS", raising=False)
    monkeypatch.delenv("SWEEP_AT", raising=False)
    defaults = load_settings()
    assert (defaults.overstay_hours, defaults.sweep_at) == (12, None)  # never sweeps unless asked

    monkeypatch.setenv("OVERSTAY_HOURS", " 8 ")
    monkeypatch.setenv("SWEEP_AT", "3:05")
    chosen = load_settings()
    assert (chosen.overstay_hours, chosen.sweep_at) == (8, time(3, 5))

    monkeypatch.setenv("SWEEP_AT", "")
    assert load_settings().sweep_at is None


def test_entry_approval_settings(monkeypatch):
    monkeypatch.delenv("ENTRY_APPROVAL", raising=False)
    monkeypatch.delenv("ENTRY_APPROVAL_TIMEOUT", raising=False)
    defaults = load_settings()
    assert (defaults.entry_approval, defaults.approval_timeout_seconds) == ("offer", 90)
    monkeypatch.setenv("ENTRY_APPROVAL", " Require ")
    monkeypatch.setenv("ENTRY_APPROVAL_TIMEOUT", "120")
    chosen = load_settings()
    assert (chosen.entry_approval, chosen.approval_timeout_seconds) == ("require", 120)


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("OVERSTAY_HOURS", "0"),
        ("OVERSTAY_HOURS", "-3"),
        ("OVERSTAY_HOURS", "1.5"),
        ("OVERSTAY_HOURS", "twelve"),
        ("OVERSTAY_HOURS", "721"),
        ("SWEEP_AT", "25:00"),
        ("SWEEP_AT", "03:60"),
        ("SWEEP_AT", "3am"),
        ("SWEEP_AT", "03:00:00"),
        ("SWEEP_AT", "0300"),
        ("ENTRY_APPROVAL", "sometimes"),
        ("ENTRY_APPROVAL_TIMEOUT", "5"),
        ("ENTRY_APPROVAL_TIMEOUT", "ninety"),
    ],
)
def test_unusable_settings_are_refused_by_name(monkeypatch, name, value):
    monkeypatch.setenv(name, value)
    with pytest.raises(SettingsError, match=name):
        load_settings()
