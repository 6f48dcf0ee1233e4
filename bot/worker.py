"""Entry point for the huey consumer: ``huey_consumer bot.worker.huey``.

Creates the process's one app, which points the queue at its storage, and
imports every task module, so that the consumer knows each task by name and
runs the periodic ones (sweep, reminders, draft purge, retention).
"""
from bot import create_app
from bot.tasks import delivery, events, inbox, intake, retention, richmenu, sweep, workflow  # noqa: F401 - registers the tasks
from bot.tasks import notices  # noqa: F401 - registers the tasks
from bot.tasks import watch  # noqa: F401, E402 - registers the 見守り tasks
from bot.tasks import mutual_aid  # noqa: F401 - 住民支え合い: reminders and checks
from bot.tasks import figures  # noqa: F401 - registers the figures task
from bot.tasks.queue import huey  # noqa: F401 - what the consumer runs

app = create_app()
