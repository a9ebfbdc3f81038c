"""The party's progress view: where the dispute is, what happens next, by when, who to contact.

Derived from the dispute's stage and its events for display only; the stage itself is only ever
changed by the lifecycle.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.utils import timezone

from suyuan.common.errors import DomainError
from suyuan.rules import periods

from .choices import ClockStatus
from .choices import DisputeStatus as S
from .models import Clock, Dispute, DisputeEvent

MEDIATION_PATH = ["登记", "调解", "达成协议", "司法确认", "履行", "强制执行", "办结"]
LITIGATION_PATH = ["登记", "起诉立案", "审理", "裁判", "履行", "强制执行", "办结"]
# Steps a dispute may pass by without them being missed: shown as "无需" once the dispute is past them.
OPTIONAL_STEPS = {"司法确认": "dispute.apply_confirmation", "强制执行": "dispute.apply_enforcement"}

# The stage in plain words, addressed to the party (the portal's card heading).
PLAIN_STAGE: dict[str, str] = {
    S.RECORDED: "已收到您的纠纷，正在安排调解",
    S.IN_MEDIATION: "调解员正在帮助双方协商",
    S.MEDIATION_FAILED: "调解没有成功，您可以选择下一步",
    S.SETTLED: "双方已达成调解协议",
    S.IN_CONFIRMATION: "法院正在审查调解协议（司法确认）",
    S.PERFORMING: "正在按协议或判决履行",
    S.PERFORMED: "已履行完毕，纠纷化解",
    S.IN_LITIGATION: "案件在法院办理中",
    S.IN_ENFORCEMENT: "法院正在强制执行",
    S.CLOSED: "案件已结束",
    S.WITHDRAWN: "纠纷已撤回",
}

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
    S.PERFORMED: (MEDIATION_PATH, 6, "纠纷已化解完毕。"),
    S.IN_LITIGATION: (LITIGATION_PATH, 2, "法院正在办理：立案、委托调解（经您同意）或审理。"),
    S.IN_ENFORCEMENT: (LITIGATION_PATH, 5, "已进入强制执行程序，执行法官将与您联系。"),
    S.CLOSED: (LITIGATION_PATH, 6, "案件已结束。"),
    S.WITHDRAWN: (MEDIATION_PATH, 6, "纠纷已撤回。"),
}


@dataclass(frozen=True)
class Step:
    label: str
    state: str  # done | current | todo | skipped (an optional step the dispute passed by)
    on: date | None = None  # when the dispute reached this step (done or current), from its timeline


@dataclass(frozen=True)
class Progress:
    steps: list[Step]
    next_text: str
    next_due: object
    next_subject: str
    contact: str
    stage: str = ""  # PLAIN_STAGE: the stage in plain words


COURT_STEPS = ["dispute.file_suit", "dispute.judge", "dispute.settle_in_court"]
# The dispute-lifecycle event that marks the start of each step (for the step's date).
STEP_EVENTS = {
    "登记": ("recorded",), "调解": ("dispute.refer_to_mediation", "dispute.refer_again"),
    "达成协议": ("dispute.settle",), "司法确认": ("dispute.apply_confirmation",),
    "履行": ("dispute.confirm", "dispute.perform_voluntarily", "dispute.judge", "dispute.settle_in_court"),
    "强制执行": ("dispute.apply_enforcement",), "起诉立案": ("dispute.file_suit",),
    "审理": ("dispute.file_suit",), "裁判": ("dispute.judge", "dispute.settle_in_court"),
    "办结": ("dispute.confirm_performance", "dispute.conclude_enforcement", "dispute.close_case", "dispute.withdraw"),
}
UNITS = {"hours": "小时", "days": "日", "months": "个月", "years": "年"}


def _period_text(rule: str, on: date) -> str:
    """"七日" from the rules in force, so the text follows the law, not a literal."""
    try:
        found = periods.rule_in_force(rule, on=on)
    except DomainError:
        return "法定期限"
    return f"{found.length}{UNITS[found.unit]}"


def progress_of(dispute: Dispute, *, today: date | None = None, events: Iterable[DisputeEvent] | None = None,
                clocks: Iterable[Clock] | None = None) -> Progress:
    """``events`` and ``clocks``: the dispute's timeline and clocks when the caller has them already
    (the dispute page, the portal's prefetched cards), so they are not read twice; any order, and
    clocks of any status (only the open ones count)."""
    path, index, template = STAGES[dispute.status]
    today = today or timezone.localdate()
    names = {"registration", "confirmation_application", "confirmation_ruling"}
    next_text = template.format(**{name: _period_text(name, today) for name in names})
    first_at: dict[str, date] = {}
    if events is None:
        timeline = list(dispute.events.order_by("seq").values_list("kind", "at"))
    else:
        timeline = [(e.kind, e.at) for e in sorted(events, key=lambda e: e.seq)]
    for kind, at in timeline:
        first_at.setdefault(kind, timezone.localdate(at))
    went_to_court = any(kind in first_at for kind in COURT_STEPS)
    if dispute.status in {S.PERFORMING, S.IN_ENFORCEMENT, S.CLOSED, S.PERFORMED} and path is not LITIGATION_PATH:
        path = LITIGATION_PATH if went_to_court else MEDIATION_PATH
    elif dispute.status in {S.IN_ENFORCEMENT, S.CLOSED} and not went_to_court:
        path = MEDIATION_PATH
    steps = []
    for i, label in enumerate(path):
        state = "done" if i < index else "current" if i == index else "todo"
        optional = OPTIONAL_STEPS.get(label)
        if state == "done" and optional and optional not in first_at:
            state = "skipped"
        dates = [first_at[k] for k in STEP_EVENTS.get(label, ()) if k in first_at]
        on = min(dates) if dates and state in {"done", "current"} else None
        steps.append(Step(label, state, on))
    if clocks is None:
        clock = dispute.clocks.filter(status=ClockStatus.OPEN).order_by("due_on", "pk").first()
    else:
        clock = min((c for c in clocks if c.status == ClockStatus.OPEN), key=lambda c: (c.due_on, c.pk), default=None)
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
                    clock.subject if clock else "", contact, PLAIN_STAGE[dispute.status])
