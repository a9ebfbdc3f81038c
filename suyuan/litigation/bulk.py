"""The queue's bulk registration (立案): each filed suit through ``register_case``, as on the case page."""

from __future__ import annotations

from suyuan.accounts.context import Origin
from suyuan.accounts.models import User
from suyuan.common.errors import InvalidInput
from suyuan.disputes.models import Dispute

from .choices import CaseStatus, Procedure
from .models import Case
from .services import TrackChoice, register_case


def bulk_register(*, actor: User, origin: Origin, dispute: Dispute, option: str) -> str:
    case = Case.objects.filter(dispute=dispute, status=CaseStatus.FILED).order_by("-pk").first()
    if case is None:
        raise InvalidInput("该纠纷没有待立案审查的起诉")
    registered = register_case(actor=actor, origin=origin, case_id=case.pk, track=TrackChoice(procedure=option),
                               expected_version=case.version)
    return f"案号 {registered.number}"


def procedure_options(actor: User) -> list[tuple[str, str]]:
    return [(str(v), str(label)) for v, label in Procedure.choices]
