"""``make run``: the web server and the worker on this machine, with demo data.

Without real LINE credentials the bot talks to the built-in LINE simulator,
so everything can be tried in a browser.
"""
from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request


def dev_environment(port: int) -> dict[str, str]:
    env = dict(os.environ)
    if not env.get("LINE_CHANNEL_ACCESS_TOKEN"):
        env.setdefault("LINE_CHANNEL_SECRET", "simulator-channel-secret")
        env["LINE_CHANNEL_ACCESS_TOKEN"] = "simulator-access-token"
        env.setdefault("LINE_API_ENDPOINT", f"http://127.0.0.1:{port}/simulator/api")
        env.setdefault("SIMULATOR", "1")
    env.setdefault("SECRET_KEY", "development-only-secret")
    env["PYTHONUNBUFFERED"] = "1"
    return env


def wait_until_up(url: str, seconds: float = 30.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):
                return True
        except (OSError, urllib.error.URLError):
            time.sleep(0.3)
    print(f"warning: {url} did not answer within {seconds:.0f} s", file=sys.stderr)
    return False


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, default=8000)
    args = parser.parse_args()
    env = dev_environment(args.port)
    bin_dir = os.path.dirname(sys.executable)

    subprocess.run([sys.executable, "-m", "flask", "--app", "bot.wsgi", "demo-data"], env=env, check=True)
    processes = [
        subprocess.Popen(
            [os.path.join(bin_dir, "gunicorn"), "--bind", f"127.0.0.1:{args.port}", "--workers", "1",
             "--threads", "8", "--log-level", "warning", "bot.wsgi:app"],
            env=env,
        ),
        subprocess.Popen(
            [os.path.join(bin_dir, "huey_consumer"), "bot.worker.huey", "--workers", "4",
             "--worker-type", "thread", "--delay", "0.05", "--max-delay", "0.5",
             "--quiet"],
            env=env,
        ),
    ]
    base = f"http://127.0.0.1:{args.port}"
    if wait_until_up(f"{base}/healthz") and env.get("SIMULATOR") == "1":
        # Give the simulated channel the same rich menu a real channel gets.
        subprocess.run([sys.executable, "-m", "flask", "--app", "bot.wsgi", "rich-menu"], env=env,
                       stdout=subprocess.DEVNULL, check=False)
    print(
        "\nつなぐ is running.\n"
        f"  LINE simulator:  {base}/simulator/\n"
        f"  Staff admin:     {base}/admin/\n"
        f"  Webhook:         {base}/callback\n"
        f"  Health:          {base}/healthz\n"
        "Press Ctrl-C to stop.\n",
        flush=True,
    )
    try:
        while all(process.poll() is None for process in processes):
            time.sleep(0.5)
    except KeyboardInterrupt:
        pass
    finally:
        for process in processes:
            if process.poll() is None:
                process.send_signal(signal.SIGINT)
        for process in processes:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
    return 0


if __name__ == "__main__":
    sys.exit(main())
