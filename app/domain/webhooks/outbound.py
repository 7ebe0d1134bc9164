"""Where the sender may send: http(s) URLs only, and never to this server's own host or a private network
unless WEBHOOKS_ALLOW_PRIVATE=1 (tests, local integrations).

The URL is checked when it is registered, and every address a name resolves to is checked again when the
sender connects (a resolver that drops refused addresses), so a name that later points inward is refused too.
"""

from __future__ import annotations

import ipaddress
import os
import socket
from functools import cache
from urllib.parse import urlsplit

import aiohttp
from aiohttp.abc import AbstractResolver

SCHEMES = ("http", "https")


class Refused(Exception):
    """The URL or the address it leads to may not be sent to."""


def allow_private() -> bool:
    return os.environ.get("WEBHOOKS_ALLOW_PRIVATE", "").strip().lower() in {"1", "true", "yes"}


@cache
def _own_addresses() -> frozenset[str]:
    """The addresses this host's name resolves to: the server's own, whatever range they are in."""
    try:
        infos = socket.getaddrinfo(socket.gethostname(), None)
    except OSError:
        return frozenset()
    return frozenset(info[4][0] for info in infos)


def address_allowed(address: str) -> bool:
    if allow_private():
        return True
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    inward = ip.is_private or ip.is_loopback or ip.is_link_local or ip.is_multicast or ip.is_reserved
    return not (inward or ip.is_unspecified or str(ip) in _own_addresses())


def check_url(url: str) -> str | None:
    """Why this URL may not be registered (in English, for the log), or None when it may."""
    try:
        parts = urlsplit(url)
        host = parts.hostname
        parts.port  # noqa: B018 - raises ValueError on a port out of range
    except ValueError:
        return "not a URL"
    if parts.scheme.lower() not in SCHEMES or not host:
        return "not an http or https URL"
    if allow_private():
        return None
    if host.lower() == "localhost" or host.lower().endswith(".localhost"):
        return "a local address"
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return None  # a name: its addresses are checked when connecting
    return None if address_allowed(host) else "a private or local address"


class GuardedResolver(AbstractResolver):
    """Resolves as usual and keeps only the addresses that may be sent to."""

    def __init__(self) -> None:
        self._inner = aiohttp.ThreadedResolver()

    async def resolve(self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET):
        found = await self._inner.resolve(host, port, family)
        allowed = [item for item in found if address_allowed(item["host"])]
        if not allowed:
            raise Refused(f"{host} leads to a private or local address")
        return allowed

    async def close(self) -> None:
        await self._inner.close()
