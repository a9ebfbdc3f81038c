"""What a dispute submitted at any channel must satisfy: its input, validation in Chinese, the
look-ups a batch job remembers. Used by ``recording`` (one dispute) and ``recording_bulk`` (a chunk)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation

from suyuan.accounts.choices import Role
from suyuan.accounts.models import User
from suyuan.common.choices import DisputeCategory
from suyuan.common.errors import InvalidInput, NotPermitted
from suyuan.network.models import Organisation, Region
from suyuan.network.selectors import court_for_region, region_by_code
from suyuan.parties.services import PartyInput, remembered_parties

from . import permissions
from .choices import AuthorityKind, Channel, PartyRole

MAX_AMOUNT = Decimal("1000000000000")  # a sanity bound on typing errors, not a legal threshold


@dataclass
class ClaimInput:
    text: str
    amount: str | Decimal | None = None


@dataclass
class DisputeInput:
    """A dispute as submitted at any channel, before validation."""

    channel: str
    category: str
    description: str
    region_code: str
    parties: list[tuple[str, PartyInput]]
    claims: list[ClaimInput]
    amount: str | Decimal | None = None
    occurred_on: date | None = None
    rights_known_on: date | None = None  # starts the limitation period (民法典 第一百八十八条)
    authority_kind: str = ""
    authority_note: str = ""
    source_ref: str = ""
    risk_notice_acknowledged: bool = False
    extra_errors: dict[str, list[str]] = field(default_factory=dict)



def parse_amount(value: str | Decimal | None, *, label: str = "标的额") -> Decimal | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        amount = Decimal(str(value).replace(",", "").replace("，", "").strip())
    except InvalidOperation as exc:
        raise ValueError(f"{label}应为数字（单位：元）。") from exc
    if not amount.is_finite():
        raise ValueError(f"{label}应为数字（单位：元）。")
    if amount < 0:
        raise ValueError(f"{label}不能为负数。")
    if amount >= MAX_AMOUNT:
        raise ValueError(f"{label}超出可登记范围，请核对单位（元）。")
    if amount != amount.quantize(Decimal("0.01")):
        raise ValueError(f"{label}最多保留两位小数。")
    return amount.quantize(Decimal("0.01"))


@dataclass
class _Clean:
    region: Region
    court: Organisation
    amount: Decimal | None
    claims: list[tuple[str, Decimal | None]]
    parties: list[tuple[str, PartyInput]]


class _Errors(dict[str, list[str]]):
    def add(self, key: str, message: str) -> None:
        self.setdefault(key, []).append(message)


def _validate(actor: User, data: DisputeInput) -> _Clean:
    """Check everything a user can get wrong and report it all at once, in Chinese."""
    if not permissions.can_record(actor, data.channel):
        raise NotPermitted("您的角色不能通过该渠道登记纠纷。")
    errors = _Errors(data.extra_errors)
    amount, claims = _check_content(data, errors)
    region, court = _check_place(actor, data, errors)
    parties = _check_parties(actor, data, errors)
    if errors:
        raise InvalidInput("提交的信息有误，请按提示修改。", errors=dict(errors))
    assert region is not None and court is not None
    return _Clean(region=region, court=court, amount=amount, claims=claims, parties=parties)


def _check_content(data: DisputeInput, errors: _Errors) -> tuple[Decimal | None, list[tuple[str, Decimal | None]]]:
    if data.category not in DisputeCategory.values:
        errors.add("category", "请选择纠纷类别。")
    description = data.description.strip()
    if len(description) < 10:
        errors.add("description", "请简要说明事实与理由（不少于 10 个字）。")
    elif len(description) > 5000:
        errors.add("description", "事实与理由不得超过 5000 字。")
    if data.channel == Channel.GRID_WORKER and data.authority_kind not in AuthorityKind.values:
        errors.add("authority_kind", "网格员代为登记须记录当事人的授权方式。")
    amount = None
    try:
        amount = parse_amount(data.amount)
    except ValueError as exc:
        errors.add("amount", str(exc))
    claims: list[tuple[str, Decimal | None]] = []
    for i, claim in enumerate(data.claims, start=1):
        text = claim.text.strip()
        if not text:
            continue
        if len(text) > 500:
            errors.add("claims", f"第 {i} 项请求过长（不超过 500 字）。")
        try:
            claims.append((text, parse_amount(claim.amount, label=f"第 {i} 项请求金额")))
        except ValueError as exc:
            errors.add("claims", str(exc))
    if not claims:
        errors.add("claims", "请至少填写一项请求事项。")
    return amount, claims


# Region code → (region, court), remembered while one batch job runs (``batch_intake``).
_PLACES: ContextVar[dict[str, tuple[Region | None, Organisation | None]] | None] = ContextVar(
    "suyuan_intake_places", default=None
)


@contextmanager
def batch_intake() -> Iterator[None]:
    """Remember, for the rows of one batch job only, what is the same on every row: the region and
    court of each place code, and parties on file that the rows leave unchanged (the institution
    itself). Validation and its messages are unchanged; only the repeated look-ups are saved."""
    token = _PLACES.set({})
    try:
        with remembered_parties():
            yield
    finally:
        _PLACES.reset(token)


def _region_and_court(code: str) -> tuple[Region | None, Organisation | None]:
    places = _PLACES.get()
    if places is not None and code in places:
        return places[code]
    region = region_by_code(code) if code else None
    court = court_for_region(region) if region is not None else None
    if places is not None:
        places[code] = (region, court)
    return region, court


def _check_place(actor: User, data: DisputeInput, errors: _Errors) -> tuple[Region | None, Organisation | None]:
    region, court = _region_and_court(data.region_code)
    if region is None:
        errors.add("region_code", "请选择纠纷发生地。")
    elif court is None:
        errors.add("region_code", "该地区不在本平台服务范围内。")
    elif not _region_in_actor_scope(actor, region):
        errors.add("region_code", "纠纷发生地不在您负责的区域内。")
    if actor.role == Role.CLERK and data.channel == Channel.COURT_WINDOW and actor.organisation:
        # A party who comes to a court's window is received by that court.
        court = actor.organisation.court() or court
    return region, court


def _check_parties(actor: User, data: DisputeInput, errors: _Errors) -> list[tuple[str, PartyInput]]:
    parties: list[tuple[str, PartyInput]] = []
    party_errors = False
    for i, (role, party) in enumerate(data.parties):
        if role not in PartyRole.values:
            errors.add(f"parties.{i}.role", "当事人诉讼地位无效。")
            party_errors = True
            continue
        try:
            cleaned = party.cleaned(prefix=f"parties.{i}.", phone_required=(role == PartyRole.APPLICANT))
        except InvalidInput as exc:
            for key, messages in exc.errors.items():
                for message in messages:
                    errors.add(key, message)
            party_errors = True
            continue
        parties.append((role, cleaned))
    roles_seen = {role for role, _ in parties}
    if not party_errors:
        if PartyRole.APPLICANT not in roles_seen:
            errors.add("parties", "请填写申请人。")
        if PartyRole.RESPONDENT not in roles_seen:
            errors.add("parties", "请填写被申请人。")
    identities = [p.id_number or p.credit_code for _, p in parties if p.id_number or p.credit_code]
    if len(identities) != len(set(identities)):
        errors.add("parties", "同一当事人不能重复填写。")
    if actor.role == Role.PARTY and data.channel == Channel.SELF_SERVICE:
        own = actor.party
        if own is None or not any(
            role == PartyRole.APPLICANT and (p.id_number or p.credit_code) == own.identity_number
            for role, p in parties
        ):
            errors.add("parties", "自助登记时，您本人须为申请人之一。")
    return parties


def _region_in_actor_scope(actor: User, region: Region) -> bool:
    if actor.role == Role.GRID_WORKER:
        worker = getattr(actor, "grid_worker", None)
        paths = list(worker.grids.values_list("path", flat=True)) if worker else []
        return any(region.path.startswith(p) for p in paths)
    if actor.role == Role.CENTRE_STAFF and actor.organisation is not None:
        return region.path.startswith(actor.organisation.region.path)
    return True


