"""Reference data the product needs at run time: Shizuishan's regions and its courts.

Regions come from the committed NBS fixture (``fixtures/shizuishan_regions.json``, see
``build_region_fixture``). Courts and their case-number codes (法院代字) follow the SPC's
《人民法院案件类型及其代字标准》 / 《关于人民法院案件案号的若干规定》(法〔2015〕137号): 宁02 for the
intermediate court, 宁 + county division code suffix for basic courts.
"""

from __future__ import annotations

from django.core.management import call_command
from django.db import transaction

from .choices import OrganisationKind, RegionLevel
from .models import Organisation, Region

CITY = "640200000000"
COURTS = [
    # (name, short name, court code, region code)
    ("宁夏回族自治区石嘴山市中级人民法院", "石嘴山中院", "宁02", CITY),
    ("石嘴山市大武口区人民法院", "大武口法院", "宁0202", "640202000000"),
    ("石嘴山市惠农区人民法院", "惠农法院", "宁0205", "640205000000"),
    ("平罗县人民法院", "平罗法院", "宁0221", "640221000000"),
]
# County-level and city-level 综治中心 (social governance centres), one per government level.
CENTRES = [
    ("石嘴山市社会治理综合服务中心", "市综治中心", CITY),
    ("大武口区社会治理综合服务中心", "大武口区综治中心", "640202000000"),
    ("惠农区社会治理综合服务中心", "惠农区综治中心", "640205000000"),
    ("平罗县社会治理综合服务中心", "平罗县综治中心", "640221000000"),
]


@transaction.atomic
def load_reference_data() -> None:
    """Load regions and create the courts and centres if missing (idempotent)."""
    if not Region.objects.filter(code=CITY).exists():
        call_command("loaddata", "shizuishan_regions", verbosity=0)
    intermediate = None
    for name, short, code, region_code in COURTS:
        kind = OrganisationKind.INTERMEDIATE_COURT if code == "宁02" else OrganisationKind.BASIC_COURT
        court, _ = Organisation.objects.get_or_create(
            court_code=code,
            defaults={
                "name": name,
                "short_name": short,
                "kind": kind,
                "region": Region.objects.get(code=region_code),
                "parent": intermediate,
            },
        )
        if kind == OrganisationKind.INTERMEDIATE_COURT:
            intermediate = court
    city_centre = None
    for name, short, region_code in CENTRES:
        centre, _ = Organisation.objects.get_or_create(
            name=name,
            defaults={
                "short_name": short,
                "kind": OrganisationKind.GOVERNANCE_CENTRE,
                "region": Region.objects.get(code=region_code),
                "parent": city_centre,
            },
        )
        if region_code == CITY:
            city_centre = centre


def counties() -> list[Region]:
    return list(Region.objects.filter(level=RegionLevel.COUNTY).order_by("code"))
