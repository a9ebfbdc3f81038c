"""The queue's bulk registration (立案): each filed suit through ``register_case``, as on the case page."""

from __future__ import annotations

from suyuan.accounts.context import Origin
from suyuan.accounts.models import User
from suyuan.common.errors import InvalidInput
from suyuan.disputes.models import Dispute
from suyuan.triage.choices import TriageTask
from suyuan.triage.models import TriageDecision, TriageProposal

from .choices import CaseStatus, Procedure
from .models import Case
from .services import TrackChoice, register_case

# Register each suit under the procedure the clerk confirmed in triage (or, unconfirmed, the proposal's).
BY_TRIAGE = "triage"


def _procedure(dispute: Dispute, option: str) -> str:
    if option != BY_TRIAGE:
        return option
    decided = (TriageDecision.objects.filter(dispute=dispute, task=TriageTask.TRACK)
               .order_by("-pk").values_list("decided", flat=True).first())
    if decided:
        return decided
    proposed = TriageProposal.objects.filter(dispute=dispute).values_list("track", flat=True).first()
    if proposed:
        return proposed
    raise InvalidInput("该纠纷尚无分流建议，请另选审理程序")


def bulk_register(*, actor: User, origin: Origin, dispute: Dispute, option: str) -> str:
    case = Case.objects.filter(dispute=dispute, status=CaseStatus.FILED).order_by("-pk").first()
    if case is None:
        raise InvalidInput("该纠纷没有待立案审查的起诉")
    procedure = _procedure(dispute, option)
    registered = register_case(actor=actor, origin=origin, case_id=case.pk, track=TrackChoice(procedure=procedure),
                               expected_version=case.version)
    return f"案号 {registered.number}（{Procedure(procedure).label}）"


def procedure_options(actor: User) -> list[tuple[str, str]]:
    return [(BY_TRIAGE, "按分流确认的程序（未确认的按系统建议）"),
            *((str(v), str(label)) for v, label in Procedure.choices)]
