"""The party's progress view: where the dispute is, what happens next, by when, who to contact.

Derived from the dispute's stage and its events for display only; the stage itself is only ever
changed by the lifecycle.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils import timezone

from suyuan.common.errors import DomainError
from suyuan.rules import periods

from .choices import ClockStatus
from .choices import DisputeStatus as S
from .models import Dispute

MEDIATION_PATH = ["登记", "调解", "达成协议", "司法确认", "履行", "办结"]
LITIGATION_PATH = ["登记", "起诉立案", "审理", "裁判", "履行", "办结"]

# stage → (path, index of the current step, what happens next)
STAGES: dict[str, tuple[list[str], int, str]] = {
    S.RECORDED: (MEDIATION_PATH, 0, "工作人员将与您联系，引导选择调解组织；您也可以直接向法院起诉。"),
    S.IN_MEDIATION: (MEDIATION_PATH, 1, "调解员将联系双方安排调解（可线上进行）。"),
    S.MEDIATION_FAILED: (
        MEDIATION_PATH, 1, "调解未成。您可以申请重新调解，或向法院起诉，法院将在{registration}内决定是否立案。"
    ),
    S.SETTLED: (
        MEDIATION_PATH, 2, "调解协议生效后{confirmation_application}内，双方可共同申请司法确认；也可直接按协议履行。"
    ),
    S.IN_CONFIRMATION: (MEDIATION_PATH, 3, "法院将在受理后{confirmation_ruling}内作出是否确认的裁定。"),
    S.PERFORMING: (MEDIATION_PATH, 4, "请按约定期限履行；对方未履行的，可一键申请强制执行。"),
    S.PERFORMED: (MEDIATION_PATH, 5, "纠纷已化解完毕。"),
    S.IN_LITIGATION: (LITIGATION_PATH, 2, "法院正在办理：立案、委托调解（经您同意）或审理。"),
    S.IN_ENFORCEMENT: (LITIGATION_PATH, 4, "已进入强制执行程序，执行法官将与您联系。"),
    S.CLOSED: (LITIGATION_PATH, 5, "案件已结束。"),
    S.WITHDRAWN: (MEDIATION_PATH, 5, "纠纷已撤回。"),
}


@dataclass(frozen=True)
class Step:
    label: str
    state: str  # done | current | todo


@dataclass(frozen=True)
class Progress:
    steps: list[Step]
    next_text: str
    next_due: object
    next_subject: str
    contact: str


COURT_STEPS = ["dispute.file_suit", "dispute.judge", "dispute.settle_in_court"]
UNITS = {"hours": "小时", "days": "日", "months": "个月", "years": "年"}


def _period_text(rule: str, on: date) -> str:
    """"七日" from the rules in force, so the text follows the law, not a literal."""
    try:
        found = periods.rule_in_force(rule, on=on)
    except DomainError:
        return "法定期限"
    return f"{found.length}{UNITS[found.unit]}"


def progress_of(dispute: Dispute, *, today: date | None = None) -> Progress:
    path, index, template = STAGES[dispute.status]
    today = today or timezone.localdate()
    names = {"registration", "confirmation_application", "confirmation_ruling"}
    next_text = template.format(**{name: _period_text(name, today) for name in names})
    went_to_court = dispute.events.filter(kind__in=COURT_STEPS).exists()
    if dispute.status == S.PERFORMING and went_to_court:
        path = LITIGATION_PATH
    steps = [Step(label, "done" if i < index else "current" if i == index else "todo") for i, label in enumerate(path)]
    clock = dispute.clocks.filter(status=ClockStatus.OPEN).order_by("due_on").first()
    if dispute.mediator_id and dispute.mediator:
        contact = f"调解员 {dispute.mediator.name}"
        if dispute.handling_organisation and dispute.handling_organisation.phone:
            contact += f"（{dispute.handling_organisation.name}，{dispute.handling_organisation.phone}）"
    elif dispute.handling_organisation:
        org = dispute.handling_organisation
        contact = org.name + (f"，{org.phone}" if org.phone else "")
    else:
        contact = f"{dispute.court.name}诉讼服务中心" + (f"，{dispute.court.phone}" if dispute.court.phone else "")
    return Progress(steps, next_text, clock.due_at or clock.due_on if clock else None,
                    clock.subject if clock else "", contact)
