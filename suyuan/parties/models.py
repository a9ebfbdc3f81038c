"""Parties: one identity per real person or organisation."""

from __future__ import annotations

from django.db import models

from suyuan.common.masking import mask_address, mask_credit_code, mask_id_number, mask_phone

from .choices import MatchFlagStatus, PartyKind


class Party(models.Model):
    """A natural person, legal person or other organisation.

    Identity is the ID number (natural persons) or the unified social credit code (organisations):
    both are unique when present, so the same person recorded twice resolves to one row.
    """

    kind = models.CharField("当事人类型", max_length=20, choices=PartyKind.choices)
    name = models.CharField("姓名/名称", max_length=100)
    id_number = models.CharField("公民身份号码", max_length=18, blank=True)
    credit_code = models.CharField("统一社会信用代码", max_length=18, blank=True)
    representative = models.CharField("法定代表人/负责人", max_length=50, blank=True)
    phone = models.CharField("联系电话", max_length=20, blank=True)
    address = models.CharField("住所地", max_length=200, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "当事人"
        verbose_name_plural = "当事人"
        constraints = [
            models.UniqueConstraint(
                fields=["id_number"], condition=~models.Q(id_number=""), name="party_unique_id_number"
            ),
            models.UniqueConstraint(
                fields=["credit_code"], condition=~models.Q(credit_code=""), name="party_unique_credit_code"
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(kind=PartyKind.NATURAL, credit_code="")
                    | (~models.Q(kind=PartyKind.NATURAL) & models.Q(id_number=""))
                ),
                name="party_identity_matches_kind",
            ),
        ]
        indexes = [models.Index(fields=["name", "phone"], name="party_name_phone_idx")]

    def __str__(self) -> str:
        return self.name

    @property
    def identity_number(self) -> str:
        return self.id_number or self.credit_code

    @property
    def masked_identity(self) -> str:
        # Masked like an ID number: the code is public on its own, but not that this organisation
        # is a party to this dispute (suyuan/common/masking.py; issue 15, R2).
        return mask_id_number(self.id_number) if self.id_number else mask_credit_code(self.credit_code)

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.phone)

    @property
    def masked_address(self) -> str:
        return mask_address(self.address) if self.kind == PartyKind.NATURAL else self.address


class PartyMatchFlag(models.Model):
    """Two party rows that may be the same real person (same name and phone, different IDs).

    Never merged automatically: a clerk looks and decides.
    """

    party = models.ForeignKey(Party, on_delete=models.CASCADE, related_name="+", verbose_name="当事人")
    candidate = models.ForeignKey(Party, on_delete=models.CASCADE, related_name="+", verbose_name="疑似同一人")
    reason = models.CharField("原因", max_length=200)
    status = models.CharField("状态", max_length=20, choices=MatchFlagStatus.choices, default=MatchFlagStatus.OPEN)
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = "疑似重复当事人"
        verbose_name_plural = "疑似重复当事人"
        constraints = [
            models.UniqueConstraint(fields=["party", "candidate"], name="party_match_flag_unique_pair")
        ]

    def __str__(self) -> str:
        return f"{self.party_id}~{self.candidate_id}"
