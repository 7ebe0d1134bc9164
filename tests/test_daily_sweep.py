"""The daily sweep the server runs at SWEEP_AT (issue 7): started with the app only when set, and what it does."""

from __future__ import annotations

import asyncio
import dataclasses
from datetime import UTC, datetime, time, timedelta

from app.db.tables import AuditEvent
from app.domain.kiosk import sweep
from app.lib import schedule
from app.main import create_app
from app.settings import load_settings
from tests.conftest import running


async def test_the_app_runs_the_daily_sweep_only_when_sweep_at_is_set(db, monkeypatch):
    async with running(create_app(load_settings())) as app:
        assert app.state.daily_sweep is None  # never on by default
    planned, next_run = asyncio.Event(), schedule.next_run

    def watched_next_run(*args):
        planned.set()
        return next_run(*args)

    monkeypatch.setattr(schedule, "next_run", watched_next_run)
    scheduled = dataclasses.replace(load_settings(), sweep_at=time(3, 0))
    async with running(create_app(scheduled)) as app:
        task = app.state.daily_sweep
        assert task.get_name() == "daily-sweep"
        await asyncio.wait({task, asyncio.create_task(planned.wait())}, return_when=asyncio.FIRST_COMPLETED)
        assert planned.is_set() and not task.done()  # it worked out its next run and waits for it
    assert task.cancelled()


async def test_the_daily_sweep_checks_out_yesterdays_visitors_as_the_schedule(factory):
    resident = await factory.resident()
    yesterday = datetime.now(UTC) - timedelta(days=1)
    forgotten = await factory.visit(resident.id, arrival_date=yesterday.isoformat())
    result = await sweep.daily_sweep()
    assert [v.id for v in result.visits] == [forgotten.id]
    (event,) = await AuditEvent.select().where(AuditEvent.record_id == forgotten.id, AuditEvent.action == sweep.SWEPT)
    assert event["actor_email"] == sweep.SCHEDULED.email
