"""Facts about the caller that both doors (the API and the pages) need."""

from __future__ import annotations

from litestar.connection import ASGIConnection


def client_address(connection: ASGIConnection) -> str | None:
    """The caller's address as uvicorn saw it (the proxy's X-Forwarded-For when it is trusted)."""
    return connection.client.host if connection.client else None
