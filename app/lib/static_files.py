"""/static serves what the pages and the API docs load, nothing else of the static/ folder.

static/ also holds npm's package.json, its lockfile and node_modules (thousands of files the build copies
from); serving the whole folder handed all of them out. A new folder of assets is added here by name.
"""

from __future__ import annotations

from litestar import get
from litestar.response import File
from litestar.static_files import create_static_files_router

from app.lib.static_paths import plain_path_only
from app.settings import PROJECT_ROOT

STATIC = PROJECT_ROOT / "static"
SERVED_FOLDERS = ("vendor", "css", "js", "icons")
"""vendor: htmx, Swagger UI (and axe for the browser tests), copied from node_modules by `make install`; icons:
the installable app's icons (/manifest.webmanifest)."""
FAVICON = STATIC / "favicon.svg"


@get("/static/favicon.svg", include_in_schema=False, sync_to_thread=False)
def favicon() -> File:
    return File(FAVICON, content_disposition_type="inline", media_type="image/svg+xml")


def static_routers() -> list:
    routers: list = [
        create_static_files_router(
            path=f"/static/{folder}",
            directories=[STATIC / folder],
            name=f"static-{folder}",
            include_in_schema=False,
            guards=[plain_path_only],
        )
        for folder in SERVED_FOLDERS
    ]
    return [*routers, favicon]
