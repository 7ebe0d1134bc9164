"""Builds residents, accounts with tokens and visits through the real services."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from uuid import UUID

from app.domain.accounts import service as accounts
from app.domain.residents import schemas as resident_schemas
from app.domain.residents import service as residents
from app.domain.visits import schemas as visit_schemas
from app.domain.visits import service as visits
from app.lib.actors import SYSTEM, Actor

_counter = itertools.count(1)
PASSWORD = "a-long-password"  # every account the factory makes signs in with it

CALENDAR_EDGES = [
    "0001-01-01",
    "0001-01-01T00:00:00Z",
    "0001-01-01T00:00:00+23:59",
    "9999-12-31",
    "9999-12-31T23:59:59.999999Z",
    "9999-12-31T23:59:59.999999-23:59",
]
"""Dates where time-zone or next-day arithmetic leaves the calendar: every date filter must refuse them by name."""


@dataclass
class Caller:
    actor: Actor
    token: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


class Factory:
    async def resident(self, name: str | None = None, unit: str | None = None, active: bool = True):
        n = next(_counter)
        return await residents.create_resident(
            SYSTEM,
            resident_schemas.ResidentInput(name=name or f"Resident {n}", unit=unit or f"A-{n:03d}", active=active),
        )

    async def caller(self, role: str, resident_id: UUID | None = None) -> Caller:
        email = f"{role}{next(_counter)}@example.com"
        account = await accounts.create_account(SYSTEM, email, PASSWORD, role, resident_id)
        issued = await accounts.issue_token(SYSTEM, email, "tests")
        actor = Actor(account_id=account.id, email=email, role=role, resident_id=resident_id)
        return Caller(actor=actor, token=issued.token)

    async def visit(self, resident_id: UUID, **overrides) -> visit_schemas.Visit:
        body = {
            "resident_id": resident_id,
            "visitor_name": f"Visitor {next(_counter)}",
            "total_people": 1,
            "subject": "Guest",
            "arrival_date": "2026-01-01T10:00:00+00:00",
        } | overrides
        return await visits.create_visit(SYSTEM, visit_schemas.CheckInInput(**body))


def visit_body(resident_id, **overrides) -> dict:
    """A valid JSON body for POST/PUT /api/visits."""
    return {
        "residentId": str(resident_id),
        "visitorName": "Maria Silva",
        "totalPeople": 2,
        "vehicleColor": "Blue",
        "licensePlate": "abc-1d23",
        "subject": "Guest",
        "arrivalDate": "2026-11-01T14:30:00+00:00",
    } | overrides
