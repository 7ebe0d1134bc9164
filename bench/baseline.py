"""The baseline: a bare Litestar app answering Gatehouse's routes with the bytes Gatehouse answered, pre-encoded.

Run by bench/run.py on the same uvicorn settings as `gatehouse serve`, so the ratio of the two is what
Gatehouse's own code (auth, services, database, serialisation) costs on top of the framework and server.
BENCH_BODIES names a JSON file: {"visit": {"file": ..., "media_type": ...}, "visits": {...}}.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from uuid import UUID

from litestar import Litestar, Response, get


def _load(name: str) -> tuple[bytes, str]:
    manifest = json.loads(Path(os.environ["BENCH_BODIES"]).read_text())
    entry = manifest[name]
    return Path(entry["file"]).read_bytes(), entry["media_type"]


def create_app() -> Litestar:
    visit_body, visit_type = _load("visit")
    list_body, list_type = _load("visits")

    @get("/api/visits/{visit_id:uuid}", sync_to_thread=False)
    def one_visit(visit_id: UUID) -> Response[bytes]:
        return Response(visit_body, media_type=visit_type)

    @get("/api/visits", sync_to_thread=False)
    def visit_list() -> Response[bytes]:
        return Response(list_body, media_type=list_type)

    return Litestar(route_handlers=[one_visit, visit_list], openapi_config=None)
