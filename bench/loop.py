# ruff: noqa: T201 - a measuring tool that prints its findings
"""Requests straight into the ASGI app, no server and no sockets, for counts that load does not move.

    DATABASE_URL=... BENCH_TOKEN=gh_... PYTHONPATH=$PWD .venv/bin/python bench/loop.py SCENARIO N [--trace]

SCENARIO is `get` (GET /api/visits/{id}), `list` (GET /api/visits?limit=50), `post` (POST /api/visits,
the body of bench/run.py's write scenario) or `post-baseline` (the same POST to bench/write_baseline.py).
It sends N requests in a row on uvloop, as one uvicorn worker would, and checks each answer's status.

Instructions per request: run it under `valgrind --tool=callgrind --separate-threads=yes` with two values
of N and divide the difference of the main thread's totals by the difference of N (start-up and warm-up
cancel out). `--trace` prints, instead, the statements each request sends to PostgreSQL (asyncpg's query
logger): its round trips. `--profile=FILE` writes a cProfile of the N requests alone (what a request calls).
"""

from __future__ import annotations

import asyncio
import cProfile
import os
import sys
from collections import Counter

import uvloop
from run import post_body  # bench/run.py, beside this file

from app.main import create_app

STATUS = {"get": 200, "list": 200, "post": 201, "post-baseline": 201}


def _write_baseline():
    """bench/write_baseline.py's app on the same database."""
    from write_baseline import create_app as create_baseline

    os.environ["BENCH_DATABASE_URL"] = os.environ["DATABASE_URL"]
    return create_baseline()


async def _first_visit() -> dict:
    """The newest visit, as the API shows it (only its id and residentId are used)."""
    from app.db import reads

    rows = await reads.visit_page_rows(1)
    return {"id": rows[0].id, "residentId": str(rows[0].resident)}


class Client:
    def __init__(self, app, token: str):
        self.app, self.token = app, token

    async def call(self, method: str, path: str, body: bytes = b"") -> tuple[int, bytes]:
        path, _, query = path.partition("?")
        headers = [(b"host", b"127.0.0.1:8101"), (b"authorization", f"Bearer {self.token}".encode())]
        if body:
            headers += [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
        scope = {
            "type": "http",
            "asgi": {"version": "3.0", "spec_version": "2.3"},
            "http_version": "1.1",
            "method": method,
            "scheme": "http",
            "path": path,
            "raw_path": path.encode(),
            "query_string": query.encode(),
            "root_path": "",
            "headers": headers,
            "client": ("127.0.0.1", 40000),
            "server": ("127.0.0.1", 8101),
            "state": {},
        }
        sent = False
        answer: dict = {"body": b""}

        async def receive():
            nonlocal sent
            if sent:
                await asyncio.Event().wait()
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}

        async def send(message):
            if message["type"] == "http.response.start":
                answer["status"] = message["status"]
            elif message["type"] == "http.response.body":
                answer["body"] += message.get("body", b"")

        await self.app(scope, receive, send)
        return answer["status"], answer["body"]


async def main(scenario: str, count: int, trace: bool, profile_to: str | None) -> None:
    first = await _first_visit()
    app = _write_baseline() if scenario == "post-baseline" else create_app()
    async with app.lifespan():
        client = Client(app, os.environ["BENCH_TOKEN"])
        request = {
            "get": ("GET", f"/api/visits/{first['id']}", b""),
            "list": ("GET", "/api/visits?limit=50", b""),
            "post": ("POST", "/api/visits", post_body(first["residentId"]).encode()),
            "post-baseline": ("POST", "/api/visits", post_body(first["residentId"]).encode()),
        }[scenario]
        for _ in range(5):  # warm-up: prepared statements, caches
            await client.call(*request)
        statements: Counter = Counter()
        if trace:
            _trace(statements)
        profile = cProfile.Profile() if profile_to else None
        if profile:
            profile.enable()
        for _ in range(count):
            status, body = await client.call(*request)
            if status != STATUS[scenario]:
                raise SystemExit(f"{scenario}: {status} {body[:300]!r}")
        if profile:
            profile.disable()
            profile.dump_stats(profile_to)
        if trace:
            print(f"{sum(statements.values()) / count:.2f} statements per request:")
            for sql, n in statements.most_common():
                print(f"  {n / count:.2f}  {sql[:160]}")


def _trace(statements: Counter) -> None:
    """Count what each asyncpg connection of the app's pool sends from now on."""
    from app.db.tables import Visit

    pool = Visit._meta.db.pool

    def log(record) -> None:
        statements[" ".join(record.query.split())] += 1

    for holder in pool._holders:  # a measuring tool only: the pool has no public list of its connections
        if holder._con is not None:
            holder._con.add_query_logger(log)


if __name__ == "__main__":
    uvloop.install()
    profile_to = next((arg.removeprefix("--profile=") for arg in sys.argv if arg.startswith("--profile=")), None)
    asyncio.run(main(sys.argv[1], int(sys.argv[2]), "--trace" in sys.argv, profile_to))
