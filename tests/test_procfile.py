"""The Procfile's web and worker lines start as written."""
from __future__ import annotations

import os
import shlex
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def procfile_command(name: str, tmp_path: Path) -> tuple[list[str], dict[str, str]]:
    line = next(line for line in (ROOT / "Procfile").read_text().splitlines() if line.startswith(f"{name}:"))
    env = {**os.environ, "PORT": "0", "DATABASE_URL": f"sqlite:///{tmp_path / 'p.db'}",
           "HUEY_FILE": str(tmp_path / "q.db"), "LINE_CHANNEL_SECRET": "s", "LINE_CHANNEL_ACCESS_TOKEN": "t",
           "LINE_API_ENDPOINT": "http://127.0.0.1:9", "SECRET_KEY": "k", "PATH": f"{BIN}:{os.environ['PATH']}"}
    env.pop("REDIS_URL", None)
    expanded = subprocess.run(["bash", "-c", f"echo {line.split(':', 1)[1]}"], env=env, capture_output=True,
                              text=True, check=True).stdout
    return shlex.split(expanded), env


@pytest.mark.parametrize("name", ["web", "worker"])
def test_process_starts_and_keeps_running(name, tmp_path):
    command, env = procfile_command(name, tmp_path)
    subprocess.run([str(BIN / "alembic"), "upgrade", "heads"], cwd=ROOT, env=env, check=True, capture_output=True)
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        time.sleep(3)
        assert process.poll() is None, process.stderr.read().decode()[-2000:]
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        process.stderr.close()
