"""Migrations: one head, the schema they build matches the models, and they run both ways."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine

from bot.cli import alembic_config
from bot.models import Base

ROOT = Path(__file__).resolve().parent.parent


def test_there_is_a_single_head_so_the_release_command_works():
    script = ScriptDirectory.from_config(alembic_config("sqlite://"))
    assert len(script.get_heads()) == 1, script.get_heads()


def test_the_procfile_release_command_migrates_a_new_database(tmp_path):
    url = f"sqlite:///{tmp_path / 'release.db'}"
    release = next(line for line in (ROOT / "Procfile").read_text().splitlines() if line.startswith("release:"))
    command = release.split(":", 1)[1].strip()
    assert "i18n.py compile" in command and command.endswith("alembic upgrade head")  # catalogs, then the schema
    bin_dir = Path(sys.executable).parent
    result = subprocess.run(["sh", "-c", command], cwd=ROOT, capture_output=True, text=True,
                            env={**os.environ, "DATABASE_URL": url, "PATH": f"{bin_dir}:{os.environ['PATH']}"})
    assert result.returncode == 0, result.stderr
    assert (ROOT / "locales" / "en" / "LC_MESSAGES" / "messages.mo").exists()
    engine = create_engine(url)
    with engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    engine.dispose()
    assert differences == []


def test_migrations_downgrade_to_nothing_and_back(tmp_path):
    from alembic import command

    config = alembic_config(f"sqlite:///{tmp_path / 'both.db'}")
    command.upgrade(config, "heads")
    command.downgrade(config, "base")
    command.upgrade(config, "heads")
