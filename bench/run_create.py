"""Load benchmark of POST /api/v1/threads, with GET /healthz as the baseline.

Run with the project's interpreter (stdlib only):

    .venv/bin/python bench/run_create.py --database sqlite
    .venv/bin/python bench/run_create.py --database postgres --workers 2

Each run makes a fresh database (a SQLite file in a temp dir, or a PostgreSQL database
`laneway_bench_<random>` that is dropped at the end), a workspace, an API key and a project with
the `laneway` CLI, starts `laneway serve` in its own process group, drives it with wrk (see
scenario.lua), prints a table, writes bench/results/create-<database>[-w<N>].json, and checks that
every thread acknowledged with a 200 is in the database. See bench/README.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import secrets
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
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
MINIMAL_EMAIL = "same-contact@customer.example"
CLK_TCK = os.sysconf("SC_CLK_TCK")

SCENARIOS = [
    # (name, wrk mode, path, creates threads)
    ("GET /healthz", "healthz", "/healthz", False),
    ("POST /threads minimal", "minimal", "/api/v1/threads", True),
    ("POST /threads full", "full", "/api/v1/threads", True),
]


def log(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)


# --- databases ---------------------------------------------------------------------------------


def psql(sql: str, database: str = "postgres") -> str:
    out = subprocess.run(
        ["psql", "-h", PG_HOST, "-p", str(PG_PORT), "-U", PG_USER, "-d", database,
         "-v", "ON_ERROR_STOP=1", "-X", "-q", "-t", "-A", "-c", sql],
        check=True, capture_output=True, text=True, timeout=60,
    )
    return out.stdout.strip()


class BenchDatabase:
    kind: str
    url: str

    def count(self, sql: str) -> int:
        raise NotImplementedError

    def describe(self) -> str:
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
        with sqlite3.connect(self.path) as conn:
            return int(conn.execute(sql).fetchone()[0])

    def describe(self) -> str:
        return f"SQLite {sqlite3.sqlite_version} file in {self.dir} (WAL, synchronous=NORMAL as set by Laneway)"

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
    stdout_path: Path

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def group_cpu_seconds(self) -> float:
        """user+system CPU of every live process in the server's process group."""
        total = 0
        pgid = self.process.pid
        for entry in os.listdir("/proc"):
            if not entry.isdigit():
                continue
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            fields = stat[stat.rindex(")") + 2:].split()
            # fields[0] is field 3 (state): pgrp is field 5, utime 14, stime 15
            if int(fields[2]) == pgid:
                total += int(fields[11]) + int(fields[12])
        return total / CLK_TCK

    def stop(self) -> int | None:
        if self.process.poll() is None:
            try:
                os.killpg(self.process.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                log("server did not stop within 30 s of SIGTERM; sending SIGKILL to its group")
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)
        # workers of a multi-process server may outlive the parent for a moment
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and self.group_cpu_seconds_alive():
            time.sleep(0.1)
        return self.process.returncode

    def group_cpu_seconds_alive(self) -> bool:
        for entry in os.listdir("/proc"):
            if entry.isdigit():
                try:
                    stat = Path(f"/proc/{entry}/stat").read_text()
                except OSError:
                    continue
                fields = stat[stat.rindex(")") + 2:].split()
                if int(fields[2]) == self.process.pid and fields[0] != "Z":
                    return True
        return False


def start_server(laneway: str, env: dict[str, str], cwd: Path, workers: int, log_dir: Path, tag: str) -> Server:
    port = free_port()
    stdout_path = log_dir / f"server-{tag}.stdout.log"
    stderr_path = log_dir / f"server-{tag}.stderr.log"
    cmd = [laneway, "serve", "--host", "127.0.0.1", "--port", str(port), "--no-access-log"]
    if workers != 1:
        cmd += ["--workers", str(workers)]
    log(f"starting: {' '.join(cmd)}")
    with stdout_path.open("wb") as out, stderr_path.open("wb") as err:
        process = subprocess.Popen(cmd, env=env, cwd=cwd, stdout=out, stderr=err, start_new_session=True)
    server = Server(process, port, stderr_path, stdout_path)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"server exited with {process.returncode}; see {stderr_path}")
        try:
            with urllib.request.urlopen(server.base + "/healthz", timeout=2) as response:
                if response.status == 200:
                    return server
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.2)
    server.stop()
    raise SystemExit(f"server did not answer /healthz within 60 s; see {stderr_path}")


# --- wrk ---------------------------------------------------------------------------------------


def ensure_wrk() -> str:
    wrk = shutil.which("wrk")
    if wrk is None:
        raise SystemExit("wrk is not installed: `apt-get install wrk` (Debian/Ubuntu), see bench/README.md")
    return wrk


def run_wrk(wrk: str, url: str, seconds: float, connections: int, threads: int, timeout: float,
            script_args: list[str]) -> dict[str, Any]:
    cmd = [wrk, "-t", str(threads), "-c", str(connections), "-d", f"{seconds:g}s",
           "--timeout", f"{timeout:g}s", "-s", str(LUA), url, "--", *script_args]
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=seconds + timeout + 60)
    lines = [ln for ln in out.stdout.splitlines() if ln.startswith("WRK_RESULT ")]
    if out.returncode != 0 or not lines:
        raise SystemExit(f"wrk failed ({out.returncode}):\n{out.stdout}\n{out.stderr}")
    return json.loads(lines[-1].removeprefix("WRK_RESULT "))  # type: ignore[no-any-return]


# --- the run -----------------------------------------------------------------------------------


@dataclass
class ScenarioResult:
    name: str
    mode: str
    creates: bool
    warmup: dict[str, Any] | None
    measured: dict[str, Any]
    server_cpu_s: float
    ratio_to_healthz: float | None = None
    extras: dict[str, Any] = field(default_factory=dict)

    @property
    def non_2xx(self) -> int:
        m = self.measured
        return int(m["status_other"]) if m["status_other"] else 0

    def as_json(self) -> dict[str, Any]:
        m = self.measured
        lat = m["latency_us"]
        return {
            "scenario": self.name,
            "mode": self.mode,
            "requests_per_s": round(m["requests_per_s"], 1),
            "p50_ms": lat["p50"] / 1000,
            "p90_ms": lat["p90"] / 1000,
            "p99_ms": lat["p99"] / 1000,
            "max_ms": lat["max"] / 1000,
            "ratio_to_healthz": None if self.ratio_to_healthz is None else round(self.ratio_to_healthz, 3),
            "non_2xx": self.non_2xx,
            "non_2xx_by_status": m["status_other_by_code"],
            "socket_errors": m["errors"],
            "requests": m["requests"],
            "status_200": m["status_200"],
            "duration_s": round(m["duration_s"], 3),
            "server_cpu_s": round(self.server_cpu_s, 2),
            "server_cpu_ms_per_request": round(1000 * self.server_cpu_s / m["requests"], 3)
            if m["requests"] else None,
            "warmup": self.warmup,
            "wrk": m,
        }


def machine() -> dict[str, Any]:
    model = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    wrk_version = subprocess.run(["wrk", "-v"], capture_output=True, text=True).stdout.splitlines()
    return {
        "nproc": os.cpu_count(),
        "cpu_model": model,
        "kernel": platform.release(),
        "python": platform.python_version(),
        "wrk": wrk_version[0] if wrk_version else None,
    }


def scan_stderr(path: Path) -> dict[str, Any]:
    text = path.read_text(errors="replace") if path.exists() else ""
    lines = text.splitlines()
    interesting = [ln for ln in lines if "Traceback" in ln or "ERROR" in ln or "Exception" in ln]
    return {
        "lines": len(lines),
        "tracebacks": sum("Traceback" in ln for ln in lines),
        "error_lines": sum("ERROR" in ln for ln in lines),
        "first_interesting": interesting[:10],
    }


def fmt_table(rows: list[dict[str, Any]]) -> str:
    head = ["scenario", "req/s", "p50 ms", "p90 ms", "p99 ms", "vs healthz", "non-2xx", "srv CPU ms/req"]
    body = [
        [
            r["scenario"],
            f"{r['requests_per_s']:.0f}",
            f"{r['p50_ms']:.1f}",
            f"{r['p90_ms']:.1f}",
            f"{r['p99_ms']:.1f}",
            "1.00" if r["mode"] == "healthz" else f"{r['ratio_to_healthz']:.3f}",
            str(r["non_2xx"]) + ("  <-- NON-2XX" if r["non_2xx"] else ""),
            "" if r["server_cpu_ms_per_request"] is None else f"{r['server_cpu_ms_per_request']:.2f}",
        ]
        for r in rows
    ]
    widths = [max(len(str(x)) for x in col) for col in zip(head, *body, strict=False)]

    def line(cells: list[str]) -> str:
        return "| " + " | ".join(c.ljust(w) if i == 0 else c.rjust(w)
                                 for i, (c, w) in enumerate(zip(cells, widths, strict=True))) + " |"

    sep = "|" + "|".join(("-" * (w + 2)) if i == 0 else ("-" * (w + 1) + ":")
                         for i, w in enumerate(widths)) + "|"
    return "\n".join([line(head), sep, *(line(b) for b in body)])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--database", choices=["sqlite", "postgres"], required=True)
    parser.add_argument("--workers", type=int, default=1, help="uvicorn worker processes (default 1)")
    parser.add_argument("--duration", type=float, default=15.0, help="measured seconds per scenario")
    parser.add_argument("--warmup", type=float, default=3.0, help="warm-up seconds per scenario (0: none)")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--timeout", type=float, default=10.0, help="wrk per-request timeout, seconds")
    parser.add_argument("--laneway", default=str(DEFAULT_LANEWAY), help="the laneway executable")
    parser.add_argument("--output", type=Path, help="JSON results file "
                        "(default bench/results/create-<database>.json, -w<N> added when --workers > 1)")
    parser.add_argument("--keep-database", action="store_true", help="do not delete the database at the end")
    parser.add_argument("--pause", action="store_true",
                        help="print the server pid and wait for Enter before the measured phases (for profilers)")
    args = parser.parse_args(argv)

    wrk = ensure_wrk()
    if not Path(args.laneway).exists() and shutil.which(args.laneway) is None:
        raise SystemExit(f"laneway executable not found: {args.laneway}")
    tag = args.database + (f"-w{args.workers}" if args.workers != 1 else "")
    output = (args.output or RESULTS / f"create-{tag}.json").resolve()
    laneway = os.path.abspath(shutil.which(args.laneway) or args.laneway)
    # an empty working directory for the CLI and the server, so that no stray .env is read
    workdir = Path(tempfile.mkdtemp(prefix="laneway-bench-cwd-"))
    log_dir = RESULTS / "logs"
    log_dir.mkdir(parents=True, exist_ok=True)

    db: BenchDatabase = SqliteDatabase(args.keep_database) if args.database == "sqlite" \
        else PostgresDatabase(args.keep_database)
    server: Server | None = None
    try:
        env = {k: v for k, v in os.environ.items() if not k.startswith("LANEWAY_")}
        env["LANEWAY_DATABASE_URL"] = db.url
        log(f"database: {db.describe()}")
        made = laneway_cli(laneway, env, workdir, "workspace", "create", "--name", "Bench",
                           "--admin-email", "admin@bench.example", "--title-quota", "0")
        workspace_id, api_key = made["workspace"]["id"], made["apiKey"]
        project_id = laneway_cli(laneway, env, workdir, "project", "create", "--workspace", workspace_id,
                                 "--name", "Bench project")["project"]["id"]

        server = start_server(laneway, env, workdir, args.workers, log_dir, tag)
        log(f"server pid {server.process.pid} on {server.base}, {args.workers} worker(s)")
        if args.pause:
            input(f"[bench] server process group {server.process.pid}: attach a profiler, then press Enter ")

        run_tag = secrets.token_hex(3)
        results: list[ScenarioResult] = []
        for name, mode, path, creates in SCENARIOS:
            url = server.base + path
            script_args = [mode, api_key, project_id]
            warm = None
            if args.warmup > 0:
                log(f"{name}: warm-up {args.warmup:g} s")
                warm = run_wrk(wrk, url, args.warmup, args.connections, args.threads, args.timeout,
                               [*script_args, f"{run_tag}w"])
            log(f"{name}: measuring {args.duration:g} s")
            cpu_before = server.group_cpu_seconds()
            measured = run_wrk(wrk, url, args.duration, args.connections, args.threads, args.timeout,
                               [*script_args, f"{run_tag}m"])
            cpu = server.group_cpu_seconds() - cpu_before
            results.append(ScenarioResult(name, mode, creates, warm, measured, cpu))
            if server.process.poll() is not None:
                raise SystemExit(f"server died during {name}; see {server.stderr_path}")

        healthz_rps = results[0].measured["requests_per_s"]
        for r in results:
            r.ratio_to_healthz = r.measured["requests_per_s"] / healthz_rps if healthz_rps else None

        # Stop the server first: requests in flight when wrk stopped finish (and commit) now.
        exit_code = server.stop()
        stderr_scan = scan_stderr(server.stderr_path)

        # --- durability check: every 200 to a create is a row in the database ---
        def oks(r: ScenarioResult) -> int:
            return int(r.measured["status_200"]) + (int(r.warmup["status_200"]) if r.warmup else 0)

        def answered(r: ScenarioResult) -> int:
            return int(r.measured["requests"]) + (int(r.warmup["requests"]) if r.warmup else 0)

        creates = [r for r in results if r.creates]
        wrk_runs = sum(1 + (r.warmup is not None) for r in creates)
        acked = sum(oks(r) for r in creates)
        in_db = db.count("SELECT count(*) FROM threads")
        minimal = next(r for r in creates if r.mode == "minimal")
        full = next(r for r in creates if r.mode == "full")
        minimal_in_db = db.count(
            "SELECT count(*) FROM threads t JOIN contacts c ON c.id = t.contact_id "
            f"WHERE c.email_key = '{MINIMAL_EMAIL}'")
        full_in_db = db.count("SELECT count(*) FROM thread_projects")
        contacts_in_db = db.count("SELECT count(*) FROM contacts")
        # wrk stops with up to `connections` requests sent but unanswered; the server still
        # finishes (and commits) them, so the database may hold that many more than the 200s seen.
        slack = args.connections * wrk_runs
        lost = acked > in_db
        durability = {
            "acknowledged_200": acked,
            "threads_in_db": in_db,
            "minimal_acknowledged": oks(minimal), "minimal_in_db": minimal_in_db,
            "full_acknowledged": oks(full), "full_in_db": full_in_db,
            "contacts_in_db": contacts_in_db,
            "expected_contacts": 1 + full_in_db,
            "answered_any_status": sum(answered(r) for r in creates),
            "extra_rows_allowed_for_in_flight": slack,
            "nothing_acknowledged_lost": not lost and minimal_in_db >= oks(minimal) and full_in_db >= oks(full),
            "exact_match": acked == in_db,
            "within_in_flight_bound": acked <= in_db <= acked + slack,
        }

        rows = [r.as_json() for r in results]
        flagged = [r["scenario"] for r in rows if r["non_2xx"] or any(r["socket_errors"].values())]
        warm_flagged = [r.name for r in results if r.warmup and r.warmup["status_other"]]
        report = {
            "benchmark": "POST /api/v1/threads",
            "started_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "database": args.database,
            "database_detail": db.describe(),
            "machine": machine(),
            "server": {
                "command": f"laneway serve --host 127.0.0.1 --port <free> --no-access-log"
                           + (f" --workers {args.workers}" if args.workers != 1 else ""),
                "workers": args.workers,
                "exit_code": exit_code,
                "stderr": stderr_scan,
                "stderr_file": str(server.stderr_path.relative_to(ROOT)),
            },
            "load": {"connections": args.connections, "wrk_threads": args.threads,
                     "duration_s": args.duration, "warmup_s": args.warmup, "timeout_s": args.timeout},
            "results": rows,
            "flagged_non_2xx_or_socket_errors": flagged,
            "flagged_in_warmup": warm_flagged,
            "durability": durability,
        }
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(json.dumps(report, indent=2) + "\n")

        print(f"\nPOST /api/v1/threads on {args.database}, {args.workers} worker(s); "
              f"wrk -c{args.connections} -t{args.threads} -d{args.duration:g}s (warm-up {args.warmup:g}s)")
        print(fmt_table(rows))
        if flagged or warm_flagged:
            for r in rows:
                if r["non_2xx"] or any(r["socket_errors"].values()):
                    print(f"FLAGGED {r['scenario']}: non-2xx {r['non_2xx_by_status']}, "
                          f"socket errors {r['socket_errors']}")
            for name in warm_flagged:
                print(f"FLAGGED {name}: non-2xx answers during warm-up")
        else:
            print("all answers were 200, no socket errors")
        d = durability
        verdict = "agree: nothing acknowledged is lost" if d["nothing_acknowledged_lost"] \
            else "DISAGREE: acknowledged threads are missing"
        print(f"threads in database {d['threads_in_db']} vs 200 answers {d['acknowledged_200']} "
              f"(minimal {d['minimal_in_db']}/{d['minimal_acknowledged']}, full {d['full_in_db']}/"
              f"{d['full_acknowledged']}) -> {verdict}"
              + ("" if d["exact_match"] else
                 f"; {d['threads_in_db'] - d['acknowledged_200']} extra rows from requests in flight when "
                 f"wrk stopped (bound {slack})"))
        print(f"contacts in database {d['contacts_in_db']} (expected {d['expected_contacts']})")
        print(f"server stderr: {stderr_scan['lines']} lines, {stderr_scan['tracebacks']} tracebacks, "
              f"{stderr_scan['error_lines']} ERROR lines ({server.stderr_path.relative_to(ROOT)}); "
              f"exit code {exit_code}")
        print(f"results: {output}")
        return 0 if d["nothing_acknowledged_lost"] and not flagged and not warm_flagged else 1
    finally:
        if server is not None:
            server.stop()
        db.cleanup()
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
