"""Historical disputes for the demo, 2024-01 to 2026-10, shaped like a city of 750,000.

Everything is planned in memory first (deterministically, from the seeded ``random.Random``),
then written with bulk inserts: disputes, their parties, claims and the RECORDED timeline event,
back-dated. Numbers follow ``SY-<year>-<serial>`` in order of registration, and the
``dispute:<year>`` counters end at the last serial used, so new disputes continue the sequence.

The shape: a cause mix close to what grassroots mediation in Ningxia reports (debts, neighbours,
families, wages, property fees, traffic first), amounts log-normal by category, channels by
category, places weighted by county population (2020 census), one bank's card-debt batches and
two group disputes (wage claims against one builder, buyers against one developer).
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from suyuan.accounts.choices import Role
from suyuan.accounts.models import User
from suyuan.common.choices import DisputeCategory as Cat
from suyuan.common.models import Counter
from suyuan.disputes.choices import AuthorityKind, Channel, EventKind, PartyRole
from suyuan.disputes.models import Claim, Dispute, DisputeEvent, DisputeParty
from suyuan.network.models import Organisation, Region
from suyuan.parties.choices import PartyKind
from suyuan.parties.models import Party

from . import names
from .network import BANK_NAME, CHANGSHENG, DAWUKOU, PINGLUO, UNUSABLE_PASSWORD, Network

TZ = ZoneInfo("Asia/Shanghai")
BUILDER = "平罗县恒泰建筑工程有限公司"  # invented, like every company of the demo
DEVELOPER = "石嘴山市润泽房地产开发有限公司"
START, END = date(2024, 1, 1), date(2026, 10, 31)

# category: (weight, median amount or None, sigma, share without an amount, share of legal-person respondents)
CATEGORIES: dict[str, tuple[float, float | None, float, float, float]] = {
    Cat.DEBT: (17, 30000, 1.0, 0.0, 0.15),
    Cat.NEIGHBOUR: (12, 3000, 0.9, 0.6, 0.0),
    Cat.FAMILY: (12, 50000, 1.0, 0.5, 0.0),
    Cat.LABOUR: (9, 18000, 0.8, 0.05, 0.9),
    Cat.PROPERTY_MGMT: (9, 2800, 0.6, 0.0, 0.0),
    Cat.TRAFFIC: (8, 45000, 1.0, 0.0, 0.3),
    Cat.CONTRACT: (8, 90000, 1.2, 0.0, 0.7),
    Cat.CONSUMER: (5, 4000, 1.0, 0.0, 1.0),
    Cat.TORT: (5, 12000, 1.0, 0.1, 0.2),
    Cat.REAL_ESTATE: (4, 60000, 0.9, 0.1, 0.8),
    Cat.FINANCE: (3, 40000, 1.0, 0.0, 0.0),
    Cat.MEDICAL: (2, 120000, 1.0, 0.0, 1.0),
    Cat.LAND: (2, 150000, 1.0, 0.1, 1.0),
    Cat.OTHER: (4, 8000, 1.2, 0.3, 0.3),
}
# Channel weights: grid, centre, petition, mediation organisation, court window, self-service.
CHANNELS = [Channel.GRID_WORKER, Channel.GOVERNANCE_CENTRE, Channel.PETITION, Channel.MEDIATION_ORG,
            Channel.COURT_WINDOW, Channel.SELF_SERVICE]
BASE_CHANNEL_WEIGHTS = (25, 15, 3, 20, 20, 17)
CHANNEL_WEIGHTS: dict[str, tuple[int, ...]] = {
    Cat.NEIGHBOUR: (45, 20, 5, 20, 2, 8),
    Cat.FAMILY: (30, 15, 2, 30, 13, 10),
    Cat.LAND: (20, 35, 25, 10, 5, 5),
    Cat.TRAFFIC: (10, 10, 1, 50, 19, 10),
    Cat.MEDICAL: (5, 15, 10, 55, 10, 5),
    Cat.PROPERTY_MGMT: (20, 10, 2, 45, 13, 10),
    Cat.CONTRACT: (5, 5, 1, 15, 50, 24),
    Cat.FINANCE: (5, 5, 1, 30, 40, 19),
    Cat.LABOUR: (20, 20, 8, 25, 15, 12),
}
# Township weights inside a county: the old mining streets (石炭井, 白芨沟) are nearly empty now.
SPARSE_TOWNSHIPS = {"640202006000": 0.2, "640202007000": 0.2, "640202008000": 0.5}

JOBS = ["建筑工地钢筋", "保洁", "餐厅服务", "货车驾驶", "仓库搬运", "机修", "保安", "电焊"]
NEIGHBOUR_CAUSES = ["楼上卫生间漏水浸泡申请人房屋", "被申请人长期占用楼道堆放杂物", "被申请人饲养家禽噪音和气味扰民",
                    "宅基地边界界址不清", "被申请人修建围墙影响申请人通行和采光", "共用排水沟堵塞"]
GOODS = ["建材", "煤炭", "钢材", "农资化肥", "枸杞", "办公家具", "汽车配件"]
ITEMS = ["冰箱", "电动自行车", "手机", "羽绒服", "装修材料", "预付健身卡", "二手车"]
TORTS = ["被申请人饲养的犬只咬伤申请人", "被申请人装修时损坏申请人家中财物", "双方发生口角后被申请人将申请人打伤",
         "被申请人在申请人门前施工致申请人摔伤"]
OTHERS = ["双方因合伙经营收益分配发生争议", "双方因车辆停放发生争执", "双方就遗产继承份额发生争议",
          "双方因彩礼返还发生争议"]


@dataclass
class Plan:
    """One dispute before it is written."""

    category: str
    channel: str
    created_at: datetime
    region: Region
    court: Organisation
    recorded_by: User
    organisation: Organisation | None
    applicants: list[Party]
    respondents: list[Party]
    description: str
    claims: list[tuple[str, Decimal | None]]
    amount: Decimal | None
    authority_kind: str = ""
    authority_note: str = ""
    handling: Organisation | None = None
    mediator_id: int | None = None
    source_ref: str = ""
    via: str = "web"
    number: str = ""


@dataclass
class People:
    """Parties created so far, so that a person or company can appear in several disputes."""

    net: Network
    rng: random.Random
    persons: dict[str, list[Party]] = field(default_factory=dict)
    companies: dict[str, list[Party]] = field(default_factory=dict)
    company_names: set[str] = field(default_factory=lambda: {BUILDER, DEVELOPER, BANK_NAME})
    new: list[Party] = field(default_factory=list)

    def person(self, county: str, *, reuse: float = 0.12) -> Party:
        pool = self.persons.setdefault(county, [])
        if pool and self.rng.random() < reuse:
            return self.rng.choice(pool)
        townships = self.net.townships_by_county[county]
        township = self.rng.choice(townships)
        party = Party(
            kind=PartyKind.NATURAL, name=names.person_name(self.rng), id_number=self.net.identities.id_number(county),
            phone=names.mobile(self.rng),
            address=f"宁夏回族自治区石嘴山市{township.parent.name if township.parent else ''}{township.name}"
            f"{self.rng.randint(1, 40)}号楼{self.rng.randint(1, 6)}单元"
            f"{self.rng.randint(1, 18)}0{self.rng.randint(1, 4)}室",
        )
        pool.append(party)
        self.new.append(party)
        return party

    def company(self, county: str, *, trade: tuple[str, str] | None = None, reuse: float = 0.4,
                name: str = "") -> Party:
        pool = self.companies.setdefault(f"{county}:{trade}", [])
        if not name and pool and self.rng.random() < reuse:
            return self.rng.choice(pool)
        party = Party(
            kind=PartyKind.LEGAL, name=name or names.company_name(self.rng, trade),
            credit_code=self.net.identities.credit_code(county), phone=names.mobile(self.rng),
            representative=names.person_name(self.rng),
            address=f"宁夏回族自治区石嘴山市{self.rng.choice(['朝阳西街', '游艺街', '南大街', '解放街', '河滨街'])}"
            f"{self.rng.randint(1, 300)}号",
        )
        while not name and party.name in self.company_names:  # two companies never share a name
            party.name = names.company_name(self.rng, trade)
        self.company_names.add(party.name)
        pool.append(party)
        self.new.append(party)
        return party


def _amount(rng: random.Random, median: float, sigma: float) -> Decimal:
    value = median * math.exp(rng.gauss(0, sigma))
    value = max(200.0, min(value, 20_000_000.0))
    if rng.random() < 0.7:  # most claims are round figures
        return Decimal(round(value, -2)).quantize(Decimal("0.01"))
    return Decimal(f"{value:.2f}")


def _yuan(amount: Decimal | None) -> str:
    if amount is None:
        return ""
    return f"{amount:,.2f}".rstrip("0").rstrip(".") if amount % 1 else f"{int(amount):,}"


def _moment(rng: random.Random, day: date, *, anytime: bool = False) -> datetime:
    hour = rng.randint(7, 22) if anytime else rng.choices(range(8, 18), weights=(3, 8, 9, 8, 3, 2, 7, 8, 7, 4))[0]
    return datetime.combine(day, time(hour, rng.randrange(60), rng.randrange(60)), tzinfo=TZ)


def _day(rng: random.Random) -> date:
    """A working-heavy day in the window, with volume growing ~10 % a year and a pre-Spring-Festival peak."""
    span = (END - START).days
    while True:
        day = START + timedelta(days=rng.randrange(span + 1))
        weight = 1.0 + 0.1 * (day - START).days / 365
        weight *= 0.35 if day.weekday() >= 5 else 1.0
        weight *= 1.3 if day.month in (1, 12) else 1.0
        if rng.random() * 1.8 < weight:
            return day


Texts = tuple[str, list[tuple[str, Decimal | None]]]


def _debt(rng: random.Random, amt: str, amount: Decimal | None, when: str) -> Texts:
    return (f"{when}被申请人以资金周转为由向申请人借款{amt}元，约定{rng.choice([3, 6, 12])}个月内归还，"
            "到期后申请人多次催要，被申请人至今未还。",
            [(f"请求被申请人归还借款{amt}元", amount), ("请求被申请人按年利率3.45%支付逾期利息", None)])


def _labour(rng: random.Random, amt: str, amount: Decimal | None, when: str) -> Texts:
    return (f"申请人自{when}起在被申请人处从事{rng.choice(JOBS)}工作，被申请人拖欠工资共计{amt}元，经多次催要未果。",
            [(f"请求被申请人支付拖欠的工资{amt}元", amount)])


def _traffic(rng: random.Random, amt: str, amount: Decimal | None, when: str) -> Texts:
    return (f"{when}申请人驾驶电动自行车与被申请人驾驶的小型轿车发生碰撞，经交警部门认定被申请人负事故主要责任，"
            "申请人受伤住院治疗。", [(f"请求赔偿医疗费、误工费、护理费等各项损失共计{amt}元", amount)])


def _property_mgmt(rng: random.Random, amt: str, amount: Decimal | None, when: str) -> Texts:
    return (f"被申请人系申请人服务小区的业主，自{when}起拖欠物业服务费共计{amt}元，经催缴仍未缴纳。",
            [(f"请求被申请人支付物业服务费{amt}元", amount)])


def _neighbour(rng: random.Random, amt: str, amount: Decimal | None, when: str) -> Texts:
    claims: list[tuple[str, Decimal | None]] = [("请求被申请人停止侵害、排除妨碍、恢复原状", None)]
    if amount is not None:
        claims.append((f"请求被申请人赔偿损失{amt}元", amount))
    return f"双方系邻居，因{rng.choice(NEIGHBOUR_CAUSES)}多次发生争执，矛盾逐步激化，经社区劝解未果。", claims


def _family(rng: random.Random, amt: str, amount: Decimal | None, when: str) -> Texts:
    if rng.random() < 0.6:
        claims: list[tuple[str, Decimal | None]] = [("请求解除双方婚姻关系，婚生子女由申请人抚养", None)]
        if amount is not None:
            claims.append((f"请求依法分割夫妻共同财产约{amt}元", amount))
        return ("双方婚后因生活琐事经常争吵，感情不和已分居一年以上，"
                "现就离婚、子女抚养及共同财产分割发生争议。", claims)
    monthly = Decimal(rng.choice([300, 500, 600, 800, 1000]))
    return ("申请人年迈多病、无固定收入，被申请人作为子女以各种理由拒绝支付赡养费。",
            [(f"请求被申请人每月支付赡养费{_yuan(monthly)}元", monthly)])


def _contract(rng: random.Random, amt: str, amount: Decimal | None, when: str) -> Texts:
    return (f"双方于{when}签订{rng.choice(GOODS)}买卖合同，申请人依约交付货物后，被申请人尚欠货款{amt}元未付。",
            [(f"请求被申请人支付货款{amt}元", amount), ("请求被申请人按合同约定支付违约金", None)])


def _consumer(rng: random.Random, amt: str, amount: Decimal | None, when: str) -> Texts:
    return (f"申请人于{when}在被申请人经营的门店购买{rng.choice(ITEMS)}，使用中发现质量问题，要求退货遭拒。",
            [(f"请求被申请人退还价款{amt}元", amount)])


def _tort(rng: random.Random, amt: str, amount: Decimal | None, when: str) -> Texts:
    return f"{when}{rng.choice(TORTS)}，双方就赔偿问题协商未果。", [(f"请求被申请人赔偿各项损失{amt}元", amount)]


def _real_estate(rng: random.Random, amt: str, amount: Decimal | None, when: str) -> Texts:
    return (f"申请人于{when}购买被申请人开发的商品房，被申请人未按合同约定期限交付房屋并办理不动产权证。",
            [(f"请求被申请人支付逾期交房违约金{amt}元", amount), ("请求被申请人协助办理不动产权证", None)])


def _finance(rng: random.Random, amt: str, amount: Decimal | None, when: str) -> Texts:
    return (f"被申请人于{when}向申请人申请个人消费贷款，借款到期后未按约还款，尚欠本息{amt}元。",
            [(f"请求被申请人偿还借款本息{amt}元", amount)])


def _medical(rng: random.Random, amt: str, amount: Decimal | None, when: str) -> Texts:
    return (f"申请人家属于{when}在被申请人处住院治疗期间病情加重，申请人认为被申请人存在诊疗过错。",
            [(f"请求被申请人赔偿医疗费、护理费等各项损失{amt}元", amount)])


def _land(rng: random.Random, amt: str, amount: Decimal | None, when: str) -> Texts:
    claims: list[tuple[str, Decimal | None]] = (
        [(f"请求被申请人支付征收补偿款{amt}元", amount)] if amount else [("请求按政策给予合理补偿安置", None)]
    )
    return "因城市基础设施建设项目征收申请人房屋及附属设施，双方就补偿标准和安置方式未能达成一致。", claims


def _other(rng: random.Random, amt: str, amount: Decimal | None, when: str) -> Texts:
    claims: list[tuple[str, Decimal | None]] = (
        [(f"请求被申请人支付{amt}元", amount)] if amount is not None else [("请求依法处理", None)]
    )
    return f"{rng.choice(OTHERS)}，经亲友调和未果。", claims


TEXTS: dict[str, Callable[[random.Random, str, Decimal | None, str], Texts]] = {
    Cat.DEBT: _debt, Cat.LABOUR: _labour, Cat.TRAFFIC: _traffic, Cat.PROPERTY_MGMT: _property_mgmt,
    Cat.NEIGHBOUR: _neighbour, Cat.FAMILY: _family, Cat.CONTRACT: _contract, Cat.CONSUMER: _consumer,
    Cat.TORT: _tort, Cat.REAL_ESTATE: _real_estate, Cat.FINANCE: _finance, Cat.MEDICAL: _medical,
    Cat.LAND: _land, Cat.OTHER: _other,
}


def _texts(rng: random.Random, category: str, amount: Decimal | None, day: date) -> Texts:
    """Facts and claims in the words a grid worker or a clerk would type."""
    ago = day - timedelta(days=rng.randint(60, 900))
    return TEXTS[category](rng, _yuan(amount), amount, f"{ago.year}年{ago.month}月")


def sample_dispute(rng: random.Random, day: date) -> tuple[str, Decimal | None, str, list[tuple[str, Decimal | None]]]:
    """A category drawn by its share, an amount as such disputes claim, and the words of one
    dispute (category, amount, facts, claims): what the benchmarks feed the models and the import."""
    categories = list(CATEGORIES)
    category = rng.choices(categories, [CATEGORIES[c][0] for c in categories])[0]
    _w, median, sigma, no_amount, _legal = CATEGORIES[category]
    amount = None if median is None or rng.random() < no_amount else _amount(rng, median, sigma)
    facts, claims = _texts(rng, category, amount, day)
    return category, amount, facts, claims


class Generator:
    def __init__(self, rng: random.Random, net: Network) -> None:
        self.rng = rng
        self.net = net
        self.people = People(net, rng)
        self.county_weights = [c.population or 1 for c in net.counties]
        self.citizen_users: dict[int, User] = {}
        self.new_users: list[User] = []

    # --- where and by whom --------------------------------------------------------------

    def place(self, county: Region | None = None) -> tuple[Region, Region, Organisation]:
        if county is None:
            county = self.rng.choices(self.net.counties, weights=self.county_weights)[0]
        townships = self.net.townships_by_county[county.code]
        township = self.rng.choices(townships, weights=[SPARSE_TOWNSHIPS.get(t.code, 1.0) for t in townships])[0]
        grid = self.rng.choice(self.net.grids_by_township[township.code])
        return county, grid, self.net.courts[county.code]

    def citizen(self, party: Party) -> User:
        """The self-service account of a party (one per real person, created on first use)."""
        key = id(party)
        if key not in self.citizen_users:
            user = User(username=f"citizen_{len(self.citizen_users) + 1:05d}", password=UNUSABLE_PASSWORD,
                        role=Role.PARTY, full_name=party.name, phone=party.phone)
            user._party = party  # type: ignore[attr-defined]  # linked once the party has a key
            self.citizen_users[key] = user
            self.new_users.append(user)
        return self.citizen_users[key]

    def recorder(self, plan: Plan, county: Region, grid: Region) -> None:
        rng, net = self.rng, self.net
        county_key = {c.code: k for c, k in zip(net.counties, ("dwk", "hn", "pl"), strict=False)}[county.code]
        if plan.channel == Channel.GRID_WORKER:
            plan.recorded_by = net.grid_worker_of[grid.code]
            plan.authority_kind = rng.choice(AuthorityKind.values)
            notes: dict[str, str] = {
                AuthorityKind.WRITTEN: "申请人签署书面授权委托书，原件已存档",
                AuthorityKind.ON_SITE_SIGNATURE: "申请人在网格员手机上现场电子签名确认",
                AuthorityKind.RECORDED_ORAL: "申请人口头授权，已同步录音录像",
            }
            plan.authority_note = notes[plan.authority_kind]
        elif plan.channel in {Channel.GOVERNANCE_CENTRE, Channel.PETITION}:
            plan.recorded_by = net.users[f"centre_{county_key}"]
            plan.organisation = net.county_centres[county.code]
        elif plan.channel == Channel.COURT_WINDOW:
            plan.recorded_by = net.users[f"clerk_{county_key}"]
            plan.organisation = plan.court
        elif plan.channel == Channel.MEDIATION_ORG:
            township_code = grid.code[:9] + "000"
            industry = net.industry.get(plan.category)
            org = industry if industry is not None and rng.random() < 0.6 else net.committees[township_code]
            if plan.category in {Cat.CONTRACT, Cat.REAL_ESTATE} and rng.random() < 0.3:
                org = net.lawyer_mediation
            plan.organisation = plan.handling = org
            plan.recorded_by = net.admin_of[org.pk]
            if township_code == CHANGSHENG and org == net.committees[CHANGSHENG] and rng.random() < 0.5:
                plan.recorded_by = net.users["mediator_dwk"]
                plan.mediator_id = net.demo_mediator.pk
        elif plan.applicants[0].kind == PartyKind.NATURAL:
            plan.recorded_by = self.citizen(plan.applicants[0])
        else:  # a company files at the court's window rather than online in this demo
            plan.channel = Channel.COURT_WINDOW
            plan.recorded_by = net.users[f"clerk_{county_key}"]
            plan.organisation = plan.court

    # --- the three shapes of dispute ----------------------------------------------------

    def ordinary(self) -> Plan:
        rng = self.rng
        categories = list(CATEGORIES)
        category = rng.choices(categories, weights=[CATEGORIES[c][0] for c in categories])[0]
        _w, median, sigma, no_amount, legal = CATEGORIES[category]
        county, grid, court = self.place()
        day = _day(rng)
        channel = rng.choices(CHANNELS, weights=CHANNEL_WEIGHTS.get(category, BASE_CHANNEL_WEIGHTS))[0]
        amount = None if median is None or rng.random() < no_amount else _amount(rng, median, sigma)
        applicant = self.people.person(county.code)
        if category == Cat.PROPERTY_MGMT:  # the property company sues the owner
            applicant = self.people.company(county.code, trade=("物业服务", "有限公司"), reuse=0.8)
        if category == Cat.FINANCE:
            applicant = self.people.company(county.code, trade=("小额贷款", "有限公司"), reuse=0.8)
        if category == Cat.CONTRACT and rng.random() < 0.5:
            applicant = self.people.company(county.code)
        respondent = self.people.company(county.code) if rng.random() < legal else self.people.person(county.code)
        if category == Cat.MEDICAL:
            respondent = self.people.company(county.code, trade=("医院", ""), reuse=0.9)
        if respondent is applicant:
            respondent = self.people.person(county.code, reuse=0.0)
        description, claims = _texts(rng, category, amount, day)
        # The amount in dispute is what the claims add up to (a maintenance claim is monthly).
        amounts = [a for _, a in claims if a is not None]
        amount = sum(amounts, Decimal(0)) if amounts else None
        at = _moment(rng, day, anytime=channel == Channel.SELF_SERVICE)
        plan = Plan(category=category, channel=channel, created_at=at,
                    region=grid, court=court, recorded_by=self.net.users["sysadmin"], organisation=None,
                    applicants=[applicant], respondents=[respondent], description=description, claims=claims,
                    amount=amount)
        self.recorder(plan, county, grid)
        return plan

    def party_demo(self, plans: list[Plan]) -> None:
        """Give the named party account a few disputes of their own (as applicant, once as respondent)."""
        person = self.net.users["party_demo"].party
        assert person is not None
        mine = [p for p in plans if p.channel == Channel.SELF_SERVICE and p.applicants[0].kind == PartyKind.NATURAL]
        for plan in mine[:4]:
            plan.applicants = [person]
            plan.recorded_by = self.net.users["party_demo"]
        others = [p for p in plans if p.channel == Channel.GRID_WORKER and p.respondents[0].kind == PartyKind.NATURAL]
        if others:
            others[0].respondents = [person]

    def card_debts(self, count: int) -> list[Plan]:
        """The bank files card-debt claims in a few batches, through the API."""
        rng, net = self.rng, self.net
        bank_user = net.users["bank_demo"]
        bank = bank_user.party
        assert bank is not None
        batch_days = [date(2024, 9, 10), date(2025, 5, 13), date(2026, 3, 17)]
        plans = []
        for i in range(count):
            day = batch_days[i % len(batch_days)]
            county, grid, court = self.place()
            debtor = self.people.person(county.code, reuse=0.02)
            principal = _amount(rng, 22000, 0.7)
            interest = (principal * Decimal(rng.uniform(0.05, 0.25))).quantize(Decimal("0.01"))
            at = datetime.combine(day, time(9, 0), tzinfo=TZ) + timedelta(seconds=7 * i)
            plans.append(Plan(
                category=Cat.FINANCE, channel=Channel.BATCH, created_at=at, region=grid, court=court,
                recorded_by=bank_user, organisation=None, applicants=[bank], respondents=[debtor],
                description=f"被申请人向申请人申领信用卡并透支消费，截至{day.year}年{day.month}月尚欠透支本金{_yuan(principal)}元"
                f"及利息、费用{_yuan(interest)}元，经多次催收未还。",
                claims=[(f"请求被申请人偿还信用卡透支本金{_yuan(principal)}元", principal),
                        (f"请求被申请人支付利息及费用{_yuan(interest)}元", interest)],
                amount=principal + interest, source_ref=f"CARD-{day:%Y%m}-{i + 1:05d}", via="api",
            ))
        return plans

    def wage_group(self, count: int) -> list[Plan]:
        """Workers of one builder's housing project claim unpaid wages before the Spring Festival."""
        rng, net = self.rng, self.net
        county = next(c for c in net.counties if c.code == PINGLUO)
        builder = self.people.company(county.code, name=BUILDER)
        township = net.townships_by_county[county.code][0]
        grid = net.grids_by_township[township.code][0]
        plans = []
        for _ in range(count):
            worker = self.people.person(county.code, reuse=0.0)
            amount = Decimal(rng.randrange(90, 260) * 100)
            day = date(2025, 1, 6) + timedelta(days=rng.randrange(18))
            channel = rng.choices((Channel.GRID_WORKER, Channel.GOVERNANCE_CENTRE, Channel.COURT_WINDOW), (5, 3, 2))[0]
            plan = Plan(
                category=Cat.LABOUR, channel=channel, created_at=_moment(rng, day), region=grid,
                court=net.courts[county.code], recorded_by=net.users["sysadmin"], organisation=None,
                applicants=[worker], respondents=[builder],
                description="申请人于2024年3月起在被申请人承建的城关镇安居小区二期工程从事"
                f"{rng.choice(JOBS[:2] + JOBS[4:])}工作，工程完工后被申请人以开发商未付工程款为由"
                f"拖欠申请人工资{_yuan(amount)}元。",
                claims=[(f"请求被申请人支付拖欠的工资{_yuan(amount)}元", amount)], amount=amount,
            )
            self.recorder(plan, county, grid)
            plans.append(plan)
        return plans

    def buyer_group(self, count: int) -> list[Plan]:
        """Buyers of one development claim liquidated damages for late title certificates."""
        rng, net = self.rng, self.net
        county = next(c for c in net.counties if c.code == DAWUKOU)
        developer = self.people.company(county.code, name=DEVELOPER)
        township = next(t for t in net.townships_by_county[county.code] if t.code == "640202100000")
        grids = net.grids_by_township[township.code]
        plans = []
        for _ in range(count):
            buyer = self.people.person(county.code, reuse=0.0)
            amount = Decimal(rng.randrange(60, 320) * 100)
            day = date(2025, 6, 2) + timedelta(days=rng.randrange(80))
            channel = rng.choices((Channel.SELF_SERVICE, Channel.COURT_WINDOW, Channel.GOVERNANCE_CENTRE), (4, 4, 2))[0]
            grid = rng.choice(grids)
            at = _moment(rng, day, anytime=channel == Channel.SELF_SERVICE)
            plan = Plan(
                category=Cat.REAL_ESTATE, channel=channel, created_at=at,
                region=grid, court=net.courts[county.code], recorded_by=net.users["sysadmin"], organisation=None,
                applicants=[buyer], respondents=[developer],
                description="申请人于2022年购买被申请人开发的星海镇润泽华府商品房，合同约定交房后两年内办理不动产权证，"
                "被申请人逾期至今未能办理。",
                claims=[(f"请求被申请人支付逾期办证违约金{_yuan(amount)}元", amount),
                        ("请求被申请人限期协助办理不动产权证", None)], amount=amount,
            )
            self.recorder(plan, county, grid)
            plans.append(plan)
        return plans


def generate(rng: random.Random, net: Network, total: int) -> int:
    """Plan and write ``total`` historical disputes; return how many were written."""
    gen = Generator(rng, net)
    batch = round(total * 0.05)
    wages = min(28, max(2, total // 100))
    buyers = min(36, max(2, total // 80))
    ordinary = max(0, total - batch - wages - buyers)
    plans = [gen.ordinary() for _ in range(ordinary)]
    gen.party_demo(plans)
    plans += gen.card_debts(batch) + gen.wage_group(wages) + gen.buyer_group(buyers)
    plans.sort(key=lambda p: p.created_at)
    _number(plans)
    _write(gen, plans)
    return len(plans)


def _number(plans: list[Plan]) -> None:
    """SY-<year>-<serial> in order of registration, continuing any counter already there."""
    serials: dict[int, int] = {}
    for plan in plans:
        year = plan.created_at.year
        if year not in serials:
            counter = Counter.objects.filter(name=f"dispute:{year}").first()
            serials[year] = counter.value if counter else 0
        serials[year] += 1
        plan.number = f"SY-{year}-{serials[year]:06d}"
    for year, value in serials.items():
        Counter.objects.update_or_create(name=f"dispute:{year}", defaults={"value": value})


def _write(gen: Generator, plans: list[Plan]) -> None:
    Party.objects.bulk_create(gen.people.new, batch_size=500)
    for user in gen.new_users:
        user.party = user._party  # type: ignore[attr-defined]
    User.objects.bulk_create(gen.new_users, batch_size=500)
    disputes = []
    for plan in plans:
        applicants = "、".join(p.name for p in plan.applicants)
        respondents = "、".join(p.name for p in plan.respondents)
        disputes.append(Dispute(
            number=plan.number, summary=f"{applicants}与{respondents}{Cat(plan.category).label}"[:200],
            category=plan.category, description=plan.description, amount=plan.amount,
            occurred_on=(plan.created_at.date() - timedelta(days=gen.rng.randint(3, 120))),
            channel=plan.channel, recorded_by=plan.recorded_by, recorded_by_organisation=plan.organisation,
            authority_kind=plan.authority_kind, authority_note=plan.authority_note, region=plan.region,
            court=plan.court, handling_organisation=plan.handling, mediator_id=plan.mediator_id,
            source_ref=plan.source_ref,
        ))
    Dispute.objects.bulk_create(disputes, batch_size=500)
    # created_at is auto_now_add, so the insert stamped "now": back-date it to the plan.
    for dispute, plan in zip(disputes, plans, strict=True):
        dispute.created_at = dispute.updated_at = plan.created_at
    Dispute.objects.bulk_update(disputes, ["created_at", "updated_at"], batch_size=500)
    links, claims, events = [], [], []
    for dispute, plan in zip(disputes, plans, strict=True):
        for role, group in ((PartyRole.APPLICANT, plan.applicants), (PartyRole.RESPONDENT, plan.respondents)):
            links += [DisputeParty(dispute=dispute, party=p, role=role, position=i) for i, p in enumerate(group, 1)]
        claims += [Claim(dispute=dispute, position=i, text=t, amount=a) for i, (t, a) in enumerate(plan.claims, 1)]
        actor = plan.recorded_by
        # The timeline table is append-only (triggers): the event is written once, already back-dated.
        events.append(DisputeEvent(
            dispute=dispute, seq=1, kind=EventKind.RECORDED, at=plan.created_at, actor=actor,
            actor_label=actor.display_name, actor_role=actor.role,
            actor_organisation=actor.organisation.name if actor.organisation else "", via=plan.via, ip="",
            summary=f"{Channel(plan.channel).label}登记纠纷，管辖法院：{plan.court.name}",
            data={"channel": plan.channel, "region": plan.region.code, "court": plan.court.court_code,
                  "authority_kind": plan.authority_kind, "parties": len(plan.applicants) + len(plan.respondents),
                  "possible_same_person_flags": 0, "demo": True},
        ))
    DisputeParty.objects.bulk_create(links, batch_size=1000)
    Claim.objects.bulk_create(claims, batch_size=1000)
    DisputeEvent.objects.bulk_create(events, batch_size=1000)
