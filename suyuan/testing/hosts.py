"""Web hosts as real processes for the several-hosts tests: gunicorn on the test database."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

from django.db import connection

ROOT = Path(__file__).resolve().parents[2]


def database_url() -> str:
    """The test database, as a child process's DATABASE_URL."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_web(port: int, var_dir: Path, **env: str) -> subprocess.Popen[bytes]:
    """One web host: gunicorn with its own VAR_DIR and MEDIA_ROOT (its own local disk)."""
    (var_dir / "files").mkdir(parents=True, exist_ok=True)
    child_env = {
        **os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test", "DATABASE_URL": database_url(),
        "SUYUAN_VAR_DIR": str(var_dir), "SUYUAN_MEDIA_ROOT": str(var_dir / "files"), **env,
    }
    argv = [sys.executable, "-m", "gunicorn", "config.wsgi:application", "--bind", f"127.0.0.1:{port}",
            "--workers", "1", "--threads", "4", "--log-file", str(var_dir / "gunicorn.log"),
            "--control-socket", str(var_dir / "gunicorn.ctl")]
    return subprocess.Popen(argv, cwd=ROOT, env=child_env)  # noqa: S603 - fixed argv, no shell


def wait_for_port(port: int, proc: subprocess.Popen[bytes], limit: float = 60.0) -> None:
    """Wait for a child to listen (the limit only stops a hung test; not a timed assertion)."""
    deadline = time.monotonic() + limit
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"web host on port {port} did not start") from None
            time.sleep(0.1)


def warm_up(port: int, limit: float = 180.0) -> None:
    """The first request imports the whole app (seconds on a busy machine): make it before timing
    anything a browser waits for."""
    import urllib.request

    with urllib.request.urlopen(f"http://127.0.0.1:{port}/accounts/login/", timeout=limit) as answer:
        answer.read()


def stop(proc: subprocess.Popen[bytes]) -> None:
    proc.terminate()
    try:
        proc.wait(15)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
