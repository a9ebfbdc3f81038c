"""Forms of the dispute pages: they parse; the services validate the rules."""

from __future__ import annotations

from datetime import date
from typing import cast

from django import forms
from django.utils import timezone

from suyuan.common.choices import DisputeCategory
from suyuan.parties.choices import PartyKind
from suyuan.parties.services import PartyInput

from .choices import AuthorityKind, Channel, PartyRole
from .services import ClaimInput, DisputeInput

PARTY_SLOTS = (("applicant", PartyRole.APPLICANT, "申请人"), ("respondent", PartyRole.RESPONDENT, "被申请人"))


class DisputeForm(forms.Form):
    channel = forms.ChoiceField(label="来源渠道", choices=())
    category = forms.ChoiceField(label="纠纷类别", choices=[("", "请选择")] + list(DisputeCategory.choices))
    region_code = forms.ChoiceField(label="纠纷发生地", choices=())
    occurred_on = forms.DateField(label="纠纷发生日期", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    rights_known_on = forms.DateField(
        label="知道或应当知道权利受到损害之日", required=False, widget=forms.DateInput(attrs={"type": "date"}),
        help_text="诉讼时效一般为三年，自此日起算；不清楚可不填。",
    )
    amount = forms.CharField(label="标的额（元）", required=False, help_text="非金钱请求可不填。")
    claims = forms.CharField(
        label="请求事项",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="每行一项，如：请求被申请人归还借款 12000 元。",
    )
    description = forms.CharField(label="事实与理由", widget=forms.Textarea(attrs={"rows": 5}))
    authority_kind = forms.ChoiceField(
        label="当事人授权方式", required=False, choices=[("", "请选择")] + list(AuthorityKind.choices)
    )
    authority_note = forms.CharField(label="授权说明", required=False, max_length=200)
    risk_acknowledged = forms.BooleanField(label="我已阅读并知悉上述诉讼风险", required=False)

    def __init__(self, *args: object, channels: list[tuple[str, str]], regions: list[tuple[str, str]],
                 own_party: PartyInput | None = None, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        cast(forms.ChoiceField, self.fields["channel"]).choices = channels
        cast(forms.ChoiceField, self.fields["region_code"]).choices = [("", "请选择")] + regions
        self.own_party = own_party
        for prefix, _role, label in PARTY_SLOTS:
            self.fields[f"{prefix}_kind"] = forms.ChoiceField(label=f"{label}类型", choices=PartyKind.choices)
            self.fields[f"{prefix}_name"] = forms.CharField(label=f"{label}姓名/名称", max_length=100)
            self.fields[f"{prefix}_identity"] = forms.CharField(
                label=f"{label}证件号码", required=False, max_length=30,
                help_text="自然人填公民身份号码，法人或非法人组织填统一社会信用代码。",
            )
            self.fields[f"{prefix}_phone"] = forms.CharField(label=f"{label}联系电话", required=(prefix == "applicant"),
                                                             max_length=20)
            self.fields[f"{prefix}_address"] = forms.CharField(label=f"{label}住所地", required=False, max_length=200)
        if own_party is not None:
            self.fields["risk_acknowledged"].required = True
            self.fields["risk_acknowledged"].error_messages["required"] = "请阅读诉讼风险告知并勾选确认。"
            # A party filing for themself: the applicant is their own verified identity.
            for name in ("kind", "name", "identity", "phone", "address"):
                self.fields[f"applicant_{name}"].required = False
                self.fields[f"applicant_{name}"].disabled = True
            self.initial.update({
                "applicant_kind": own_party.kind, "applicant_name": own_party.name,
                "applicant_identity": own_party.id_number or own_party.credit_code,
                "applicant_phone": own_party.phone, "applicant_address": own_party.address,
            })

    def clean_rights_known_on(self) -> date | None:
        value: date | None = self.cleaned_data.get("rights_known_on")
        if value is not None and value > timezone.localdate():
            raise forms.ValidationError("知道或应当知道权利受到损害之日不能晚于今天。")
        return value

    def party_fieldsets(self) -> list[tuple[str, list[forms.BoundField]]]:
        return [
            (label, [self[f"{prefix}_{n}"] for n in ("kind", "name", "identity", "phone", "address")])
            for prefix, _role, label in PARTY_SLOTS
        ]

    def to_input(self) -> DisputeInput:
        data = self.cleaned_data
        parties: list[tuple[str, PartyInput]] = []
        for prefix, role, _label in PARTY_SLOTS:
            if prefix == "applicant" and self.own_party is not None:
                parties.append((role, self.own_party))
                continue
            kind = data[f"{prefix}_kind"]
            identity = data.get(f"{prefix}_identity", "") or ""
            parties.append((role, PartyInput(
                kind=kind, name=data[f"{prefix}_name"],
                id_number=identity if kind == PartyKind.NATURAL else "",
                credit_code=identity if kind != PartyKind.NATURAL else "",
                phone=data.get(f"{prefix}_phone", "") or "", address=data.get(f"{prefix}_address", "") or "",
            )))
        return DisputeInput(
            channel=data["channel"],
            category=data["category"],
            description=data["description"],
            region_code=data["region_code"],
            parties=parties,
            claims=[ClaimInput(line) for line in data["claims"].splitlines() if line.strip()],
            amount=data.get("amount") or None,
            occurred_on=data.get("occurred_on"),
            rights_known_on=data.get("rights_known_on"),
            authority_kind=data.get("authority_kind") or "",
            authority_note=data.get("authority_note") or "",
            risk_notice_acknowledged=bool(data.get("risk_acknowledged")),
        )

    def add_service_errors(self, errors: dict[str, list[str]]) -> None:
        """Put the service's per-field errors back on the form fields a user typed into."""
        slot = {str(i): prefix for i, (prefix, _r, _l) in enumerate(PARTY_SLOTS)}
        for key, messages in errors.items():
            field: str | None = key
            if key.startswith("parties."):
                parts = key.split(".")
                if len(parts) == 3:
                    sub = {"id_number": "identity", "credit_code": "identity"}.get(parts[2], parts[2])
                    field = f"{slot.get(parts[1], 'applicant')}_{sub}"
                else:
                    field = None
            if field not in self.fields:
                field = None
            for message in messages:
                self.add_error(field, message)


class DisputeEditForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    category = forms.ChoiceField(label="纠纷类别", choices=DisputeCategory.choices)
    amount = forms.CharField(label="标的额（元）", required=False)
    description = forms.CharField(label="事实与理由", widget=forms.Textarea(attrs={"rows": 6}))


class EvidenceForm(forms.Form):
    file = forms.FileField(label="证据文件")
    description = forms.CharField(label="证据说明", required=False, max_length=200)

    def __init__(self, *args: object, **kwargs: object) -> None:
        from django.conf import settings

        from .evidence import ACCEPTED

        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        kinds = "、".join(sorted({e.upper() for e in ACCEPTED if e != "jpeg"}))
        limit = settings.SUYUAN_EVIDENCE_MAX_BYTES // 1048576
        self.fields["file"].help_text = f"支持 {kinds}，单个文件不超过 {limit} MB。"


class DisputeFilterForm(forms.Form):
    q = forms.CharField(label="编号/当事人/名称", required=False)
    status = forms.ChoiceField(label="状态", required=False, choices=())
    category = forms.ChoiceField(label="类别", required=False, choices=[("", "全部")] + list(DisputeCategory.choices))
    channel = forms.ChoiceField(label="来源", required=False, choices=[("", "全部")] + list(Channel.choices))
    region_code = forms.CharField(label="区划代码", required=False)
    date_from = forms.DateField(label="登记日期自", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label="至", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    sort = forms.ChoiceField(label="排序", required=False, choices=[
        ("-created_at", "登记时间（新→旧）"), ("created_at", "登记时间（旧→新）"),
        ("-amount", "标的额（高→低）"), ("amount", "标的额（低→高）"), ("number", "纠纷编号"),
    ])

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        from .choices import DisputeStatus

        cast(forms.ChoiceField, self.fields["status"]).choices = [("", "全部")] + list(DisputeStatus.choices)
