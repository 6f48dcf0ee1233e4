"""The 見守り scheduler alone, in its own process, so a fault test can kill it mid-run.

    python -m tests.faults.watch_worker <database url> <LINE endpoint>

Runs the real task body (bot/tasks/watch.py ``run_watch``), one slot per
transaction, then delivers what it queued, as the worker would.
"""
from __future__ import annotations

import sys

from bot import create_app
from bot.tasks.delivery import deliver_to
from bot.tasks.watch import run_watch


def main(database_url: str, endpoint: str) -> None:
    app = create_app({
        "LINE_CHANNEL_SECRET": "test-channel-secret", "LINE_CHANNEL_ACCESS_TOKEN": "test-access-token",
        "LINE_API_ENDPOINT": endpoint, "DATABASE_URL": database_url, "REDIS_URL": "", "HUEY_FILE": "",
        "HUEY_IMMEDIATE": True, "SECRET_KEY": "fault-test", "SIMULATOR": False, "TESTING": True,
    })
    with app.app_context():
        for recipient in sorted(run_watch(app.extensions["tsunagu"], batch=1)):
            deliver_to(recipient)
    print("done", flush=True)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
