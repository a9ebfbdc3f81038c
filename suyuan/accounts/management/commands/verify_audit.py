from django.core.management.base import BaseCommand, CommandError

from suyuan.accounts.selectors import verify_audit_chain


class Command(BaseCommand):
    help = "校验审计日志哈希链：发现篡改、删除或重排时以非零状态退出。"

    def handle(self, *args: object, **options: object) -> None:
        report = verify_audit_chain()
        if not report.ok:
            raise CommandError(f"审计日志校验失败：{report.problem}（已校验 {report.checked} 条）")
        self.stdout.write(f"审计日志完整：共 {report.checked} 条记录，哈希链无断裂。")
        self.stdout.write(f"ok=true entries={report.checked}")
