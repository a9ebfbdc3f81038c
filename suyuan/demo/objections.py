"""Demo jurisdiction objections, and one dishonest-debtor listing.

Up to two registered, undecided cases whose defendant received the complaint copy three days ago:
in one the objection was upheld with a transfer to another court of the city and the ruling's
appeal period is running (the sweep moves the case when it lapses); in the other the defendant
objected and the judge has not ruled yet. One open enforcement case's debtor is listed as dishonest, which issues the
mandatory 限制消费令 with it. Through the services, so clocks, documents and events are the real ones.
"""

from __future__ import annotations

import random
from datetime import timedelta

from django.utils import timezone

from suyuan.accounts.choices import Role
from suyuan.accounts.context import COMMAND
from suyuan.accounts.models import User
from suyuan.disputes.choices import PartyRole
from suyuan.enforcement.choices import EnforcementStatus
from suyuan.enforcement.models import EnforcementCase
from suyuan.litigation import objections
from suyuan.litigation.choices import CaseType
from suyuan.litigation.models import Case
from suyuan.network.models import Organisation

GROUNDS = [
    "被告住所地在{court}辖区，合同亦在该地签订和履行，本院对本案没有管辖权",
    "双方合同约定争议由合同签订地法院管辖，本院无管辖权",
]


def seed(rng: random.Random, *, exclude: set[int]) -> int:
    """Returns how many objections were filed."""
    courts = list(Organisation.objects.exclude(court_code="").order_by("court_code"))
    staff = _court_staff()
    cases = list(Case.objects.filter(status__in=objections.OPEN_FOR_OBJECTION, case_type=CaseType.CIVIL_FIRST)
                 .exclude(dispute_id__in=exclude).select_related("court").order_by("pk")[:30])
    rng.shuffle(cases)
    received_on = timezone.localdate() - timedelta(days=3)
    filed = 0
    for case in cases:
        clerk, judge = staff.get((Role.CLERK, case.court_id)), staff.get((Role.JUDGE, case.court_id))
        defendant = case.dispute.dispute_parties.filter(role=PartyRole.RESPONDENT).first()
        # Another court of the same level (a basic court's peer under the same intermediate court).
        receiving = next((c for c in courts if c.pk != case.court_id and c.parent_id == case.court.parent_id), None)
        if clerk is None or judge is None or defendant is None or receiving is None:
            continue
        objections.record_complaint_service(actor=clerk, origin=COMMAND, case_id=case.pk,
                                            party_id=defendant.party_id, received_on=received_on)
        objection = objections.file_jurisdiction_objection(
            actor=clerk, origin=COMMAND, case_id=case.pk, party_id=defendant.party_id,
            grounds=GROUNDS[filed % len(GROUNDS)].format(court=receiving.name))
        if filed == 0:  # the first is upheld and waits out its appeal period; the next waits for the judge
            objections.rule_on_objection(actor=judge, origin=COMMAND, objection_id=objection.pk, upheld=True,
                                         reasons=f"经审查，被告住所地及合同履行地均在{receiving.name}辖区，本院对本案无管辖权",
                                         transfer_to_id=receiving.pk)
        filed += 1
        if filed == 2:
            break
    _list_one_debtor()
    return filed


def _court_staff() -> dict[tuple[str, int], User]:
    """The first clerk, judge and officer of each court (by username): who acts for that court here."""
    staff: dict[tuple[str, int], User] = {}
    for user in User.objects.filter(role__in=(Role.CLERK, Role.JUDGE, Role.ENFORCEMENT), is_active=True,
                                    organisation__isnull=False).select_related("organisation").order_by("username"):
        court = user.organisation.court() if user.organisation else None
        if court is not None:
            staff.setdefault((user.role, court.pk), user)
    return staff


def _list_one_debtor() -> None:
    from suyuan.enforcement import credit_listing

    officers = {court: u for (role, court), u in _court_staff().items() if role == Role.ENFORCEMENT}
    case = (EnforcementCase.objects.filter(status=EnforcementStatus.OPEN, court_id__in=officers)
            .exclude(credit_measures__isnull=False).exclude(credit_graces__isnull=False).order_by("-pk").first())
    if case is not None:
        credit_listing.list_dishonest(actor=officers[case.court_id], origin=COMMAND, case_id=case.pk,
                                      grounds=["property_report"], reasons="被执行人收到报告财产令后拒不报告财产情况")
