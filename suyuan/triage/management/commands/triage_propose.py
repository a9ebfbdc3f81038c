"""Store triage proposals for disputes that have none (or for all, after a model rebuild).

    python manage.py triage_propose          # disputes without a stored proposal
    python manage.py triage_propose --all    # every dispute (e.g. after triage_train)

The worker proposes as disputes arrive; this is for data that arrived otherwise (the demo's
bulk-created history, a restore) and for re-proposing with new artefacts.
"""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand

from suyuan.disputes.models import Dispute
from suyuan.triage.services import store_proposals


class Command(BaseCommand):
    help = "为尚无分流建议的纠纷生成系统建议（--all：全部重新生成）。"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--all", action="store_true", help="全部重新生成")

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()
        disputes = Dispute.objects.all() if options["all"] else Dispute.objects.filter(triage_proposal__isnull=True)
        ids = list(disputes.order_by("pk").values_list("pk", flat=True))
        stored = store_proposals(ids)
        self.stdout.write(f"分流建议：生成 {stored} 件，用时 {time.monotonic() - started:.1f} 秒。")
