"""``manage.py verify_document ID``: recompute the digest and check every signature on a document."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from suyuan.documents.models import Document
from suyuan.documents.selectors import verify_document


class Command(BaseCommand):
    help = "核验文书：重新计算 SHA-256 摘要并逐一核对签名记录；未被改动时输出 ok。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("document_id", type=int, help="文书编号（ID）")

    def handle(self, *args: Any, **options: Any) -> None:
        document = Document.objects.filter(pk=options["document_id"]).first()
        if document is None:
            raise CommandError(f"文书 #{options['document_id']} 不存在。")
        report = verify_document(document)
        if not report.ok:
            raise CommandError("核验未通过：\n" + "\n".join(report.problems))
        signed = document.signatures.count()
        self.stdout.write(f"文书 #{document.pk}《{document.title}》第{document.version}版 摘要 {report.digest_now}，"
                          f"签名 {signed} 个，均与文件一致。")
        self.stdout.write("ok")
