"""Typed shapes of the disputes API (v1): what a client sends and what it gets back.

Field names are English (they are the contract); descriptions are Chinese (they are what users of
the interactive docs read). Schemas check types only; the business rules (ID-number checksums,
negative amounts, the grid worker's authority, scope) stay in ``services`` so that every channel
applies the same rules and reports them the same way.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from django.db.models import TextChoices
from django.utils import timezone
from ninja import Field, Schema
from pydantic import WithJsonSchema, field_validator

from suyuan.common.choices import DisputeCategory
from suyuan.parties.choices import PartyKind
from suyuan.parties.models import Party
from suyuan.parties.services import PartyInput

from .choices import AuthorityKind, Channel, DisputeStatus, PartyRole
from .models import Claim, Dispute, DisputeEvent, DisputeParty
from .selectors import SORTS, DisputeFilters
from .services import ClaimInput, DisputeInput

# Generous bounds on sizes only: the services give the precise, Chinese limits.
MAX_LIST_ITEMS = 50
MAX_PAGE_SIZE = 100
DEFAULT_PAGE_SIZE = 20
MAX_OFFSET = 1_000_000_000

SortKey = Literal["-created_at", "created_at", "-amount", "amount", "number"]
assert set(SortKey.__args__) == set(SORTS)  # type: ignore[attr-defined]


# --- input ----------------------------------------------------------------------------------

# An amount in yuan: a JSON number or a decimal string. Without the pattern the document said
# "any string", yet only decimals parse, so schema-valid input was refused with 422 (found by the
# API fuzzer, tests/security/test_api_fuzz.py). Sign and cents are the service's rules (400).
AMOUNT_PATTERN = r"^-?[0-9]+(\.[0-9]+)?$"
AmountIn = Annotated[
    Decimal, WithJsonSchema({"anyOf": [{"type": "number"}, {"type": "string", "pattern": AMOUNT_PATTERN}]})
]


class PartyIn(Schema):
    role: PartyRole = Field(..., description="诉讼地位：applicant 申请人 / respondent 被申请人 / third_party 第三人")
    kind: PartyKind = Field(
        PartyKind.NATURAL, description="当事人类型：natural 自然人 / legal 法人 / other_org 非法人组织"
    )
    name: str = Field(..., max_length=1000, description="姓名或名称")
    id_number: str = Field("", max_length=100, description="公民身份号码（自然人）")
    credit_code: str = Field("", max_length=100, description="统一社会信用代码（法人、非法人组织）")
    representative: str = Field("", max_length=1000, description="法定代表人或负责人")
    phone: str = Field("", max_length=100, description="联系电话（申请人必填）")
    address: str = Field("", max_length=1000, description="住所地")

    def to_input(self) -> tuple[str, PartyInput]:
        return self.role, PartyInput(
            kind=self.kind, name=self.name, id_number=self.id_number, credit_code=self.credit_code,
            phone=self.phone, address=self.address, representative=self.representative,
        )


class ClaimIn(Schema):
    text: str = Field(..., max_length=5000, description="请求事项")
    amount: AmountIn | None = Field(None, description="金额（元），非金钱请求可不填")


class DisputeCreate(Schema):
    channel: Channel = Field(..., description="来源渠道；须与登记人的角色相符（网格员为 grid_worker）")
    category: DisputeCategory = Field(..., description="纠纷类别")
    description: str = Field(..., max_length=20000, description="事实与理由（10～5000 字）")
    region_code: str = Field(..., max_length=20, description="纠纷发生地的区划或网格代码")
    amount: AmountIn | None = Field(None, description="标的额（元），非金钱纠纷可不填")
    occurred_on: date | None = Field(None, description="纠纷发生日期（YYYY-MM-DD）")
    parties: list[PartyIn] = Field(..., max_length=MAX_LIST_ITEMS, description="当事人，至少一名申请人和一名被申请人")
    claims: list[ClaimIn] = Field(..., max_length=MAX_LIST_ITEMS, description="请求事项，至少一项")
    authority_kind: AuthorityKind | None = Field(None, description="当事人授权方式（网格员代为登记时必填）")
    authority_note: str = Field("", max_length=200, description="授权说明")
    source_ref: str = Field(
        "", max_length=120, description="来源编号（机构内部编号）；同一来源编号只登记一次，重复提交返回已登记的纠纷"
    )

    def to_input(self) -> DisputeInput:
        extra: dict[str, list[str]] = {}
        if self.occurred_on is not None and self.occurred_on > timezone.localdate():
            extra["occurred_on"] = ["纠纷发生日期不能晚于今天。"]
        return DisputeInput(
            channel=self.channel,
            category=self.category,
            description=self.description,
            region_code=self.region_code.strip(),
            parties=[p.to_input() for p in self.parties],
            claims=[ClaimInput(text=c.text, amount=c.amount) for c in self.claims],
            amount=self.amount,
            occurred_on=self.occurred_on,
            authority_kind=self.authority_kind or "",
            authority_note=self.authority_note,
            source_ref=self.source_ref.strip(),
            extra_errors=extra,
        )


def _blank_means_any(variant: dict[str, Any]) -> WithJsonSchema:
    """The documented schema of a filter a search form may send empty ("" = any): the fuzzer found
    "" accepted while the document allowed only the values, so the document now says so."""
    return WithJsonSchema({"anyOf": [variant, {"type": "string", "enum": [""]}, {"type": "null"}]})


def _choices(choices: type[TextChoices]) -> dict[str, Any]:
    return {"type": "string", "enum": list(choices.values)}


_DATE = {"type": "string", "format": "date"}


class DisputeQuery(Schema):
    q: str = Field("", max_length=100, description="关键词：纠纷编号、纠纷名称或当事人姓名")
    status: Annotated[DisputeStatus | None, _blank_means_any(_choices(DisputeStatus))] = Field(
        None, description="状态（空为不限）"
    )
    category: Annotated[DisputeCategory | None, _blank_means_any(_choices(DisputeCategory))] = Field(
        None, description="纠纷类别（空为不限）"
    )
    channel: Annotated[Channel | None, _blank_means_any(_choices(Channel))] = Field(
        None, description="来源渠道（空为不限）"
    )
    region_code: str = Field("", max_length=20, description="发生地区划代码（含下级区域）")
    date_from: Annotated[date | None, _blank_means_any(_DATE)] = Field(None, description="登记日期起（含）")
    date_to: Annotated[date | None, _blank_means_any(_DATE)] = Field(None, description="登记日期止（含）")
    sort: SortKey = Field(
        "-created_at", description="排序：-created_at 最新登记在前（默认）、created_at、-amount、amount、number"
    )
    limit: int = Field(DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE, description=f"每页条数（1～{MAX_PAGE_SIZE}）")
    # Bounded: an offset past a 64-bit integer reached the database as a 500 (found by the API fuzzer).
    offset: int = Field(0, ge=0, le=MAX_OFFSET, description=f"跳过的条数（0～{MAX_OFFSET}）")

    @field_validator("status", "category", "channel", "date_from", "date_to", mode="before")
    @classmethod
    def _blank_is_none(cls, value: Any) -> Any:
        # A search form sends every field, empty ones as "": that means "any", not an error.
        return None if value == "" else value

    def to_filters(self) -> DisputeFilters:
        return DisputeFilters(
            q=self.q.strip(),
            status=self.status or "",
            category=self.category or "",
            channel=self.channel or "",
            region_code=self.region_code.strip(),
            date_from=self.date_from,
            date_to=self.date_to,
            sort=self.sort,
        )


# --- output ---------------------------------------------------------------------------------


class RegionOut(Schema):
    code: str = Field(..., description="区划代码")
    name: str = Field(..., description="名称")


class CourtOut(Schema):
    court_code: str = Field(..., description="法院代码，如 宁0202")
    name: str = Field(..., description="法院名称")


class PartyOut(Schema):
    role: PartyRole = Field(..., description="诉讼地位代码")
    role_label: str = Field(..., description="诉讼地位")
    position: int = Field(..., description="同一诉讼地位中的顺序")
    kind: PartyKind = Field(..., description="当事人类型代码")
    kind_label: str = Field(..., description="当事人类型")
    name: str = Field(..., description="姓名或名称")
    identity: str = Field(..., description="公民身份号码或统一社会信用代码（可能已脱敏）")
    phone: str = Field(..., description="联系电话（可能已脱敏）")
    address: str = Field(..., description="住所地（可能已脱敏）")
    masked: bool = Field(..., description="个人信息是否已脱敏")


class ClaimOut(Schema):
    position: int = Field(..., description="序号")
    text: str = Field(..., description="请求事项")
    amount: Decimal | None = Field(None, description="金额（元）")


class DisputeSummary(Schema):
    number: str = Field(..., description="纠纷编号，如 SY-2026-000123")
    summary: str = Field(..., description="纠纷名称")
    category: DisputeCategory = Field(..., description="纠纷类别代码")
    category_label: str = Field(..., description="纠纷类别")
    status: DisputeStatus = Field(..., description="状态代码")
    status_label: str = Field(..., description="状态")
    channel: Channel = Field(..., description="来源渠道代码")
    channel_label: str = Field(..., description="来源渠道")
    amount: Decimal | None = Field(None, description="标的额（元）")
    occurred_on: date | None = Field(None, description="纠纷发生日期")
    region: RegionOut = Field(..., description="发生地")
    court: CourtOut = Field(..., description="管辖法院")
    created_at: datetime = Field(..., description="登记时间")
    parties: list[PartyOut] = Field(..., description="当事人（列表中个人信息一律脱敏）")


class DisputeDetail(DisputeSummary):
    description: str = Field(..., description="事实与理由")
    authority_kind: AuthorityKind | None = Field(None, description="当事人授权方式代码（网格员代为登记）")
    authority_kind_label: str = Field("", description="当事人授权方式")
    claims: list[ClaimOut] = Field(..., description="请求事项")
    duplicate_of: str | None = Field(None, description="疑似重复于该纠纷编号")
    recorded_by: str = Field(..., description="登记人")
    version: int = Field(..., description="版本号（修改时用于并发控制）")
    updated_at: datetime = Field(..., description="更新时间")


class DisputePage(Schema):
    total: int = Field(..., description=(
        "符合条件的总条数。条数很多时只数到上限为止（上限取 1000 条与 offset + limit 之较大者，"
        "1000 为设置项 SUYUAN_LIST_COUNT_CAP 的默认值）：超过上限时 total 等于上限、total_capped 为 true，"
        "实际条数多于 total，本页之后仍有记录"))
    total_capped: bool = Field(False, description="为 true 时 total 是下限：符合条件的纠纷多于 total 条，未逐一计数")
    limit: int = Field(..., description="每页条数")
    offset: int = Field(..., description="跳过的条数")
    items: list[DisputeSummary]


class EventOut(Schema):
    seq: int = Field(..., description="序号")
    kind: str = Field(..., description="事件代码")
    kind_label: str = Field(..., description="事件")
    at: datetime = Field(..., description="时间")
    actor_label: str = Field(..., description="操作人")
    actor_role: str = Field(..., description="操作人角色代码（系统操作为空）")
    via: str = Field(..., description="途径：web 网页 / api 接口 / command 命令 / worker 后台任务")
    summary: str = Field(..., description="摘要")


# --- builders -------------------------------------------------------------------------------


def party_out(row: DisputeParty, *, full: bool) -> PartyOut:
    p: Party = row.party
    return PartyOut(
        role=PartyRole(row.role),
        role_label=row.get_role_display(),
        position=row.position,
        kind=PartyKind(p.kind),
        kind_label=p.get_kind_display(),
        name=p.name,
        identity=p.identity_number if full else p.masked_identity,
        phone=p.phone if full else p.masked_phone,
        address=p.address if full else p.masked_address,
        masked=not full,
    )


def _summary_fields(d: Dispute, parties: list[PartyOut]) -> dict[str, Any]:
    return {
        "number": d.number,
        "summary": d.summary,
        "category": DisputeCategory(d.category),
        "category_label": d.get_category_display(),
        "status": DisputeStatus(d.status),
        "status_label": d.get_status_display(),
        "channel": Channel(d.channel),
        "channel_label": d.get_channel_display(),
        "amount": d.amount,
        "occurred_on": d.occurred_on,
        "region": RegionOut(code=d.region.code, name=d.region.name),
        "court": CourtOut(court_code=d.court.court_code, name=d.court.name),
        "created_at": d.created_at,
        "parties": parties,
    }


def dispute_summary(d: Dispute) -> DisputeSummary:
    """A list row; expects ``dispute_parties`` prefetched with their parties. Always masked."""
    rows = sorted(d.dispute_parties.all(), key=lambda r: (r.role, r.position))
    return DisputeSummary(**_summary_fields(d, [party_out(r, full=False) for r in rows]))


def dispute_detail(
    d: Dispute, parties: list[DisputeParty], claims: list[Claim], *, full: bool, own_party_id: int | None = None
) -> DisputeDetail:
    """The whole dispute. ``full`` unmasks every party; a party always sees their own data."""
    return DisputeDetail(
        **_summary_fields(
            d, [party_out(r, full=full or (own_party_id is not None and r.party_id == own_party_id)) for r in parties]
        ),
        description=d.description,
        authority_kind=AuthorityKind(d.authority_kind) if d.authority_kind else None,
        authority_kind_label=d.get_authority_kind_display() if d.authority_kind else "",
        claims=[ClaimOut(position=c.position, text=c.text, amount=c.amount) for c in claims],
        duplicate_of=d.duplicate_of.number if d.duplicate_of_id and d.duplicate_of else None,
        recorded_by=d.recorded_by.display_name,
        version=d.version,
        updated_at=d.updated_at,
    )


def event_out(e: DisputeEvent) -> EventOut:
    return EventOut(
        seq=e.seq,
        kind=e.kind,
        kind_label=e.kind_label,
        at=e.at,
        actor_label=e.actor_label,
        actor_role=e.actor_role,
        via=e.via,
        summary=e.summary,
    )
