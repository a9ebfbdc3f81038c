"""The deterministic demo data set: one call builds a believable Shizuishan.

``seed_demo(seed=...)`` runs in one transaction (all or nothing) and finishes by writing a marker
counter, so a second call sees the marker and returns at once.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from django.db import transaction

from suyuan.accounts.choices import AuditAction
from suyuan.accounts.context import COMMAND
from suyuan.accounts.services import record_audit
from suyuan.common.models import Counter
from suyuan.governance import facts as governance_facts
from suyuan.governance import services as governance
from suyuan.network.reference import load_reference_data

from . import appeals as appeals_demo
from . import credit, live, stages
from . import objections as objections_demo
from . import portal as portal_demo
from . import preservation as preservation_demo
from . import queue as queue_demo
from . import voice as voice_demo
from .disputes import BUILDER, generate
from .network import DEMO_PASSWORD, DEMO_TOTP_SECRET, NAMED_ACCOUNTS, Network, build_network

DEFAULT_SEED = 20261125
DEFAULT_DISPUTES = 3000
MARKER = "demo:seed"


@dataclass(frozen=True)
class SeedResult:
    created: bool
    seed: int
    disputes: int = 0


def is_seeded() -> bool:
    return Counter.objects.filter(name=MARKER).exists()


def seed_demo(*, seed: int = DEFAULT_SEED, disputes: int = DEFAULT_DISPUTES) -> SeedResult:
    if is_seeded():
        marker = Counter.objects.get(name=MARKER)
        return SeedResult(created=False, seed=marker.value)
    rng = random.Random(seed)  # noqa: S311 - reproducible demo data, nothing secret
    with transaction.atomic():
        load_reference_data()
        net = build_network(rng)
        written = generate(rng, net, disputes)
        # A separate stream for the later stages, so that adding them left the disputes themselves unchanged.
        stage_rng = random.Random(f"{seed}:stages")  # noqa: S311
        reserved = live.reserve(net)
        stages.progress(stage_rng, net, reserved=live.live_ids(reserved), performing=reserved.get(live.PERFORMANCE))
        # The history above is bulk-inserted past the timeline's event sink: count it once.
        governance_facts.rebuild()
        _suggestions(net)
        live.drive(net, reserved)
        credit.seed(random.Random(f"{seed}:credit"), net)  # noqa: S311
        preservation_demo.seed(random.Random(f"{seed}:preservation"), net, exclude=live.live_ids(reserved))  # noqa: S311
        voice_demo.seed(random.Random(f"{seed}:voice"), net)  # noqa: S311
        objections_demo.seed(random.Random(f"{seed}:objections"), exclude=live.live_ids(reserved))  # noqa: S311
        appeals_demo.seed(net, exclude=live.live_ids(reserved))
        queue_demo.seed(net)
        portal_demo.seed()
        Counter.objects.create(name=MARKER, value=seed)
        record_audit(
            actor=None, action=AuditAction.CREATE, origin=COMMAND, target_type="demo",
            detail={"seed": seed, "disputes": written},
        )
    return SeedResult(created=True, seed=seed, disputes=written)


def _suggestions(net: Network) -> None:
    """Two judicial suggestions on the demo's hotspots, one already sent to its addressee."""
    from datetime import timedelta

    from django.utils import timezone

    users = net.users
    today = timezone.localdate()
    wages = governance.create_suggestion(
        actor=users["leader_court"], origin=COMMAND, title="关于治理建设工程领域拖欠农民工工资问题的司法建议",
        content=f"2025年1月，{BUILDER}承建项目的数十名务工人员集中主张欠薪。建议加强工程款支付担保和"
        "农民工工资专用账户监管，在春节前开展欠薪排查。",
        addressee="平罗县人力资源和社会保障局", owner_id=users["clerk_pl"].pk, deadline=today + timedelta(days=45),
        region_code="640221000000", category="labour",
    )
    governance.advance_suggestion(actor=users["leader_court"], origin=COMMAND, suggestion_id=wages.pk,
                                  action="issue")
    governance.create_suggestion(
        actor=users["leader_court"], origin=COMMAND, title="关于规范物业服务收费的司法建议",
        content="物业服务合同纠纷在大武口区各街道持续高发，建议主管部门督促物业服务企业公示收费项目和标准，"
        "并引导业主委员会与物业服务企业建立协商机制。",
        addressee="大武口区住房和城乡建设局", owner_id=users["clerk_dwk"].pk, deadline=today + timedelta(days=60),
        region_code="640202000000", category="property_mgmt",
    )


def accounts_table() -> list[tuple[str, str, str]]:
    """(username, role, what to try) for the printed table and the demo home page."""
    from suyuan.accounts.choices import Role

    return [(u, str(Role(r).label), note) for u, r, _org, _name, note in NAMED_ACCOUNTS]


def format_accounts() -> str:
    rows = accounts_table()
    width = max(len(u) for u, _, _ in rows)
    lines = [f"演示账户（统一密码：{DEMO_PASSWORD}）", ""]
    lines += [f"  {u.ljust(width)}  {note}" for u, _role, note in rows]
    lines += ["", "法官、系统管理员、安全管理员、安全审计员登录时还需输入动态口令：演示环境的验证页面会显示当前口令；",
              f"也可在手机验证器应用中手动添加密钥 {DEMO_TOTP_SECRET}（演示专用）。"]
    waiting = live.live_numbers()
    if waiting:
        lines += ["", "进行中的演示纠纷（登录后在“纠纷”中按编号查找；案号在“诉讼”中）", ""]
        lines += [f"  {u.ljust(width)}  {number}  {what}" for u, number, what in waiting]
    lines += portal_demo.lines()
    return "\n".join(lines)
