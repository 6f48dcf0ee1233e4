"""The embedded database: SQLite writers from several processes and threads take turns, and none is lost."""
from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from sqlalchemy import text

from bot.db import Database

ROOT = Path(__file__).resolve().parent.parent

WRITER = textwrap.dedent("""
    import sys, threading
    from sqlalchemy import text
    from bot.db import Database
    db = Database(sys.argv[1])
    def write():
        for _ in range(int(sys.argv[2])):
            # Read, think, write: without one writer at a time, increments would be lost.
            with db.transaction() as session:
                value = session.execute(text("SELECT value FROM counter")).scalar_one()
                session.execute(text("UPDATE counter SET value = :v"), {"v": value + 1})
    threads = [threading.Thread(target=write) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
""")


def test_writers_in_several_processes_and_threads_never_lose_an_update(tmp_path, external_database_url):
    if external_database_url:
        pytest.skip("SQLite only: the embedded database's writer turns")
    url = f"sqlite:///{tmp_path / 'turns.db'}"
    db = Database(url)
    with db.transaction() as session:
        session.execute(text("CREATE TABLE counter (value INTEGER NOT NULL)"))
        session.execute(text("INSERT INTO counter VALUES (0)"))
    processes = [subprocess.Popen([sys.executable, "-c", WRITER, url, "50"], cwd=ROOT,
                                  stderr=subprocess.PIPE, text=True) for _ in range(3)]
    for process in processes:
        _, errors = process.communicate(timeout=120)
        assert process.returncode == 0, errors[-2000:]
    with db.transaction() as session:
        assert session.execute(text("SELECT value FROM counter")).scalar_one() == 3 * 4 * 50

