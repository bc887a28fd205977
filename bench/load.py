"""The load benchmark suite: every scenario against one `laneway serve`, with GET /healthz as the
baseline measured in the same run.

Run with the project's interpreter from the repository root:

    .venv/bin/python bench/load.py --database sqlite --seed-threads 1000000
    .venv/bin/python bench/load.py --database postgres --seed-threads 1000000
    .venv/bin/python bench/load.py --database sqlite --smoke        # seconds; CI runs this

Each run makes a fresh database (a SQLite file in a temp dir, or a PostgreSQL database
`laneway_bench_<random>` that is dropped at the end), seeds one workspace with N threads through
Laneway's own import code (bench/seed.py), starts `laneway serve` in its own process group,
drives it with wrk (see scenario.lua), prints a table, writes bench/results/load-<database>[-w<N>].json,
and checks that every thread acknowledged with a 200 is in the database and that the listed
`count` agrees with the rows. Exits 1 when anything was flagged (non-200 answers, socket errors,
a stalled server, acknowledged threads missing, counts that disagree). See README.md.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import os
import platform
import re
import resource
import secrets
import shutil
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
LUA = BENCH / "scenario.lua"
RESULTS = BENCH / "results"
DEFAULT_LANEWAY = ROOT / ".venv" / "bin" / "laneway"
PG_HOST, PG_PORT, PG_USER = "127.0.0.1", 5432, "postgres"
MINIMAL_EMAIL = "same-contact@customer.example"  # the one contactEmail of the minimal scenario
CLK_TCK = os.sysconf("SC_CLK_TCK")
PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")
# Other processes using more than this many cores during a measured phase make it "noisy".
NOISY_OTHER_CORES = 0.15
# A probe slower than this after wrk stopped means the server was stalled.
STALL_PROBE_SECONDS = 2.0
# The last line of a traceback: "package.module.SomeError: message" (or the bare name).
EXCEPTION_LINE = re.compile(
    r"^((?:[A-Za-z_]\w*\.)*[A-Z]\w*(?:Error|Exception|Disconnect|Timeout|Exit)\w*)(?::|$)"
)


@dataclass(frozen=True)
class Scenario:
    name: str
    mode: str  # the wrk mode in scenario.lua
    path: str
    writes: bool  # creates or changes threads


def scenarios(seeded: dict[str, Any]) -> list[Scenario]:
    """Every scenario, in the order they run: the reads first, on the workspace as it was seeded,
    then the writes. GET /healthz runs first and again last; the ratios use the mean of the two."""
    deep = min(900_000, int(seeded["threads"] * 0.9))
    project = seeded["projectIds"][0]
    return [
        Scenario("GET /healthz", "healthz", "/healthz", False),
        Scenario("GET /threads/{id}", "thread", "/api/v1/threads", False),
        Scenario("GET /threads?take=50", "get", "/api/v1/threads?take=50", False),
        Scenario("GET /threads?take=50&state=NEW", "get", "/api/v1/threads?take=50&state=NEW", False),
        Scenario(
            "GET /threads?take=50&projectId=P", "get", f"/api/v1/threads?take=50&projectId={project}", False
        ),
        Scenario(f"GET /threads?take=50&skip={deep}", "get", f"/api/v1/threads?take=50&skip={deep}", False),
        Scenario("POST /threads minimal", "minimal", "/api/v1/threads", True),
        Scenario("POST /threads full", "full", "/api/v1/threads", True),
        Scenario("PATCH /threads/{id}", "patch", "/api/v1/threads", True),
        Scenario("mixed: 90% reads, 10% writes", "mixed", "/api/v1/threads", True),
        Scenario("GET /healthz (again)", "healthz", "/healthz", False),
    ]


def log(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)


# --- processes ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Proc:
    pid: int
    comm: str
    state: str
    pgrp: int
    cpu_s: float  # user + system
    children_cpu_s: float  # user + system of its exited, reaped children
    rss_pages: int

    @property
    def rss_mib(self) -> float:
        return round(self.rss_pages * PAGE_SIZE / 2**20, 1)

    @property
    def peak_rss_mib(self) -> float:
        """The most the process has held resident (VmHWM)."""
        with contextlib.suppress(OSError, ValueError):
            for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    return round(int(line.split()[1]) / 1024, 1)
        return 0.0


def processes() -> Iterator[Proc]:
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        comm = stat[stat.index("(") + 1 : stat.rindex(")")]
        # after "pid (comm) ": state ppid pgrp session tty tpgid flags minflt cminflt majflt
        # cmajflt utime stime cutime cstime ...
        rest = stat[stat.rindex(")") + 2 :].split()
        yield Proc(
            int(entry),
            comm,
            rest[0],
            int(rest[2]),
            (int(rest[11]) + int(rest[12])) / CLK_TCK,
            (int(rest[13]) + int(rest[14])) / CLK_TCK,
            int(rest[21]),
        )


def cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


def system_busy_seconds() -> float:
    """CPU seconds all cores have spent neither idle nor stolen since boot (/proc/stat)."""
    fields = [int(x) for x in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = fields[3] + fields[4]  # idle + iowait
    return (sum(fields[:8]) - idle - fields[7]) / CLK_TCK


def system_steal_seconds() -> float:
    """CPU seconds the hypervisor gave to others while this VM wanted to run (/proc/stat)."""
    return int(Path("/proc/stat").read_text().splitlines()[0].split()[8]) / CLK_TCK


def calibrate() -> float:
    """Milliseconds for a fixed piece of pure-Python work: compares CPU speed between runs."""
    best = float("inf")
    for _ in range(5):
        start = time.perf_counter()
        total = 0
        for i in range(300_000):
            total += i * i % 7
        best = min(best, time.perf_counter() - start)
    return round(best * 1000, 2)


def wait_for_quiet(max_wait: float, cores: float = 0.2, window: float = 3.0) -> float:
    """Wait (up to max_wait seconds) until the whole machine uses less than `cores` cores over
    `window` seconds. Returns the cores used in the last window."""
    deadline = time.monotonic() + max_wait
    while True:
        before = system_busy_seconds()
        time.sleep(window)
        used = (system_busy_seconds() - before) / window
        if used < cores or time.monotonic() >= deadline:
            return used
        log(f"machine busy ({used:.2f} cores used by others); waiting for it to quiet down")


def children_cpu_seconds() -> float:
    """CPU of this script's finished children (wrk, once it has exited)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


# --- databases ---------------------------------------------------------------------------------


def psql(sql: str, database: str = "postgres") -> str:
    out = subprocess.run(
        [
            "psql",
            "-h",
            PG_HOST,
            "-p",
            str(PG_PORT),
            "-U",
            PG_USER,
            "-d",
            database,
            "-v",
            "ON_ERROR_STOP=1",
            "-X",
            "-q",
            "-t",
            "-A",
            "-c",
            sql,
        ],
        check=True,
        capture_output=True,
        text=True,
        timeout=60,
    )
    return out.stdout.strip()


class BenchDatabase:
    kind: str
    url: str

    def count(self, sql: str) -> int:
        raise NotImplementedError

    def describe(self) -> str:
        raise NotImplementedError

    def cpu_seconds(self) -> float:
        """CPU used by database server processes (none for SQLite, which runs in the server)."""
        return 0.0

    def stats(self) -> dict[str, Any]:
        return {}

    def size_bytes(self) -> int:
        raise NotImplementedError

    def cleanup(self) -> None:
        raise NotImplementedError


class SqliteDatabase(BenchDatabase):
    kind = "sqlite"

    def __init__(self, keep: bool) -> None:
        self.dir = Path(tempfile.mkdtemp(prefix="laneway-bench-"))
        self.path = self.dir / "bench.db"
        self.url = f"sqlite:///{self.path}"
        self.keep = keep

    def count(self, sql: str) -> int:
        with contextlib.closing(sqlite3.connect(self.path)) as conn:
            return int(conn.execute(sql).fetchone()[0])

    def describe(self) -> str:
        return f"SQLite {sqlite3.sqlite_version}, a file in {self.dir} (pragmas as Laneway sets them)"

    def size_bytes(self) -> int:
        """The database file and its write-ahead log."""
        return sum(p.stat().st_size for p in self.dir.glob("bench.db*") if p.suffix != ".migrate-lock")

    def cleanup(self) -> None:
        if self.keep:
            log(f"kept {self.path}")
        else:
            shutil.rmtree(self.dir, ignore_errors=True)


class PostgresDatabase(BenchDatabase):
    kind = "postgres"

    def __init__(self, keep: bool) -> None:
        self.name = f"laneway_bench_{secrets.token_hex(4)}"
        psql(f'CREATE DATABASE "{self.name}"')
        self.url = f"postgresql://{PG_USER}@{PG_HOST}:{PG_PORT}/{self.name}"
        self.keep = keep
        self.version = psql("SHOW server_version")
        self.settings = {
            name: psql(f"SHOW {name}")
            for name in ("synchronous_commit", "fsync", "max_connections", "shared_buffers")
        }

    def count(self, sql: str) -> int:
        return int(psql(sql, self.name))

    def describe(self) -> str:
        settings = ", ".join(f"{k}={v}" for k, v in self.settings.items())
        return f"PostgreSQL {self.version} on {PG_HOST}:{PG_PORT}, database {self.name} ({settings})"

    def size_bytes(self) -> int:
        return int(psql("SELECT pg_database_size(current_database())", self.name))

    def cpu_seconds(self) -> float:
        """CPU of the whole local PostgreSQL: every `postgres` process, plus the backends that
        have exited (the postmaster reaps them, so their CPU shows in its children's CPU).
        Includes other databases' work on this server, if anything else uses it meanwhile."""
        return sum(p.cpu_s + p.children_cpu_s for p in processes() if p.comm == "postgres")

    def stats(self) -> dict[str, Any]:
        """Sessions (connections) opened to the benchmark database: pool churn shows here."""
        row = psql(
            "SELECT sessions, xact_commit, xact_rollback FROM pg_stat_database"
            " WHERE datname = current_database()",
            self.name,
        )
        sessions, commits, rollbacks = (int(x) for x in row.split("|"))
        return {"sessions_opened": sessions, "xact_commit": commits, "xact_rollback": rollbacks}

    def cleanup(self) -> None:
        if self.keep:
            log(f"kept database {self.name}")
            return
        psql(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


# --- the server --------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def server_settings(env: dict[str, str], cwd: Path) -> dict[str, Any]:
    """The settings the server runs with (every LANEWAY_* variable but the database URL is
    unset, so these are the defaults of the code under test)."""
    script = (
        "from laneway.config import Settings; print(Settings().model_dump_json(include={'db_concurrency'}))"
    )
    out = subprocess.run([sys.executable, "-c", script], env=env, cwd=cwd, capture_output=True, text=True)
    return json.loads(out.stdout) if out.returncode == 0 else {"error": out.stderr.strip()[-300:]}


def laneway_cli(laneway: str, env: dict[str, str], cwd: Path, *args: str) -> dict[str, Any]:
    out = subprocess.run([laneway, *args], env=env, cwd=cwd, capture_output=True, text=True, timeout=120)
    if out.returncode != 0:
        raise SystemExit(f"`laneway {' '.join(args)}` failed ({out.returncode}): {out.stderr.strip()}")
    return json.loads(out.stdout)  # type: ignore[no-any-return]


@dataclass
class Server:
    process: subprocess.Popen[bytes]
    port: int
    stderr_path: Path

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def group(self) -> list[Proc]:
        """The live processes of the server's process group (uvicorn and its workers)."""
        return [p for p in processes() if p.pgrp == self.process.pid and p.state != "Z"]

    def cpu_seconds(self) -> float:
        return sum(p.cpu_s for p in self.group())

    def stop(self) -> int | None:
        """SIGTERM to the whole group, SIGKILL after 30 s; the exit code of the parent."""
        if self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                log("server did not stop within 30 s of SIGTERM; sending SIGKILL to its group")
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)
        deadline = time.monotonic() + 10  # worker processes may outlive the parent a moment
        while self.group() and time.monotonic() < deadline:
            time.sleep(0.1)
        return self.process.returncode


def start_server(
    laneway: str, env: dict[str, str], cwd: Path, workers: int, extra: list[str], stderr_path: Path
) -> Server:
    port = free_port()
    cmd = [laneway, "serve", "--host", "127.0.0.1", "--port", str(port), "--no-access-log"]
    if workers != 1:
        cmd += ["--workers", str(workers)]
    cmd += extra
    log(f"starting: {' '.join(cmd)} (stderr to {stderr_path})")
    with stderr_path.open("wb") as err:
        process = subprocess.Popen(
            cmd, env=env, cwd=cwd, stdin=subprocess.DEVNULL, stdout=err, stderr=err, start_new_session=True
        )
    server = Server(process, port, stderr_path)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"server exited with {process.returncode}; see {stderr_path}")
        try:
            with urllib.request.urlopen(server.base + "/healthz", timeout=2) as response:
                if response.status == 200:
                    return server
        except OSError:  # URLError is an OSError
            pass
        time.sleep(0.2)
    server.stop()
    raise SystemExit(f"server did not answer /healthz within 60 s; see {stderr_path}")


def settle(server: Server, max_wait: float = 90.0) -> dict[str, Any]:
    """Let the server finish what wrk left behind, and check that it still answers.

    wrk closes its connections mid-request when its duration ends, and the server keeps working
    on those requests. Wait until the server's processes use < 5% of a core over 0.5 s, then
    send one probe POST /api/v1/threads with an unknown API key: it needs a threadpool thread and
    a database connection, answers 401 and creates nothing. A probe that is slow, fails or
    answers anything but 401 means the server was stalled; that is flagged."""
    start = time.monotonic()
    previous = server.cpu_seconds()
    quiet = False
    while time.monotonic() - start < max_wait:
        time.sleep(0.5)
        now = server.cpu_seconds()
        if now - previous < 0.025:
            quiet = True
            break
        previous = now
    quiet_after = time.monotonic() - start
    probe = urllib.request.Request(
        server.base + "/api/v1/threads",
        method="POST",
        data=json.dumps(
            {"text": "probe", "painLevel": "LOW", "contactEmail": "probe@bench.example"}
        ).encode(),
        headers={"Content-Type": "application/json", "Authorization": "Bearer pl_bench_probe_not_a_key"},
    )
    probe_start = time.monotonic()
    status: int | str
    try:
        with urllib.request.urlopen(probe, timeout=max_wait) as response:
            status = response.status
    except urllib.error.HTTPError as exc:
        status = exc.code
    except OSError as exc:
        status = f"{type(exc).__name__}: {exc}"
    probe_s = time.monotonic() - probe_start
    return {
        "quiet": quiet,
        "quiet_after_s": round(quiet_after, 2),
        "probe_status": status,
        "probe_s": round(probe_s, 3),
        "stalled": (not quiet) or status != 401 or probe_s > STALL_PROBE_SECONDS,
    }


def scan_stderr(path: Path) -> dict[str, Any]:
    text = path.read_text(errors="replace") if path.exists() else ""
    lines = text.splitlines()
    exceptions: dict[str, int] = {}
    for ln in lines:
        match = EXCEPTION_LINE.match(ln)
        if match:
            exceptions[match.group(1)] = exceptions.get(match.group(1), 0) + 1
    interesting = [ln for ln in lines if "Traceback" in ln or "ERROR" in ln or EXCEPTION_LINE.match(ln)]
    return {
        "found": path.exists(),
        "lines": len(lines),
        "tracebacks": sum("Traceback" in ln for ln in lines),
        "error_lines": sum("ERROR" in ln for ln in lines),
        "exception_types": dict(sorted(exceptions.items(), key=lambda kv: -kv[1])),
        "first_interesting": interesting[:10],
    }


# --- wrk ---------------------------------------------------------------------------------------


def ensure_wrk() -> str:
    wrk = shutil.which("wrk")
    if wrk is None:
        raise SystemExit("wrk is not installed: `apt-get install wrk` (Debian/Ubuntu); see bench/README.md")
    return wrk


def run_wrk(
    wrk: str, url: str, seconds: float, load: argparse.Namespace, script_args: list[str]
) -> dict[str, Any]:
    cmd = [
        wrk,
        "-t",
        str(load.threads),
        "-c",
        str(load.connections),
        "-d",
        f"{seconds:g}s",
        "--timeout",
        f"{load.timeout:g}s",
        "-s",
        str(LUA),
        url,
        "--",
        *script_args,
    ]
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=seconds + load.timeout + 60)
    lines = [ln for ln in out.stdout.splitlines() if ln.startswith("WRK_RESULT ")]
    if out.returncode != 0 or not lines:
        raise SystemExit(f"wrk failed ({out.returncode}):\n{out.stdout}\n{out.stderr}")
    return json.loads(lines[-1].removeprefix("WRK_RESULT "))  # type: ignore[no-any-return]


# --- one scenario ------------------------------------------------------------------------------


@dataclass
class ScenarioResult:
    name: str
    mode: str
    writes: bool
    warmup: dict[str, Any] | None
    measured: dict[str, Any]
    # CPU seconds in the measured phase: server, db, wrk, all (the whole machine), steal
    cpu_s: dict[str, float]
    settles: list[dict[str, Any]] = field(default_factory=list)
    ratio_to_healthz: float | None = None
    rss_mib: list[float] = field(default_factory=list)  # each server process, after the scenario

    def created_200(self) -> int:
        """Threads this scenario was told were created (warm-up included)."""
        warm = int(self.warmup["created_200"]) if self.warmup else 0
        return int(self.measured["created_200"]) + warm

    def as_json(self) -> dict[str, Any]:
        m = self.measured
        lat = m["latency_us"]
        seconds = m["duration_s"] or 1.0
        cores = {k: round(v / seconds, 2) for k, v in self.cpu_s.items()}
        other = self.cpu_s["all"] - self.cpu_s["server"] - self.cpu_s["db"] - self.cpu_s["wrk"]
        cores["other"] = round(max(0.0, other) / seconds, 2)
        return {
            "scenario": self.name,
            "mode": self.mode,
            "requests_per_s": round(m["requests_per_s"], 1),
            "p50_ms": lat["p50"] / 1000,
            "p90_ms": lat["p90"] / 1000,
            "p99_ms": lat["p99"] / 1000,
            "max_ms": lat["max"] / 1000,
            "ratio_to_healthz": None if self.ratio_to_healthz is None else round(self.ratio_to_healthz, 4),
            "non_2xx": int(m["status_other"]),
            "non_2xx_by_status": m["status_other_by_code"],
            "socket_errors": m["errors"],
            "requests": m["requests"],
            "status_200": m["status_200"],
            "duration_s": round(m["duration_s"], 3),
            "cores_used": cores,
            "created_200": m["created_200"],
            "server_rss_mib": self.rss_mib,
            "server_cpu_ms_per_request": round(1000 * self.cpu_s["server"] / m["requests"], 3)
            if m["requests"]
            else None,
            "db_cpu_ms_per_request": round(1000 * self.cpu_s["db"] / m["requests"], 3)
            if m["requests"]
            else None,
            "noisy": cores["other"] > NOISY_OTHER_CORES or cores["steal"] > NOISY_OTHER_CORES,
            "stalled": any(s["stalled"] for s in self.settles),
            "settles": self.settles,
            "warmup": self.warmup,
            "wrk": m,
        }


def measure(
    wrk: str,
    server: Server,
    db: BenchDatabase,
    args: argparse.Namespace,
    scenario: Scenario,
    script_args: list[str],
    run_tag: str,
) -> ScenarioResult:
    name, mode = scenario.name, scenario.mode
    url = server.base + scenario.path
    key, project, ids_file = script_args
    warm = None
    settles = []
    if args.warmup > 0:
        log(f"{name}: warm-up {args.warmup:g} s")
        warm = run_wrk(wrk, url, args.warmup, args, [mode, key, project, f"{run_tag}w", ids_file])
        settles.append(settle(server))
        log(f"{name}: after the warm-up: {settles[-1]}")
    log(f"{name}: measuring {args.duration:g} s")
    before = (
        server.cpu_seconds(),
        db.cpu_seconds(),
        children_cpu_seconds(),
        system_busy_seconds(),
        system_steal_seconds(),
    )
    measured = run_wrk(wrk, url, args.duration, args, [mode, key, project, f"{run_tag}m", ids_file])
    after = (
        server.cpu_seconds(),
        db.cpu_seconds(),
        children_cpu_seconds(),
        system_busy_seconds(),
        system_steal_seconds(),
    )
    cpu = {k: b - a for k, a, b in zip(("server", "db", "wrk", "all", "steal"), before, after, strict=True)}
    rounded = {k: round(v, 2) for k, v in cpu.items()}
    log(f"{name}: {measured['requests_per_s']:.0f} req/s; CPU seconds {rounded}")
    settles.append(settle(server))
    log(f"{name}: after the run: {settles[-1]}")
    if server.process.poll() is not None:
        raise SystemExit(f"server died during {name}; see {server.stderr_path}")
    rss = [p.rss_mib for p in server.group()]
    return ScenarioResult(name, mode, scenario.writes, warm, measured, cpu, settles, rss_mib=rss)


# --- after the run -----------------------------------------------------------------------------


def check_durability(
    db: BenchDatabase, results: list[ScenarioResult], seeded: dict[str, Any], listed: int, connections: int
) -> dict[str, Any]:
    """Every thread acknowledged with a 200 (warm-ups included) must be in the database, and
    the listed `count` must be the number of rows.

    wrk stops with up to `connections` requests sent but unanswered; the server still finishes
    and commits them, so the database may hold up to that many more rows per wrk run than the
    200s wrk saw. Fewer rows than seeded + 200s means acknowledged threads were lost."""
    workspace = seeded["workspaceId"]
    acked = sum(r.created_200() for r in results)
    in_db = db.count(f"SELECT count(*) FROM threads WHERE workspace_id = '{workspace}'")
    # Every contact the full bodies made (c-<tag>-...) has exactly one thread: no duplicates.
    new_contacts = db.count("SELECT count(*) FROM contacts WHERE email LIKE 'c-%'")
    their_threads = db.count(
        "SELECT count(*) FROM threads t JOIN contacts c ON c.id = t.contact_id WHERE c.email LIKE 'c-%'"
    )
    writing = [r for r in results if r.writes]
    allowance = connections * sum(1 + (r.warmup is not None) for r in writing)
    made = in_db - seeded["threads"]
    return {
        "seeded": seeded["threads"],
        "acknowledged_200": acked,
        "threads_in_db": in_db,
        "made_in_db": made,
        "listed_count": listed,
        "listed_count_agrees": listed == in_db,
        "new_contacts": new_contacts,
        "threads_of_new_contacts": their_threads,
        "one_contact_per_new_address": new_contacts == their_threads,
        "unanswered_allowance": allowance,
        "nothing_acknowledged_lost": made >= acked,
        "within_allowance": acked <= made <= acked + allowance,
    }


def machine() -> dict[str, Any]:
    model = "unknown"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    wrk_version = subprocess.run(["wrk", "-v"], capture_output=True, text=True).stdout.splitlines()
    return {
        "nproc": os.cpu_count(),
        "cpu_model": model,
        "kernel": platform.release(),
        "python": platform.python_version(),
        "wrk": wrk_version[0] if wrk_version else None,
        "loadavg_1_5_15_at_start": [round(x, 2) for x in os.getloadavg()],
        "calibration_ms": calibrate(),
    }


def code_identity(src: Path | None) -> dict[str, Any]:
    """Which Laneway code was measured: others may be editing src/ while this runs."""

    def git(*args: str) -> str:
        out = subprocess.run(["git", "-C", str(ROOT), *args], capture_output=True, text=True)
        return out.stdout.rstrip() if out.returncode == 0 else ""

    tree = src or ROOT / "src"
    digest = hashlib.sha256()
    for path in sorted(tree.rglob("*.py")):
        digest.update(str(path.relative_to(tree)).encode() + b"\0" + path.read_bytes() + b"\0")
    if src is not None:
        return {"src_dir": str(src), "src_sha256": digest.hexdigest()[:16]}
    dirty = [line[3:] for line in git("status", "--porcelain", "--", "src").splitlines()]
    return {
        "src_dir": str(tree),
        "git_head": git("rev-parse", "--short", "HEAD"),
        "git_subject": git("log", "-1", "--format=%s"),
        "src_uncommitted_files": dirty,
        "src_sha256": digest.hexdigest()[:16],
    }


def fmt_table(rows: list[dict[str, Any]]) -> str:
    head = [
        "scenario",
        "req/s",
        "p50 ms",
        "p90 ms",
        "p99 ms",
        "vs healthz",
        "non-2xx",
        "server CPU ms/req",
        "cores server/db/wrk/other/steal",
    ]
    body = []
    for r in rows:
        c = r["cores_used"]
        body.append(
            [
                r["scenario"],
                f"{r['requests_per_s']:.0f}"
                + (
                    f" ({r['requests_per_s_min']:.0f}-{r['requests_per_s_max']:.0f})"
                    if "requests_per_s_min" in r
                    else ""
                ),
                f"{r['p50_ms']:.1f}",
                f"{r['p90_ms']:.1f}",
                f"{r['p99_ms']:.1f}",
                "-" if r["ratio_to_healthz"] is None else f"{r['ratio_to_healthz']:.3f}",
                str(r["non_2xx"]) + (" FLAGGED" if r["non_2xx"] else ""),
                "-" if r["server_cpu_ms_per_request"] is None else f"{r['server_cpu_ms_per_request']:.2f}",
                f"{c['server']:.2f}/{c['db']:.2f}/{c['wrk']:.2f}/{c['other']:.2f}/{c['steal']:.2f}"
                + (" noisy" if r["noisy"] else ""),
            ]
        )
    widths = [max(len(x) for x in col) for col in zip(head, *body, strict=True)]

    def line(cells: list[str]) -> str:
        padded = (
            c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(cells, widths, strict=True))
        )
        return "| " + " | ".join(padded) + " |"

    sep = "|" + "|".join("-" * (w + 2) if i == 0 else "-" * (w + 1) + ":" for i, w in enumerate(widths)) + "|"
    return "\n".join([line(head), sep, *(line(b) for b in body)])


def print_run(report: dict[str, Any], args: argparse.Namespace, index: int) -> None:
    rows = report["results"]
    flags = report["flags"]
    print(
        f"\nRun {index}: the load suite on {args.database}, {args.seed_threads} threads seeded, "
        f"{args.workers} worker(s); "
        f"wrk -c{args.connections} -t{args.threads} -d{args.duration:g}s, "
        f"warm-up {args.warmup:g}s; CPU calibration {report['machine']['calibration_ms']} ms "
        f"(lower is faster), load average at start {report['machine']['loadavg_1_5_15_at_start']}"
    )
    code = report["code"]
    if "git_head" in code:
        dirty = len(code["src_uncommitted_files"])
        print(
            f"code: {code['git_head']} ({code['git_subject']})"
            + (f" + {dirty} uncommitted file(s) in src/" if dirty else "")
            + f", src sha256 {code['src_sha256']}"
        )
    else:
        print(f"code: {code['src_dir']} (--src), sha256 {code['src_sha256']}")
    print(fmt_table(rows))
    for r in rows:
        if r["scenario"] in flags["non_2xx_or_socket_errors"]:
            print(
                f"FLAGGED {r['scenario']}: {r['requests']} answers, non-2xx by status "
                f"{r['non_2xx_by_status']}, socket errors {r['socket_errors']}"
            )
        if r["scenario"] in flags["non_2xx_in_warmup"]:
            print(
                f"FLAGGED {r['scenario']}: non-2xx answers during the warm-up: "
                f"{r['warmup']['status_other_by_code']}"
            )
        if r["stalled"]:
            print(f"FLAGGED {r['scenario']}: the server stalled after wrk stopped: {r['settles']}")
    if not (flags["non_2xx_or_socket_errors"] or flags["non_2xx_in_warmup"] or flags["stalled"]):
        print("every answer was a 200; no socket errors; the server answered promptly after each wrk run")
    if flags["noisy"]:
        print(
            f"NOTE: other processes (or the hypervisor, steal) took > {NOISY_OTHER_CORES} cores during "
            f"{', '.join(flags['noisy'])}: "
            "the machine was not quiet, so these numbers are pessimistic"
        )
    d = report["durability"]
    verdict = (
        "they agree: nothing acknowledged is lost"
        if d["nothing_acknowledged_lost"]
        else "they DISAGREE: acknowledged threads are MISSING (FLAGGED)"
    )
    print(
        f"threads in the workspace: {d['threads_in_db']} = {d['seeded']} seeded + {d['made_in_db']} made; "
        f"200 answers to creates: {d['acknowledged_200']}: {verdict}"
        + (
            f" ({d['made_in_db'] - d['acknowledged_200']} more from requests wrk left unanswered)"
            if d["made_in_db"] > d["acknowledged_200"]
            else ""
        )
    )
    print(
        f"GET /threads count: {d['listed_count']}, rows: {d['threads_in_db']}: "
        + ("they agree" if d["listed_count_agrees"] else "they DISAGREE (FLAGGED)")
    )
    if not d["one_contact_per_new_address"]:
        print(
            f"FLAGGED contacts: {d['new_contacts']} new contacts for {d['threads_of_new_contacts']} threads"
        )
    seeded = report["seed"]
    print(
        f"seeded {seeded['threads']} threads in {seeded['seconds']} s (import {seeded['import_seconds']} s); "
        f"the database grew {seeded['bytes_per_thread']} bytes per thread"
    )
    print(f"server peak resident memory, MiB per process: {report['server']['peak_rss_mib']}")
    s = report["server"]["stderr"]
    print(
        f"server stderr: {s['lines']} lines, {s['tracebacks']} tracebacks, {s['error_lines']} ERROR lines "
        f"({report['server']['stderr_file']}); server exit code {report['server']['exit_code']}"
    )
    for name, n in s["exception_types"].items():
        print(f"  {n:6d} x {name}")


# --- main --------------------------------------------------------------------------------------


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--database", choices=["sqlite", "postgres"], required=True)
    parser.add_argument(
        "--seed-threads", type=int, default=10_000, help="threads seeded in the workspace first (10000)"
    )
    parser.add_argument(
        "--smoke",
        action="store_true",
        help="a run of seconds that only proves the suite works: 300 threads, 1 s per scenario, "
        "no warm-up, 4 connections, results to a temp file",
    )
    parser.add_argument("--workers", type=int, default=1, help="uvicorn worker processes (default 1)")
    parser.add_argument("--duration", type=float, default=15.0, help="measured seconds per scenario (15)")
    parser.add_argument("--warmup", type=float, default=3.0, help="warm-up seconds per scenario (3; 0: none)")
    parser.add_argument("--connections", type=int, default=32, help="wrk connections (32)")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads (2)")
    parser.add_argument("--timeout", type=float, default=10.0, help="wrk per-request timeout, seconds (10)")
    parser.add_argument("--laneway", default=str(DEFAULT_LANEWAY), help="the laneway executable")
    parser.add_argument(
        "--output",
        type=Path,
        help="the JSON results file (default "
        "bench/results/load-<database>.json, with -w<N> added when --workers is not 1)",
    )
    parser.add_argument("--keep-database", action="store_true", help="do not delete the database at the end")
    parser.add_argument(
        "--serve-arg",
        action="append",
        default=[],
        metavar="ARG",
        help="one more argument for `laneway serve` (repeatable), e.g. --serve-arg=--no-worker",
    )
    parser.add_argument(
        "--runs", type=int, default=1, help="repeat the whole measurement N times; the table shows medians"
    )
    parser.add_argument(
        "--src",
        type=Path,
        help="run the Laneway code in this directory (a copy of src/, e.g. from `git archive`) "
        "instead of the working tree, through PYTHONPATH",
    )
    parser.add_argument(
        "--wait-quiet",
        type=float,
        default=0.0,
        metavar="SECONDS",
        help="first wait up to SECONDS for the machine to be idle (< 0.2 cores busy over 3 s)",
    )
    parser.add_argument(
        "--pause", action="store_true", help="wait for Enter once the server is up (to attach a profiler)"
    )
    args = parser.parse_args(argv)
    if args.smoke:
        args.seed_threads, args.duration, args.warmup, args.connections, args.threads = 300, 1.0, 0.0, 4, 1
        if args.output is None:
            args.output = Path(tempfile.mkdtemp(prefix="laneway-bench-smoke-")) / "smoke.json"
    return args


def seed(args: argparse.Namespace, db: BenchDatabase, env: dict[str, str], workdir: Path) -> dict[str, Any]:
    """N threads in a new workspace through Laneway's own import (bench/seed.py)."""
    cmd = [
        sys.executable,
        str(BENCH / "seed.py"),
        "--database-url",
        db.url,
        "--threads",
        str(args.seed_threads),
    ]
    log(f"seeding {args.seed_threads} threads: {' '.join(cmd[1:])}")
    out = subprocess.run(cmd, env=env, cwd=workdir, capture_output=True, text=True, timeout=3600)
    if out.returncode != 0:
        raise SystemExit(f"seeding failed ({out.returncode}):\n{out.stderr[-3000:]}")
    seeded: dict[str, Any] = json.loads(out.stdout)
    log(f"seeded {seeded['threads']} threads in {seeded['seconds']} s")
    return seeded


def run_once(
    args: argparse.Namespace, wrk: str, laneway: str, src: Path | None, stderr_path: Path
) -> dict[str, Any]:
    """One complete measurement: fresh database, seeded, fresh server, every scenario, the checks."""
    # An empty working directory for the CLI and the server, so that no stray .env is read.
    workdir = Path(tempfile.mkdtemp(prefix="laneway-bench-cwd-"))
    db: BenchDatabase = (SqliteDatabase if args.database == "sqlite" else PostgresDatabase)(
        args.keep_database
    )
    server: Server | None = None
    try:
        env = {k: v for k, v in os.environ.items() if not k.startswith("LANEWAY_")}
        env["LANEWAY_DATABASE_URL"] = db.url
        if src is not None:  # a snapshot of src/ comes first on sys.path, before the editable install
            env["PYTHONPATH"] = str(src)
        log(f"database: {db.describe()}")
        laneway_cli(laneway, env, workdir, "migrate")
        empty_bytes = db.size_bytes()
        seeded = seed(args, db, env, workdir)
        seeded_bytes = db.size_bytes()
        ids_file = workdir / "thread-ids.txt"
        ids_file.write_text("\n".join(seeded["threadIds"]) + "\n")
        plan = scenarios(seeded)

        settings = server_settings(env, workdir)
        code = code_identity(src)  # the server imports the code as it starts, right after this
        server = start_server(laneway, env, workdir, args.workers, args.serve_arg, stderr_path)
        log(f"server process group {server.process.pid} on {server.base}, {args.workers} worker(s)")
        if args.pause:
            input(f"[bench] server process group {server.process.pid}: attach a profiler, then press Enter ")

        started_at = datetime.now(UTC).isoformat(timespec="seconds")
        machine_info = machine()
        run_tag = secrets.token_hex(3)  # keeps the full scenario's generated emails unique
        script_args = [seeded["apiKey"], seeded["projectIds"][0], str(ids_file)]
        # A tag per scenario keeps the addresses the full bodies generate new in every scenario.
        results = [
            measure(wrk, server, db, args, s, script_args, f"{run_tag}{i}") for i, s in enumerate(plan)
        ]
        baseline = [r.measured["requests_per_s"] for r in results if r.mode == "healthz"]
        healthz = statistics.mean(baseline)
        for r in results:
            r.ratio_to_healthz = r.measured["requests_per_s"] / healthz if healthz else None
        listed = listed_count(server, seeded["apiKey"])
        peak_rss = {f"{p.pid} {cmdline(p.pid)[-60:]}": p.peak_rss_mib for p in server.group()}

        # Stop the server before counting: requests in flight when wrk stopped finish (and commit).
        exit_code = server.stop()
        durability = check_durability(db, results, seeded, listed, args.connections)
        rows = [r.as_json() for r in results]
        flags = {
            "non_2xx_or_socket_errors": [
                r["scenario"]
                for r in rows
                if r["non_2xx"] or any(r["socket_errors"].values()) or not r["requests"]
            ],
            "non_2xx_in_warmup": [r.name for r in results if r.warmup and r.warmup["status_other"]],
            "stalled": [r["scenario"] for r in rows if r["stalled"]],
            "noisy": [r["scenario"] for r in rows if r["noisy"]],
        }
        bad = flags["non_2xx_or_socket_errors"] or flags["non_2xx_in_warmup"] or flags["stalled"]
        checks_ok = (
            durability["nothing_acknowledged_lost"]
            and durability["listed_count_agrees"]
            and durability["one_contact_per_new_address"]
        )
        return {
            "started_at": started_at,
            "ok": checks_ok and not bad,
            "database_detail": db.describe(),
            "machine": machine_info,
            "code": code,
            "loadavg_1_5_15_at_end": [round(x, 2) for x in os.getloadavg()],
            "seed": {
                "threads": seeded["threads"],
                "contacts": seeded["contacts"],
                "companies": seeded["companies"],
                "seconds": seeded["seconds"],
                "import_seconds": seeded["importSeconds"],
                "database_bytes_empty": empty_bytes,
                "database_bytes_seeded": seeded_bytes,
                "bytes_per_thread": round((seeded_bytes - empty_bytes) / max(1, seeded["threads"]), 1),
            },
            "server": {
                "command": "laneway serve --host 127.0.0.1 --port <free> --no-access-log"
                + (f" --workers {args.workers}" if args.workers != 1 else "")
                + "".join(f" {a}" for a in args.serve_arg),
                "workers": args.workers,
                "settings": settings,
                "exit_code": exit_code,
                "peak_rss_mib": peak_rss,
                "stderr_file": str(server.stderr_path),
                "stderr": scan_stderr(server.stderr_path),
            },
            "results": rows,
            "flags": flags,
            "durability": durability,
            "database_stats": db.stats(),
        }
    finally:
        if server is not None:
            server.stop()
        db.cleanup()
        shutil.rmtree(workdir, ignore_errors=True)


def listed_count(server: Server, api_key: str) -> int:
    """The `count` GET /threads answers for the whole workspace."""
    request = urllib.request.Request(
        server.base + "/api/v1/threads?take=1", headers={"Authorization": f"Bearer {api_key}"}
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return int(json.load(response)["count"])


def summarise(runs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Per scenario, the median over the runs (and the range of requests/s)."""
    summary = []
    for i, first in enumerate(runs[0]["results"]):
        name, mode = first["scenario"], first["mode"]
        rows = [run["results"][i] for run in runs]

        def med(key: str, rows: list[dict[str, Any]] = rows) -> Any:
            values = [r[key] for r in rows if r[key] is not None]
            return statistics.median(values) if values else None

        rps = [r["requests_per_s"] for r in rows]
        summary.append(
            {
                "scenario": name,
                "mode": mode,
                "runs": len(rows),
                "requests_per_s": med("requests_per_s"),
                "requests_per_s_min": min(rps),
                "requests_per_s_max": max(rps),
                "p50_ms": med("p50_ms"),
                "p90_ms": med("p90_ms"),
                "p99_ms": med("p99_ms"),
                "ratio_to_healthz": med("ratio_to_healthz"),
                "non_2xx": sum(r["non_2xx"] for r in rows),
                "server_cpu_ms_per_request": med("server_cpu_ms_per_request"),
                "db_cpu_ms_per_request": med("db_cpu_ms_per_request"),
                "cores_used": {
                    k: round(statistics.median(r["cores_used"][k] for r in rows), 2)
                    for k in rows[0]["cores_used"]
                },
                "noisy": any(r["noisy"] for r in rows),
                "noisy_runs": sum(r["noisy"] for r in rows),
            }
        )
    return summary


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    wrk = ensure_wrk()
    laneway = shutil.which(args.laneway)
    if laneway is None:
        raise SystemExit(f"laneway executable not found: {args.laneway}")
    laneway = os.path.abspath(laneway)
    src = args.src.resolve() if args.src else None
    if src is not None and not (src / "laneway" / "app.py").exists():
        raise SystemExit(f"--src {src} does not hold laneway/app.py")
    tag = args.database + (f"-w{args.workers}" if args.workers != 1 else "")
    output = (args.output or RESULTS / f"load-{tag}.json").resolve()
    log_dir = output.parent / "logs" if args.smoke else RESULTS / "logs"
    log_dir.mkdir(parents=True, exist_ok=True)

    runs = []
    for i in range(1, args.runs + 1):
        if args.wait_quiet > 0:
            log(f"machine idle check: {wait_for_quiet(args.wait_quiet):.2f} cores busy")
        log(f"run {i} of {args.runs}")
        stderr_path = log_dir / f"{output.stem}.run{i}.server-stderr.log"
        runs.append(run_once(args, wrk, laneway, src, stderr_path))
        print_run(runs[-1], args, i)
    report = {
        "benchmark": "the load suite (bench/load.py)",
        "seed_threads": args.seed_threads,
        "database": args.database,
        "workers": args.workers,
        "load": {
            "connections": args.connections,
            "wrk_threads": args.threads,
            "duration_s": args.duration,
            "warmup_s": args.warmup,
            "timeout_s": args.timeout,
        },
        "ok": all(run["ok"] for run in runs),
        "summary": summarise(runs),
        "runs": runs,
    }
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(report, indent=2) + "\n")
    if args.runs > 1:
        print(
            f"\nMedian of {args.runs} runs ({args.database}, {args.workers} worker(s)); "
            "req/s range in brackets"
        )
        print(fmt_table(report["summary"]))
    print(f"{'all runs OK' if report['ok'] else 'FLAGGED: see above'}; results: {output}")
    return 0 if report["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
