# ruff: noqa: S603, S607 - runs our own tools (gatehouse, uvicorn, wrk, psql, taskset) with fixed arguments
"""`make bench`: Gatehouse against a bare-Litestar baseline, at 10k and 1M visits, on SQLite and PostgreSQL.

The server under test runs alone on core 0 (`taskset -c 0`, one uvicorn worker); wrk drives it from core 1.
Every figure is the median of BENCH_ROUNDS rounds of BENCH_SECONDS after a warm-up. Targets are ratios
between figures taken in this same run, never absolute times; the two sides of a ratio against the baseline,
the JSON or the first page are measured in alternating rounds. Results: bench/results/latest.{md,json}.
Only 127.0.0.1 is ever contacted.
"""

from __future__ import annotations

import contextlib
import json
import os
import platform
import re
import shutil
import socket
import sqlite3
import statistics
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit

import httpx

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
WORK = BENCH / ".work"
RESULTS = BENCH / "results"
BIN = Path(sys.executable).parent
GATEHOUSE = str(BIN / "gatehouse")
HOST = "127.0.0.1"
# BENCH_PORT moves the five ports (and BENCH_PG_DATABASE the database names) away from another run's.
APP_PORT, BASE_PORT, BESIDE_PORT, WRITE_BASE_PORT, BEFORE_PORT, RECEIVER_PORT = (
    int(os.environ.get("BENCH_PORT", "8101")) + n for n in range(6)
)
HOOKS = 3
"""Webhook endpoints registered for the check-in's row with webhooks."""
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
SECONDS = int(os.environ.get("BENCH_SECONDS", "5"))
WARMUP = int(os.environ.get("BENCH_WARMUP", "2"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "32"))
WRITERS = 64
SIZES = [int(n) for n in os.environ.get("BENCH_SIZES", "10000,1000000").split(",")]
ONLY = os.environ.get("BENCH_ONLY", "")
"""`post`: seed, then only POST /api/visits against the write baseline (at the largest size, as in the full run).
`reports`: seed, then only the Reports page and API (largest size beside the smallest) and the CSV export of every
visit (`BENCH_EXPORT=0` leaves the export out).
`parcels`: seed, then only the parcels waiting and the handover (largest size beside the smallest)."""
REPORTS_PAGE = "/admin/reports?days=365"
BEFORE = os.environ.get("BENCH_BEFORE", "")
"""A checkout of earlier code (`git worktree add` or `git archive | tar -x`): the POST part also serves it, on
the same database, measured in turn with this checkout and the write baseline, so before and after come
from one run."""
FULL_RUN = not ONLY and not BEFORE and SIZES == [10000, 1000000]
"""Only a full run replaces results/latest.*; a partial one writes bench/.work/partial.{md,json}."""
RESIDENTS = 2000
PAGE = 50
SUGGEST_PREFIX = "mar"
"""Three characters of a name, as a guard types them. One seeded visitor in twenty is a Marta, at 10k and at
1M alike, so both sizes read the same 40 index entries and show suggestions: the ratio is the history's cost."""
ADMIN = ("admin@gatehouse.test", "gatehouse-admin")
GUARD = ("guard@gatehouse.test", "gatehouse-guard")
PG_DEFAULT = "postgresql://postgres@127.0.0.1:5432/postgres"
PG_BENCH_DB = os.environ.get("BENCH_PG_DATABASE", "gatehouse_bench")


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


# ---------------------------------------------------------------- databases


def postgres_admin_url() -> str | None:
    """BENCH_DATABASE_URL (a server we may create a database on), else a local trust-auth server if one answers."""
    url = os.environ.get("BENCH_DATABASE_URL")
    if url:
        return url
    if os.environ.get("BENCH_SKIP_POSTGRES"):
        return None
    with contextlib.suppress(OSError), socket.create_connection((HOST, 5432), timeout=1):
        probe = subprocess.run(
            ["psql", PG_DEFAULT, "-tAc", "select 1"], capture_output=True, text=True, timeout=10, check=False
        )
        if probe.returncode == 0:
            return PG_DEFAULT
    return None


def _psql(admin_url: str, sql: str) -> None:
    subprocess.run(["psql", "-q", admin_url, "-c", sql], check=True, capture_output=True, timeout=60)


def _with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return parts._replace(path=f"/{name}").geturl()


class Database:
    """A throwaway database of `rows` visits: a file under bench/.work, or gatehouse_bench on PostgreSQL."""

    def __init__(self, engine: str, rows: int, admin_url: str | None = None):
        self.engine, self.rows, self.admin_url = engine, rows, admin_url
        if engine == "sqlite":
            self.path = WORK / f"sqlite-{rows}.db"
            self.url = f"sqlite:///{self.path}"
        else:
            self.name = f"{PG_BENCH_DB}_{rows}"
            self.url = _with_database(admin_url, self.name)

    def env(self) -> dict:
        return {
            **os.environ,
            # This checkout's code: a venv shared between git worktrees has its editable install elsewhere.
            "PYTHONPATH": str(ROOT),
            "DATABASE_URL": self.url,
            "DATA_DIR": str(WORK / "data"),
            "SECRET_KEY": "bench-secret-key-not-for-production",
            "TIMEZONE": "UTC",
            "WEBHOOKS_ALLOW_PRIVATE": "1",  # the benchmark's receiver listens on 127.0.0.1
        }

    def drop(self) -> None:
        if self.engine == "sqlite":
            for suffix in ("", "-wal", "-shm"):
                Path(f"{self.path}{suffix}").unlink(missing_ok=True)
        else:
            _psql(self.admin_url, f"DROP DATABASE IF EXISTS {self.name} WITH (FORCE)")

    def create(self) -> float:
        self.drop()
        if self.engine == "postgres":
            _psql(self.admin_url, f"CREATE DATABASE {self.name}")
        subprocess.run([GATEHOUSE, "migrate"], env=self.env(), check=True, capture_output=True, timeout=300)
        started = time.perf_counter()
        seeded = subprocess.run(
            [GATEHOUSE, "demo", "--visits", str(self.rows), "--residents", str(RESIDENTS)],
            env=self.env(),
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
        if seeded.returncode:
            raise SystemExit(f"seeding failed: {seeded.stderr}")
        return time.perf_counter() - started

    def token(self) -> str:
        issued = subprocess.run(
            [GATEHOUSE, "token", "create", "--email", ADMIN[0], "--name", "bench"],
            env=self.env(),
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        )
        return issued.stdout.strip().splitlines()[-1]

    def plans(self, cursor: str) -> dict:
        out = subprocess.run(
            [sys.executable, str(BENCH / "plans.py"), cursor],
            env={**self.env(), "PYTHONPATH": str(ROOT)},
            capture_output=True,
            text=True,
            timeout=120,
            check=True,
        )
        return json.loads(out.stdout)

    def oldest(self, offset: int) -> tuple[datetime, str]:
        """The sort key of the row `offset` places from the oldest: the cursor after it opens the last page."""
        sql = f"SELECT arrival_date, id FROM visit ORDER BY arrival_date, id LIMIT 1 OFFSET {offset}"  # noqa: S608
        if self.engine == "sqlite":
            with contextlib.closing(sqlite3.connect(self.path)) as connection:
                arrival, row_id = connection.execute(sql).fetchone()
            return datetime.fromisoformat(arrival).replace(tzinfo=UTC), row_id
        out = subprocess.run(
            [
                "psql",
                "-tA",
                "-F",
                "|",
                self.url,
                "-c",
                sql.replace("arrival_date,", "arrival_date AT TIME ZONE 'UTC',", 1),
            ],
            capture_output=True,
            text=True,
            timeout=120,
            check=True,
        ).stdout.strip()
        arrival, row_id = out.split("|")
        return datetime.fromisoformat(arrival).replace(tzinfo=UTC), row_id


# ---------------------------------------------------------------- servers


class Server:
    """A process pinned to core 0; its log goes to bench/.work/<name>.log."""

    def __init__(self, name: str, argv: list[str], env: dict, port: int):
        self.name, self.port = name, port
        self.log = open(WORK / f"{name}.log", "w")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(
            ["taskset", "-c", "0", *argv], env=env, stdout=self.log, stderr=subprocess.STDOUT, cwd=ROOT
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"{name} exited; see {self.log.name}")
            with contextlib.suppress(OSError), socket.create_connection((HOST, port), timeout=0.5):
                return
            time.sleep(0.2)
        self.stop()
        raise SystemExit(f"{name} did not answer on port {port}")

    def rss_mb(self) -> float:
        with contextlib.suppress(OSError):
            for line in Path(f"/proc/{self.process.pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
        return 0.0

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=15)
        self.log.close()


def uvicorn_argv(app: str, port: int = BASE_PORT) -> list[str]:
    """What `gatehouse serve` runs (app/cli.py cmd_serve), for the baseline's app."""
    return [
        str(BIN / "uvicorn"),
        app,
        "--factory",
        "--host",
        HOST,
        "--port",
        str(port),
        "--workers",
        "1",
        "--loop",
        "uvloop",
        "--http",
        "httptools",
        "--proxy-headers",
        "--log-level",
        "info",
    ]


class RssSampler(threading.Thread):
    def __init__(self, server: Server):
        super().__init__(daemon=True)
        self.server, self.peak, self.done = server, 0.0, threading.Event()

    def run(self) -> None:
        while not self.done.wait(0.25):
            self.peak = max(self.peak, self.server.rss_mb())


# ---------------------------------------------------------------- load


_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def _ms(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", text).groups()
    return float(number) * _UNITS[unit]


def wrk(url: str, seconds: int, headers: dict, connections: int, script: Path | None = None) -> dict:
    assert url.startswith(f"http://{HOST}:"), url  # only ever local traffic
    argv = ["taskset", "-c", "1", "wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--latency", "--timeout", "5s"]
    for key, value in headers.items():
        argv += ["-H", f"{key}: {value}"]
    if script:
        argv += ["-s", str(script)]
    out = subprocess.run([*argv, url], capture_output=True, text=True, timeout=seconds + 30, check=True).stdout
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    socket_errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "p50_ms": _ms(re.search(r"\s50%\s+(\S+)", out).group(1)),
        "p99_ms": _ms(re.search(r"\s99%\s+(\S+)", out).group(1)),
        "requests": int(re.search(r"(\d+) requests in", out).group(1)),
        "errors": (int(non_2xx.group(1)) if non_2xx else 0)
        + (sum(int(n) for n in socket_errors.groups()) if socket_errors else 0),
    }


def _summary(rounds: list[dict]) -> dict:
    return {
        "rps": statistics.median(r["rps"] for r in rounds),
        "p50_ms": statistics.median(r["p50_ms"] for r in rounds),
        "p99_ms": statistics.median(r["p99_ms"] for r in rounds),
        "errors": sum(r["errors"] for r in rounds),
        "requests": sum(r["requests"] for r in rounds),
        "rounds": rounds,
    }


def measure(url: str, headers: dict | None = None, connections: int = CONNECTIONS, script: Path | None = None) -> dict:
    headers = headers or {}
    wrk(url, WARMUP, headers, connections, script)
    return _summary([wrk(url, SECONDS, headers, connections, script) for _ in range(ROUNDS)])


def measure_in_turn(
    *targets: tuple[str, dict], connections: int = CONNECTIONS, script: Path | None = None
) -> list[dict]:
    """The two sides of a ratio, round by round in turn (a, b, a, b, ...): a change in the machine's load
    during the run then falls on both sides instead of on one."""
    for url, headers in targets:
        wrk(url, WARMUP, headers, connections, script)
    rounds: list[list[dict]] = [[] for _ in targets]
    for _ in range(ROUNDS):
        for taken, (url, headers) in zip(rounds, targets, strict=True):
            taken.append(wrk(url, SECONDS, headers, connections, script))
    return [_summary(taken) for taken in rounds]


def sign_in_cookie(client: httpx.Client, login: tuple[str, str] = GUARD) -> str:
    page = client.get("/sign-in", params={"next": "/kiosk"})
    token = re.search(r'name="_csrf_token" value="([^"]+)"', page.text).group(1)
    form = {"email": login[0], "password": login[1], "next": "/kiosk", "_csrf_token": token}
    answer = client.post("/sign-in", data=form, follow_redirects=False)
    if answer.status_code != 303:
        raise SystemExit(f"kiosk sign-in failed: {answer.status_code}")
    return "; ".join(f"{name}={value}" for name, value in client.cookies.items())


def post_body(resident_id: str) -> str:
    """The check-in every POST sends: a visitor who has already left, so the board stays as it was."""
    arrival = datetime.now(UTC).replace(microsecond=0) - timedelta(hours=2)
    return json.dumps(
        {
            "residentId": resident_id,
            "visitorName": "Bench Visitor",
            "totalPeople": 2,
            "subject": "Delivery",
            "arrivalDate": arrival.isoformat(),
            "departureDate": (arrival + timedelta(minutes=30)).isoformat(),
            "licensePlate": "BEN-1C23",
        }
    )


def post_script(token: str, resident_id: str) -> Path:
    """wrk's Lua: every request sends post_body."""
    body = post_body(resident_id)
    path = WORK / "post.lua"
    path.write_text(
        f'wrk.method = "POST"\nwrk.body = {json.dumps(body)}\n'
        f'wrk.headers["Content-Type"] = "application/json"\nwrk.headers["Authorization"] = "Bearer {token}"\n'
    )
    return path


# ---------------------------------------------------------------- one database


def row(endpoint, engine, rows, result, ratio=None, against="", target="", met=None) -> dict:
    return {
        "endpoint": endpoint,
        "engine": engine,
        "rows": rows,
        "rps": round(result["rps"], 1) if result else None,
        "p50_ms": result["p50_ms"] if result else None,
        "p99_ms": result["p99_ms"] if result else None,
        "errors": result["errors"] if result else None,
        "ratio": round(ratio, 3) if ratio is not None else None,
        "against": against,
        "target": target,
        "met": met,
    }


def capture(client: httpx.Client, path: str, headers: dict, name: str) -> dict:
    answer = client.get(path, headers=headers)
    answer.raise_for_status()
    body = WORK / f"{name}.body"
    body.write_bytes(answer.content)
    return {"file": str(body), "media_type": answer.headers["content-type"].split(";")[0], "response": answer}


def bench_database(db: Database, earlier: dict) -> tuple[list[dict], dict]:
    engine, rows_n = db.engine, db.rows
    log(f"{engine} {rows_n:,}: seeding")
    seeded_s = db.create()
    log(f"{engine} {rows_n:,}: seeded in {seeded_s:.1f} s")
    token = db.token()
    api = {"Authorization": f"Bearer {token}"}
    app = Server(f"gatehouse-{engine}-{rows_n}", [GATEHOUSE, "serve", "--port", str(APP_PORT)], db.env(), APP_PORT)
    base = None
    sampler = RssSampler(app)
    sampler.start()
    out: list[dict] = []
    info: dict = {"seed_seconds": round(seeded_s, 1)}
    try:
        url = f"http://{HOST}:{APP_PORT}"
        if ONLY == "post":
            if rows_n == max(SIZES):
                with httpx.Client(base_url=url, timeout=30) as client:
                    resident = client.get("/api/visits?limit=1", headers=api).json()[0]["residentId"]
                log(f"{engine} {rows_n:,}: POST /api/visits, {WRITERS} clients, against the write baseline")
                out += bench_writes(db, url, token, resident)
                out += bench_webhooks(db, url, token, resident)
            else:
                earlier[(engine, "small")] = {"rows": rows_n, "db": db, "token": token}
            return out, info
        if ONLY == "reports":
            if rows_n == max(SIZES):
                out += bench_reports(engine, rows_n, app, url, api, earlier.get((engine, "small")))
            else:
                earlier[(engine, "small")] = {"rows": rows_n, "db": db, "token": token}
            return out, info
        if ONLY == "parcels":
            if rows_n == max(SIZES):
                with httpx.Client(base_url=url, timeout=30) as client:
                    cookie = sign_in_cookie(client)
                small = earlier[(engine, "small")]
                out += beside_smaller(engine, rows_n, url, api, cookie, small, SHELF_PAGES)
            else:
                earlier[(engine, "small")] = {"rows": rows_n, "db": db, "token": token}
            return out, info
        with httpx.Client(base_url=url, timeout=30) as client:
            listing = capture(client, f"/api/visits?limit={PAGE}", api, "visits")
            first = listing["response"].json()[0]
            one = capture(client, f"/api/visits/{first['id']}", api, "visit")
            cookie = sign_in_cookie(client)
            inside = client.get("/api/visits?onSite=true&limit=500", headers=api).json()
            board = client.get("/kiosk/board", headers={"Cookie": cookie, "HX-Request": "true"})
            board.raise_for_status()
            info["on_site"] = len(inside)
            info["board_bytes"], info["on_site_json_bytes"] = len(board.content), len(json.dumps(inside))
        manifest = WORK / "bodies.json"
        manifest.write_text(
            json.dumps(
                {
                    k: {"file": v["file"], "media_type": v["media_type"]}
                    for k, v in (("visit", one), ("visits", listing))
                }
            )
        )
        base_env = {**os.environ, "BENCH_BODIES": str(manifest), "PYTHONPATH": str(BENCH)}
        base = Server(f"baseline-{engine}-{rows_n}", uvicorn_argv("baseline:create_app"), base_env, BASE_PORT)
        with httpx.Client(base_url=f"http://{HOST}:{BASE_PORT}", timeout=30) as client:
            assert client.get(f"/api/visits/{first['id']}").content == Path(one["file"]).read_bytes()
            assert client.get(f"/api/visits?limit={PAGE}").content == Path(listing["file"]).read_bytes()

        id_target = 0.60 if engine == "sqlite" else 0.50
        baseline_url = f"http://{HOST}:{BASE_PORT}"
        for label, path, target in (
            ("GET /api/visits/{id}", f"/api/visits/{first['id']}", id_target),
            (f"GET /api/visits?limit={PAGE}", f"/api/visits?limit={PAGE}", 0.50),
        ):
            log(f"{engine} {rows_n:,}: {label}")
            mine, theirs = measure_in_turn((url + path, api), (baseline_url + path, {}))
            ratio = mine["rps"] / theirs["rps"]
            out.append(row(label, engine, rows_n, mine, ratio, "baseline req/s", f">= {target:.2f}", ratio >= target))
            out.append(row(f"baseline, same bytes as {label}", engine, rows_n, theirs))

        log(f"{engine} {rows_n:,}: on site (JSON and board)")
        on_site, board_result = measure_in_turn(
            (url + "/api/visits?onSite=true&limit=50", api),
            (url + "/kiosk/board", {"Cookie": cookie, "HX-Request": "true"}),
        )
        small = earlier.get((engine, "small"))
        if small and rows_n > small["rows"]:
            out += beside_smaller(engine, rows_n, url, api, cookie, small)
        else:
            out.append(row("GET /api/visits?onSite=true", engine, rows_n, on_site))
        ratio = board_result["rps"] / on_site["rps"]
        out.append(
            row(
                "GET /kiosk/board vs JSON of the same visits",
                engine,
                rows_n,
                board_result,
                ratio,
                "onSite JSON req/s",
                ">= 0.50",
                ratio >= 0.5,
            )
        )

        if rows_n == max(SIZES):
            arrival, row_id = db.oldest(PAGE)
            sys.path.insert(0, str(ROOT))
            from app.lib.paging import encode_cursor

            cursor = encode_cursor(arrival.isoformat(), row_id)
            with httpx.Client(base_url=url, timeout=30) as client:
                last = client.get(f"/api/visits?limit={PAGE}&cursor={cursor}", headers=api)
                last.raise_for_status()
                assert len(last.json()) == PAGE and "link" not in last.headers, "not the last page"
            log(f"{engine} {rows_n:,}: last page by cursor")
            first_result, last_result = measure_in_turn(
                (f"{url}/api/visits?limit={PAGE}", api), (f"{url}/api/visits?limit={PAGE}&cursor={cursor}", api)
            )
            # Requests that all time out leave wrk with no latency at all: that is a miss, not a ratio of 0.
            ratio = last_result["p50_ms"] / first_result["p50_ms"] if last_result["rps"] else float("inf")
            out.append(
                row(
                    "GET /api/visits last page (cursor)",
                    engine,
                    rows_n,
                    last_result,
                    ratio,
                    "p50 vs first page",
                    "<= 1.20",
                    ratio <= 1.2,
                )
            )
            info["plans"] = db.plans(cursor)
            out += bench_reports(engine, rows_n, app, url, api, small)

            log(f"{engine} {rows_n:,}: POST /api/visits, {WRITERS} clients, against the write baseline")
            out += bench_writes(db, url, token, first["residentId"])
            log(f"{engine} {rows_n:,}: POST /api/visits with {HOOKS} webhook endpoints against none")
            out += bench_webhooks(db, url, token, first["residentId"])
            sampler.done.set()
            sampler.join()
            out.append(
                row(
                    "peak RSS of the worker under load (MB)",
                    engine,
                    rows_n,
                    None,
                    sampler.peak,
                    "MB",
                    "< 150",
                    sampler.peak < 150,
                )
            )
            info["peak_rss_mb"] = round(sampler.peak, 1)
        else:
            earlier[(engine, "small")] = {"rows": rows_n, "db": db, "token": token}
    finally:
        sampler.done.set()
        app.stop()
        if base:
            base.stop()
        if rows_n == max(SIZES):
            for database in (db, earlier.pop((engine, "small"), {}).get("db")):
                if database is not None:
                    database.drop()
    return out, info


def export_rows(engine: str, rows_n: int, app: Server, url: str, api: dict) -> list[dict]:
    """GET /api/visits/export of every visit, read to the end once: its time, and the worker's peak RSS then."""
    log(f"{engine} {rows_n:,}: GET /api/visits/export (every visit)")
    sampler = RssSampler(app)
    before = app.rss_mb()
    sampler.start()
    started, size, lines = time.monotonic(), 0, 0
    with (
        httpx.Client(base_url=url, timeout=600) as client,
        client.stream("GET", "/api/visits/export", headers=api) as answer,
    ):
        answer.raise_for_status()
        for chunk in answer.iter_bytes():
            size, lines = size + len(chunk), lines + chunk.count(b"\n")
    seconds = time.monotonic() - started
    sampler.done.set()
    sampler.join()
    if lines - 1 < rows_n:
        raise SystemExit(f"the export has {lines - 1} rows, not {rows_n}")
    log(
        f"{engine} {rows_n:,}: export {size / 1e6:.0f} MB in {seconds:.1f} s, RSS {before:.0f} -> {sampler.peak:.0f} MB"
    )
    label = "GET /api/visits/export, every visit"
    return [
        row(f"{label}: seconds to the last byte", engine, rows_n, None, seconds, "s", ""),
        row(
            f"{label}: peak RSS (MB)",
            engine,
            rows_n,
            None,
            sampler.peak,
            f"MB ({before:.0f} before)",
            "< 150",
            sampler.peak < 150,
        ),
    ]


def reports_targets() -> list[str]:
    """The Reports page over a year, and the reports API over the same year."""
    today = datetime.now(UTC).date()  # the bench's site is in UTC
    period = f"from={today - timedelta(days=364)}&to={today}"
    return [REPORTS_PAGE, f"/api/reports/visits-per-day?{period}", f"/api/reports/arrivals-by-hour?{period}"]


def bench_reports(engine: str, rows_n: int, app: Server, url: str, api: dict, small: dict | None) -> list[dict]:
    """The Reports page and API (a year) at this size against the smaller database served beside it: the first
    read of each (it counts the closed days into the roll-up), then the median of reads; then the export."""
    rows = []
    if small is not None:
        other = Server(
            f"gatehouse-{engine}-{small['rows']}-reports",
            [GATEHOUSE, "serve", "--port", str(BESIDE_PORT)],
            small["db"].env(),
            BESIDE_PORT,
        )
        try:
            other_url = f"http://{HOST}:{BESIDE_PORT}"
            with httpx.Client(base_url=url, timeout=60) as mine, httpx.Client(base_url=other_url, timeout=60) as theirs:
                cookies = [{"Cookie": sign_in_cookie(client, ADMIN)} for client in (mine, theirs)]
                tokens = [api, {"Authorization": f"Bearer {small['token']}"}]
                for path in reports_targets():
                    headers = cookies if path == REPORTS_PAGE else tokens
                    for client, sent, n in zip((mine, theirs), headers, (rows_n, small["rows"]), strict=True):
                        started = time.monotonic()
                        client.get(path, headers=sent).raise_for_status()
                        first_ms = (time.monotonic() - started) * 1000
                        log(f"{engine} {n:,}: first {path} in {first_ms:.0f} ms")
                        rows.append(row(f"GET {path}: first read (ms)", engine, n, None, first_ms, "ms", ""))
                    log(f"{engine} {rows_n:,}: {path} beside {small['rows']:,} rows")
                    big, little = measure_in_turn(
                        (url + path, headers[0]), (other_url + path, headers[1]), connections=1
                    )
                    ratio = big["p50_ms"] / little["p50_ms"]
                    rows.append(row(f"GET {path}", engine, small["rows"], little))
                    met = ratio <= 1.2 and big["p50_ms"] < 200
                    target = "<= 1.20, p50 < 200 ms"
                    rows.append(
                        row(f"GET {path}", engine, rows_n, big, ratio, f"p50 vs {small['rows']:,} rows", target, met)
                    )
        finally:
            other.stop()
    if os.environ.get("BENCH_EXPORT", "1") == "0":
        return rows
    return rows + export_rows(engine, rows_n, app, url, api)


def bench_writes(db: Database, url: str, token: str, resident: str) -> list[dict]:
    """POST /api/visits against a bare handler doing one INSERT in a transaction into the same table,
    with the same driver (bench/write_baseline.py), in alternating rounds."""
    env = {**os.environ, "BENCH_DATABASE_URL": db.url, "PYTHONPATH": str(BENCH)}
    writer = Server(
        f"write-baseline-{db.engine}", uvicorn_argv("write_baseline:create_app", WRITE_BASE_PORT), env, WRITE_BASE_PORT
    )
    before = None
    if BEFORE:
        before_env = {**db.env(), "PYTHONPATH": BEFORE}
        before_argv = [GATEHOUSE, "serve", "--port", str(BEFORE_PORT)]
        before = Server(f"before-{db.engine}-{db.rows}", before_argv, before_env, BEFORE_PORT)
    try:
        script = post_script(token, resident)
        targets = [(f"{url}/api/visits", {}), (f"http://{HOST}:{WRITE_BASE_PORT}/api/visits", {})]
        if before:
            targets.append((f"http://{HOST}:{BEFORE_PORT}/api/visits", {}))
        mine, theirs, *earlier = measure_in_turn(*targets, connections=WRITERS, script=script)
    finally:
        writer.stop()
        if before:
            before.stop()
    ratio = mine["rps"] / theirs["rps"] if theirs["rps"] else 0.0
    label = f"POST /api/visits ({WRITERS} clients)"
    met = mine["errors"] == 0 and theirs["errors"] == 0 and ratio >= 0.5
    rows = [
        row(label, db.engine, db.rows, mine, ratio, "write baseline req/s", ">= 0.50, 0 errors", met),
        row(f"write baseline, one INSERT per {label}", db.engine, db.rows, theirs),
    ]
    for result in earlier:
        before_ratio = result["rps"] / theirs["rps"] if theirs["rps"] else 0.0
        rows.append(
            row(f"{label}, before ({BEFORE})", db.engine, db.rows, result, before_ratio, "write baseline req/s")
        )
    return rows


def _hooks(url: str, token: str, on: bool) -> None:
    """None registered, or HOOKS endpoints on the receiver, each wanting every visit event."""
    events = ["visit.checked_in", "visit.checked_out", "visit.updated", "visit.deleted"]
    with httpx.Client(base_url=url, headers={"Authorization": f"Bearer {token}"}, timeout=30) as client:
        for hook in client.get("/api/webhooks").json():
            client.delete(f"/api/webhooks/{hook['id']}").raise_for_status()
        for n in range(HOOKS if on else 0):
            hook = {"url": f"http://{HOST}:{RECEIVER_PORT}/hook{n}", "events": events}
            client.post("/api/webhooks", json=hook).raise_for_status()


def bench_webhooks(db: Database, url: str, token: str, resident: str) -> list[dict]:
    """POST /api/visits with HOOKS endpoints registered against none, on the same server, round by round in
    turn. Every check-in writes its event row either way; the endpoints add the sender's fan-out and POSTs,
    which the server's own background task makes (the receiver runs on the other core, with wrk)."""
    receiver = subprocess.Popen(  # noqa: S603 - fixed command
        ["taskset", "-c", "1", sys.executable, str(BENCH / "receiver.py"), str(RECEIVER_PORT)], cwd=ROOT
    )
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            with contextlib.suppress(OSError), socket.create_connection((HOST, RECEIVER_PORT), timeout=0.5):
                break
            time.sleep(0.2)
        script = post_script(token, resident)
        target = f"{url}/api/visits"
        for on in (True, False):
            _hooks(url, token, on)
            wrk(target, WARMUP, {}, WRITERS, script)
        rounds: dict[bool, list[dict]] = {False: [], True: []}
        for _ in range(ROUNDS):
            for on in (False, True):
                _hooks(url, token, on)
                rounds[on].append(wrk(target, SECONDS, {}, WRITERS, script))
        backlog, catch_up = _catch_up()
        received = _received()
        _hooks(url, token, False)
    finally:
        receiver.terminate()
        receiver.wait(timeout=15)
    none, hooked = _summary(rounds[False]), _summary(rounds[True])
    ratio = hooked["rps"] / none["rps"] if none["rps"] else 0.0
    label = f"POST /api/visits ({WRITERS} clients), {HOOKS} webhook endpoints"
    met = hooked["errors"] == 0 and none["errors"] == 0 and ratio >= 0.9
    log(f"webhooks: {ratio:.3f} of none; the receiver got {received} deliveries")
    log(f"webhooks: {backlog} deliveries after the last round, all received {catch_up:.1f} s after it")
    return [
        row(label, db.engine, db.rows, hooked, ratio, "no endpoints req/s", ">= 0.90, 0 errors", met),
        row(f"POST /api/visits ({WRITERS} clients), no webhook endpoints", db.engine, db.rows, none),
        row(
            f"webhook deliveries left by the last round ({backlog:,}), once the check-ins stop: seconds to send them",
            db.engine,
            db.rows,
            None,
            catch_up,
            "s",
        ),
    ]


def _received() -> int:
    return httpx.get(f"http://{HOST}:{RECEIVER_PORT}/count", timeout=10).json()["received"]


def _catch_up(quiet_seconds: float = 3.0) -> tuple[int, float]:
    """Under a flood of check-ins the sender yields to the requests (its BUSY_SHARE), so deliveries queue up:
    how many reach the receiver after the last round ends, and when the last of them arrives (it is idle
    for `quiet_seconds` once all are sent). The count is measured, not reckoned from the rounds."""
    ended = time.monotonic()
    at_end = last = _received()
    last_change = ended
    while time.monotonic() - last_change < quiet_seconds:
        time.sleep(0.2)
        count = _received()
        if count != last:
            last, last_change = count, time.monotonic()
    return last - at_end, last_change - ended


SHELF_PAGES = (
    # The demo seeds a parcel for every ten visits (100k beside 1M), the same few still waiting at both.
    ("GET /kiosk/parcels (parcels waiting, fragment)", "/kiosk/parcels", "pages"),
    # The whole page, as a guard opens it (htmx's live refetch is the same reads without the note form).
    ("GET /kiosk/handover (the last 48 hours, whole page)", "/kiosk/handover", "page"),
)
"""The parcels waiting and the shift's handover: in the full run, and alone with BENCH_ONLY=parcels."""
HISTORY_PAGES = (
    ("GET /api/visits?onSite=true", "/api/visits?onSite=true&limit=50", "api"),
    ("GET /kiosk/board (fragment)", "/kiosk/board", "pages"),
    (
        f"GET /kiosk/checks?visitorName={SUGGEST_PREFIX} (suggestions)",
        f"/kiosk/checks?visitorName={SUGGEST_PREFIX}",
        "pages",
    ),
    *SHELF_PAGES,
)


def beside_smaller(
    engine: str, rows_n: int, url: str, api: dict, cookie: str, small: dict, targets=HISTORY_PAGES
) -> list[dict]:
    """The on-site list, the board, the suggestions, the parcels waiting and the shift's handover (or only
    `targets`) at this size against the smaller database, served beside it on the same core and measured in
    turn, so the ratio is the history's cost and not the load's."""
    other = Server(
        f"gatehouse-{engine}-{small['rows']}-beside",
        [GATEHOUSE, "serve", "--port", str(BESIDE_PORT)],
        small["db"].env(),
        BESIDE_PORT,
    )
    try:
        other_url = f"http://{HOST}:{BESIDE_PORT}"
        with httpx.Client(base_url=other_url, timeout=30) as client:
            other_cookie = sign_in_cookie(client)
        headers = {
            "api": (api, {"Authorization": f"Bearer {small['token']}"}),
            "pages": tuple({"Cookie": c, "HX-Request": "true"} for c in (cookie, other_cookie)),
            "page": tuple({"Cookie": c} for c in (cookie, other_cookie)),
        }
        rows = []
        for label, path, kind in targets:
            mine, theirs = headers[kind]
            log(f"{engine} {rows_n:,}: {label} beside {small['rows']:,} rows")
            big, little = measure_in_turn((url + path, mine), (other_url + path, theirs))
            ratio = big["p50_ms"] / little["p50_ms"]
            against = f"p50 vs {small['rows']:,} rows"
            rows.append(row(label, engine, small["rows"], little))
            rows.append(row(label, engine, rows_n, big, ratio, against, "<= 1.20", ratio <= 1.2))
        return rows
    finally:
        other.stop()


# ---------------------------------------------------------------- report


def _fmt(value, spec: str) -> str:
    return "" if value is None else format(value, spec)


def markdown(rows: list[dict], meta: dict, plans: dict) -> str:
    lines = [
        "# Gatehouse benchmark",
        "",
        f"{meta['when']} · {meta['machine']} · server on core 0 (1 uvicorn worker, uvloop, httptools), "
        f"wrk on core 1 · {CONNECTIONS} connections ({WRITERS} for POST) · warm-up {WARMUP} s, "
        f"median of {ROUNDS} rounds of {SECONDS} s (the two sides of a same-run ratio in alternating rounds) · "
        + ("`make bench`" if FULL_RUN else f"partial: BENCH_SIZES={','.join(map(str, SIZES))} BENCH_ONLY={ONLY}")
        + (f" BENCH_BEFORE={BEFORE}" if BEFORE else ""),
        "",
        "| endpoint | engine | rows | req/s | p50 ms | p99 ms | errors | ratio | against | target | met |",
        "|---|---|---:|---:|---:|---:|---:|---:|---|---|---|",
    ]
    for r in rows:
        met = "" if r["met"] is None else ("yes" if r["met"] else "**no**")
        lines.append(
            f"| {r['endpoint']} | {r['engine']} | {r['rows']:,} | {_fmt(r['rps'], ',.0f')} | {_fmt(r['p50_ms'], '.2f')}"
            f" | {_fmt(r['p99_ms'], '.2f')} | {_fmt(r['errors'], 'd')} | {_fmt(r['ratio'], '.2f')} | {r['against']}"
            f" | {r['target']} | {met} |"
        )
    lines += [
        "",
        "Seeding (`gatehouse demo --visits N`): " + ", ".join(f"{k}: {v} s" for k, v in meta["seed_seconds"].items()),
        "",
    ]
    for engine, engine_plans in plans.items():
        lines += [f"## Query plans, {engine}, {max(SIZES):,} visits", ""]
        for name, plan in engine_plans.items():
            lines += [f"**{name}**", "", "```", *plan["plan"], "```", ""]
    return "\n".join(lines)


def main() -> int:
    for tool in ("wrk", "taskset"):
        if not shutil.which(tool):
            raise SystemExit(f"{tool} is missing (make bench installs wrk with apt-get)")
    WORK.mkdir(exist_ok=True)
    RESULTS.mkdir(exist_ok=True)
    started = time.monotonic()
    engines = [("sqlite", None)]
    admin_url = postgres_admin_url()
    if admin_url:
        engines.append(("postgres", admin_url))
    else:
        log("no PostgreSQL (set BENCH_DATABASE_URL): SQLite only")
    rows: list[dict] = []
    plans: dict = {}
    earlier: dict = {}
    meta = {
        "when": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
        f"{_cpu_model()}, Python {platform.python_version()}",
        "seed_seconds": {},
        "settings": {"rounds": ROUNDS, "seconds": SECONDS, "warmup": WARMUP, "connections": CONNECTIONS},
        "details": {},
    }
    for engine, url in engines:
        for size in SIZES:
            found, info = bench_database(Database(engine, size, url), earlier)
            rows += found
            meta["seed_seconds"][f"{engine} {size:,}"] = info["seed_seconds"]
            if "plans" in info:
                plans[engine] = info.pop("plans")
            meta["details"][f"{engine} {size}"] = {k: v for k, v in info.items() if not k.endswith("_result")}
    meta["total_seconds"] = round(time.monotonic() - started)
    out = RESULTS / "latest" if FULL_RUN else WORK / "partial"
    out.with_suffix(".json").write_text(json.dumps({"meta": meta, "rows": rows, "plans": plans}, indent=2, default=str))
    text = markdown(rows, meta, plans)
    out.with_suffix(".md").write_text(text + "\n")
    print(text.split("\n## Query plans")[0])
    log(f"done in {meta['total_seconds']} s: {out.with_suffix('.md').relative_to(ROOT)}")
    return 0


def _cpu_model() -> str:
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return "unknown CPU"


if __name__ == "__main__":
    sys.exit(main())
