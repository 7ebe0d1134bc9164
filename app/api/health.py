"""Liveness and readiness probes for load balancers and orchestrators; no authentication."""

from __future__ import annotations

from litestar import Response, get

from app.api.problems import problem
from app.services.health import database_ready


@get("/healthz", summary="The process is up", tags=["Health"], include_in_schema=True)
async def healthz() -> dict[str, str]:
    return {"status": "ok"}


@get("/readyz", summary="The database answers", tags=["Health"])
async def readyz() -> Response:
    if await database_ready():
        return Response({"status": "ready"})
    return problem(503, "Service unavailable", "The database is not answering.", headers={"Retry-After": "5"})
