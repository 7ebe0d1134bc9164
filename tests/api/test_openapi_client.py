"""A client generated from the served document with a kept generator (openapi-python-client, offline: it reads
a file) comes out without a warning, imports, and reads the server's answers, errors included."""

from __future__ import annotations

import asyncio
import importlib
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from app.main import create_app
from app.settings import load_settings
from tests.conftest import running
from tests.factory import visit_body

PACKAGE = "gatehouse_client"
BASE_URL = "http://testserver.local"


@pytest.fixture
async def transport(db):
    async with running(create_app(load_settings())) as app:
        yield httpx.ASGITransport(app=app)


@pytest.fixture
async def generated(transport, tmp_path: Path):
    async with httpx.AsyncClient(transport=transport, base_url=BASE_URL) as http:
        served = await http.get("/schema/openapi.json")
    assert served.status_code == 200
    document = tmp_path / "openapi.json"
    document.write_bytes(served.content)
    config = tmp_path / "generator.yaml"
    config.write_text("post_hooks: []\n")  # formatting the generated code is the consumer's business
    result = await asyncio.to_thread(
        subprocess.run,
        [sys.executable, "-m", "openapi_python_client", "generate", "--path", str(document), "--meta", "none"]
        + ["--config", str(config), "--output-path", str(tmp_path / PACKAGE)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    sys.path.insert(0, str(tmp_path))
    try:
        yield result
    finally:
        sys.path.remove(str(tmp_path))
        for name in [name for name in sys.modules if name == PACKAGE or name.startswith(PACKAGE + ".")]:
            del sys.modules[name]


async def test_the_generated_client_has_no_warnings_imports_and_reads_errors_as_problems(transport, generated, factory):
    assert generated.returncode == 0, generated.stdout + generated.stderr
    said = [line for line in (generated.stdout + generated.stderr).splitlines() if line.strip()]
    assert [line for line in said if not line.startswith("Generating ")] == []

    package = importlib.import_module(PACKAGE)
    visits = {name: importlib.import_module(f"{PACKAGE}.api.visits.{name}") for name in ("get_visit", "create_visit")}
    models = importlib.import_module(f"{PACKAGE}.models")
    resident = await factory.resident()
    guard = await factory.caller("guard")
    api = package.AuthenticatedClient(base_url=BASE_URL, token=guard.token, httpx_args={"transport": transport})

    created = await visits["create_visit"].asyncio(
        client=api, body=models.CheckInInput.from_dict(visit_body(resident.id))
    )
    assert isinstance(created, models.Visit) and created.visitor_name == "Maria Silva"
    fetched = await visits["get_visit"].asyncio(client=api, visit_id=created.id)
    assert isinstance(fetched, models.Visit) and fetched.id == created.id

    refused = await visits["create_visit"].asyncio_detailed(
        client=api, body=models.CheckInInput.from_dict(visit_body(resident.id, totalPeople=0))
    )
    assert refused.status_code == 400 and isinstance(refused.parsed, models.Problem)
    assert [error.field for error in refused.parsed.errors] == ["totalPeople"]
    missing = await visits["get_visit"].asyncio_detailed(client=api, visit_id=resident.id)
    assert missing.status_code == 404 and isinstance(missing.parsed, models.Problem)
