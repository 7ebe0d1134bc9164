"""Liveness and readiness probes for load balancers and orchestrators; no authentication."""

from __future__ import annotations

from typing import Literal

import msgspec
from litestar import Request, Response, get
from litestar.openapi.datastructures import ResponseSpec

from app.api.docs import Problem
from app.api.problems import PROBLEM_JSON, problem, use_callers_language
from app.lib.health import database_ready
from app.lib.i18n import _


class Status(msgspec.Struct):
    status: Literal["ok", "ready"]


_NOT_READY = ResponseSpec(
    data_container=Problem,
    description="The database is not answering; retry after `Retry-After` seconds",
    media_type=PROBLEM_JSON,
    generate_examples=False,
)


@get("/healthz", operation_id="healthz", summary="The process is up", tags=["Health"])
async def healthz() -> Status:
    return Status("ok")


@get("/readyz", operation_id="readyz", summary="The database answers", tags=["Health"], responses={503: _NOT_READY})
async def readyz(request: Request) -> Response[Status]:
    if await database_ready():
        return Response(Status("ready"))
    use_callers_language(request)
    return problem(503, _("Service unavailable"), _("The database is not answering."), headers={"Retry-After": "5"})
