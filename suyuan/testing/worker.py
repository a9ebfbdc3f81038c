"""The task worker, run in the test's process until the queue is empty."""

from __future__ import annotations

import signal

from django.core.management import call_command


def run_worker() -> None:
    """``db_worker --batch`` here and now; the signal handlers it installs are restored afterwards."""
    saved = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)}
    try:
        call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)
    finally:
        for s, handler in saved.items():
            signal.signal(s, handler)
