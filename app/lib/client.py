"""Facts about the caller that both doors (the API and the pages) need."""

from __future__ import annotations

from litestar.connection import ASGIConnection

from app.lib.text import ip_address


def client_address(connection: ASGIConnection) -> str | None:
    """The caller's IP address as uvicorn saw it (a trusted proxy's X-Forwarded-For only when
    FORWARDED_ALLOW_IPS names the proxy); None when that is not an IP address."""
    return ip_address(connection.client.host) if connection.client else None
