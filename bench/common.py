"""Shared helpers for the benchmarks: a throw-away instance, gunicorn, a small HTTP client, wrk.

Every benchmark builds its own temporary instance (SQLite file or a fresh PostgreSQL database), loads the demo
data with the real CLI (`flask --app edu db upgrade`, `flask --app edu demo`), starts gunicorn with the
production settings (tests/live_server.py) on a free loopback port, and removes everything afterwards.
"""

from __future__ import annotations

import contextlib
import json
import os
import platform
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

# gunicorn, the HTTP client and the demo sign-in live with the tests that use them (bench/ imports from tests/,
# never the other way round); they are re-exported here for the benchmarks.
from tests import live_server
from tests.live_server import (  # noqa: F401 - re-exported
    CORES,
    CSRF_RE,
    DEMO_CODE,
    DEMO_PIN,
    DEMO_STUDENT,
    PRODUCTION_THREADS,
    PRODUCTION_WORKERS,
    ROOT,
    VENV_BIN,
    Client,
    free_port,
    gunicorn_args,
)

DEFAULT_PG_URL = os.environ.get("BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
DEFAULT_REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/0")
LESSON_PATH = "/learn/lesson/consent-basics?step=2"


def add_server_arguments(parser) -> None:
    """--workers, --threads and --worker-class, to compare gunicorn settings with the documented ones (the
    defaults)."""
    parser.add_argument("--workers", type=int, default=None, help="gunicorn workers (default: one per core, two at least)")
    parser.add_argument("--threads", type=int, default=PRODUCTION_THREADS, help="threads per worker")
    parser.add_argument("--worker-class", choices=["gthread", "sync"], default="gthread",
                        help="gunicorn's worker class (sync: one request per connection, as behind nginx)")


def machine_facts() -> dict:
    load = os.getloadavg() if hasattr(os, "getloadavg") else (0, 0, 0)
    return {
        "cores": CORES,
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "platform": platform.platform(),
        "load average at start": " ".join(f"{x:.2f}" for x in load),
    }


def print_facts() -> None:
    for key, value in machine_facts().items():
        print(f"  {key}: {value}")


def run(cmd: list[str], env: dict, **kwargs) -> subprocess.CompletedProcess:
    result = subprocess.run(cmd, env=env, cwd=ROOT, capture_output=True, text=True, **kwargs)
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed:\n{result.stdout}\n{result.stderr}")
    return result


# ---- the instance -------------------------------------------------------------------------------------------


@dataclass
class Instance:
    """A temporary instance directory and database with the demo data loaded."""

    backend: str = "sqlite"
    env: dict = field(default_factory=dict)
    directory: Path | None = None
    pg_name: str | None = None

    def __enter__(self) -> Instance:
        self.directory = Path(tempfile.mkdtemp(prefix="edu-bench-"))
        env = dict(os.environ)
        for key in ("DATABASE_URL", "RATELIMIT_STORAGE_URI"):
            env.pop(key, None)
        env.update({
            "EDU_INSTANCE_DIR": str(self.directory),
            "SECRET_KEY": "bench-secret-key-shared-by-all-workers",
            "EDU_ENV": "production",
            "EDU_CONTENT_DIR": str(ROOT / "content"),
            "PYTHONPATH": str(ROOT),
        })
        if self.backend == "postgresql":
            import psycopg

            self.pg_name = f"edu_bench_{os.getpid()}"
            admin = DEFAULT_PG_URL.replace("postgresql+psycopg://", "postgresql://")
            with psycopg.connect(admin, autocommit=True) as connection:
                connection.execute(f"DROP DATABASE IF EXISTS {self.pg_name} WITH (FORCE)")
                connection.execute(f"CREATE DATABASE {self.pg_name}")
            env["DATABASE_URL"] = DEFAULT_PG_URL.rsplit("/", 1)[0] + "/" + self.pg_name
        self.env = env
        flask = str(VENV_BIN / "flask")
        run([flask, "--app", "edu", "db", "upgrade"], env)
        run([flask, "--app", "edu", "demo"], env)
        return self

    def __exit__(self, *_exc) -> None:
        if self.pg_name:
            import psycopg

            admin = DEFAULT_PG_URL.replace("postgresql+psycopg://", "postgresql://")
            with psycopg.connect(admin, autocommit=True) as connection:
                connection.execute(f"DROP DATABASE IF EXISTS {self.pg_name} WITH (FORCE)")
        if self.directory:
            shutil.rmtree(self.directory, ignore_errors=True)

    def seed(self, *args: str) -> dict:
        """Run bench/seed.py inside the app (students, quiz structure); returns its JSON."""
        result = run([sys.executable, "-m", "bench.seed", *args], self.env)
        return json.loads(result.stdout.strip().splitlines()[-1])


# ---- gunicorn ------------------------------------------------------------------------------------------------


class Server(live_server.Server):
    """tests/live_server.py's gunicorn, with what the benchmarks read off it: CPU time and logged errors."""

    def cpu_seconds(self) -> float:
        """CPU time (user + system) used so far by the master and its workers: divided by the requests served,
        the cost of a request, which unlike requests/s hardly depends on what else the machine is doing."""
        return sum(self.cpu_by_process().values())

    def cpu_by_process(self) -> dict[int, float]:
        """CPU seconds (user + system) used so far by each process of the server, by pid: the master's, and each
        worker's, which shows how evenly the workers shared the load."""
        ticks = os.sysconf("SC_CLK_TCK")
        used = {}
        for stat in Path("/proc").glob("[0-9]*/stat"):
            with contextlib.suppress(OSError, IndexError, ValueError):
                fields = stat.read_text().rsplit(")", 1)[1].split()
                pid, ppid = int(stat.parent.name), int(fields[1])
                if self.process and self.process.pid in (pid, ppid):
                    used[pid] = (int(fields[11]) + int(fields[12])) / ticks
        return used

    def worker_shares(self, before: dict[int, float], after: dict[int, float]) -> list[float]:
        """Each worker's share of the workers' CPU between two `cpu_by_process` readings, largest first."""
        spent = [used - before.get(pid, 0.0) for pid, used in after.items() if pid != self.process.pid]
        total = sum(spent) or 1.0
        return sorted((value / total for value in spent), reverse=True)

    def errors_logged(self) -> int:
        text = self.log_text()
        count = text.count("Traceback") + text.count("[ERROR]")
        if count:
            kinds = Counter(line[:700] for line in text.splitlines()
                            if re.match(r"^[a-zA-Z_.]+(Error|Exception|Timeout)\b", line))
            print(f"  server log: {count} errors; exceptions: {dict(kinds.most_common(5))}")
        return count


# ---- wrk -----------------------------------------------------------------------------------------------------

_UNITS = {"us": 1e-3, "ms": 1.0, "s": 1000.0, "m": 60000.0}


def _ms(text: str) -> float:
    match = re.match(r"([\d.]+)(us|ms|s|m)$", text)
    if match is None:
        raise RuntimeError(f"unexpected wrk latency {text!r}")
    return float(match.group(1)) * _UNITS[match.group(2)]


def wrk(port: int, path: str, seconds: int, connections: int = 32, threads: int = 2, headers: dict | None = None,
        script: str | None = None) -> dict:
    if not shutil.which("wrk"):
        raise RuntimeError("wrk is not installed: apt-get install -y wrk")
    cmd = ["wrk", "-t", str(threads), "-c", str(connections), "-d", f"{seconds}s", "--latency", "--timeout", "10s"]
    for key, value in (headers or {}).items():
        cmd += ["-H", f"{key}: {value}"]
    if script:
        cmd += ["-s", script]
    cmd.append(f"http://127.0.0.1:{port}{path}")
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    if "Latency Distribution" not in out:
        raise RuntimeError(f"unexpected wrk output:\n{out}")
    result = {"rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
              "p50": _ms(re.search(r"^\s+50%\s+(\S+)", out, re.M).group(1)),
              "p99": _ms(re.search(r"^\s+99%\s+(\S+)", out, re.M).group(1)),
              "requests": int(re.search(r"(\d+) requests in", out).group(1)), "errors": 0, "raw": out}
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    sock = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    result["errors"] = (int(bad.group(1)) if bad else 0) + (sum(int(g) for g in sock.groups()) if sock else 0)
    return result


def percentile(values: list[float], pct: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(pct / 100 * len(ordered) + 0.5) - 1))
    return ordered[index]


def table(rows: list[list], headers: list[str]) -> str:
    cells = [[str(c) for c in row] for row in [headers, *rows]]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) for row in cells]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def write_result(name: str, data: dict) -> None:
    """Each benchmark leaves its figures in bench/results/<name>.json for run_all's summary."""
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / f"{name}.json").write_text(json.dumps(data, indent=2, ensure_ascii=False))
