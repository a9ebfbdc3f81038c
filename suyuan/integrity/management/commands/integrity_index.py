"""The similar-case index on disk: catch up with the database, fold the delta into the graph.

    python manage.py integrity_index            # add every dispute the index lacks, then merge
    python manage.py integrity_index --no-merge # catch up only (arrivals stay in the exact delta)
    python manage.py integrity_index --follow --every 5   # this host's copy, kept current from events

The worker keeps the index current as disputes arrive; this is for a fresh deployment, after a
restore, or after bulk-created data (the demo seed), and is safe to run at any time.
"""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand
from django.db import close_old_connections

from suyuan.integrity.index import shared_index
from suyuan.integrity.services import follow_events, sync_index


class Command(BaseCommand):
    help = "类案索引：补录数据库中尚未入索引的纠纷，并合并增量。"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--no-merge", action="store_true", help="只补录，不合并增量")
        parser.add_argument("--follow", action="store_true", help="按时间线事件更新本机索引（多台网页服务器）")
        parser.add_argument("--every", type=float, default=0, help="与 --follow 同用：每隔多少秒跟进一次")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["follow"]:
            while True:
                done = follow_events()
                if done or not options["every"]:
                    self.stdout.write(f"类案索引：按事件更新 {done} 件。")
                if not options["every"]:
                    return
                close_old_connections()
                time.sleep(options["every"])
        started = time.monotonic()
        added = sync_index()
        size = len(shared_index()) if options["no_merge"] else shared_index().merge()
        self.stdout.write(f"类案索引：补录 {added} 件，共 {size} 件，用时 {time.monotonic() - started:.1f} 秒。")
