"""``manage.py import_disputes PATH --as USERNAME``: batch filing from the command line."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from suyuan.accounts.context import COMMAND
from suyuan.accounts.models import User
from suyuan.common.errors import DomainError
from suyuan.disputes.importing import PROGRESS_EVERY, create_import_job, run_import
from suyuan.disputes.models import ImportJob


class Command(BaseCommand):
    help = "按模板（CSV 或 XLSX）批量导入纠纷。最后一行输出 created=N duplicates=M rejected=K。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="CSV（UTF-8 或 GB18030）或 XLSX 文件")
        parser.add_argument("--as", dest="username", required=True, help="以该用户身份导入（机构当事人账户或立案人员）")
        parser.add_argument(
            "--every", type=int, default=PROGRESS_EVERY, help="每处理多少行输出一次进度（默认 %(default)s）"
        )

    def handle(self, *args: Any, path: str, username: str, every: int, **options: Any) -> None:
        actor = User.objects.select_related("party", "organisation").filter(username=username).first()
        if actor is None:
            raise CommandError(f"找不到用户“{username}”。")
        source = Path(path)
        try:
            content = source.read_bytes()
        except OSError as exc:
            raise CommandError(f"无法读取文件“{path}”：{exc.strerror or exc}") from exc
        try:
            job = create_import_job(actor=actor, name=source.name, content=content, store=False)
            job = run_import(
                actor=actor, origin=COMMAND, job=job, content=content, every=max(every, 1), on_progress=self._progress
            )
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        for error in job.errors:
            self.stdout.write(f"第 {error['row']} 行：{'；'.join(error['reasons'])}")
        if job.rejected:
            self.stdout.write(f"有 {job.rejected} 行未导入（原因见上），其余行已处理。导入任务编号：{job.pk}")
        self.stdout.write(f"created={job.created} duplicates={job.duplicates} rejected={job.rejected}")

    def _progress(self, job: ImportJob) -> None:
        percent = job.processed * 100 // job.total if job.total else 100
        self.stderr.write(f"已处理 {job.processed}/{job.total} 行（{percent}%）")
