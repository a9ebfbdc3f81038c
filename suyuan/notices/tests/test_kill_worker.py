"""Kill the delivery process mid-delivery, restart it: every notice arrives exactly once.

The delivery command runs as a real child process against the test database. The local SMS
gateway is slowed (it records the message, then takes a second to acknowledge), and the child is
SIGKILLed in that window: the worst moment, sent but not marked delivered.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from suyuan.notices import selectors
from suyuan.notices.choices import NoticeChannel, NoticeStatus
from suyuan.notices.models import Notification, SmsMessage

from .helpers import record

BASE = Path(settings.BASE_DIR)


def _database_url() -> str:
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def _start(tmp_path: Path, delay: str) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": _database_url(),
        "SUYUAN_VAR_DIR": str(tmp_path),
        "SUYUAN_SMS_LOCAL_DELAY": delay,
        "SUYUAN_NOTICE_LEASE_SECONDS": "2",
    }
    return subprocess.Popen(
        [sys.executable, str(BASE / "manage.py"), "deliver_notifications", "--every", "0.2", "--limit", "50"],
        cwd=BASE, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )


def _wait(condition, seconds: float) -> bool:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


@pytest.mark.django_db(transaction=True)
def test_killed_worker_restarts_and_every_notice_arrives_exactly_once(world, tmp_path):
    disputes = [record(world, applicant_name="陈当事", respondent_name=f"被申请人{i}") for i in range(4)]
    rows = Notification.objects.filter(dispute__in=disputes)
    sms_ids = set(rows.filter(channel=NoticeChannel.SMS).values_list("pk", flat=True))
    inbox_ids = set(rows.filter(channel=NoticeChannel.INBOX).values_list("pk", flat=True))
    assert len(sms_ids) == 8 and len(inbox_ids) == 4

    worker = _start(tmp_path, delay="1.0")
    try:
        assert _wait(lambda: SmsMessage.objects.count() >= 2, 30), worker.stderr.read() if worker.poll() else ""
        worker.send_signal(signal.SIGKILL)
        worker.wait(10)
    finally:
        if worker.poll() is None:
            worker.kill()
    # Killed mid-delivery: a message is at the gateway while its row still says "sending".
    sent_keys = set(SmsMessage.objects.values_list("key", flat=True))
    in_flight = rows.filter(status=NoticeStatus.SENDING)
    assert any(f"notice:{pk}" in sent_keys for pk in in_flight.values_list("pk", flat=True))
    assert rows.exclude(status=NoticeStatus.DELIVERED).exists()

    worker = _start(tmp_path, delay="0")
    try:
        assert _wait(lambda: not rows.exclude(status=NoticeStatus.DELIVERED).exists(), 60)
    finally:
        worker.send_signal(signal.SIGTERM)
        worker.wait(10)

    keys = list(SmsMessage.objects.values_list("key", flat=True))
    assert sorted(keys) == sorted(f"notice:{pk}" for pk in sms_ids)  # each SMS once, none lost
    lines = (tmp_path / "sms" / "outbox.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(lines) == len(set(lines)) == len(sms_ids)
    seen = list(selectors.inbox(world.party_user).values_list("pk", flat=True))
    assert sorted(seen) == sorted(inbox_ids)  # the party's inbox shows each notice once
