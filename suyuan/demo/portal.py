"""Demo data of the party's portal: a known public query code on party_demo's dispute, so the public
process page (/portal/public/) can be tried without signing in. Demo only: a real code is random
(portal.services.issue_access_code) and shown once."""

from __future__ import annotations

from django.contrib.auth.hashers import make_password
from django.utils import timezone

DEMO_CODE = "202612"
PUBLIC_PATH = "/portal/public/"


def _dispute_and_user():  # type: ignore[no-untyped-def]
    from suyuan.accounts.models import User
    from suyuan.mediation.models import Agreement

    user = User.objects.filter(username="party_demo").first()
    agreement = Agreement.objects.filter(status="awaiting_signatures",
                                         dispute__dispute_parties__party__user=user).select_related("dispute").first()
    return (agreement.dispute if agreement else None), user


def seed() -> None:
    from suyuan.portal.models import AccessCode

    dispute, user = _dispute_and_user()
    if dispute is None or user is None or user.party_id is None:
        return
    AccessCode.objects.update_or_create(dispute=dispute, party_id=user.party_id, defaults={
        "code_hash": make_password(DEMO_CODE), "issued_at": timezone.now(), "issued_by": user})


def lines() -> list[str]:
    """The printed hint for serve_demo (empty before seeding)."""
    dispute, _user = _dispute_and_user()
    if dispute is None:
        return []
    return ["", f"案件进度公开查询（无需登录）：{PUBLIC_PATH}  纠纷编号 {dispute.number}  查询码 {DEMO_CODE}"]
