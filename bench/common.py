"""What every benchmark shares: the machine facts, servers as the Procfile runs them, percentiles, results.

Everything runs on loopback. Servers are started as subprocesses with the
Procfile's own command lines (``--bind`` moved to 127.0.0.1 and a free
port), so the figures are those of the production configuration.
"""
from __future__ import annotations

import http.client
import json
import os
import platform as host
import signal
import socket
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from importlib import metadata
from pathlib import Path
from typing import Any, Iterator

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
SECRET, TOKEN = "bench-secret", "bench-token"
POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432"
REDIS = "redis://127.0.0.1:6379/12"
PACKAGES = ("flask", "gunicorn", "sqlalchemy", "psycopg", "huey", "redis", "line-bot-sdk", "werkzeug")

if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


# -- facts -------------------------------------------------------------------------------


def machine() -> dict[str, Any]:
    """The machine and software the figures were measured on."""
    versions = {}
    for name in PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = None
    facts: dict[str, Any] = {
        "cores": os.cpu_count(),
        "cpu": _cpu_model(),
        "python": host.python_version(),
        "os": f"{host.system()} {host.release()}",
        "packages": versions,
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
    }
    try:
        import psycopg

        with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", connect_timeout=2) as connection:
            facts["postgresql"] = connection.execute("show server_version").fetchone()[0]
    except Exception:  # noqa: BLE001 - PostgreSQL is optional
        facts["postgresql"] = None
    try:
        import redis

        facts["redis"] = redis.Redis.from_url(REDIS, socket_timeout=2).info()["redis_version"]
    except Exception:  # noqa: BLE001 - Redis is optional
        facts["redis"] = None
    return facts


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return host.processor()


def describe(facts: dict[str, Any]) -> str:
    packages = " ".join(f"{name} {version}" for name, version in facts["packages"].items() if version)
    return (f"machine: {facts['cores']} cores ({facts['cpu']}), Python {facts['python']}, "
            f"PostgreSQL {facts.get('postgresql')}, Redis {facts.get('redis')}, "
            f"load average at start {facts['load_average_at_start']}\n{packages}")


def percentile(values: list[float], pct: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * pct / 100))]


def ms(values: list[float], *pcts: float) -> dict[str, float]:
    """``{"p50": 12.3, ...}`` in milliseconds from seconds."""
    return {f"p{pct:g}": round(percentile(values, pct) * 1000, 1) for pct in pcts}


def table(headers: list[str], rows: list[list[Any]]) -> str:
    """A Markdown table (it reads well in a terminal too)."""
    cells = [[str(c) for c in row] for row in rows]
    lines = ["| " + " | ".join(headers) + " |", "|" + "|".join("---" for _ in headers) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in cells]
    return "\n".join(lines)


def write_results(name: str, payload: dict[str, Any], out: Path | None = None) -> Path:
    path = out or RESULTS / f"{name}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(payload, ensure_ascii=False, indent=2) + "\n")
    return path


# -- back ends ---------------------------------------------------------------------------


def backend_urls(name: str, backend: str, tmp: Path) -> tuple[str, str]:
    """(DATABASE_URL, REDIS_URL) for "sqlite" or "postgresql", emptied first."""
    if backend == "sqlite":
        for leftover in tmp.glob(name + ".db*"):
            leftover.unlink()
        return f"sqlite:///{tmp / (name + '.db')}", ""
    database = f"{POSTGRES}/{name}"
    fresh_database(database)
    import redis

    redis.Redis.from_url(REDIS).flushdb()
    return database, REDIS


def fresh_database(url: str) -> None:
    """Create (or empty) the benchmark's own PostgreSQL database."""
    if not url.startswith("postgresql"):
        return
    import psycopg
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    admin = parsed.set(drivername="postgresql", database="postgres").render_as_string(hide_password=False)
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{parsed.database}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{parsed.database}"')


def available(backend: str) -> bool:
    """PostgreSQL and Redis answer on loopback (SQLite always does)."""
    if backend == "sqlite":
        return True
    for port in (5432, 6379):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
        except OSError:
            return False
    return True


def bot_environment(database: str, redis_url: str, line_url: str, tmp: Path) -> dict[str, str]:
    """The environment the Procfile's processes get: a channel pointed at the fake LINE platform."""
    env = dict(os.environ)
    env.update({
        "LINE_CHANNEL_SECRET": SECRET, "LINE_CHANNEL_ACCESS_TOKEN": TOKEN, "LINE_API_ENDPOINT": line_url,
        "DATABASE_URL": database, "REDIS_URL": redis_url, "HUEY_FILE": str(tmp / "queue.db"),
        "SECRET_KEY": "bench", "SIMULATOR": "false", "PYTHONPATH": str(ROOT),
    })
    return env


# -- the Procfile's processes ------------------------------------------------------------


def procfile(kind: str) -> str:
    for line in (ROOT / "Procfile").read_text().splitlines():
        if line.startswith(f"{kind}:"):
            return line.split(":", 1)[1].strip()
    raise LookupError(f"no {kind} line in the Procfile")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _expand(command: str, env: dict[str, str]) -> list[str]:
    """The Procfile line as the shell would run it, with this venv's Python."""
    expanded = subprocess.run(["sh", "-c", f'for a in {command}; do printf "%s\\0" "$a"; done'],
                              env=env, capture_output=True, check=True).stdout.decode().split("\0")[:-1]
    program = {"gunicorn": "gunicorn", "huey_consumer": "huey.bin.huey_consumer"}[expanded[0]]
    return [sys.executable, "-m", program, *expanded[1:]]


class Server:
    def __init__(self, process: subprocess.Popen, url: str, argv: list[str], log: Path) -> None:
        self.process, self.url, self.argv, self.log = process, url, argv, log

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


@contextmanager
def gunicorn(env: dict[str, str], app: str = "bot.wsgi:app") -> Iterator[Server]:
    """The Procfile's web process on a free loopback port, serving ``app``."""
    port = free_port()
    env = {**env, "PORT": str(port)}
    command = procfile("web").replace("0.0.0.0", "127.0.0.1").replace("bot.wsgi:app", app)
    argv = _expand(command, env)
    log = Path(tempfile.mkstemp(prefix="bench-gunicorn-", suffix=".log")[1])
    with log.open("wb") as output:
        process = subprocess.Popen(argv, env=env, cwd=ROOT, stdout=output, stderr=subprocess.STDOUT)
    server = Server(process, f"http://127.0.0.1:{port}", argv, log)
    try:
        _wait_listening(port, process, log)
        yield server
    finally:
        server.stop()


@contextmanager
def huey_consumer(env: dict[str, str]) -> Iterator[Server]:
    """The Procfile's worker process."""
    argv = _expand(procfile("worker"), env)
    log = Path(tempfile.mkstemp(prefix="bench-worker-", suffix=".log")[1])
    with log.open("wb") as output:
        process = subprocess.Popen(argv, env=env, cwd=ROOT, stdout=output, stderr=subprocess.STDOUT)
    server = Server(process, "", argv, log)
    try:
        time.sleep(0.5)
        if process.poll() is not None:
            raise RuntimeError(f"huey_consumer exited: {log.read_text()[-2000:]}")
        yield server
    finally:
        server.stop()


def _wait_listening(port: int, process: subprocess.Popen, log: Path, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited: {log.read_text()[-2000:]}")
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
        try:
            connection.request("GET", "/healthz")
            connection.getresponse().read()
            time.sleep(0.3)  # let every worker boot, not only the first
            return
        except OSError:
            time.sleep(0.1)
        finally:
            connection.close()
    raise RuntimeError("gunicorn did not start listening")


def migrate(database: str) -> None:
    from bot.cli import migrate as run_migrations

    run_migrations(database)
