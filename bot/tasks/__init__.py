"""The worker's tasks, on huey (Redis in production, SQLite embedded), one module per domain.

- ``queue``: the huey instance, pointed at its storage by ``create_app``;
- ``inbox``: a resident's pending webhook events, processed in order;
- ``delivery``: the outbox, sent to LINE;
- ``sweep``: work a lost task left behind, queued again;
- ``events``, ``intake``, ``richmenu``, ``workflow``: each domain's own.

Each task is a module-level function declared with ``@huey.task()``:
callers import it and call it to queue it. The consumer loads
``bot.worker.huey``, which imports every module here.
"""
