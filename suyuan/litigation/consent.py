"""The parties' consent to court-referred mediation, read from the consent ledger (suyuan/mediation).

Since 2025-01-01 a court may refer a registered case to mediation only with the parties' consent
(《最高人民法院关于严格依法规范民事案件立案与调解工作的意见》). The ledger is owned by the mediation
app; this module is the one place litigation reads it. It prefers the ledger's selector
(``parties_without_consent(dispute=, kind=)``) and falls back to the ledger model: a party's
current will is their latest entry.
"""

from __future__ import annotations

from django.apps import apps

from suyuan.disputes.models import Dispute

LEDGER_UNAVAILABLE = "当事人同意调解的记录暂不可用（调解模块未启用），不能委托调解。"


def parties_without_consent(dispute: Dispute) -> list[str] | None:
    """Names of the dispute's parties whose latest word on mediation is not "yes".

    ``None`` when the ledger is not installed, which callers treat as "no consent".
    """
    if not apps.is_installed("suyuan.mediation"):
        return None
    from suyuan.mediation import selectors as ledger  # type: ignore[attr-defined]

    reader = getattr(ledger, "parties_without_consent", None)
    if reader is not None:
        return [str(name) for name in reader(dispute=dispute, kind="mediation")]
    from suyuan.mediation.models import ConsentRecord

    missing = []
    for role in dispute.dispute_parties.select_related("party").order_by("role", "position"):
        latest = (
            ConsentRecord.objects.filter(dispute=dispute, party=role.party, kind="mediation")
            .order_by("-at", "-pk").first()
        )
        if latest is None or not latest.given:
            missing.append(role.party.name)
    return missing


def consent_problem(dispute: Dispute) -> str | None:
    """The Chinese reason court-referred mediation may not start, or None when every party consents."""
    missing = parties_without_consent(dispute)
    if missing is None:
        return LEDGER_UNAVAILABLE
    if missing:
        return f"以下当事人未同意（或已撤回同意）调解：{'、'.join(missing)}。立案后委托调解须经当事人同意。"
    return None
