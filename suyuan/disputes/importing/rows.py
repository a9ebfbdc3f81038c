"""One template row → one ``DisputeInput``; its ``source_ref``; its errors in a clerk's words; who may import."""

from __future__ import annotations

import contextlib
import hashlib
import unicodedata
from decimal import Decimal, InvalidOperation

from suyuan.accounts.choices import Role
from suyuan.accounts.models import User
from suyuan.common.choices import DisputeCategory
from suyuan.common.errors import NotPermitted
from suyuan.common.masking import scrub
from suyuan.network.models import Organisation
from suyuan.network.selectors import court_for_region, region_by_code
from suyuan.parties.choices import PartyKind
from suyuan.parties.services import PartyInput

from ..choices import Channel, PartyRole
from ..services import ClaimInput, DisputeInput
from .sheet import COLUMNS, SheetRow

MAX_REF_LENGTH = 100  # Dispute.source_ref is 120: room for the filer's 18-character identity and a colon


CATEGORY_BY_LABEL = {str(label): value for value, label in DisputeCategory.choices}
KIND_BY_LABEL = {
    "自然人": PartyKind.NATURAL,
    "个人": PartyKind.NATURAL,
    "法人": PartyKind.LEGAL,
    "非法人组织": PartyKind.OTHER_ORG,
    "其他组织": PartyKind.OTHER_ORG,
}
ORGANISATION_KINDS = frozenset({PartyKind.LEGAL, PartyKind.OTHER_ORG})

# Service error keys → the column a clerk can fix. ``parties.0`` is always the applicant and
# ``parties.1`` the respondent, because ``row_to_input`` builds them in that order.
FIELD_LABELS = {
    "ref": "机构内部编号",
    "category": "纠纷类别",
    "region_code": "发生地区划代码",
    "amount": "标的额",
    "claims": "诉讼请求",
    "description": "事实与理由",
    "parties": "当事人",
    "applicant": "申请人",
    "row": "本行",
    "id_number": "证件号码",
}
PARTY_FIELD_LABELS = {
    "kind": "类型",
    "name": "名称",
    "id_number": "证件号码",
    "credit_code": "证件号码",
    "identity_format": "证件号码",
    "phone": "电话",
    "address": "住址",
    "role": "诉讼地位",
}
PARTY_LABELS = {"0": "申请人", "1": "被申请人"}


def _party(row: SheetRow, role: str, index: int, extra: dict[str, list[str]]) -> PartyInput:
    values = row.values
    kind_text = values[f"{role}_kind"]
    kind = KIND_BY_LABEL.get(kind_text, "")
    if not kind:
        extra[f"parties.{index}.kind"] = [
            f"当事人类型“{kind_text[:20]}”无效，应为自然人、法人或非法人组织。" if kind_text else "请填写当事人类型。"
        ]
    identity = values[f"{role}_identity"]
    if f"{role}_identity" in row.numeric_identity:
        extra[f"parties.{index}.identity_format"] = [
            "证件号码被 Excel 存成了数字，末几位已丢失；请将该列设为文本格式后重新填写。"
        ]
    natural = kind == PartyKind.NATURAL
    return PartyInput(
        kind=kind,
        name=values[f"{role}_name"],
        id_number=identity if natural else "",
        credit_code=identity if not natural and kind else "",
        phone=values.get(f"{role}_phone", ""),
        address=values.get(f"{role}_address", ""),
    )


def _split_claims(text: str) -> list[ClaimInput]:
    for separator in ("；", ";", "\r\n", "\r"):
        text = text.replace(separator, "\n")
    return [ClaimInput(part.strip()) for part in text.split("\n") if part.strip()]


def row_to_input(row: SheetRow) -> DisputeInput:
    """Map a row onto the intake input. Errors only this format can have go in ``extra_errors``."""
    values = row.values
    extra: dict[str, list[str]] = {}
    category_text = values["category"]
    category = CATEGORY_BY_LABEL.get(category_text, "")
    if not category_text:
        extra["category"] = ["请填写纠纷类别。"]
    elif not category:
        extra["category"] = [f"纠纷类别“{category_text[:20]}”不在可选范围内，应为：{'、'.join(CATEGORY_BY_LABEL)}。"]
    if len(values["ref"]) > MAX_REF_LENGTH:
        extra["ref"] = [f"机构内部编号不得超过 {MAX_REF_LENGTH} 个字符。"]
    # The applicant is always parties[0] (even when blank, so that the blanks are reported);
    # the respondent is left out when the row has none, and the service reports it missing.
    parties = [(PartyRole.APPLICANT.value, _party(row, "applicant", 0, extra))]
    respondent_keys = ("respondent_kind", "respondent_name", "respondent_identity", "respondent_phone")
    if any(values[k] for k in respondent_keys):
        parties.append((PartyRole.RESPONDENT.value, _party(row, "respondent", 1, extra)))
    return DisputeInput(
        channel=Channel.BATCH,
        category=category,
        description=values["description"],
        region_code=values["region_code"],
        parties=parties,
        claims=_split_claims(values["claims"]),
        amount=values["amount"] or None,
        extra_errors=extra,
    )


def row_digest(row: SheetRow) -> str:
    """SHA-256 of the row's content, stable across CSV and XLSX and spacing differences."""
    parts = []
    for column in COLUMNS:
        value = unicodedata.normalize("NFKC", row.values.get(column.key, ""))
        value = " ".join(value.split()).upper()
        if column.key == "amount" and value:
            with contextlib.suppress(InvalidOperation):
                value = str(Decimal(value.replace(",", "")).quantize(Decimal("0.01")))
        parts.append(value)
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def filer_identity(actor: User, row: SheetRow) -> str:
    """Who files this row, for ``source_ref``.

    An institution files as itself (its credit code). A clerk files on an institution's behalf,
    so the row's applicant is the filer: the bank's reference means the same claim whether the
    bank or a clerk imports it, and two banks' identical internal numbers never collide.
    """
    if actor.role == Role.PARTY and actor.party is not None:
        return actor.party.identity_number
    applicant = unicodedata.normalize("NFKC", row.values.get("applicant_identity", "")).strip().upper()
    if (
        actor.role == Role.CLERK
        and applicant
        and KIND_BY_LABEL.get(row.values.get("applicant_kind", "")) in (ORGANISATION_KINDS)
    ):
        return applicant
    if actor.organisation_id:
        return f"org{actor.organisation_id}"
    return actor.username


def source_ref_for(actor: User, row: SheetRow) -> str:
    ref = unicodedata.normalize("NFKC", row.values.get("ref", "")).strip()
    return f"{filer_identity(actor, row)}:{ref or row_digest(row)}"


def flatten_errors(errors: dict[str, list[str]]) -> list[str]:
    """``{"parties.1.id_number": ["…"]}`` → ``["被申请人证件号码：…"]``, one line per message."""
    lines: list[str] = []
    for key, messages in errors.items():
        label = FIELD_LABELS.get(key, "")
        parts = key.split(".")
        if len(parts) == 3 and parts[0] == "parties":
            label = PARTY_LABELS.get(parts[1], "当事人") + PARTY_FIELD_LABELS.get(parts[2], "")
        for message in messages:
            line = f"{label}：{message}" if label and not message.startswith(label) else message
            if line not in lines:
                lines.append(scrub(line))
    return lines


# ---------------------------------------------------------------------------------------------
# Who may import, and the row checks that depend on who
# ---------------------------------------------------------------------------------------------


def check_can_import(actor: User) -> None:
    """Institutions (a party account whose identity is an organisation) and court clerks import."""
    if not actor.is_active:
        raise NotPermitted("该账户已停用，不能批量导入。")
    if actor.role == Role.PARTY:
        if actor.party is None or actor.party.kind not in ORGANISATION_KINDS:
            raise NotPermitted("只有机构（法人或非法人组织）当事人账户可以批量导入纠纷。")
        return
    if actor.role == Role.CLERK:
        if actor.organisation is None or actor.organisation.court() is None:
            raise NotPermitted("立案人员须隶属于法院方可代机构批量导入。")
        return
    raise NotPermitted("您的角色不能批量导入纠纷（仅机构当事人和法院立案人员可以）。")


class ActorRules:
    """Row checks that depend on the importer; caches the court of each region code it meets."""

    def __init__(self, actor: User) -> None:
        self.actor = actor
        self.own_court: Organisation | None = None
        if actor.role == Role.CLERK and actor.organisation is not None:
            self.own_court = actor.organisation.court()
        self._courts: dict[str, int | None] = {}

    def _court_id(self, code: str) -> int | None:
        if code not in self._courts:
            region = region_by_code(code)
            court = court_for_region(region) if region is not None else None
            self._courts[code] = court.pk if court is not None else None
        return self._courts[code]

    def check(self, row: SheetRow, data: DisputeInput) -> None:
        applicant = data.parties[0][1]
        identity = unicodedata.normalize("NFKC", applicant.id_number or applicant.credit_code).strip().upper()
        if self.actor.role == Role.PARTY:
            own = self.actor.party
            assert own is not None
            if identity != own.identity_number:
                data.extra_errors["applicant"] = [f"机构批量导入时，申请人须为本机构（{own.name}）本身。"]
        elif self.actor.role == Role.CLERK:
            if applicant.kind and applicant.kind not in ORGANISATION_KINDS:
                data.extra_errors["applicant"] = ["代机构批量导入时，申请人须为法人或非法人组织。"]
            court_id = self._court_id(data.region_code) if data.region_code else None
            if court_id is not None and self.own_court is not None and court_id != self.own_court.pk:
                # A clerk registers for their own court; disputes for another court would land in
                # a queue they cannot see.
                data.extra_errors["region_code"] = ["发生地不属于本院管辖，请由管辖法院导入。"]
