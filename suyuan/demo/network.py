"""The demo's dispute-resolution network: communities, grids, organisations, mediators, accounts.

Built on the reference data (NBS regions, the four courts, the county and city centres). All
writes are bulk inserts so the whole demo seeds in seconds; everything random comes from the
``random.Random`` passed in, and every query that feeds a choice is ordered.
"""

from __future__ import annotations

import base64
import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Permission
from django_otp.plugins.otp_totp.models import TOTPDevice
from stdnum.cn import ric, uscc
from stdnum.exceptions import InvalidComponent

from suyuan.accounts.choices import Role
from suyuan.accounts.models import User
from suyuan.common.choices import DisputeCategory as Cat
from suyuan.network.choices import MediatorKind, MediatorStatus, RegionLevel
from suyuan.network.choices import OrganisationKind as Kind
from suyuan.network.models import GridWorker, Mediator, Organisation, Region
from suyuan.network.reference import CITY
from suyuan.parties.choices import PartyKind
from suyuan.parties.models import Party

from . import names

DEMO_PASSWORD = "Suyuan-demo-2026"  # noqa: S105 - the published password of the demo accounts only
REFERENCE_DATE = date(2026, 11, 25)  # "today" for the generated history; never the real clock
# The published TOTP secret of the demo's second-factor accounts (hex, as django-otp stores it;
# base32 for an authenticator app: DEMO_TOTP_SECRET). Demo only, like DEMO_PASSWORD.
DEMO_TOTP_KEY = "53757975616e2d64656d6f2d746f74702d323032"  # "Suyuan-demo-totp-202"
DEMO_TOTP_SECRET = base64.b32encode(bytes.fromhex(DEMO_TOTP_KEY)).decode()
UNUSABLE_PASSWORD = "!demo-generated-account"  # noqa: S105 - "!" marks it unusable; generated accounts cannot sign in
# Resident ID area codes by county. python-stdnum accepts a code only for births within the years
# the code existed (GB/T 2260 history): the city's districts got their own codes in 1983 (older
# residents carry the city code 640200), and 惠农区 (2003) merged 石嘴山区 640203 and 石炭井区
# 640204, whose codes its residents born earlier still carry; 陶乐县 640222 joined 平罗 in 2003.
ID_AREAS = {
    "640202000000": ["640202", "640202", "640200"],
    "640205000000": ["640203", "640204", "640200"],
    "640221000000": ["640221", "640221", "640222"],
}
USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
DAWUKOU, HUINONG, PINGLUO = "640202000000", "640205000000", "640221000000"
CHANGSHENG = "640202001000"  # 长胜街道: home of the named demo grid worker, mediator and org admin

# People's tribunals and litigation service stations. The names are illustrative (modelled on
# how Ningxia courts name their tribunals after the township they sit in), not an official list.
TRIBUNALS = {
    DAWUKOU: [("长城人民法庭", "640202004000"), ("星海人民法庭", "640202100000")],
    HUINONG: [("红果子人民法庭", "640205100000"), ("尾闸人民法庭", "640205101000")],
    PINGLUO: [("黄渠桥人民法庭", "640221101000"), ("崇岗人民法庭", "640221105000"), ("陶乐人民法庭", "640221106000")],
}
SERVICE_STATIONS = {
    DAWUKOU: [("石炭井诉讼服务站", "640202006000")],
    HUINONG: [("园艺诉讼服务站", "640205102000")],
    PINGLUO: [("姚伏诉讼服务站", "640221104000"), ("高庄诉讼服务站", "640221200000")],
}
# Industry and professional mediation (行业性专业性调解), city-wide, with what they take.
INDUSTRY_MEDIATION = [
    ("石嘴山市物业纠纷人民调解委员会", "物业调委会", [Cat.PROPERTY_MGMT], MediatorKind.INDUSTRY),
    ("石嘴山市道路交通事故纠纷人民调解委员会", "交通事故调委会", [Cat.TRAFFIC], MediatorKind.INDUSTRY),
    ("石嘴山市劳动争议人民调解委员会", "劳动争议调委会", [Cat.LABOUR], MediatorKind.INDUSTRY),
    ("石嘴山市医疗纠纷人民调解委员会", "医调委", [Cat.MEDICAL], MediatorKind.PROFESSIONAL),
    ("石嘴山市金融消费纠纷调解中心", "金融消费调解中心", [Cat.FINANCE, Cat.CONSUMER], MediatorKind.PROFESSIONAL),
    ("石嘴山市婚姻家庭纠纷人民调解委员会", "婚调委", [Cat.FAMILY], MediatorKind.INDUSTRY),
]
INDUSTRY_BODIES = [
    ("石嘴山市律师协会", "市律协"),
    ("石嘴山市消费者协会", "市消协"),
    ("石嘴山市房地产业协会", "市房协"),
    ("石嘴山市银行业协会", "市银行业协会"),
]
BANK_NAME = "石嘴山示范商业银行股份有限公司"  # fictional bank: the batch filer of the demo


@dataclass
class DemoAccount:
    username: str
    role: str
    organisation: str  # the organisation's name, or "" (filled in when created)
    note: str


@dataclass
class Network:
    """What the dispute generator needs to know about the network it just built."""

    counties: list[Region]
    townships_by_county: dict[str, list[Region]]
    grids_by_township: dict[str, list[Region]]
    courts: dict[str, Organisation]  # county code → basic court
    intermediate: Organisation
    county_centres: dict[str, Organisation]
    committees: dict[str, Organisation]  # township code → people's mediation committee
    industry: dict[str, Organisation]  # dispute category → industry mediation body
    lawyer_mediation: Organisation
    users: dict[str, User]  # named demo accounts
    grid_worker_of: dict[str, User]  # grid code → the grid worker serving it
    admin_of: dict[int, User]  # mediation organisation pk → its administrator
    demo_mediator: Mediator
    identities: Identities
    accounts: list[DemoAccount] = field(default_factory=list)


class Identities:
    """Valid, unique ID numbers and credit codes (checksums by python-stdnum)."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.used: set[str] = set()

    def id_number(self, county_code: str, *, born_from: int = 1960, born_to: int = 2000) -> str:
        birth = date(self.rng.randint(born_from, born_to), 1, 1) + timedelta(days=self.rng.randrange(365))
        while True:
            area = self.rng.choice(ID_AREAS.get(county_code, ["640221"]))
            body = f"{area}{birth:%Y%m%d}{self.rng.randrange(1000):03d}"
            number = body + ric.calc_check_digit(body + "0")
            if number in self.used:
                continue
            try:
                ric.validate(number)
            except InvalidComponent:  # that area code did not exist in the birth year
                continue
            self.used.add(number)
            return number

    def credit_code(self, county_code: str, *, prefix: str = "91") -> str:
        while True:
            body = f"{prefix}{county_code[:6]}MA" + "".join(self.rng.choice(USCC_CHARS) for _ in range(7))
            code = body + uscc.calc_check_digit(body)
            if code not in self.used:
                self.used.add(code)
                return str(uscc.validate(code))


def _create_communities_and_grids(rng: random.Random, townships: list[Region]) -> dict[str, list[Region]]:
    """Generated communities (社区/村, codes township[:9] + 3 digits) and grids under each township.

    NBS numbers 居委会 from 001 and 村委会 from 200; the generated codes follow that convention.
    Grid codes are the community code + "G" + two digits, 15 characters everywhere.
    """
    communities: list[Region] = []
    for township in townships:
        urban = township.name.endswith("街道")
        if urban:
            words = rng.sample(names.COMMUNITY_WORDS, rng.randint(4, 7))
            rows = [(f"{w}社区", f"{i:03d}") for i, w in enumerate(words, start=1)]
        else:
            seat = [(f"{rng.choice(names.COMMUNITY_WORDS)}社区", "001")]
            words = rng.sample(names.VILLAGE_WORDS, rng.randint(5, 9))
            rows = seat + [(f"{w}村", f"{200 + i:03d}") for i, w in enumerate(words, start=1)]
        for name, suffix in rows:
            code = township.code[:9] + suffix
            communities.append(
                Region(code=code, name=name, level=RegionLevel.COMMUNITY, parent=township,
                       path=f"{township.path}/{code}", generated=True)
            )
    Region.objects.bulk_create(communities)
    communities = list(Region.objects.filter(level=RegionLevel.COMMUNITY, generated=True).select_related("parent"))
    grids: list[Region] = []
    for community in sorted(communities, key=lambda r: r.code):
        count = rng.randint(3, 5) if community.name.endswith("社区") else rng.randint(1, 3)
        for n in range(1, count + 1):
            code = f"{community.code}G{n:02d}"
            grids.append(
                Region(code=code, name=f"{community.name}第{n}网格", level=RegionLevel.GRID, parent=community,
                       path=f"{community.path}/{code}", generated=True)
            )
    Region.objects.bulk_create(grids)
    by_township: dict[str, list[Region]] = {t.code: [] for t in townships}
    for grid in Region.objects.filter(level=RegionLevel.GRID).order_by("code"):
        by_township[grid.code[:9] + "000"].append(grid)
    return by_township


def _org(name: str, short: str, kind: Kind, region: Region, parent: Organisation | None = None,
         categories: list[str] | None = None) -> Organisation:
    return Organisation.objects.create(
        name=name, short_name=short, kind=kind, region=region, parent=parent, categories=categories or []
    )


@dataclass
class _Orgs:
    courts: dict[str, Organisation]
    intermediate: Organisation
    county_centres: dict[str, Organisation]
    city_centre: Organisation
    committees: dict[str, Organisation]
    industry: dict[str, Organisation]
    industry_list: list[tuple[Organisation, MediatorKind]]
    lawyer_mediation: Organisation
    admin_mediation: Organisation


def _create_organisations(counties: list[Region], townships_by_county: dict[str, list[Region]]) -> _Orgs:
    city = Region.objects.get(code=CITY)
    courts = {o.region.code: o for o in Organisation.objects.filter(kind=Kind.BASIC_COURT).select_related("region")}
    intermediate = Organisation.objects.get(kind=Kind.INTERMEDIATE_COURT)
    centres = {
        o.region.code: o for o in Organisation.objects.filter(kind=Kind.GOVERNANCE_CENTRE).select_related("region")
    }
    regions = {r.code: r for r in Region.objects.filter(level=RegionLevel.TOWNSHIP)}
    for county in counties:
        court = courts[county.code]
        prefix = court.name.removeprefix("石嘴山市").removesuffix("人民法院")
        for name, site in TRIBUNALS[county.code]:
            _org(f"{court.name}{name}", name.replace("人民法庭", "法庭"), Kind.TRIBUNAL, regions[site], court)
        for name, site in SERVICE_STATIONS[county.code]:
            _org(f"{court.name}{name}", f"{prefix}{name}", Kind.SERVICE_STATION, regions[site], court)
    city_justice = _org("石嘴山市司法局", "市司法局", Kind.JUSTICE_BUREAU, city)
    committees: dict[str, Organisation] = {}
    for county in counties:
        justice = _org(f"{county.name}司法局", f"{county.name}司法局", Kind.JUSTICE_BUREAU, county, city_justice)
        _org(f"{county.name}信访局", f"{county.name}信访局", Kind.PETITION_OFFICE, county)
        for township in townships_by_county[county.code]:
            _org(f"{county.name}{township.name}综治中心", f"{township.name}综治中心", Kind.GOVERNANCE_CENTRE,
                 township, centres[county.code])
            committees[township.code] = _org(
                f"{county.name}{township.name}人民调解委员会", f"{township.name}调委会", Kind.PEOPLES_MEDIATION,
                township, justice, [Cat.NEIGHBOUR, Cat.FAMILY, Cat.DEBT, Cat.PROPERTY_MGMT, Cat.LAND],
            )
    _org("石嘴山市信访局", "市信访局", Kind.PETITION_OFFICE, city)
    bodies = {name: _org(name, short, Kind.INDUSTRY_BODY, city) for name, short in INDUSTRY_BODIES}
    industry: dict[str, Organisation] = {}
    industry_list = []
    for name, short, categories, kind in INDUSTRY_MEDIATION:
        org = _org(name, short, Kind.INDUSTRY_MEDIATION, city, city_justice, list(categories))
        industry_list.append((org, kind))
        for category in categories:
            industry[category] = org
    lawyer = _org("石嘴山市律师调解中心", "律师调解中心", Kind.LAWYER_MEDIATION, city, bodies["石嘴山市律师协会"],
                  [Cat.CONTRACT, Cat.DEBT, Cat.REAL_ESTATE, Cat.TORT])
    admin_mediation = _org("石嘴山市劳动人事争议调解中心", "劳动人事争议调解中心", Kind.ADMINISTRATIVE_MEDIATION,
                           city, None, [Cat.LABOUR])
    _org("石嘴山仲裁委员会", "石嘴山仲裁委", Kind.ARBITRATION, city, None, [Cat.CONTRACT, Cat.REAL_ESTATE])
    _org("石嘴山市公证处", "市公证处", Kind.NOTARY, city, city_justice)
    _org(BANK_NAME, "示范银行", Kind.INSTITUTION, city, bodies["石嘴山市银行业协会"], [Cat.FINANCE])
    return _Orgs(courts, intermediate, {c: centres[c] for c in ID_AREAS}, centres[CITY], committees, industry,
                 industry_list, lawyer, admin_mediation)


def _mediator(rng: random.Random, kind: str, specialties: list[str], phones: set[str]) -> Mediator:
    phone = names.mobile(rng)
    while phone in phones:
        phone = names.mobile(rng)
    phones.add(phone)
    status = rng.choices(MediatorStatus.values, weights=(85, 10, 5))[0]
    order = {c: i for i, c in enumerate(Cat.values)}
    return Mediator(
        name=names.person_name(rng), phone=phone, kind=kind,
        specialties=sorted(dict.fromkeys(specialties), key=order.__getitem__),
        capacity=rng.choice((5, 6, 8, 8, 10, 10, 10, 12, 15, 20)), status=status,
        joined_on=REFERENCE_DATE - timedelta(days=rng.randint(30, 3000)),
    )


def _create_mediators(rng: random.Random, orgs: _Orgs, grids_by_township: dict[str, list[Region]]) -> list[Mediator]:
    """A few hundred roster entries across every kind; returns the people's mediators of 长胜街道 first."""
    phones: set[str] = set()
    plan: list[tuple[Mediator, list[Organisation], list[str]]] = []  # mediator, organisations, region codes
    people_pool = [Cat.NEIGHBOUR, Cat.FAMILY, Cat.DEBT, Cat.PROPERTY_MGMT, Cat.LAND, Cat.LABOUR, Cat.TORT]
    for township_code, committee in orgs.committees.items():
        communities = sorted({g.parent_id or 0 for g in grids_by_township[township_code]})
        community_codes: dict[int, str] = dict(Region.objects.filter(pk__in=communities).values_list("pk", "code"))
        for _ in range(rng.randint(4, 7)):
            m = _mediator(rng, MediatorKind.PEOPLES, rng.sample(people_pool, rng.randint(2, 3)), phones)
            area = [township_code] if rng.random() < 0.6 else [community_codes[rng.choice(communities)]]
            plan.append((m, [committee], area))
    all_categories = [c for c in Cat.values if c != Cat.ADMINISTRATIVE]
    for org, kind in orgs.industry_list:
        for _ in range(rng.randint(5, 9)):
            extra = [rng.choice(all_categories)] if rng.random() < 0.3 else []
            kind_of = kind if rng.random() < 0.7 else MediatorKind.PROFESSIONAL
            m = _mediator(rng, kind_of, org.categories + extra, phones)
            plan.append((m, [org], [CITY]))
    for _ in range(10):
        m = _mediator(rng, MediatorKind.LAWYER, rng.sample(orgs.lawyer_mediation.categories, 2), phones)
        plan.append((m, [orgs.lawyer_mediation], [CITY]))
    for _ in range(4):
        plan.append((_mediator(rng, MediatorKind.PROFESSIONAL, [Cat.LABOUR], phones), [orgs.admin_mediation], [CITY]))
    # Invited mediators (特邀调解员) sit on the courts' rosters; some also serve a committee.
    tribunals = list(Organisation.objects.filter(kind=Kind.TRIBUNAL).order_by("pk"))
    for county_code, court in orgs.courts.items():
        for _ in range(rng.randint(8, 12)):
            m = _mediator(rng, MediatorKind.INVITED, rng.sample(all_categories, rng.randint(2, 4)), phones)
            on = [court] + [t for t in tribunals if t.parent_id == court.pk and rng.random() < 0.3]
            plan.append((m, on, [county_code]))
    for _ in range(5):
        m = _mediator(rng, MediatorKind.INVITED, rng.sample(all_categories, 3), phones)
        plan.append((m, [orgs.intermediate], [CITY]))
    mediators = Mediator.objects.bulk_create([m for m, _, _ in plan])
    regions = dict(Region.objects.filter(level__lte=RegionLevel.COMMUNITY).values_list("code", "pk"))
    org_links = [
        Mediator.organisations.through(mediator_id=m.pk, organisation_id=o.pk) for m, os, _ in plan for o in os
    ]
    region_links = [Mediator.regions.through(mediator_id=m.pk, region_id=regions[c]) for m, _, cs in plan for c in cs]
    Mediator.organisations.through.objects.bulk_create(org_links)
    Mediator.regions.through.objects.bulk_create(region_links)
    return mediators


NAMED_ACCOUNTS = [
    # username, role, organisation key, full name, what to try with it
    ("party_demo", Role.PARTY, "", "马晓雯", "当事人（自然人）：自助登记纠纷、查看进度"),
    ("bank_demo", Role.PARTY, "", "示范银行诉讼专员", "当事人（银行，法人）：批量导入信用卡纠纷"),
    ("grid_dwk", Role.GRID_WORKER, "", "杨建军", "网格员（大武口区长胜街道）：代当事人登记"),
    ("mediator_dwk", Role.MEDIATOR, "committee", "马秀兰", "人民调解员（长胜街道调委会）"),
    ("orgadmin_dwk", Role.ORG_ADMIN, "committee", "王立新", "调解组织管理员：管理本会名册、导入导出"),
    ("centre_dwk", Role.CENTRE_STAFF, "centre_dwk", "李海燕", "大武口区综治中心：受理和分流"),
    ("centre_hn", Role.CENTRE_STAFF, "centre_hn", "赵红梅", "惠农区综治中心"),
    ("centre_pl", Role.CENTRE_STAFF, "centre_pl", "周永福", "平罗县综治中心"),
    ("clerk_dwk", Role.CLERK, "court_dwk", "刘晓燕", "大武口区法院立案庭：立案、委托调解、名册管理"),
    ("clerk_hn", Role.CLERK, "court_hn", "孙志强", "惠农区法院立案庭"),
    ("clerk_pl", Role.CLERK, "court_pl", "吴丽娟", "平罗县法院立案庭"),
    ("judge_dwk", Role.JUDGE, "court_dwk", "郑宏伟", "大武口区法院法官：司法确认、速裁"),
    ("enforce_dwk", Role.ENFORCEMENT, "court_dwk", "何卫东", "大武口区法院执行员"),
    ("judge_02", Role.JUDGE, "intermediate", "韩立平", "石嘴山市中级法院法官：二审裁判（维持原判、改判、发回重审）"),
    ("leader_city", Role.LEADER, "city_centre", "钱振兴", "市综治中心领导（联席会议）：全市治理指标"),
    ("leader_court", Role.LEADER, "intermediate", "冯建国", "中院领导：全市法院数据"),
    ("sysadmin", Role.SYSADMIN, "", "系统管理员", "系统管理员：后台管理用户、组织、名册"),
    ("security", Role.SECURITY_ADMIN, "", "安全管理员", "安全管理员"),
    ("auditor", Role.AUDITOR, "", "安全审计员", "安全审计员：查看并校验审计日志"),
    ("deputy_demo", Role.DEPUTY, "", "马建华", "人大代表（市人大常委会）：受邀旁听调解、提出意见"),
]
SYSADMIN_PERMISSIONS = {
    "network": ["view_region", "change_region", "add_organisation", "change_organisation", "view_organisation",
                "add_mediator", "change_mediator", "view_mediator", "delete_mediator",
                "add_gridworker", "change_gridworker", "view_gridworker", "delete_gridworker"],
    "accounts": ["add_user", "change_user", "view_user"],
}


def _named_users(orgs: _Orgs, identities: Identities, password: str) -> dict[str, User]:
    targets = {
        "committee": orgs.committees[CHANGSHENG],
        "centre_dwk": orgs.county_centres[DAWUKOU], "centre_hn": orgs.county_centres[HUINONG],
        "centre_pl": orgs.county_centres[PINGLUO], "court_dwk": orgs.courts[DAWUKOU],
        "court_hn": orgs.courts[HUINONG], "court_pl": orgs.courts[PINGLUO],
        "city_centre": orgs.city_centre, "intermediate": orgs.intermediate,
    }
    person = Party.objects.create(
        kind=PartyKind.NATURAL, name="马晓雯", id_number=identities.id_number(DAWUKOU, born_from=1988, born_to=1992),
        phone="13995120001", address="宁夏回族自治区石嘴山市大武口区长胜街道朝阳社区3号楼2单元401室",
    )
    bank = Party.objects.create(
        kind=PartyKind.LEGAL, name=BANK_NAME, credit_code=identities.credit_code(DAWUKOU), phone="09522012345",
        address="宁夏回族自治区石嘴山市大武口区朝阳西街88号", representative="张立华",
    )
    parties = {"party_demo": person, "bank_demo": bank}
    users = {}
    for username, role, target, full_name, _note in NAMED_ACCOUNTS:
        users[username] = User(
            username=username, password=password, role=role, full_name=full_name,
            organisation=targets.get(target), party=parties.get(username),
            is_staff=(role == Role.SYSADMIN), phone="",
        )
    User.objects.bulk_create(users.values())
    # Judges, administrators and auditors sign in with a second factor: enrolled with the demo key.
    TOTPDevice.objects.bulk_create(
        TOTPDevice(user=u, name="演示动态口令", key=DEMO_TOTP_KEY, confirmed=True)
        for u in users.values() if u.role in settings.SUYUAN_SECOND_FACTOR_ROLES
    )
    perms = []
    for app, codenames in SYSADMIN_PERMISSIONS.items():
        perms += list(Permission.objects.filter(content_type__app_label=app, codename__in=codenames))
    users["sysadmin"].user_permissions.set(perms)
    return users


def _grid_workers(rng: random.Random, grids_by_township: dict[str, list[Region]], grid_dwk: User) -> dict[str, User]:
    """One grid worker per one to three grids of the same community; grid_dwk takes 长胜's first grids."""
    plans: list[tuple[User, list[Region]]] = []
    serial = 0
    for township_code, grids in grids_by_township.items():
        by_community: dict[int, list[Region]] = {}
        for grid in grids:
            by_community.setdefault(grid.parent_id or 0, []).append(grid)
        for community_grids in by_community.values():
            i = 0
            while i < len(community_grids):
                take = rng.choice((1, 1, 2, 2, 3))
                chunk = community_grids[i:i + take]
                i += take
                if township_code == CHANGSHENG and not any(u is grid_dwk for u, _ in plans):
                    plans.append((grid_dwk, chunk))
                    continue
                serial += 1
                user = User(username=f"grid_{serial:04d}", password=UNUSABLE_PASSWORD, role=Role.GRID_WORKER,
                            full_name=names.person_name(rng), phone=names.mobile(rng))
                plans.append((user, chunk))
    User.objects.bulk_create([u for u, _ in plans if u.pk is None])
    workers = GridWorker.objects.bulk_create(GridWorker(user=u, phone=u.phone or names.mobile(rng)) for u, _ in plans)
    links = [
        GridWorker.grids.through(gridworker_id=w.pk, region_id=g.pk)
        for w, (_, grids) in zip(workers, plans, strict=True) for g in grids
    ]
    GridWorker.grids.through.objects.bulk_create(links)
    return {g.code: u for u, grids in plans for g in grids}


def build_network(rng: random.Random) -> Network:
    counties = list(Region.objects.filter(level=RegionLevel.COUNTY).order_by("code"))
    townships = list(Region.objects.filter(level=RegionLevel.TOWNSHIP).order_by("code"))
    townships_by_county = {c.code: [t for t in townships if t.parent_id == c.pk] for c in counties}
    grids_by_township = _create_communities_and_grids(rng, townships)
    orgs = _create_organisations(counties, townships_by_county)
    mediators = _create_mediators(rng, orgs, grids_by_township)
    identities = Identities(rng)
    users = _named_users(orgs, identities, make_password(DEMO_PASSWORD))
    grid_worker_of = _grid_workers(rng, grids_by_township, users["grid_dwk"])
    # The named mediator is the first people's mediator of 长胜街道's committee.
    demo_mediator = next(m for m in mediators if m.kind == MediatorKind.PEOPLES)
    assert demo_mediator.organisations.filter(pk=orgs.committees[CHANGSHENG].pk).exists()
    Mediator.objects.filter(pk=demo_mediator.pk).update(
        user=users["mediator_dwk"], name="马秀兰", status=MediatorStatus.ACTIVE
    )
    demo_mediator.refresh_from_db()
    admin_of: dict[int, User] = {
        orgs.committees[CHANGSHENG].pk: users["orgadmin_dwk"],
    }
    generated_admins = []
    mediation_orgs = list(orgs.committees.values()) + [o for o, _ in orgs.industry_list] + [orgs.lawyer_mediation]
    for i, org in enumerate(mediation_orgs, start=1):
        if org.pk not in admin_of:
            admin = User(username=f"orgadmin_{i:03d}", password=UNUSABLE_PASSWORD, role=Role.ORG_ADMIN,
                         full_name=names.person_name(rng), organisation=org)
            generated_admins.append(admin)
            admin_of[org.pk] = admin
    User.objects.bulk_create(generated_admins)
    return Network(
        counties=counties, townships_by_county=townships_by_county, grids_by_township=grids_by_township,
        courts=orgs.courts, intermediate=orgs.intermediate, county_centres=orgs.county_centres,
        committees=orgs.committees, industry=orgs.industry, lawyer_mediation=orgs.lawyer_mediation,
        users=users, grid_worker_of=grid_worker_of, admin_of=admin_of, demo_mediator=demo_mediator,
        accounts=[DemoAccount(u, str(Role(r).label), str(users[u].organisation or ""), n)
                  for u, r, _t, _f, n in NAMED_ACCOUNTS],
        identities=identities,
    )
