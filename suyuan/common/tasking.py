"""Enqueueing Django tasks the same way on every task backend.

The database queue (django-tasks-db) writes the task row in the caller's transaction, so a task
and the rows it works on commit together. A broker (RQ on Redis) is outside the transaction: a task
sent before the commit could run before its rows are visible, or for rows that are rolled back.
``enqueue_with_transaction`` enqueues in the transaction where that is atomic and on commit
otherwise; the tasks are the same, only the moment differs.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.tasks import Task, task_backends

TRANSACTIONAL_BACKENDS = ("django_tasks_db.",)


def is_transactional(alias: str = "default") -> bool:
    backend = type(task_backends[alias])
    return f"{backend.__module__}.".startswith(TRANSACTIONAL_BACKENDS)


def enqueue_with_transaction(task: Task, *args: Any, **kwargs: Any) -> None:
    if is_transactional(task.backend):
        task.enqueue(*args, **kwargs)
    else:
        transaction.on_commit(lambda: task.enqueue(*args, **kwargs))
