"""At most one pending ``deliver_due`` wake-up (the flag and its race: ``suyuan.common.wakeup``).

A committed outbox write asks for a wake-up (``request``); ``deliver_due`` clears the flag as its
first statement; the periodic ``deliver_catch_up`` delivers every due row regardless.
"""

from __future__ import annotations

from suyuan.common.wakeup import WakeupFlag


def _enqueue() -> None:
    # Imported late: tasks imports delivery, which imports the adapters (settings-driven).
    from .tasks import deliver_due

    deliver_due.enqueue()


FLAG = WakeupFlag("notices.deliver_due", _enqueue)
request = FLAG.request
clear = FLAG.clear
requeued = FLAG.requeued
pending = FLAG.pending
