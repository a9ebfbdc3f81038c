"""A long batch job's garbage collection: what was alive before the job is not walked again.

Python's cyclic collector walks every tracked object of the process in each full (oldest
generation) collection. In a worker that has loaded Django, the reference data and the triage
models, that is millions of objects: on the batch-intake bench (docs/performance.md, P3) a 3,000-row
import and its triage spent 5.7 s of 14 s in the collector, 3.9 s of it in eight full collections,
none of which could free the long-lived objects they walked. ``batch_heap`` moves the objects
alive at its start into the permanent generation (``gc.freeze``) for the length of the job, so
the collections during the job walk only what the job allocated; at the end they go back to the
oldest generation (``gc.unfreeze``) and are collected as before. Nothing is left uncollected for
longer than the job: a cycle among the frozen objects that dies during the job is freed by the
first full collection after it.

Re-entrant (nested jobs freeze once); process-wide, as the collector is.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_depth = 0


@contextmanager
def batch_heap() -> Iterator[None]:
    global _depth
    with _lock:
        if _depth == 0:
            gc.freeze()
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0:
                gc.unfreeze()
