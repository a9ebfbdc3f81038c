"""``serve_demo`` supervises the worker: a unique ``--worker-id`` per start, the dead worker's
tasks requeued (and an earlier run's at start), then a restart. Processes are stand-ins here; the
kill -9 drill (scripts/drill_kill9.py) exercises the real ones."""

from __future__ import annotations

import os
import signal
from typing import Any

import pytest
from django.core.management import call_command

from suyuan.demo.management.commands import serve_demo


class FakeProcess:
    def __init__(self, argv: list[str], dies: bool) -> None:
        self.argv, self.returncode = argv, (-9 if dies else None)

    def poll(self) -> int | None:
        return self.returncode

    def send_signal(self, _sig: int) -> None:
        self.returncode = 0

    def wait(self, timeout: float | None = None) -> int:
        return self.returncode or 0

    def kill(self) -> None:
        self.returncode = -9


@pytest.fixture
def processes(monkeypatch):  # type: ignore[no-untyped-def]
    started: list[FakeProcess] = []
    ran: list[list[str]] = []
    ticks = []

    def popen(argv: list[str], **_kwargs: Any) -> FakeProcess:
        workers = [p for p in started if "db_worker" in p.argv]
        process = FakeProcess(argv, dies="db_worker" in argv and not workers)  # the first worker dies
        started.append(process)
        return process

    def run(argv: list[str], **_kwargs: Any) -> None:
        ran.append(argv)

    def sleep(_seconds: float) -> None:
        ticks.append(1)
        if len(ticks) == 3:
            os.kill(os.getpid(), signal.SIGTERM)  # Ctrl-C, as the operator would

    monkeypatch.setattr(serve_demo.subprocess, "Popen", popen)
    monkeypatch.setattr(serve_demo.subprocess, "run", run)
    monkeypatch.setattr(serve_demo.time, "sleep", sleep)
    monkeypatch.setattr(serve_demo, "format_accounts", lambda: "")
    saved = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM)}
    yield started, ran
    for s, handler in saved.items():
        signal.signal(s, handler)


def _worker_ids(started: list[FakeProcess]) -> list[str]:
    return [p.argv[p.argv.index("--worker-id") + 1] for p in started if "db_worker" in p.argv]


def test_a_dead_worker_is_requeued_and_restarted_under_a_new_id(processes):
    started, ran = processes
    call_command("serve_demo", port=8123)
    first, second = _worker_ids(started)
    assert first != second and first.startswith("demo-8123-") and second.startswith("demo-8123-")
    requeues = [argv[argv.index("requeue_tasks") + 1:] for argv in ran if "requeue_tasks" in argv]
    # At start, every earlier run's worker on this port; after the death, the dead one exactly.
    assert requeues == [["--worker-id-prefix", "demo-8123-"], ["--worker-id", first]]
    assert all(p.poll() is not None for p in started)  # everything stopped at the end
