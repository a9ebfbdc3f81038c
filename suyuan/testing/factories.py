"""Test data builders. Identity numbers are generated with valid check digits."""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from stdnum.cn import ric, uscc

from suyuan.accounts.choices import Role
from suyuan.accounts.models import User
from suyuan.network.choices import MediatorKind, OrganisationKind, RegionLevel
from suyuan.network.models import GridWorker, Mediator, Organisation, Region
from suyuan.network.reference import load_reference_data
from suyuan.parties.choices import PartyKind
from suyuan.parties.models import Party

_serial = itertools.count(1)
PASSWORD = "Suyuan-test-2026"  # noqa: S105 - test accounts only
# The TOTP secret (hex, as django-otp stores it) every test account of a second-factor role is
# enrolled with; tests and the browser login helper compute its current code.
TOTP_KEY = "3132333435363738393031323334353637383930"  # RFC 6238's test secret "12345678901234567890"


def make_id_number(birth: str = "19850312", area: str = "640202") -> str:
    """A resident ID number with a correct check digit (GB 11643)."""
    body = f"{area}{birth}{next(_serial) % 1000:03d}"
    return body + ric.calc_check_digit(body + "0")


def make_credit_code(area: str = "640202") -> str:
    n = next(_serial)
    body = f"91{area}MA{n:07d}"  # 17 characters: truncating 8 digits made n=55 and n=56 collide
    body = body.replace("I", "1").replace("O", "0")
    return body + uscc.calc_check_digit(body)


def make_grid(township_code: str = "640202001000", name: str = "测试社区第一网格") -> Region:
    township = Region.objects.get(code=township_code)
    community, _ = Region.objects.get_or_create(
        code=township_code[:9] + "001",
        defaults={"name": "测试社区", "level": RegionLevel.COMMUNITY, "parent": township, "generated": True},
    )
    n = Region.objects.filter(parent=community).count() + 1
    return Region.objects.create(
        code=f"{community.code}G{n:02d}", name=name, level=RegionLevel.GRID, parent=community, generated=True
    )


def make_user(role: str, *, organisation: Organisation | None = None, username: str | None = None,
              party: Party | None = None, full_name: str = "", second_factor: bool = True) -> User:
    """A user with the test password; a second-factor role comes enrolled with ``TOTP_KEY``
    (``second_factor=False`` leaves it to enrol at first sign-in)."""
    from django.conf import settings
    from django_otp.plugins.otp_totp.models import TOTPDevice

    name = username or f"{role}{next(_serial)}"
    user = User.objects.create_user(
        username=name, password=PASSWORD, role=role, organisation=organisation, party=party,
        full_name=full_name or name,
    )
    if second_factor and role in settings.SUYUAN_SECOND_FACTOR_ROLES:
        TOTPDevice.objects.create(user=user, name="测试", key=TOTP_KEY, confirmed=True)
    return user


def totp_code(user: User) -> str:
    """The code ``user``'s enrolled device accepts now (as their authenticator app would show)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from suyuan.accounts.second_factor import next_usable_code

    return next_usable_code(TOTPDevice.objects.get(user=user, confirmed=True))


def make_party(name: str = "张三", *, kind: str = PartyKind.NATURAL, phone: str = "13900000001") -> Party:
    if kind == PartyKind.NATURAL:
        return Party.objects.create(kind=kind, name=name, id_number=make_id_number(), phone=phone,
                                    address="宁夏石嘴山市大武口区长胜街道某小区1号楼")
    return Party.objects.create(kind=kind, name=name, credit_code=make_credit_code(), phone=phone)


@dataclass
class NetworkWorld:
    dawukou_court: Organisation
    huinong_court: Organisation
    intermediate_court: Organisation
    dawukou_centre: Organisation
    committee: Organisation
    grid: Region
    other_grid: Region
    clerk: User
    judge: User
    other_clerk: User
    grid_worker: User
    other_grid_worker: User
    centre_staff: User
    org_admin: User
    mediator_user: User
    mediator: Mediator
    party_user: User
    leader: User
    enforcer: User
    sysadmin: User
    auditor: User


def build_world() -> NetworkWorld:
    load_reference_data()
    courts = {o.court_code: o for o in Organisation.objects.exclude(court_code="")}
    centre = Organisation.objects.get(short_name="大武口区综治中心")
    township = Region.objects.get(code="640202001000")
    committee = Organisation.objects.create(
        name="长胜街道人民调解委员会", kind=OrganisationKind.PEOPLES_MEDIATION, region=township, parent=None
    )
    grid = make_grid()
    other_grid = make_grid("640205001000", "惠农测试网格")
    grid_worker = make_user(Role.GRID_WORKER, username="grid1", full_name="王网格")
    GridWorker.objects.create(user=grid_worker).grids.add(grid)
    other_grid_worker = make_user(Role.GRID_WORKER, username="grid2", full_name="赵网格")
    GridWorker.objects.create(user=other_grid_worker).grids.add(other_grid)
    mediator_user = make_user(Role.MEDIATOR, organisation=committee, username="mediator1", full_name="李调解")
    mediator = Mediator.objects.create(name="李调解", user=mediator_user, kind=MediatorKind.PEOPLES,
                                       phone="13900000099", specialties=["family", "neighbour"])
    mediator.organisations.add(committee)
    party = make_party("陈当事", phone="13900000088")
    return NetworkWorld(
        dawukou_court=courts["宁0202"],
        huinong_court=courts["宁0205"],
        intermediate_court=courts["宁02"],
        dawukou_centre=centre,
        committee=committee,
        grid=grid,
        other_grid=other_grid,
        clerk=make_user(Role.CLERK, organisation=courts["宁0202"], username="clerk1", full_name="刘立案"),
        judge=make_user(Role.JUDGE, organisation=courts["宁0202"], username="judge1", full_name="孙法官"),
        other_clerk=make_user(Role.CLERK, organisation=courts["宁0205"], username="clerk2", full_name="周立案"),
        grid_worker=grid_worker,
        other_grid_worker=other_grid_worker,
        centre_staff=make_user(Role.CENTRE_STAFF, organisation=centre, username="centre1", full_name="吴综治"),
        org_admin=make_user(Role.ORG_ADMIN, organisation=committee, username="orgadmin1", full_name="郑主任"),
        mediator_user=mediator_user,
        mediator=mediator,
        party_user=make_user(Role.PARTY, party=party, username="party1", full_name="陈当事"),
        leader=make_user(Role.LEADER, organisation=courts["宁02"], username="leader1", full_name="钱院长"),
        enforcer=make_user(Role.ENFORCEMENT, organisation=courts["宁0202"], username="enforcer1", full_name="冯执行"),
        sysadmin=make_user(Role.SYSADMIN, username="admin1", full_name="系统管理员"),
        auditor=make_user(Role.AUDITOR, username="auditor1", full_name="审计员"),
    )
