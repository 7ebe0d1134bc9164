"""Facts about the caller that both doors (the API and the pages) need."""

from __future__ import annotations

from litestar.connection import ASGIConnection

from app.lib.text import ip_address


def client_address(connection: ASGIConnection) -> str | None:
    """The caller's IP address as uvicorn saw it (a trusted proxy's X-Forwarded-For only when
    FORWARDED_ALLOW_IPS names the proxy); None when that is not an IP address."""
    client = connection.scope.get("client")  # (host, port), as `connection.client` reads it, without an Address
    return ip_address(client[0]) if client else None
