"""Cookies carry Secure whenever the request came over https (directly or via a trusted proxy)."""

from __future__ import annotations

from litestar.types import Message, Scope


async def secure_cookies_over_https(message: Message, scope: Scope) -> None:
    if message["type"] != "http.response.start" or scope.get("scheme") != "https":
        return
    headers = []
    for name, value in message.get("headers", []):
        if name.lower() == b"set-cookie" and b"; secure" not in value.lower():
            value = value + b"; Secure"
        headers.append((name, value))
    message["headers"] = headers
