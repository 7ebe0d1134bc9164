# ruff: noqa: S603, S607 - runs our own tools (gatehouse, psql) with fixed arguments
"""`make bench-ask`: how fast a guard's question reaches the household, and the answer the gate (issue #16).

One server (`gatehouse serve`, one worker, core 0), a household member's page listening on its live stream and
a kiosk listening on its own, with BENCH_PENDING (100) other requests already waiting. For each of BENCH_ASKS
questions: from the guard's POST /api/entry-requests to the event on the resident's stream, to the prompt
fetched and rendered (what the page does on that event), and to the Web Push arriving at a push service
stand-in on 127.0.0.1 (queued in the request's transaction, encrypted and signed by the outbox's sender);
then from the resident's answer to the event on the kiosk's stream, and to the Waiting list fetched.
p50 and p99 in milliseconds; target p99 under 300 ms for the live path. Results: bench/results/asking.{md,json}.
Only 127.0.0.1 is ever contacted.
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import queue
import sqlite3
import statistics
import subprocess
import sys
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

sys.path.insert(0, str(Path(__file__).resolve().parent))
import run as harness  # noqa: E402 - the benchmark's own helpers: databases, servers, sign-in

ASKS = int(os.environ.get("BENCH_ASKS", "200"))
PENDING = int(os.environ.get("BENCH_PENDING", "100"))
TARGET_MS = 300
RESIDENT = ("resident@gatehouse.test", "gatehouse-resident")
HTMX = {"hx-request": "true"}


def _query_one(db: harness.Database, sql: str) -> str:
    if db.engine == "sqlite":
        with contextlib.closing(sqlite3.connect(db.path)) as connection:
            return str(connection.execute(sql).fetchone()[0])
    return subprocess.run(["psql", "-tA", db.url, "-c", sql], capture_output=True, text=True, check=True).stdout.strip()


def sign_in(client: httpx.Client, email: str, password: str, next_url: str) -> None:
    page = client.get("/sign-in", params={"next": next_url})
    token = page.text.split('name="_csrf_token" value="', 1)[1].split('"', 1)[0]
    form = {"email": email, "password": password, "next": next_url, "_csrf_token": token}
    if client.post("/sign-in", data=form, follow_redirects=False).status_code != 303:
        raise SystemExit(f"sign-in failed for {email}")


class Listener(threading.Thread):
    """Reads a live stream; puts (arrival time, event name) on a queue for each event."""

    def __init__(self, client: httpx.Client, path: str):
        super().__init__(daemon=True)
        self.client, self.path, self.events, self.ready = client, path, queue.Queue(), threading.Event()

    def run(self) -> None:
        with contextlib.suppress(httpx.HTTPError), self.client.stream("GET", self.path, timeout=None) as stream:
            for line in stream.iter_lines():
                if line.startswith("event:"):
                    name = line.split(":", 1)[1].strip()
                    if name == "ready":
                        self.ready.set()
                    else:
                        self.events.put((time.perf_counter(), name))

    def next(self, name: str, timeout: float = 10) -> float:
        deadline = time.perf_counter() + timeout
        while True:
            at, event = self.events.get(timeout=max(0.01, deadline - time.perf_counter()))
            if event == name:
                return at


PUSH_PORT = 8109


class PushStandIn(ThreadingHTTPServer):
    """A push service on 127.0.0.1: notes when each push arrives and answers 201, as a real one would."""

    def __init__(self):
        self.arrivals: queue.Queue = queue.Queue()
        arrivals = self.arrivals

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - the http.server API
                self.rfile.read(int(self.headers.get("content-length", 0)))
                arrivals.put(time.perf_counter())
                self.send_response(201)
                self.end_headers()

            def log_message(self, *args):
                pass

        super().__init__((harness.HOST, PUSH_PORT), Handler)
        threading.Thread(target=self.serve_forever, daemon=True).start()


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def subscribe_phone(db: harness.Database, email: str) -> None:
    """A device of the account, pointed at the stand-in. Written straight into the table: the pages refuse a
    push endpoint on a private address (a resident must never make the server call inside the network)."""
    public = ec.generate_private_key(ec.SECP256R1()).public_key()
    key = public.public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
    values = (str(uuid.uuid4()), f"http://{harness.HOST}:{PUSH_PORT}/push/bench", _b64(key), _b64(os.urandom(16)))
    sql = (
        "INSERT INTO push_subscription (id, account, endpoint, p256dh, auth, label, created_at) "  # noqa: S608
        f"SELECT '{values[0]}', id, '{values[1]}', '{values[2]}', '{values[3]}', 'bench', CURRENT_TIMESTAMP "
        f"FROM account WHERE email = '{email}'"
    )
    if db.engine == "sqlite":
        with contextlib.closing(sqlite3.connect(db.path)) as connection:
            connection.execute(sql)
            connection.commit()
    else:
        subprocess.run(["psql", db.url, "-c", sql], capture_output=True, check=True)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def summary(name: str, seconds: list[float]) -> dict:
    ms = [s * 1000 for s in seconds]
    return {
        "path": name,
        "n": len(ms),
        "p50_ms": round(statistics.median(ms), 1),
        "p99_ms": round(percentile(ms, 0.99), 1),
        "max_ms": round(max(ms), 1),
    }


def bench(engine: str, admin_url: str | None) -> list[dict]:
    db = harness.Database(engine, 1000, admin_url)
    db.create()
    token = db.token()
    household = _query_one(db, f"SELECT resident FROM account WHERE email = '{RESIDENT[0]}'")  # noqa: S608
    subscribe_phone(db, RESIDENT[0])
    pushes = PushStandIn()
    app = harness.Server(
        f"asking-{engine}", [harness.GATEHOUSE, "serve", "--port", str(harness.APP_PORT)], db.env(), harness.APP_PORT
    )
    base = f"http://{harness.HOST}:{harness.APP_PORT}"
    api = {"authorization": f"Bearer {token}"}
    try:
        with (
            httpx.Client(base_url=base, timeout=30) as guard,
            httpx.Client(base_url=base, timeout=30) as resident,
            httpx.Client(base_url=base, timeout=30) as kiosk,
        ):
            sign_in(resident, *RESIDENT, "/me")
            sign_in(kiosk, *harness.GUARD, "/kiosk")
            residents = guard.get("/api/residents?limit=100", headers=api).json()
            others = [r["id"] for r in residents if r["id"] != household] or [household]
            for n in range(PENDING):
                body = {"residentId": others[n % len(others)], "visitorName": f"Waiting {n}", "subject": "Guest"}
                guard.post("/api/entry-requests", json=body, headers=api).raise_for_status()
            at_home, at_gate = Listener(resident, "/me/events"), Listener(kiosk, "/kiosk/events")
            for listener in (at_home, at_gate):
                listener.start()
                if not listener.ready.wait(10):
                    raise SystemExit(f"{listener.path} never became ready")
            to_stream, to_prompt, to_kiosk, to_list, to_push = [], [], [], [], []
            while not pushes.arrivals.empty():  # the pending requests' pushes
                pushes.arrivals.get()
            resident_api = {"authorization": f"Bearer {resident_token(db)}"}
            for n in range(ASKS):
                body = {"residentId": household, "visitorName": f"Walk-in {n}", "subject": "Delivery"}
                started = time.perf_counter()
                asked = guard.post("/api/entry-requests", json=body, headers=api)
                asked.raise_for_status()
                heard = at_home.next("requests")
                prompt = resident.get("/me/requests/prompt", headers=HTMX)
                assert f"Walk-in {n}" in prompt.text
                shown = time.perf_counter()
                to_stream.append(heard - started)
                to_prompt.append(shown - started)
                to_push.append(pushes.arrivals.get(timeout=10) - started)
                # The answer: drain the kiosk's copy of the question first.
                at_gate.next("requests")
                answered_at = time.perf_counter()
                url = f"/api/entry-requests/{asked.json()['id']}/answer"
                resident.post(url, json={"decision": "approve"}, headers=resident_api).raise_for_status()
                heard_at_gate = at_gate.next("requests")
                waiting = kiosk.get("/kiosk/requests", headers=HTMX)
                assert "data-approved" in waiting.text, waiting.text[:3000]
                to_kiosk.append(heard_at_gate - answered_at)
                to_list.append(time.perf_counter() - answered_at)
                at_home.next("requests")  # the household hears its own answer too
    finally:
        app.stop()
        pushes.shutdown()
        pushes.server_close()
        db.drop()
    return [
        {"engine": engine} | summary("ask → event on the resident's stream", to_stream),
        {"engine": engine} | summary("ask → prompt rendered on the resident's page", to_prompt),
        {"engine": engine} | summary("ask → push received by the push service (encrypted, signed)", to_push),
        {"engine": engine} | summary("answer → event on the kiosk's stream", to_kiosk),
        {"engine": engine} | summary("answer → Waiting list fetched at the kiosk", to_list),
    ]


def resident_token(db: harness.Database) -> str:
    issued = subprocess.run(
        [harness.GATEHOUSE, "token", "create", "--email", RESIDENT[0], "--name", "bench-resident"],
        env=db.env(),
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return issued.stdout.strip().splitlines()[-1]


def main() -> int:
    harness.WORK.mkdir(parents=True, exist_ok=True)
    rows = bench("sqlite", None)
    admin_url = None if os.environ.get("BENCH_SKIP_POSTGRES") else harness.postgres_admin_url()
    if admin_url:
        rows += bench("postgres", admin_url)
    lines = [
        "# Asking the resident: live path latency",
        "",
        f"{ASKS} questions one after another, {PENDING} other requests pending; one worker on core 0. "
        f"Target: p99 under {TARGET_MS} ms for the live path.",
        "",
        "| engine | path | n | p50 ms | p99 ms | max ms | met |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for r in rows:
        met = "yes" if r["p99_ms"] < TARGET_MS else "no"
        lines.append(
            f"| {r['engine']} | {r['path']} | {r['n']} | {r['p50_ms']} | {r['p99_ms']} | {r['max_ms']} | {met} |"
        )
    harness.RESULTS.mkdir(parents=True, exist_ok=True)
    (harness.RESULTS / "asking.md").write_text("\n".join(lines) + "\n")
    (harness.RESULTS / "asking.json").write_text(json.dumps(rows, indent=2) + "\n")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
