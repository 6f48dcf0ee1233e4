"""Nothing waits on the network while it holds the database.

A transaction that waits for LINE (or SMTP, or the queue) holds every writer
behind it; on SQLite the webhook's insert waits too, and LINE gives up on a
webhook after 2 s. Handlers and flows run inside the event's transaction, so
they get no way to reach the network: what an event needs from LINE is
fetched before, and tasks are queued after commit.
"""
from __future__ import annotations

import ast
import importlib
import threading
import time
import typing
from pathlib import Path

from huey.api import TaskWrapper
from sqlalchemy import select

from bot.flows.context import EventContext
from bot.models import Resident
from tests.conftest import CHANNEL_SECRET
from tests.support import Worker, event_envelope, post_events

ROOT = Path(__file__).resolve().parent.parent
# Code that runs inside an event's transaction: handlers (but the loop around them), flows, services.
IN_TRANSACTION = sorted(
    path for folder in ("bot/handlers", "bot/flows", "bot/services") for path in (ROOT / folder).glob("*.py")
    if path.name != "processing.py"
)
NETWORK_MODULES = ("smtplib", "socket", "http", "urllib", "urllib3", "requests", "redis", "huey",
                   "bot.tasks.queue", "bot.container", "bot.messaging.delivery")
# The SDK's message models (FlexBox, ...) are data; its clients are not.
NETWORK_NAMES = {"LineApi", "Tsunagu", "Deliverer", "Huey", "RedisHuey", "SqliteHuey", "send_email",
                 "ApiClient", "MessagingApi", "MessagingApiBlob", "AsyncApiClient", "AsyncMessagingApi"}


def imports(tree: ast.Module) -> list[tuple[str, str]]:
    """(module, name) for each name a module imports."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(alias.name, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            found += [(node.module, alias.name) for alias in node.names]
    return found


def task_names(tree: ast.Module) -> set[str]:
    """The names a module imports that are worker tasks (huey task functions)."""
    names = set()
    for module, name in imports(tree):
        if module.startswith("bot.tasks.") and isinstance(getattr(importlib.import_module(module), name, None),
                                                          TaskWrapper):
            names.add(name)
    return names


def relative(path: Path) -> str:
    return str(path.relative_to(ROOT))


def test_handlers_flows_and_services_import_nothing_that_reaches_the_network():
    offending = []
    for path in IN_TRANSACTION:
        for module, name in imports(ast.parse(path.read_text())):
            if module == "huey.api" and name == "TaskWrapper":
                continue  # the type of what ctx.enqueue_after_commit takes
            if module.split(".")[0] in NETWORK_MODULES or module in NETWORK_MODULES or name in NETWORK_NAMES:
                offending.append(f"{relative(path)}: {module}.{name}")
    assert offending == []


def test_the_event_context_holds_no_network_client():
    hints = typing.get_type_hints(EventContext)
    held = " ".join(str(hint) for hint in hints.values())
    assert not any(name in held for name in ("LineApi", "Tsunagu", "Huey", "Database", "Deliverer")), held
    assert not hasattr(EventContext, "tsunagu") and not hasattr(EventContext, "line")


def test_handlers_and_flows_queue_tasks_only_after_commit():
    """A task is handed to ``ctx.enqueue_after_commit``, never called (queued) from inside the transaction."""
    offending = []
    for path in IN_TRANSACTION:
        tree = ast.parse(path.read_text())
        tasks = task_names(tree)
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            called = node.func.value if isinstance(node.func, ast.Attribute) else node.func
            if isinstance(called, ast.Name) and called.id in tasks:
                offending.append(f"{relative(path)}:{node.lineno} calls {called.id}")
    assert offending == []


def _is_transaction(item: ast.withitem) -> bool:
    call = item.context_expr
    if not isinstance(call, ast.Call):
        return False
    func = call.func
    name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
    return name in {"transaction", "_transaction", "begin", "begin_nested"}


def _network_calls(body: list[ast.stmt], tasks: set[str]) -> list[tuple[int, str]]:
    found = []
    for statement in body:
        for node in ast.walk(statement):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            called = func.value if isinstance(func, ast.Attribute) else func
            if isinstance(called, ast.Name) and called.id in tasks | {"send_email", "deliver_notices"}:
                found.append((node.lineno, called.id))
            elif isinstance(called, ast.Attribute) and called.attr in {"line", "api"}:  # tsunagu.line.push(...)
                found.append((node.lineno, ast.unparse(func)))
    return found


def test_no_code_calls_line_or_queues_a_task_inside_a_transaction_block():
    """Everywhere in bot/ and admin/: no task queued, no LINE call, no email inside ``with ....transaction()``."""
    offending = []
    for path in sorted([*(ROOT / "bot").rglob("*.py"), *(ROOT / "admin").rglob("*.py")]):
        tree = ast.parse(path.read_text())
        tasks = task_names(tree)
        for node in ast.walk(tree):
            if isinstance(node, ast.With) and any(_is_transaction(item) for item in node.items):
                offending += [f"{relative(path)}:{line} {what}" for line, what in _network_calls(node.body, tasks)]
    assert offending == []


def test_the_webhook_answers_at_once_while_line_is_slow_to_give_a_followers_profile(make_app, line):
    """On SQLite the worker used to hold the database's writer turn while LINE answered: the webhook waited."""
    app = make_app(LINE_REQUEST_TIMEOUT=5.0)
    client = app.test_client()
    follower, writer = "U" + "1" * 32, "U" + "2" * 32
    line.set_profile(follower, "山田花子", "en")
    line.timeout_delay = 1.5  # LINE answers the profile call after 1.5 s
    line.inject_failures(f"/profile/{follower}", "timeout_after_delivery")
    token = line.issue_reply_token(follower)
    event = event_envelope("follow", follower, reply_token=token, follow={"isUnblocked": False})
    assert post_events(client, [event], CHANNEL_SECRET).status_code == 200

    worker = threading.Thread(target=Worker(app).drain)
    worker.start()
    deadline = time.monotonic() + 10
    while line.pending_scripted(f"/profile/{follower}") and time.monotonic() < deadline:
        time.sleep(0.01)  # until the worker's profile call has reached LINE
    assert line.pending_scripted(f"/profile/{follower}") == 0
    message = {"type": "text", "id": "100000000000000001", "text": "こんにちは", "quoteToken": "q"}
    started = time.monotonic()
    response = post_events(client, [event_envelope("message", writer, message=message)], CHANNEL_SECRET)
    acknowledged_in = time.monotonic() - started
    worker.join(30)

    assert response.status_code == 200
    assert acknowledged_in < 0.5  # not after LINE's 1.5 s
    assert line.messages_to(follower)[0]["text"].startswith("Thank you for adding us, 山田花子.")
    with app.extensions["tsunagu"].db.transaction() as session:
        resident = session.scalars(select(Resident).where(Resident.line_user_id == follower)).one()
        assert (resident.display_name, resident.locale) == ("山田花子", "en")


def test_a_follow_behind_other_events_of_the_resident_is_greeted_by_name(app, client, line):
    """The profile is fetched between two events' transactions, whichever place the follow has."""
    user = "U" + "3" * 32
    line.set_profile(user, "John", "en")
    message = {"type": "text", "id": "100000000000000002", "text": "hello", "quoteToken": "q"}
    events = [event_envelope("unfollow", user),
              event_envelope("message", user, reply_token=line.issue_reply_token(user), message=message),
              event_envelope("follow", user, reply_token=line.issue_reply_token(user), follow={"isUnblocked": True})]
    for offset, event in enumerate(events):
        event["timestamp"] += offset
    assert post_events(client, events, CHANNEL_SECRET).status_code == 200
    Worker(app).drain()

    assert line.messages_to(user)[-1]["text"].startswith("Welcome back, John.")  # unblocked: welcomed back, by name
