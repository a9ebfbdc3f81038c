"""Demo credit measures and grid assistance on 大武口's open enforcement cases (seeded, deterministic).

Through the services, so every row has its timeline event, audit row and PDF: a few grace periods
(one already ended in performance, its 限制消费 lifted), one 限制消费 in force, and a locate task for
the grid worker of the debtor's grid (one reported back). Dates are today's: these are live cases.
"""

from __future__ import annotations

import random
from datetime import timedelta

from django.utils import timezone

from suyuan.accounts.context import COMMAND
from suyuan.enforcement.choices import EnforcementStatus
from suyuan.enforcement.models import EnforcementCase

from .network import Network

REASONS = [
    "被执行人系个体工商户，经营困难，名下暂无可供执行财产，表示愿意筹款履行",
    "被执行人为务工人员，有稳定收入来源，承诺分期筹款",
    "被执行人家庭有重病成员，暂无履行能力，给予筹款时间",
]


def seed(rng: random.Random, net: Network) -> int:
    """Returns how many cases were given credit measures."""
    from suyuan.assistance import services as assistance
    from suyuan.enforcement import credit

    officer = net.users["enforce_dwk"]
    court = officer.organisation.court() if officer.organisation else None
    cases = list(EnforcementCase.objects.filter(court=court, status=EnforcementStatus.OPEN).order_by("pk")[:40])
    rng.shuffle(cases)
    chosen = cases[:4]
    notice_due = timezone.localdate() - timedelta(days=20)
    for n, case in enumerate(chosen):
        grace = credit.open_grace(actor=officer, origin=COMMAND, case_id=case.pk, months=1 + n % 3,
                                  reasons=REASONS[n % len(REASONS)])
        if n < 2:
            credit.restrict_consumption(actor=officer, origin=COMMAND, case_id=case.pk, grounds=["notice_lapsed"],
                                        reasons="执行通知书指定期间届满，被执行人未履行", notice_due=notice_due)
        if n == 0:
            credit.record_grace_performance(actor=officer, origin=COMMAND, grace_id=grace.pk,
                                            note="被执行人已付清全部款项，申请执行人确认收到")
        grid = case.dispute.region if case.dispute.region.code in net.grid_worker_of else None
        if n in (1, 2) and grid is not None:
            task = assistance.assign_task(
                actor=officer, origin=COMMAND, dispute_id=case.dispute_id, holder=f"enforcement:{case.pk}",
                party_id=case.respondent_id, kind="locate" if n == 1 else "persuade",
                instructions="请核实被执行人现居住地、经营状况，并督促其在宽限期内履行",
            )
            if n == 1:
                worker = net.grid_worker_of[grid.code]
                assistance.accept_task(actor=worker, origin=COMMAND, task_id=task.pk)
                assistance.report_task(actor=worker, origin=COMMAND, task_id=task.pk,
                                       report="已入户见到被执行人本人，其经营的门店仍在营业，表示月底前筹款",
                                       location_note="被执行人住所楼下门店")
    return len(chosen)
