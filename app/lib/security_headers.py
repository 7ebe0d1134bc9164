"""Security headers on every response, errors included (app-level response_headers miss 404s and 500s).

Over https (directly, or through a proxy trusted by FORWARDED_ALLOW_IPS, which uvicorn turns into the
scope's scheme) browsers are also told to use https only; API answers are never stored by caches."""

from __future__ import annotations

from litestar.types import Message, Scope

STRICT_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "font-src 'self'; worker-src 'self'; manifest-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'"
)
# Swagger UI's page boots with an inline script; its assets still come from our own static/.
DOCS_CSP = STRICT_CSP.replace("script-src 'self'", "script-src 'self' 'unsafe-inline'").replace(
    "style-src 'self'", "style-src 'self' 'unsafe-inline'"
)
DOCS_PREFIX = "/schema"
API_PREFIX = "/api"
HSTS_SECONDS = 365 * 24 * 60 * 60

_COMMON = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    # The kiosk's Scan button reads QR codes of passes and badges with the camera: this site only, nothing else.
    "Permissions-Policy": "camera=(self), microphone=(), geolocation=()",
}


def _encoded(csp: str) -> tuple[tuple[bytes, bytes], ...]:
    pairs = {**_COMMON, "Content-Security-Policy": csp}
    return tuple((name.lower().encode("latin-1"), value.encode("latin-1")) for name, value in pairs.items())


# Encoded once and appended as they are: setting them one by one through MutableScopeHeaders (a scan of
# the headers for each) was a tenth of the time of an API read.
_STRICT_HEADERS = _encoded(STRICT_CSP)
_DOCS_HEADERS = _encoded(DOCS_CSP)
_HSTS = (b"strict-transport-security", f"max-age={HSTS_SECONDS}".encode("latin-1"))
_NO_STORE = (b"cache-control", b"no-store")
_OURS = frozenset(name for name, _ in _STRICT_HEADERS) | {_HSTS[0]}
_OURS_ON_API = _OURS | {_NO_STORE[0]}


_UNDER_API = API_PREFIX + "/"


def _is_api(path: str) -> bool:
    return path.startswith(_UNDER_API) or path == API_PREFIX


async def add_security_headers(message: Message, scope: Scope) -> None:
    if message["type"] != "http.response.start":
        return
    path = scope.get("path", "")
    ours = _DOCS_HEADERS if path.startswith(DOCS_PREFIX) else _STRICT_HEADERS
    replaced, extra = (_OURS_ON_API, [_NO_STORE]) if _is_api(path) else (_OURS, [])
    if scope.get("scheme") == "https":
        extra.append(_HSTS)
    headers = message.get("headers") or []
    message["headers"] = [*(pair for pair in headers if pair[0].lower() not in replaced), *ours, *extra]
