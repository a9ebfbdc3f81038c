#!/usr/bin/env python
"""R5 kill -9 drill: SIGKILL the web server and the worker at random moments under load, then audit.

usage: .venv/bin/python scripts/drill_kill9.py [--kills 20] [--clients 3] [--pace 1.5] [--seed 15] [--port 8765]

What runs (all on 127.0.0.1, in a throwaway var directory and database):
- gunicorn (``config.wsgi``, 2 workers x 4 threads) serving the API;
- ``manage.py db_worker`` (import jobs and notification delivery; the local SMS gateway is
  slowed to 0.1 s per message so kills land between "sent" and "marked delivered");
- ``--clients`` threads POSTing disputes to ``/api/v1/disputes`` with an ``Idempotency-Key``,
  retrying the same key and body on any connection failure until they get an answer;
- every few rounds a batch import job of ``--rows`` rows is queued (as the upload page does).

Each round sleeps a random 0.2-2 s, SIGKILLs the web server's whole process group and restarts
it (until it answers), waits until the worker has claimed work, sleeps 0-1.5 s, SIGKILLs the
worker (every other round once it is inside an import job, if one comes within 20 s; noting what
it was running), gives its claimed tasks back to the queue
(``manage.py requeue_tasks --worker-id``, what the supervisor does) and restarts it. After the
rounds the clients stop, the worker drains the queue, the periodic catch-up delivery runs once,
and the drill checks:

- every acknowledged write is in the database, once (one dispute and one key record per key);
- every notification is delivered, each SMS is at the local gateway exactly once (table and
  its ``outbox.jsonl`` log), no message at the gateway without its notification;
- every import row is recorded exactly once and every job finished;
- the audit chain verifies (``verify_audit``).

Prints the counts; exits 1 if a check fails. SQLite by default (a file under the var
directory); set DATABASE_URL to an *empty* PostgreSQL database to drill that engine.
"""

from __future__ import annotations

import argparse
import collections
import dataclasses
import datetime
import http.client
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def parse() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="kill -9 drill (R5)")
    parser.add_argument("--kills", type=int, default=20, help="SIGKILLs of each process (default 20)")
    parser.add_argument("--clients", type=int, default=3, help="concurrent API clients (default 3)")
    parser.add_argument("--rows", type=int, default=120, help="rows per import job (default 120)")
    parser.add_argument("--imports-every", type=int, default=4, help="queue an import job every N rounds")
    parser.add_argument("--pace", type=float, default=1.5,
                        help="seconds each client waits after an answered write (default 1.5: a load one worker "
                             "on the shared 2-core machine keeps up with; 0 = as fast as the server answers)")
    parser.add_argument("--seed", type=int, default=15)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--keep", action="store_true", help="keep the var directory afterwards")
    return parser.parse_args()


ARGS = parse()
VAR = Path(tempfile.mkdtemp(prefix="suyuan-drill-"))
ENV = {
    **os.environ,
    "DJANGO_SETTINGS_MODULE": "config.settings.demo",
    "SUYUAN_DEBUG": "0",
    "SUYUAN_VAR_DIR": str(VAR),
    "SUYUAN_ALLOWED_HOSTS": "127.0.0.1,localhost",
    "SUYUAN_SMS_LOCAL_DELAY": "0.1",
    "SUYUAN_NOTICE_LEASE_SECONDS": "3",
    "SUYUAN_LOG_LEVEL": "ERROR",
    "PYTHONUNBUFFERED": "1",
}
os.environ.update(ENV)

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from suyuan.accounts.context import Origin  # noqa: E402
from suyuan.accounts.selectors import verify_audit_chain  # noqa: E402
from suyuan.accounts.services import issue_api_token  # noqa: E402
from suyuan.common.models import IdempotencyRecord  # noqa: E402
from suyuan.disputes.importing.jobs import create_import_job  # noqa: E402
from suyuan.disputes.models import Dispute, ImportJob  # noqa: E402
from suyuan.disputes.tasks import run_import_job  # noqa: E402
from suyuan.notices.choices import NoticeChannel, NoticeStatus  # noqa: E402
from suyuan.notices.models import Notification, SmsMessage  # noqa: E402
from suyuan.testing.disputes import grid_input  # noqa: E402
from suyuan.testing.factories import build_world, make_id_number  # noqa: E402
from suyuan.testing.imports import bank_row, csv_bytes, make_bank  # noqa: E402

RNG = random.Random(ARGS.seed)  # noqa: S311 - a reproducible kill schedule, not a secret
PY = sys.executable


# --------------------------------------------------------------------------------------------
# Processes
# --------------------------------------------------------------------------------------------

class Supervised:
    """A child in its own process group, so SIGKILL reaches gunicorn's master and workers at once."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.proc: subprocess.Popen[bytes] | None = None
        self.incarnation = 0
        self.log = (VAR / f"{name}.log").open("ab")

    def command(self) -> list[str]:
        raise NotImplementedError

    def start(self) -> None:
        from django.utils import timezone

        self.incarnation += 1
        self.started_wall = timezone.now()
        self.proc = subprocess.Popen(  # noqa: S603 - our own interpreter and manage.py
            self.command(), cwd=ROOT, env=ENV, stdout=self.log, stderr=self.log, start_new_session=True,
        )

    def kill(self) -> None:
        assert self.proc is not None
        os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait(10)

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)


class Web(Supervised):
    def command(self) -> list[str]:
        return [PY, "-m", "gunicorn", "config.wsgi:application", "--bind", f"127.0.0.1:{ARGS.port}",
                "--workers", "2", "--threads", "4", "--timeout", "60", "--graceful-timeout", "2"]

    def wait_ready(self, seconds: float = 240) -> None:
        """Until a request is answered (gunicorn binds before its workers have loaded Django; under a
        load average of 12 on the shared machine that took over 60 s once)."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            try:
                conn = http.client.HTTPConnection("127.0.0.1", ARGS.port, timeout=5)
                conn.request("GET", "/api/v1/auth/me")
                conn.getresponse().read()
                conn.close()
                return
            except (OSError, http.client.HTTPException):
                time.sleep(0.1)
        raise SystemExit("web server did not start; see " + str(VAR / "web.log"))


class Worker(Supervised):
    @property
    def worker_id(self) -> str:
        return f"drill-worker-{self.incarnation}"

    def command(self) -> list[str]:
        return [PY, "manage.py", "db_worker", "--no-reload", "--no-startup-delay", "--interval", "0.2",
                "--worker-id", self.worker_id]

    def wait_working(self, seconds: float = 15) -> None:
        """Until this incarnation has claimed a task (or the time is up: nothing to do)."""
        from django_tasks_db.models import DBTaskResult

        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if DBTaskResult.objects.filter(started_at__gte=self.started_wall).exists():
                break
            time.sleep(0.1)
        connection.close()

    def running_tasks(self) -> list[str]:
        from django_tasks_db.models import DBTaskResult

        rows = DBTaskResult.objects.filter(status="RUNNING").values_list("task_path", "worker_ids")
        names = [path.rsplit(".", 1)[-1] for path, ids in rows if ids and ids[-1] == self.worker_id]
        connection.close()
        return names


# --------------------------------------------------------------------------------------------
# Load: API clients that retry with their Idempotency-Key
# --------------------------------------------------------------------------------------------

@dataclasses.dataclass
class Tally:
    acked: dict[str, str] = dataclasses.field(default_factory=dict)  # key -> dispute number
    retries: int = 0
    refused: list[str] = dataclasses.field(default_factory=list)
    lock: threading.Lock = dataclasses.field(default_factory=threading.Lock)


def body_for(region: str, n: int) -> dict[str, Any]:
    data = grid_input(region, amount=str(1000 + n))
    return {
        "channel": data.channel, "category": data.category, "description": data.description,
        "region_code": data.region_code, "amount": str(data.amount), "occurred_on": None,
        "parties": [{"role": role, **dataclasses.asdict(p)} for role, p in data.parties],
        "claims": [{"text": c.text, "amount": str(c.amount)} for c in data.claims],
        "authority_kind": data.authority_kind or None, "authority_note": data.authority_note, "source_ref": "",
    }


def client_loop(index: int, token: str, bodies: list[dict[str, Any]], tally: Tally, stop: threading.Event) -> None:
    n = 0
    while not stop.is_set() and n < len(bodies):
        key = f"drill-{index}-{n:05d}"
        raw = json.dumps(bodies[n], ensure_ascii=False).encode()
        headers = {"Content-Type": "application/json", "Authorization": f"Bearer {token}", "Idempotency-Key": key}
        while True:  # the same key and body until the server answers
            try:
                conn = http.client.HTTPConnection("127.0.0.1", ARGS.port, timeout=30)
                conn.request("POST", "/api/v1/disputes", body=raw, headers=headers)
                response = conn.getresponse()
                payload = response.read()
                conn.close()
            except (OSError, http.client.HTTPException):
                with tally.lock:
                    tally.retries += 1
                time.sleep(0.05)
                continue
            if response.status >= 500:  # a worker killed mid-request may answer 502 via nothing; retry
                with tally.lock:
                    tally.retries += 1
                time.sleep(0.05)
                continue
            with tally.lock:
                if response.status == 201:
                    tally.acked[key] = json.loads(payload)["number"]
                else:
                    tally.refused.append(f"{key}: {response.status} {payload[:200]!r}")
            break
        n += 1
        stop.wait(ARGS.pace)


# --------------------------------------------------------------------------------------------
# The drill
# --------------------------------------------------------------------------------------------

def queue_import(bank: Any, job_no: int, expected: dict[int, set[str]]) -> None:
    # A birth date per job: the test factory's ID numbers repeat after 1,000 per birth date, and a
    # repeated number under another name is (rightly) refused as 证件号码与姓名不一致.
    birth = (datetime.date(1990, 1, 1) + datetime.timedelta(days=job_no)).strftime("%Y%m%d")
    rows = [bank_row(bank, n, 机构内部编号=f"DRILL-{job_no:02d}-{n:04d}", 被申请人证件号码=make_id_number(birth=birth))
            for n in range(ARGS.rows)]
    with transaction.atomic():
        job = create_import_job(actor=bank, name=f"drill-{job_no}.csv", content=csv_bytes(rows), store=True)
        run_import_job.enqueue(job.pk, "127.0.0.1")
    expected[job.pk] = {r["机构内部编号"] for r in rows}
    connection.close()


DELIVER_DUE = "suyuan.notices.tasks.deliver_due"
# The coalesced wake-ups (suyuan/common/wakeup.py): at most one of each pending at a time.
WAKEUPS = (DELIVER_DUE, "suyuan.triage.tasks.propose_pending", "suyuan.integrity.tasks.check_pending")


def ready_wakeups() -> int:
    """The most tasks of any one wake-up waiting in the queue now."""
    from django_tasks_db.models import DBTaskResult

    counts = collections.Counter(
        DBTaskResult.objects.filter(status="READY", task_path__in=WAKEUPS).values_list("task_path", flat=True)
    )
    connection.close()
    return max(counts.values(), default=0)


def pending_work() -> tuple[int, int, int]:
    from django_tasks_db.models import DBTaskResult

    tasks = DBTaskResult.objects.filter(status__in=["READY", "RUNNING"]).count()
    jobs = ImportJob.objects.exclude(status__in=["done", "failed"]).count()
    notices = Notification.objects.filter(status__in=[NoticeStatus.PENDING, NoticeStatus.SENDING]).count()
    connection.close()
    return tasks, jobs, notices


def main() -> int:
    started = time.monotonic()
    print(f"drill: var={VAR} database={connection.settings_dict['ENGINE'].rsplit('.', 1)[-1]} "
          f"kills={ARGS.kills} clients={ARGS.clients} seed={ARGS.seed}")
    call_command("migrate", verbosity=0)
    world = build_world()
    bank = make_bank()
    token = issue_api_token(user=world.grid_worker, origin=Origin(via="drill"), name="drill")
    bodies = [[body_for(world.grid.code, i * 100000 + n) for n in range(5000)] for i in range(ARGS.clients)]
    connection.close()

    web, worker = Web("web"), Worker("worker")
    try:
        return _drill(web, worker, world, bank, token, bodies, started)
    finally:
        worker.stop()  # also when the drill itself is interrupted: never leave children behind
        web.stop()


def _drill(  # noqa: C901 - one linear drill, read top to bottom
    web: Web, worker: Worker, world: Any, bank: Any, token: str, bodies: list[list[dict[str, Any]]], started: float,
) -> int:
    web.start()
    web.wait_ready()
    worker.start()
    tally, stop = Tally(), threading.Event()
    clients = [threading.Thread(target=client_loop, args=(i, token, bodies[i], tally, stop), daemon=True)
               for i in range(ARGS.clients)]
    for c in clients:
        c.start()

    expected_rows: dict[int, set[str]] = {}
    worker_kills: collections.Counter[str] = collections.Counter()
    job_no = 0
    most_wakeups = 0
    for round_no in range(ARGS.kills):
        if round_no % ARGS.imports_every == 0:
            job_no += 1
            queue_import(bank, job_no, expected_rows)
        time.sleep(RNG.uniform(0.2, 2.0))
        web.kill()
        web.start()
        web.wait_ready()
        worker.wait_working()
        time.sleep(RNG.uniform(0.0, 1.5))
        if round_no % 2 and expected_rows:
            # Every other round the kill waits (up to 20 s) for the worker to be in an import job.
            deadline = time.monotonic() + 20
            while "run_import_job" not in worker.running_tasks() and time.monotonic() < deadline:
                time.sleep(0.1)
        doing = worker.running_tasks()
        most_wakeups = max(most_wakeups, ready_wakeups())
        worker.kill()
        worker_kills["+".join(sorted(set(doing))) or "idle"] += 1
        subprocess.run([PY, "manage.py", "requeue_tasks", "--worker-id", worker.worker_id],  # noqa: S603
                       cwd=ROOT, env=ENV, check=True, capture_output=True)
        worker.start()
        print(f"  round {round_no + 1:2d}: web and worker killed (worker was: {', '.join(doing) or 'idle'}); "
              f"acknowledged so far {len(tally.acked)}", flush=True)

    stop.set()
    for c in clients:
        c.join(120)
    # Drain: the worker finishes imports and deliveries; then the periodic catch-up runs once
    # (after the lease of any row a killed worker held has expired).
    deadline = time.monotonic() + 600
    while time.monotonic() < deadline and pending_work()[:2] != (0, 0):
        time.sleep(1)
    time.sleep(float(ENV["SUYUAN_NOTICE_LEASE_SECONDS"]) + 1)
    subprocess.run([PY, "manage.py", "deliver_notifications", "--limit", "1000000"],  # noqa: S603
                   cwd=ROOT, env=ENV, check=True, capture_output=True)
    worker.stop()
    web.stop()
    # The arrival queues' periodic catch-up, once (what a lost wake-up leaves to it).
    from suyuan.integrity.tasks import ARRIVALS, check_pending
    from suyuan.triage.tasks import PROPOSALS, propose_pending

    left_for_catch_up = PROPOSALS.waiting() + ARRIVALS.waiting()
    propose_pending.call()
    check_pending.call()

    failures: list[str] = []
    # 1. Acknowledged writes.
    numbers = set(Dispute.objects.filter(number__in=list(tally.acked.values())).values_list("number", flat=True))
    lost = [k for k, num in tally.acked.items() if num not in numbers]
    api_disputes = Dispute.objects.filter(recorded_by=world.grid_worker).count()
    keys = IdempotencyRecord.objects.filter(user=world.grid_worker).count()
    if lost:
        failures.append(f"{len(lost)} acknowledged writes lost, e.g. {lost[:3]}")
    if api_disputes != len(tally.acked) or keys != len(tally.acked):
        failures.append(f"API disputes {api_disputes} / key records {keys} != acknowledged {len(tally.acked)}")
    if tally.refused:
        failures.append(f"{len(tally.refused)} writes refused: {tally.refused[:3]}")
    # 2. Notifications and the SMS gateway.
    sms_rows = Notification.objects.filter(channel=NoticeChannel.SMS)
    not_delivered = Notification.objects.exclude(status=NoticeStatus.DELIVERED).count()
    sms_ids = set(sms_rows.values_list("pk", flat=True))
    gateway = collections.Counter(SmsMessage.objects.filter(key__startswith="notice:").values_list("key", flat=True))
    gateway_ids = {int(k.split(":", 1)[1]) for k in gateway}
    log_path = VAR / "sms" / "outbox.jsonl"
    log_keys = collections.Counter(json.loads(line)["key"] for line in log_path.read_text(encoding="utf-8").splitlines()
                                   if line.strip()) if log_path.exists() else collections.Counter()
    twice = [k for k, n in log_keys.items() if n > 1] + [k for k, n in gateway.items() if n > 1]
    if not_delivered:
        failures.append(f"{not_delivered} notifications not delivered")
    if sms_ids - gateway_ids:
        failures.append(f"{len(sms_ids - gateway_ids)} SMS notifications never reached the gateway")
    if gateway_ids - sms_ids:
        failures.append(f"{len(gateway_ids - sms_ids)} messages at the gateway without a notification")
    if twice:
        failures.append(f"{len(twice)} SMS sent twice, e.g. {twice[:3]}")
    # Every API-recorded dispute told its parties (the outbox row is written with the event).
    without_notice = Dispute.objects.filter(recorded_by=world.grid_worker, notifications__isnull=True).count()
    if without_notice:
        failures.append(f"{without_notice} recorded disputes without any notification")
    # 3. Import rows.
    import_refs = collections.Counter(
        ref.rsplit(":", 1)[-1] for ref in Dispute.objects.filter(source_ref__contains="DRILL-")
        .values_list("source_ref", flat=True)
    )
    expected_refs = set().union(*expected_rows.values()) if expected_rows else set()
    rows_lost = expected_refs - set(import_refs)
    rows_doubled = [r for r, n in import_refs.items() if n > 1]
    unfinished = ImportJob.objects.exclude(status="done").count()
    if rows_lost:
        failures.append(f"{len(rows_lost)} import rows lost, e.g. {sorted(rows_lost)[:3]}")
    if rows_doubled:
        failures.append(f"{len(rows_doubled)} import rows recorded twice")
    if unfinished:
        failures.append(f"{unfinished} import jobs not finished")
    # 4. Every dispute's follow-ups were done: a triage proposal, the integrity checks (the index
    # holds it), nothing left waiting or set aside in the arrival queues.
    from suyuan.common.models import PendingWork
    from suyuan.integrity.index import shared_index
    from suyuan.triage.models import TriageProposal

    all_ids = list(Dispute.objects.values_list("pk", flat=True))
    without_proposal = Dispute.objects.filter(triage_proposal__isnull=True).count()
    unindexed = len(shared_index().missing(all_ids))
    work_left = PendingWork.objects.count()
    if without_proposal:
        failures.append(f"{without_proposal} disputes without a triage proposal")
    if unindexed:
        failures.append(f"{unindexed} disputes not in the similar-case index")
    if work_left:
        failures.append(f"{work_left} follow-ups left waiting or set aside: "
                        f"{list(PendingWork.objects.values_list('queue', 'error')[:3])}")
    proposals = TriageProposal.objects.count()
    # 5. The wake-ups did not flood the queue (one pending at a time; a killed worker's
    # requeued one may sit beside a fresh one).
    from django_tasks_db.models import DBTaskResult

    wakeups = DBTaskResult.objects.filter(task_path=DELIVER_DUE).count()
    by_task = collections.Counter(f"{path.rsplit('.', 1)[-1]}={status}"
                                  for path, status in DBTaskResult.objects.values_list("task_path", "status"))
    if most_wakeups > 2:
        failures.append(f"{most_wakeups} wake-ups of one task waiting at once")
    # 6. The audit chain.
    chain = verify_audit_chain()
    if not chain.ok:
        failures.append(f"audit chain broken: {chain.problem}")

    print()
    print(f"kills: web {web.incarnation - 1}, worker {worker.incarnation - 1} "
          f"(worker was running: {dict(worker_kills)})")
    print(f"intake: acknowledged {len(tally.acked)}, in database {len(numbers)}, lost {len(lost)}, "
          f"client retries after a dropped connection {tally.retries}, key records {keys}")
    print(f"notifications: {Notification.objects.count()} (sms {len(sms_ids)}), not delivered {not_delivered}, "
          f"at gateway {len(gateway_ids)}, gateway log lines {sum(log_keys.values())}, sent twice {len(twice)}"
          f", disputes without a notification {without_notice}")
    print(f"wake-ups: {wakeups} deliver_due tasks enqueued in all; "
          f"at most {most_wakeups} of one task waiting at a kill")
    print(f"follow-ups: {proposals} proposals for {len(all_ids)} disputes, {len(all_ids) - unindexed} indexed; "
          f"{left_for_catch_up} left to the catch-up, {work_left} left after it")
    print(f"tasks: {dict(sorted(by_task.items()))}")
    print(f"imports: jobs {len(expected_rows)}, rows {len(expected_refs)}, recorded {len(import_refs)}, "
          f"lost {len(rows_lost)}, doubled {len(rows_doubled)}, unfinished jobs {unfinished}")
    print(f"audit chain: {'intact' if chain.ok else 'BROKEN'}, {chain.checked} entries")
    print(f"time: {time.monotonic() - started:.0f} s")
    for failure in failures:
        print("FAIL:", failure)
    print("drill: " + ("ok" if not failures else "FAILED"))
    if not ARGS.keep and not failures:
        import shutil

        shutil.rmtree(VAR, ignore_errors=True)
    return 1 if failures else 0


if __name__ == "__main__":
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # run the clean-up on SIGTERM too
    sys.exit(main())
