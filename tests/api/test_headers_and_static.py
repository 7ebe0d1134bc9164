"""What every response says about itself (caching, https) and what /static will hand out."""

from __future__ import annotations

import re

import pytest
from litestar.testing import AsyncTestClient

from app.main import create_app
from app.settings import PROJECT_ROOT

STATIC = PROJECT_ROOT / "static"


async def test_api_responses_are_never_cached(client, factory):
    guard = await factory.caller("guard")
    resident = await factory.resident()
    for response in (
        await client.get("/api/visits", headers=guard.headers),
        await client.get(f"/api/residents/{resident.id}", headers=guard.headers),
        await client.get("/api/visits"),  # 401
        await client.get("/api/no-such-thing", headers=guard.headers),  # 404
    ):
        assert response.headers.get("cache-control") == "no-store", (response.request.url, response.status_code)


async def test_static_assets_stay_cacheable(client):
    response = await client.get("/static/css/gatehouse.css")
    assert response.status_code == 200
    assert "no-store" not in response.headers.get("cache-control", "")


async def test_hsts_only_over_https(db):
    async with AsyncTestClient(app=create_app(), base_url="https://testserver.local") as https_client:
        for path in ("/sign-in", "/healthz", "/api/visits", "/static/css/gatehouse.css", "/nowhere"):
            response = await https_client.get(path)
            assert response.headers.get("strict-transport-security", "").startswith("max-age="), path
            assert int(re.search(r"max-age=(\d+)", response.headers["strict-transport-security"]).group(1)) >= 31536000
    async with AsyncTestClient(app=create_app(), base_url="http://testserver.local") as http_client:
        response = await http_client.get("/sign-in")
        assert "strict-transport-security" not in response.headers


def _pages_assets() -> set[str]:
    """Every /static path the templates link to."""
    found = set()
    for template in (PROJECT_ROOT / "templates").rglob("*.html"):
        found |= set(re.findall(r"""["'](/static/[^"'{}\s]+)["']""", template.read_text()))
    return found


async def test_every_asset_the_pages_load_is_served(client):
    assets = _pages_assets() | {
        "/static/vendor/swagger-ui/swagger-ui-bundle.js",
        "/static/vendor/swagger-ui/swagger-ui.css",
        "/static/vendor/swagger-ui/swagger-ui-standalone-preset.js",
    }
    assert "/static/vendor/htmx/htmx.min.js" in assets and "/static/favicon.svg" in assets
    for asset in sorted(assets):
        assert (await client.get(asset)).status_code == 200, asset


@pytest.fixture
def node_modules_file():
    """A file where `npm ci` puts the packages (a fresh clone after `make install` has thousands)."""
    folder = STATIC / "node_modules" / "gatehouse-probe"
    created = not folder.exists()
    folder.mkdir(parents=True, exist_ok=True)
    probe = folder / "package.json"
    probe.write_text('{"name": "gatehouse-probe"}')
    yield "/static/node_modules/gatehouse-probe/package.json"
    probe.unlink()
    if created:
        folder.rmdir()
        if not any((STATIC / "node_modules").iterdir()):
            (STATIC / "node_modules").rmdir()


async def test_build_files_are_not_served(client, node_modules_file):
    assert (STATIC / "package.json").is_file() and (STATIC / "package-lock.json").is_file()
    for path in ("/static/package.json", "/static/package-lock.json", node_modules_file):
        assert (await client.get(path)).status_code == 404, path
