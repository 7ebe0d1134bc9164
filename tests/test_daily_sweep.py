"""The daily sweep the server runs at SWEEP_AT (issue 7): started with the app only when set, and what it does."""

from __future__ import annotations

import asyncio
import dataclasses
from datetime import UTC, datetime, time, timedelta

from app.db.tables import AuditEvent
from app.main import create_app
from app.services import sweep
from app.settings import load_settings
from tests.conftest import running


async def test_the_app_runs_the_daily_sweep_only_when_sweep_at_is_set(db):
    async with running(create_app(load_settings())) as app:
        assert app.state.daily_sweep is None  # never on by default
    scheduled = dataclasses.replace(load_settings(), sweep_at=time(3, 0))
    async with running(create_app(scheduled)) as app:
        task = app.state.daily_sweep
        await asyncio.sleep(0)
        assert task.get_name() == "daily-sweep" and not task.done()
    assert task.cancelled()


async def test_the_daily_sweep_checks_out_yesterdays_visitors_as_the_schedule(factory):
    resident = await factory.resident()
    yesterday = datetime.now(UTC) - timedelta(days=1)
    forgotten = await factory.visit(resident.id, arrival_date=yesterday.isoformat())
    result = await sweep.daily_sweep()
    assert [v.id for v in result.visits] == [forgotten.id]
    (event,) = await AuditEvent.select().where(AuditEvent.record_id == forgotten.id, AuditEvent.action == sweep.SWEPT)
    assert event["actor_email"] == sweep.SCHEDULED.email
