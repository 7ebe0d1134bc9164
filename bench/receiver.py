"""A webhook receiver for the benchmark: answers 204 to every POST on 127.0.0.1:<port>, and counts them
(GET /count). It checks nothing: the benchmark measures what sending costs the server, not receiving."""

from __future__ import annotations

import sys

from aiohttp import web

received = 0


async def accept(request: web.Request) -> web.Response:
    global received
    await request.read()
    received += 1
    return web.Response(status=204)


async def count(request: web.Request) -> web.Response:
    return web.json_response({"received": received})


if __name__ == "__main__":
    app = web.Application()
    app.router.add_post("/{name}", accept)
    app.router.add_get("/count", count)
    web.run_app(app, host="127.0.0.1", port=int(sys.argv[1]), access_log=None, print=None)
