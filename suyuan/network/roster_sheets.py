"""The roster as a spreadsheet: import from the Excel sheet clerks keep, the template, the export.

Writes go through the same cleaning and rules as one-at-a-time edits (``services``); only
``can_manage_roster`` may import, every import and export is audited. The columns are
``services.ROSTER_COLUMNS``; an export can be edited and imported again, and a re-import updates
the same people (identity: name + mobile number) instead of duplicating them.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from typing import IO, Any

from django.conf import settings
from django.db import IntegrityError, transaction
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font

from suyuan.accounts.choices import AuditAction
from suyuan.accounts.context import Origin
from suyuan.accounts.models import User
from suyuan.accounts.services import record_audit
from suyuan.common.choices import DisputeCategory
from suyuan.common.errors import InvalidInput, NotPermitted
from suyuan.common.masking import mask_phone
from suyuan.common.spreadsheets import safe_row

from .choices import MediatorKind, MediatorStatus
from .models import Mediator, Organisation, Region
from .selectors import can_manage_roster, manageable_organisations, roster_for, roster_organisations
from .services import (
    EXPORT_ONLY_COLUMNS,
    LIST_SEPARATORS,
    MAX_IMPORT_ROWS,
    REQUIRED_COLUMNS,
    ROSTER_CLOSED,
    ROSTER_COLUMNS,
    MediatorInput,
    _apply,
    _clean,
    _CleanMediator,
)

# --- Excel import --------------------------------------------------------------------------


@dataclass
class RowError:
    row: int
    name: str
    messages: list[str]


@dataclass
class RosterImportResult:
    organisation: Organisation
    total: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def imported(self) -> int:
        return self.created + self.updated + self.unchanged


def _split(value: object) -> list[str]:
    text = "" if value is None else str(value)
    for sep in LIST_SEPARATORS[1:]:
        text = text.replace(sep, LIST_SEPARATORS[0])
    return [part.strip() for part in text.split(LIST_SEPARATORS[0]) if part.strip()]


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        # Excel stores a typed-in phone number as a float: 13900000001.0
        return str(int(value))
    return str(value).strip()


class _Lookups:
    """Chinese labels (and codes) → codes, and region codes/names → regions, loaded once per file."""

    def __init__(self) -> None:
        self.kinds: dict[str, str] = {}
        for kind in MediatorKind:
            self.kinds[kind.value] = kind.value
            self.kinds[str(kind.label)] = kind.value
            self.kinds[str(kind.label).removesuffix("调解员")] = kind.value
        self.statuses = {str(s.label): s.value for s in MediatorStatus} | {s.value: s.value for s in MediatorStatus}
        self.categories = {str(c.label): c.value for c in DisputeCategory} | {c.value: c.value for c in DisputeCategory}
        self.regions_by_code: dict[str, Region] = {}
        self.regions_by_name: dict[str, list[Region]] = {}
        for region in Region.objects.only("pk", "code", "name", "level"):
            self.regions_by_code[region.code] = region
            self.regions_by_name.setdefault(region.name, []).append(region)

    def region_code(self, token: str) -> str:
        # Exports write "长胜街道（640202001000）": the code in brackets decides.
        if token.endswith(("）", ")")) and ("（" in token or "(" in token):
            token = token.replace("(", "（").rsplit("（", 1)[1].rstrip("）)").strip()
        if token in self.regions_by_code:
            return token
        matches = self.regions_by_name.get(token, [])
        if len(matches) > 1:
            raise ValueError(f"服务区域“{token}”有多个同名区划，请改填区划代码。")
        if not matches:
            raise ValueError(f"服务区域“{token}”不存在，请填写区划代码或准确名称。")
        return matches[0].code


def _row_input(values: dict[str, str], lookups: _Lookups) -> tuple[MediatorInput, list[str]]:
    """Translate a sheet row's Chinese labels into a ``MediatorInput``; collect label errors."""
    messages: list[str] = []
    kind = lookups.kinds.get(values.get("调解员类型", ""), "")
    if not kind:
        messages.append(
            "调解员类型无效（应为" + "、".join(str(k.label) for k in MediatorKind) + "之一）。"
            if values.get("调解员类型")
            else "请填写调解员类型。"
        )
    specialties = []
    for token in _split(values.get("擅长类别")):
        code = lookups.categories.get(token)
        if code is None:
            messages.append(f"擅长类别“{token}”无效（可选：{'、'.join(str(c.label) for c in DisputeCategory)}）。")
        else:
            specialties.append(code)
    region_codes = []
    for token in _split(values.get("服务区域")):
        try:
            region_codes.append(lookups.region_code(token))
        except ValueError as exc:
            messages.append(str(exc))
    status_text = values.get("状态", "")
    status = lookups.statuses.get(status_text, "") if status_text else MediatorStatus.ACTIVE
    if not status:
        messages.append("状态无效（应为" + "、".join(str(s.label) for s in MediatorStatus) + "之一）。")
    # An unreadable label is reported above in the sheet's words; the placeholder keeps ``_clean``
    # from reporting it a second time in its own.
    data = MediatorInput(
        name=values.get("姓名", ""),
        phone=values.get("手机号", ""),
        kind=kind or MediatorKind.PEOPLES,
        specialties=specialties,
        region_codes=region_codes,
        capacity=values.get("同时承办上限") or None,
        status=status or MediatorStatus.ACTIVE,
        note=values.get("备注", ""),
    )
    return data, messages


def _read_sheet(fileobj: IO[bytes]) -> tuple[list[str], list[tuple[int, list[str]]]]:
    size = getattr(fileobj, "size", None)
    if size is None:
        fileobj.seek(0, io.SEEK_END)
        size = fileobj.tell()
        fileobj.seek(0)
    if size > settings.SUYUAN_IMPORT_MAX_BYTES:
        raise InvalidInput("文件过大，请拆分后分批导入。", errors={"file": ["文件过大。"]})
    try:
        workbook = load_workbook(fileobj, read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
        rows = [
            (number, [_cell(v) for v in row]) for number, row in enumerate(sheet.iter_rows(values_only=True), start=1)
        ]
        workbook.close()
    except Exception as exc:  # openpyxl raises many unrelated types on a file that is not XLSX
        raise InvalidInput(
            "无法读取文件：请上传 Excel 2007 及以上版本的 .xlsx 文件（可先下载模板）。",
            errors={"file": ["文件不是有效的 .xlsx 文件。"]},
        ) from exc
    if not rows:
        raise InvalidInput("文件是空的。", errors={"file": ["文件是空的。"]})
    header = [h.replace("*", "").replace("（必填）", "").strip() for h in rows[0][1]]
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        raise InvalidInput(
            "表头缺少必填列：" + "、".join(missing) + "。请使用名册模板。",
            errors={"file": ["表头应包含：" + "、".join(ROSTER_COLUMNS)]},
        )
    data_rows = [(n, r) for n, r in rows[1:] if any(r)]
    if len(data_rows) > MAX_IMPORT_ROWS:
        raise InvalidInput(f"一次最多导入 {MAX_IMPORT_ROWS} 行，请拆分后分批导入。", errors={"file": ["行数过多。"]})
    return header, data_rows


def import_roster(*, actor: User, origin: Origin, organisation: Organisation, fileobj: IO[bytes]) -> RosterImportResult:
    """Import a roster sheet into ``organisation``'s roster.

    Every row is validated; rows with problems are reported (row number as Excel shows it, and
    the reasons in Chinese) and left out, the good rows go in together. A person already on file
    (same name and mobile number) is updated, not duplicated, and joins this roster if needed;
    their details are only overwritten when the actor manages every roster they are on.
    """
    if not can_manage_roster(actor, organisation):
        raise NotPermitted("您无权管理该组织的调解员名册。")
    header, rows = _read_sheet(fileobj)
    lookups = _Lookups()
    result = RosterImportResult(organisation=organisation, total=len(rows))
    good: list[tuple[int, _CleanMediator]] = []
    seen: dict[tuple[str, str], int] = {}
    for number, cells in rows:
        values = {column: cells[i] if i < len(cells) else "" for i, column in enumerate(header) if column}
        data, messages = _row_input(values, lookups)
        try:
            clean = _clean(data, lookups.regions_by_code)
        except InvalidInput as exc:
            messages += [m for ms in exc.errors.values() for m in ms]
            clean = None
        if clean is not None and (clean.name, clean.phone) in seen:
            messages.append(f"与第 {seen[(clean.name, clean.phone)]} 行重复（姓名和手机号相同）。")
        if messages or clean is None:
            result.errors.append(RowError(number, values.get("姓名", ""), messages))
            continue
        seen[(clean.name, clean.phone)] = number
        good.append((number, clean))
    with transaction.atomic():
        for _number, clean in good:
            outcome = _upsert(actor, organisation, clean)
            setattr(result, outcome, getattr(result, outcome) + 1)
        record_audit(
            actor=actor,
            action=AuditAction.IMPORT,
            origin=origin,
            target_type="roster",
            target_id=organisation.pk,
            detail={
                "total": result.total,
                "created": result.created,
                "updated": result.updated,
                "unchanged": result.unchanged,
                "rejected": len(result.errors),
            },
        )
    return result


def _upsert(actor: User, organisation: Organisation, clean: _CleanMediator) -> str:
    """Create or update one person; return the ``RosterImportResult`` counter to increment."""
    existing = Mediator.objects.select_for_update().filter(name=clean.name, phone=clean.phone).first()
    if existing is None:
        try:
            with transaction.atomic():
                mediator = Mediator.objects.create(
                    name=clean.name,
                    phone=clean.phone,
                    kind=clean.kind,
                    specialties=clean.specialties,
                    capacity=clean.capacity,
                    status=clean.status,
                    note=clean.note,
                )
        except IntegrityError:
            # Someone added the same person a moment ago: update theirs.
            existing = Mediator.objects.select_for_update().get(name=clean.name, phone=clean.phone)
        else:
            mediator.organisations.add(organisation)
            mediator.regions.set(clean.regions)
            return "created"
    organisations = list(existing.organisations.all())
    joined = organisation not in organisations
    if joined:
        existing.organisations.add(organisation)
    changed: list[str] = []
    if all(can_manage_roster(actor, org) for org in organisations):
        changed = _apply(existing, clean)
    return "updated" if joined or changed else "unchanged"


# --- Excel export --------------------------------------------------------------------------


def _workbook(rows: list[list[Any]], *, title: str, columns: list[str]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = title
    sheet.append(columns)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(safe_row(row))
    widths = {"姓名": 12, "手机号": 16, "调解员类型": 14, "擅长类别": 30, "服务区域": 30, "备注": 30, "所属组织": 40}
    for i, column in enumerate(columns, start=1):
        sheet.column_dimensions[sheet.cell(row=1, column=i).column_letter].width = widths.get(column, 14)
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def roster_template() -> bytes:
    """An empty roster sheet with one example row, for clerks to fill in."""
    example = [
        "张调解",
        "13900000000",
        "人民调解员",
        "婚姻家庭、邻里纠纷",
        "640202001000",
        10,
        "在册可派",
        "示例行，导入前请删除",
    ]
    return _workbook([example], title="调解员名册", columns=ROSTER_COLUMNS)


def export_roster(
    *, actor: User, origin: Origin, q: str = "", kind: str = "", status: str = "", specialty: str = ""
) -> bytes:
    """The roster the actor may read, as XLSX in the import layout (plus 所属组织).

    Mobile numbers are masked unless the actor manages a roster the mediator is on: an exported
    sheet travels, and only the roster's keeper needs to reach the mediators.
    """
    if not roster_organisations(actor).exists():
        raise NotPermitted(ROSTER_CLOSED)
    manageable = {org.pk for org in manageable_organisations(actor)}
    rows = []
    unmasked = 0
    mediators = roster_for(actor, q=q, kind=kind, status=status, specialty=specialty)
    for mediator in mediators:
        orgs = list(mediator.organisations.all())
        full = any(org.pk in manageable for org in orgs)
        unmasked += int(full)
        rows.append(
            [
                mediator.name,
                mediator.phone if full else mask_phone(mediator.phone),
                mediator.get_kind_display(),
                "、".join(mediator.specialty_labels()),
                "、".join(f"{r.name}（{r.code}）" for r in mediator.regions.all()),
                mediator.capacity,
                mediator.get_status_display(),
                mediator.note,
                "、".join(org.name for org in orgs),
            ]
        )
    content = _workbook(rows, title="调解员名册", columns=ROSTER_COLUMNS + EXPORT_ONLY_COLUMNS)
    record_audit(
        actor=actor,
        action=AuditAction.EXPORT,
        origin=origin,
        target_type="roster",
        detail={
            "rows": len(rows),
            "unmasked_phones": unmasked,
            "filters": {"q": q, "kind": kind, "status": status, "specialty": specialty},
        },
    )
    return content
