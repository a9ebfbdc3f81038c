"""Writes of the network: the mediator roster (名册), one entry at a time.

Only ``can_manage_roster`` may write a roster; every write is audited. The spreadsheet side
(import, template, export) is ``roster_sheets``; it cleans each row with the same ``_clean`` and
applies it with the same ``_apply``. The Excel columns are the ones clerks already keep
(``ROSTER_COLUMNS``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import IntegrityError, transaction

from suyuan.accounts.choices import AuditAction
from suyuan.accounts.context import Origin
from suyuan.accounts.models import User
from suyuan.accounts.services import record_audit
from suyuan.common.choices import DisputeCategory
from suyuan.common.errors import Conflict, InvalidInput, NotFound, NotPermitted
from suyuan.common.phones import clean_phone as common_clean_phone

from .choices import MediatorKind, MediatorStatus
from .models import Mediator, Organisation, Region
from .selectors import can_manage_roster, roster_for

# The roster sheet, in order. Import needs the first three; the rest have defaults.
ROSTER_COLUMNS = ["姓名", "手机号", "调解员类型", "擅长类别", "服务区域", "同时承办上限", "状态", "备注"]
REQUIRED_COLUMNS = ["姓名", "手机号", "调解员类型"]
EXPORT_ONLY_COLUMNS = ["所属组织"]
MAX_IMPORT_ROWS = 5000
MAX_CAPACITY = 200
DEFAULT_CAPACITY = 10
ROSTER_CLOSED = "调解员名册仅向法院、综治中心和调解组织的工作人员开放。"
LIST_SEPARATORS = ("、", ",", "，", ";", "；", "/", "\n")


def clean_phone(value: str) -> str:
    """A roster needs a mobile number (SMS notices of referrals), so fixed lines are refused."""
    return common_clean_phone(value, mobile_only=True, label="手机号")


@dataclass
class MediatorInput:
    """A roster entry as typed in a form or a sheet row, before validation."""

    name: str
    phone: str
    kind: str
    specialties: list[str] = field(default_factory=list)
    region_codes: list[str] = field(default_factory=list)
    capacity: int | str | None = DEFAULT_CAPACITY
    status: str = MediatorStatus.ACTIVE
    note: str = ""


@dataclass
class _CleanMediator:
    name: str
    phone: str
    kind: str
    specialties: list[str]
    regions: list[Region]
    capacity: int
    status: str
    note: str


def _parse_capacity(value: int | str | float | None) -> int:
    if value is None or (isinstance(value, str) and not value.strip()):
        return DEFAULT_CAPACITY
    try:
        number = float(str(value).strip())
    except ValueError as exc:
        raise ValueError("同时承办上限应为整数。") from exc
    if not number.is_integer():
        raise ValueError("同时承办上限应为整数。")
    if number < 1:
        raise ValueError("同时承办上限不能小于 1。")
    if number > MAX_CAPACITY:
        raise ValueError(f"同时承办上限不能超过 {MAX_CAPACITY}。")
    return int(number)


def _clean(data: MediatorInput, regions: dict[str, Region]) -> _CleanMediator:
    """Validate every field and report all problems at once (field → Chinese messages)."""
    errors: dict[str, list[str]] = {}
    name = data.name.strip()
    if not name:
        errors["name"] = ["请填写姓名。"]
    elif len(name) > 50:
        errors["name"] = ["姓名不超过 50 个字。"]
    phone = ""
    try:
        phone = clean_phone(data.phone)
    except ValueError as exc:
        errors["phone"] = [str(exc)]
    if data.kind not in MediatorKind.values:
        errors["kind"] = ["调解员类型无效，应为：" + "、".join(str(k.label) for k in MediatorKind) + "。"]
    bad = [s for s in data.specialties if s not in DisputeCategory.values]
    if bad:
        errors["specialties"] = ["擅长类别无效：" + "、".join(bad) + "。"]
    picked, missing = _pick_regions(data.region_codes, regions)
    if missing:
        errors["regions"] = [f"服务区域“{code}”不存在。" for code in missing]
    capacity = DEFAULT_CAPACITY
    try:
        capacity = _parse_capacity(data.capacity)
    except ValueError as exc:
        errors["capacity"] = [str(exc)]
    if data.status not in MediatorStatus.values:
        errors["status"] = ["状态无效，应为：" + "、".join(str(s.label) for s in MediatorStatus) + "。"]
    note = data.note.strip()
    if len(note) > 200:
        errors["note"] = ["备注不超过 200 字。"]
    if errors:
        raise InvalidInput("调解员信息有误，请按提示修改。", errors=errors)
    specialties = [s for s in DisputeCategory.values if s in data.specialties]  # canonical order, no repeats
    return _CleanMediator(name, phone, data.kind, specialties, picked, capacity, data.status, note)


def _pick_regions(codes: list[str], regions: dict[str, Region]) -> tuple[list[Region], list[str]]:
    picked: list[Region] = []
    missing: list[str] = []
    for code in codes:
        region = regions.get(code)
        if region is None:
            missing.append(code)
        elif region not in picked:
            picked.append(region)
    return picked, missing


def _regions_by_code(codes: list[str]) -> dict[str, Region]:
    return {r.code: r for r in Region.objects.filter(code__in=codes)}


def _apply(mediator: Mediator, clean: _CleanMediator) -> list[str]:
    """Copy cleaned values onto a saved mediator; return the names of the fields that changed."""
    changed = [
        attr
        for attr in ("name", "phone", "kind", "specialties", "capacity", "status", "note")
        if getattr(mediator, attr) != getattr(clean, attr)
    ]
    for attr in changed:
        setattr(mediator, attr, getattr(clean, attr))
    if changed:
        mediator.save(update_fields=changed)
    if {r.pk for r in mediator.regions.all()} != {r.pk for r in clean.regions}:
        mediator.regions.set(clean.regions)
        changed.append("regions")
    return changed


def _manageable_mediator(actor: User, mediator_id: int) -> Mediator:
    mediator = roster_for(actor).filter(pk=mediator_id).first()
    if mediator is None:
        raise NotFound("未找到该调解员，或您无权查看。")
    if not any(can_manage_roster(actor, org) for org in mediator.organisations.all()):
        raise NotPermitted("您只能修改本单位名册中的调解员。")
    return mediator


def create_mediator(*, actor: User, origin: Origin, organisation: Organisation, data: MediatorInput) -> Mediator:
    """Add a person to an organisation's roster."""
    if not can_manage_roster(actor, organisation):
        raise NotPermitted("您无权管理该组织的调解员名册。")
    clean = _clean(data, _regions_by_code(data.region_codes))
    try:
        with transaction.atomic():
            mediator = Mediator.objects.create(
                name=clean.name, phone=clean.phone, kind=clean.kind, specialties=clean.specialties,
                capacity=clean.capacity, status=clean.status, note=clean.note,
            )
            mediator.organisations.add(organisation)
            mediator.regions.set(clean.regions)
            record_audit(
                actor=actor, action=AuditAction.CREATE, origin=origin, target_type="mediator", target_id=mediator.pk,
                detail={"organisation": organisation.pk},
            )
    except IntegrityError as exc:
        raise Conflict("名册中已有同名且手机号相同的调解员，请直接修改该调解员。") from exc
    return mediator


def update_mediator(*, actor: User, origin: Origin, mediator_id: int, data: MediatorInput) -> Mediator:
    clean = _clean(data, _regions_by_code(data.region_codes))
    try:
        with transaction.atomic():
            mediator = _manageable_mediator(actor, mediator_id)
            mediator = Mediator.objects.select_for_update().get(pk=mediator.pk)
            changed = _apply(mediator, clean)
            if changed:
                record_audit(
                    actor=actor, action=AuditAction.UPDATE, origin=origin, target_type="mediator",
                    target_id=mediator.pk, detail={"fields": changed},
                )
    except IntegrityError as exc:
        raise Conflict("名册中已有同名且手机号相同的调解员。") from exc
    return mediator


def change_mediator_status(*, actor: User, origin: Origin, mediator_id: int, status: str) -> Mediator:
    """Pause, resume or retire a mediator; referrals only go to mediators who are ``ACTIVE``."""
    if status not in MediatorStatus.values:
        raise InvalidInput("状态无效。", errors={"status": ["请选择有效的状态。"]})
    with transaction.atomic():
        mediator = _manageable_mediator(actor, mediator_id)
        mediator = Mediator.objects.select_for_update().get(pk=mediator.pk)
        if mediator.status == status:
            return mediator
        previous = mediator.status
        mediator.status = status
        mediator.save(update_fields=["status"])
        record_audit(
            actor=actor, action=AuditAction.UPDATE, origin=origin, target_type="mediator", target_id=mediator.pk,
            detail={"fields": ["status"], "from": previous, "to": status},
        )
    return mediator
